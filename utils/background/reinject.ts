import { browser } from 'wxt/browser';

/**
 * After an install or update, portal tabs already open still run the old, invalidated content
 * script (or none): inject the new one so their controls work again without a reload. The old
 * instance removes its own controls when WXT tells it a newer one started.
 * (webext-inject-on-install does this too, but needs the `tabs` permission; host permissions
 * are enough to find and script the portal's tabs.)
 */
export async function reinjectContentScripts(): Promise<number> {
  let injected = 0;
  for (const script of browser.runtime.getManifest().content_scripts ?? []) {
    if (!script.matches?.length || !script.js?.length) continue;
    const tabs = await browser.tabs.query({ url: script.matches, status: 'complete', discarded: false });
    await Promise.all(
      tabs.map(async (tab) => {
        if (tab.id === undefined) return;
        try {
          await browser.scripting.executeScript({ target: { tabId: tab.id }, files: script.js as never });
          injected++;
        } catch {
          // A tab that navigated away or an error page: nothing to fix there.
        }
      }),
    );
  }
  return injected;
}
