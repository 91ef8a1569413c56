/**
 * A hostile page script against the control and the settings, in each browser: synthetic clicks and
 * keys, a confirmation clicked by script, a number rewritten under an open confirmation, the
 * credentials looked for everywhere a page script can read, the background talked to directly.
 * (stories/hostile-page.test.ts plays the other attacks: the content script's start event, an
 * invisible overlay, the focus moved to Confirm, a control moved beside another order.)
 */
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import {
  clickButton,
  controlState,
  eventually,
  openPortalPage,
  sleep,
  stopFromPage,
  type DriverPage,
  type ExtensionDriver,
} from '../driver';
import { forgetAllOrders, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';
const SECRET = 'sandbox-secret';
const CLIENT_ID = 'sandbox-client';
const STOP_NAME = /Stop ticketing|停止出票/;
const CONFIRM_NAME = /Confirm|确认/;

/** Everything a page script can read: DOM (open shadow roots too), attributes, window, messages. */
function pageVisibleText(page: DriverPage): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) parts.push(attr.value);
        if (el.shadowRoot) {
          parts.push(el.shadowRoot.innerHTML);
          walk(el.shadowRoot);
        }
      }
    };
    parts.push(document.documentElement.outerHTML);
    walk(document);
    for (const key of Object.getOwnPropertyNames(window)) {
      try {
        const value = (window as unknown as Record<string, unknown>)[key];
        if (typeof value === 'string') parts.push(value);
        else if (value && typeof value === 'object' && !(value instanceof Node) && value !== window) parts.push(JSON.stringify(value));
      } catch {
        // cyclic or not serialisable: not data a script could read as text anyway
      }
    }
    // Every window message the page received (the portal's `?spy=1` listens before any content script).
    parts.push(JSON.stringify((window as unknown as { __pageMessages?: unknown[] }).__pageMessages ?? []));
    parts.push(document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }));
    return parts.join('\n');
  }, undefined);
}

/** How many elements of the control say the text (as a text query finds it: the innermost ones). */
function controlSays(page: DriverPage, host: string, text: string): Promise<number> {
  return page.evaluate(
    ({ host, text }) => {
      const root = document.querySelector(host)?.shadowRoot;
      if (!root) return 0;
      const says = (e: Element) => (e.textContent ?? '').replace(/\s+/g, ' ').includes(text);
      return [...root.querySelectorAll('*')].filter((e) => says(e) && ![...e.children].some(says)).length;
    },
    { host, text },
  );
}

/** Confirm buttons on show anywhere in the page's controls. */
function confirmButtonsShown(page: DriverPage): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('atrip-stop-control')]
        .flatMap((host) => [...(host.shadowRoot?.querySelectorAll('button') ?? [])])
        .filter((b) => /Confirm|确认/.test(b.getAttribute('aria-label') || b.textContent || '') && b.checkVisibility({ visibilityProperty: true })).length,
    undefined,
  );
}

/** `runtime.id` as the extension's scripts see it: Chrome's extension id, Firefox's add-on id. */
function runtimeId(h: ExtensionDriver): string {
  return h.browserName === 'firefox' ? 'stop-ticket@atrip-agents' : new URL(h.extensionOrigin).host;
}

describe(`[${browserName}] a hostile page script`, () => {
  let h: ExtensionDriver;
  let page: DriverPage | undefined;
  launchForBlock((driver) => (h = driver));
  const host = `[data-atrip-order="${SCENARIOS.intercept}"]`;

  beforeEach(async () => {
    h.sandbox.reset();
    await forgetAllOrders(h);
    await page?.close();
    page = await openPortalPage(h, `${h.sandbox.url}/portal/?spy=1#/order/detail/${SCENARIOS.intercept}/en`, SCENARIOS.intercept);
  });
  afterAll(() => page?.close());

  it('cannot stop an order with synthetic clicks or keys', async () => {
    await page!.evaluate((selector) => {
      const control = document.querySelector(selector)!;
      const clickAll = () => {
        for (const button of Array.from(control.shadowRoot!.querySelectorAll('button'))) {
          button.click();
          button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
          button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        }
      };
      clickAll();
      clickAll(); // a confirmation, had one opened, would be clicked here
    }, host);
    await sleep(1500);
    expect(h.sandbox.callsFor(SCENARIOS.intercept, STOP)).toEqual([]);
    expect(await controlState(page!, SCENARIOS.intercept)).toBe('idle');
  });

  it('cannot confirm for the agent after a real first click', async () => {
    await clickButton(page!, { host, name: STOP_NAME });
    await eventually(() => confirmButtonsShown(page!), (n) => n > 0, 'the confirmation');
    await page!.evaluate((selector) => {
      const control = document.querySelector(selector)!;
      for (const button of Array.from(control.shadowRoot!.querySelectorAll('button'))) button.click();
    }, host);
    await sleep(1500);
    expect(h.sandbox.callsFor(SCENARIOS.intercept, STOP)).toEqual([]);
  });

  it('cannot redirect a stop by rewriting the page: an open confirmation closes, and the next one names the number shown', async () => {
    const [original, victim] = [SCENARIOS.intercept, SCENARIOS.issue];
    const first = '[data-atrip-order]'; // the control, whatever number it carries
    // The agent opens the confirmation for the number shown…
    await clickButton(page!, { host: first, name: STOP_NAME });
    await eventually(() => controlSays(page!, first, `Stop ticketing of order ${original}?`), (n) => n > 0, `the question naming ${original}`);
    // …and the page swaps the number (and fakes our attribute) before the agent confirms.
    await page!.evaluate(
      ({ shown, other }) => {
        const control = document.querySelector(`[data-atrip-order="${shown}"]`)!;
        control.setAttribute('data-atrip-order', other);
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.nodeValue?.includes(shown)) node.nodeValue = node.nodeValue.replace(shown, other);
        }
      },
      { shown: original, other: victim },
    );
    // The confirmation for the order that was shown is gone: nothing left to confirm.
    await eventually(() => confirmButtonsShown(page!), (n) => n === 0, 'no confirmation left', 10_000);
    // The control now stands for the number the page shows, and asks again, naming it.
    expect(await page!.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-atrip-order'), first)).toBe(victim);
    await clickButton(page!, { host: first, name: STOP_NAME });
    // (The trusted click's input may reach the page after the driver's call returns: wait, then count.)
    await eventually(() => confirmButtonsShown(page!), (n) => n > 0, 'the confirmation');
    expect(await controlSays(page!, first, `Stop ticketing of order ${victim}?`)).toBe(1);
    await clickButton(page!, { host: first, name: /Cancel|取消/ });
    await sleep(1000);
    expect(h.sandbox.requests.filter((r) => r.path.endsWith(STOP))).toEqual([]);
  });

  it('finds neither the client id nor the secret anywhere, before or after a stop', async () => {
    expect(await pageVisibleText(page!)).not.toMatch(new RegExp(`${SECRET}|${CLIENT_ID}`));
    await stopFromPage(page!, SCENARIOS.intercept);
    await h.waitForState(SCENARIOS.intercept, 'intercepted', 20_000);
    await sleep(500);
    expect(h.sandbox.callsFor(SCENARIOS.intercept, STOP)).toHaveLength(1);
    const text = await pageVisibleText(page!);
    expect(text).toContain(SCENARIOS.intercept); // it did read the page
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CLIENT_ID);
  });

  it('cannot talk to the background itself', async () => {
    // Chromium gives pages `chrome.runtime.sendMessage` (for extensions that accept pages'
    // messages: ours does not); Firefox gives web pages no `chrome` (nor `browser`) at all.
    const outcome = await page!.evaluate(async (extensionId) => {
      const runtime = (window as unknown as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => Promise<unknown> } } }).chrome?.runtime;
      if (!runtime?.sendMessage) return 'no runtime messaging';
      try {
        return JSON.stringify(await runtime.sendMessage(extensionId, { type: 'stop', orderNo: 'TESTA20261126090000002' }));
      } catch (error) {
        return `rejected: ${String(error)}`;
      }
    }, runtimeId(h));
    expect(outcome).toMatch(browserName === 'firefox' ? /^no runtime messaging$/ : /no runtime messaging|rejected/);
    await sleep(500);
    expect(h.sandbox.requests).toEqual([]);
  });
});
