import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * WXT's content-script entry builds our `ContentScriptContext` (utils/content/guarded-context.ts)
 * instead of its own, which told the page the extension id and let the page switch the script off
 * (and brought a location watcher we do not use).
 */
function guardedContentScriptContext(): Plugin {
  const guarded = fileURLToPath(new URL('./utils/content/guarded-context.ts', import.meta.url));
  return {
    name: 'atrip:guarded-content-script-context',
    enforce: 'pre',
    resolveId: (source) => (source === 'wxt/utils/content-script-context' ? guarded : null),
  };
}

/** The public ATRIP portal; more origins are granted at run time from the options page. */
export const PORTAL_MATCHES = ['https://www.atriptech.com/*'];
/** The `e2e` build also treats loopback as a portal and an API host (see shared/contract.md). */
const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];
const API_HOSTS = ['https://sandbox.atriptech.com/*'];
const OPTIONAL_HOSTS = ['https://*/*', 'http://*/*'];

export default defineConfig({
  // MV3 in Firefox too (README, "Browsers"): the same `action`, promise-returning `chrome.*`,
  // host permissions and non-persistent background as in Chrome.
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact(), guardedContentScriptContext()] }),
  manifest: ({ mode, browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // unlimitedStorage: a busy agent's records (with their check history) must never hit the 10 MB quota.
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'notifications', 'scripting', 'contextMenus', 'activeTab'],
    host_permissions: [
      ...API_HOSTS,
      ...PORTAL_MATCHES,
      ...(mode === 'e2e' ? LOOPBACK_MATCHES : []),
    ],
    // Company proxies and white-label portals are granted one by one from the options page.
    optional_host_permissions: OPTIONAL_HOSTS,
    action: { default_title: '__MSG_extName__' },
    // Settings an organisation pushes by browser policy (storage.managed). Firefox has no such key:
    // it hands the policy's `3rdparty` values over without a schema (utils/shared/managed-settings.ts validates).
    ...(browser !== 'firefox' && { storage: { managed_schema: 'schema.json' } }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'stop-ticket@atrip-agents',
          strict_min_version: '142.0',
          // Nothing leaves the browser except the agent's own calls to ATRIP.
          data_collection_permissions: { required: ['none'] },
        } as never,
      },
    }),
  }),
  hooks: {
    // The content script (which every portal page loads) and the extension's pages (popup, options)
    // use the browser's own `browser`/`chrome` (promise-based in Chrome MV3 and in Firefox) instead of
    // webextension-polyfill: ~10 KB less to evaluate on each page and on each popup open. None of them
    // returns a promise from an `onMessage` listener, the one thing the polyfill would add for them.
    // The background keeps the polyfill (its message listener answers with promises).
    'vite:build:extendConfig': (entrypoints, config) => {
      if (entrypoints.some((entry) => entry.type === 'background')) return;
      const alias = config.resolve?.alias ?? [];
      const list = Array.isArray(alias) ? alias : Object.entries(alias).map(([find, replacement]) => ({ find, replacement: replacement as string }));
      config.resolve = { ...config.resolve, alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...list] };
      if (entrypoints.some((entry) => entry.name === 'popup')) {
        // No modulepreload polyfill (Chrome and Firefox 115+ support modulepreload): Vite would make it
        // the entry's first import, code evaluated on every open for nothing.
        config.build = { ...config.build, modulePreload: { polyfill: false } };
      }
      if (!entrypoints.every((entry) => entry.type === 'content-script')) return;
      // Terser packs it ~2.5 % tighter than esbuild (its budget: bench/budget.json). Of its unsafe
      // options only those that hold for this bundle: `unsafe` (built-ins unaltered: the content
      // script's own in its isolated world), `unsafe_arrows` (no anonymous function here is a
      // constructor), `unsafe_comps` (only numbers are compared). Not `booleans_as_integers`
      // (aria-* attributes would read "1") nor `pure_getters` (some getters act: ctx.isInvalid). No
      // property mangling: a listed few names once shortened made the in-place paging follow take
      // 100-300 ms instead of 30-40 (bench, 2026-11-27), a fault no test saw; 1.8 KB is not worth it.
      if (config.build?.minify !== false) {
        config.build = {
          ...config.build,
          minify: 'terser',
          terserOptions: {
            ecma: 2020,
            compress: { passes: 3, hoist_funs: true, unsafe: true, unsafe_arrows: true, unsafe_comps: true },
          },
        };
      }
    },
  },
  outDirTemplate: '{{browser}}-mv{{manifestVersion}}{{modeSuffix}}',
  // Firefox reviewers rebuild from the sources zip: screenshots are not needed for that.
  zip: { excludeSources: ['docs/**', 'demo-output/**', 'bench/results*.json'] },
});
