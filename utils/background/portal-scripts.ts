/**
 * The in-page control on portal origins the agent granted at run time: one registered content
 * script per granted origin, kept in step with the permissions (both browsers keep registered
 * scripts across restarts; this re-checks them on every grant, revocation, start and update).
 * Replaces webext-dynamic-content-scripts, which in Firefox threw on every restart (it knows only
 * Chrome's "Duplicate script ID" error) and then could no longer unregister a revoked origin.
 */
import { browser } from 'wxt/browser';
import { loadSettings } from '../shared/settings';
import { portalGrants } from './logic/sender';
import { planRegistrations, portalPatterns, portalScriptId } from './logic/portal-patterns';
import { injectIntoOpenTabs, manifestScriptFiles } from './reinject';

/** Patterns the manifest already serves: its content scripts' matches and its required hosts. */
function manifestPatterns(): string[] {
  const manifest = browser.runtime.getManifest();
  return [...(manifest.host_permissions ?? []), ...(manifest.content_scripts ?? []).flatMap((s) => s.matches ?? [])];
}

async function sync(): Promise<string[]> {
  const js = manifestScriptFiles();
  if (js.length === 0) return [];
  const [all, settings] = await Promise.all([browser.permissions.getAll(), loadSettings()]);
  // The API's origin (a proxy, the sandbox) gets no control unless it is a portal too.
  const granted = portalGrants(all.origins ?? [], settings);
  const plan = planRegistrations(portalPatterns(granted, manifestPatterns()), await browser.scripting.getRegisteredContentScripts());
  if (plan.unregister.length > 0) await browser.scripting.unregisterContentScripts({ ids: plan.unregister });
  if (plan.register.length > 0) {
    await browser.scripting.registerContentScripts(
      plan.register.map((pattern) => ({
        id: portalScriptId(pattern),
        matches: [pattern],
        js,
        runAt: browser.runtime.getManifest().content_scripts?.[0]?.run_at ?? 'document_idle',
        persistAcrossSessions: true,
      })),
    );
  }
  return plan.register;
}

let queue: Promise<unknown> = Promise.resolve();

/** Brings the registered scripts in line with the granted origins; one run at a time. Returns the patterns added. */
export function syncPortalScripts(): Promise<string[]> {
  const run = queue.then(sync, sync);
  queue = run.catch(() => undefined);
  return run;
}

/** After a grant: register there, and give tabs already open on those origins their controls now. */
export async function onOriginsGranted(): Promise<void> {
  const added = await syncPortalScripts();
  await injectIntoOpenTabs(added, manifestScriptFiles());
}
