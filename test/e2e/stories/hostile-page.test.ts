/**
 * A hostile page (or a script injected into the portal) against the extension, in each browser
 * (issue 13): what it tries, and that it achieves nothing. Every case here failed on the code
 * before issue 13.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { controlCount, openPortalPage, sleep, stopFromPage, waitForControlState, type ExtensionDriver } from '../driver';
import { launchDriver } from '../launch';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';

/** `runtime.id` as the extension's scripts see it: Chrome's extension id, Firefox's add-on id. */
function runtimeId(h: ExtensionDriver): string {
  return h.browserName === 'firefox' ? 'stop-ticket@atrip-agents' : new URL(h.extensionOrigin).host;
}

describe(`[${browserName}] a hostile page`, () => {
  let h: ExtensionDriver;
  beforeAll(async () => {
    h = await launchDriver(browserName);
  });
  afterAll(() => h?.close());
  beforeEach(() => h.sandbox.clearRequests());

  it("learns no extension id from the content script's start", async () => {
    const orderNo = SCENARIOS.intercept;
    // `?spy=1`: the page listens to every window message before the content script starts.
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/?spy=1#/order/detail/${orderNo}/en`, orderNo);
    const heard = await page.evaluate(() => JSON.stringify((window as unknown as { __pageMessages?: unknown[] }).__pageMessages ?? null), undefined);
    expect(heard).not.toBe('null');
    expect(heard).not.toContain(runtimeId(h));
    expect(heard).not.toContain('content-script-started');
    await page.close();
  });

  it("cannot switch the controls off with WXT's start event", async () => {
    const orderNo = SCENARIOS.intercept;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    const id = runtimeId(h);
    // The id may be known anyway (a store extension's id is public): the page sends WXT's
    // "a newer copy started" event itself, on the document and as a window message.
    await page.evaluate((name) => {
      for (const messageId of ['page', '', undefined]) {
        document.dispatchEvent(new CustomEvent(name, { detail: { contentScriptName: 'content', messageId } }));
      }
      window.postMessage({ type: name, contentScriptName: 'content', messageId: 'page' }, '*');
    }, `${id}:content:wxt:content-script-started`);
    await sleep(1000);
    expect(await controlCount(page, orderNo)).toBe(1);
    // Still working: the agent's stop goes through the same control.
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'intercepting');
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    await page.close();
  });
});
