import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/** The public ATRIP portal; more origins are granted at run time from the options page. */
export const PORTAL_MATCHES = ['https://www.atriptech.com/*'];
/** The `e2e` build also treats loopback as a portal and an API host (see shared/contract.md). */
const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];
const API_HOSTS = ['https://sandbox.atriptech.com/*'];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ mode }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    host_permissions: [
      ...API_HOSTS,
      ...PORTAL_MATCHES,
      ...(mode === 'e2e' ? LOOPBACK_MATCHES : []),
    ],
    // Company proxies and white-label portals are granted one by one from the options page.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: '__MSG_extName__' },
  }),
  outDirTemplate: '{{browser}}-mv{{manifestVersion}}{{modeSuffix}}',
});
