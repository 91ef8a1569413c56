import { browser } from 'wxt/browser';

/**
 * A content script file as the scripting API takes it: relative to the extension's root.
 * Firefox's `getManifest()` gives full `moz-extension://…` URLs, Chrome's the manifest's paths.
 */
export function extensionPath(file: string): string {
  return new URL(file, browser.runtime.getURL('/')).pathname.replace(/^\//, '');
}

/** The manifest's content script files, the same in both browsers. */
export function manifestScriptFiles(): string[] {
  const files = (browser.runtime.getManifest().content_scripts ?? []).flatMap((script) => script.js ?? []);
  return [...new Set(files.map(extensionPath))];
}

/** Runs the content script in the open, loaded tabs matching the patterns; returns how many got it. */
export async function injectIntoOpenTabs(matches: string[], files: string[]): Promise<number> {
  if (matches.length === 0 || files.length === 0) return 0;
  const tabs = await browser.tabs.query({ url: matches, status: 'complete', discarded: false });
  let injected = 0;
  await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined) return;
      try {
        // The files come from the manifest at run time, not from WXT's list of known paths.
        await browser.scripting.executeScript({ target: { tabId: tab.id }, files: files as never });
        injected++;
      } catch {
        // A tab that navigated away or an error page: nothing to fix there.
      }
    }),
  );
  return injected;
}

/**
 * After an install or update, portal tabs already open still run the old, invalidated content
 * script (or none): inject the new one so their controls work again without a reload. The old
 * instance removes its own controls when WXT tells it a newer one started. Origins granted at run
 * time count too (their registered scripts). (webext-inject-on-install does this too, but needs
 * the `tabs` permission; host permissions are enough to find and script the portal's tabs.)
 */
export async function reinjectContentScripts(): Promise<number> {
  const matches = (browser.runtime.getManifest().content_scripts ?? []).flatMap((script) => script.matches ?? []);
  const registered = await browser.scripting.getRegisteredContentScripts().catch(() => []);
  return injectIntoOpenTabs([...new Set([...matches, ...registered.flatMap((s) => s.matches ?? [])])], manifestScriptFiles());
}
