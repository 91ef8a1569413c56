/**
 * A hostile page (or a script injected into the portal) against the extension, in each browser
 * (issue 13): what it tries, and that it achieves nothing. Every case here failed on the code
 * before issue 13.
 */
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import {
  clickButton,
  controlCount,
  controlHost,
  controlState,
  hasButton,
  openPortalPage,
  sleep,
  stopFromPage,
  waitForControlState,
  type DriverPage,
  type ExtensionDriver,
} from '../driver';
import { forgetAllOrders, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';

const STOP_NAME = /Stop ticketing|停止出票/;
const CONFIRM_NAME = /Confirm|确认/;

/** The text of the control's alert (a refused activation explains itself), or ''. */
function alertText(page: DriverPage, orderNo: string): Promise<string> {
  return page.evaluate(
    (selector) => document.querySelector(selector)?.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '',
    controlHost(orderNo),
  );
}

/** `runtime.id` as the extension's scripts see it: Chrome's extension id, Firefox's add-on id. */
function runtimeId(h: ExtensionDriver): string {
  return h.browserName === 'firefox' ? 'stop-ticket@atrip-agents' : new URL(h.extensionOrigin).host;
}

describe(`[${browserName}] a hostile page`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver));
  beforeEach(async () => {
    h.sandbox.clearRequests();
    // Every case starts from untracked orders: an attack that worked must not hide the next one.
    await forgetAllOrders(h);
  });

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

  it('cannot turn the next two ordinary clicks into Stop and Confirm by making the control an invisible overlay', async () => {
    const orderNo = SCENARIOS.intercept;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    const host = controlHost(orderNo);
    await page.evaluate((selector) => {
      const control = document.querySelector<HTMLElement>(selector)!;
      control.style.cssText = 'position: fixed; inset: 0; opacity: 0; z-index: 2147483647';
    }, host);
    // The agent clicks twice where the page wanted them to (on the invisible buttons).
    await clickButton(page, { host, name: STOP_NAME });
    await sleep(700);
    if (await hasButton(page, { host, name: CONFIRM_NAME })) await clickButton(page, { host, name: CONFIRM_NAME });
    await sleep(1500);
    expect(h.sandbox.callsFor(orderNo, STOP)).toEqual([]);
    expect(await controlState(page, orderNo)).toBe('idle');
    // Refused, and said so where the agent can see it (the control's own look is the page's now).
    expect(await alertText(page, orderNo)).toMatch(/hidden|covered|隐藏|遮挡/);
    await page.close();
  });

  it('cannot confirm for the agent by moving the focus to Confirm before the agent presses Enter', async () => {
    const orderNo = SCENARIOS.intercept;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    const host = controlHost(orderNo);
    await clickButton(page, { host, name: STOP_NAME });
    await sleep(700);
    const focused = await page.evaluate((selector) => {
      const button = [...document.querySelector(selector)!.shadowRoot!.querySelectorAll('button')].find((b) =>
        /Confirm|确认/.test(b.getAttribute('aria-label') || b.textContent || ''),
      );
      button?.focus();
      return document.querySelector(selector)!.shadowRoot!.activeElement === button && button !== undefined;
    }, host);
    expect(focused).toBe(true);
    await page.press('Enter');
    await sleep(1500);
    expect(h.sandbox.callsFor(orderNo, STOP)).toEqual([]);
    expect(await controlState(page, orderNo)).toBe('idle');
    await page.close();
  });

  it('cannot make the agent stop one order from beside another by moving its control there', async () => {
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, SCENARIOS.intercept);
    const [moved, beside] = [SCENARIOS.intercept, SCENARIOS.issue];
    await page.evaluate(
      ({ movedHost, besideHost }) => {
        const control = document.querySelector(movedHost)!;
        const other = document.querySelector(besideHost)!;
        // Placement only: every text of the page stays as it was.
        other.parentNode!.insertBefore(control, other.nextSibling);
        other.remove();
      },
      { movedHost: controlHost(moved), besideHost: controlHost(beside) },
    );
    await clickButton(page, { host: controlHost(moved), name: STOP_NAME });
    await sleep(700);
    if (await hasButton(page, { host: controlHost(moved), name: CONFIRM_NAME })) {
      await clickButton(page, { host: controlHost(moved), name: CONFIRM_NAME });
    }
    await sleep(1500);
    expect(h.sandbox.callsFor(moved, STOP)).toEqual([]);
    expect(h.sandbox.callsFor(beside, STOP)).toEqual([]);
    await page.close();
  });
});
