import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness } from './harness';
import { SCENARIOS } from '../sandbox/catalogue';

const STOP = '/stopTicket.do';
const SECRET = 'sandbox-secret';
const CLIENT_ID = 'sandbox-client';

/** Everything a page script can read: DOM (open shadow roots too), attributes, window, messages. */
async function pageVisibleText(page: Page): Promise<string> {
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
    parts.push(JSON.stringify((window as unknown as { __messages?: unknown[] }).__messages ?? []));
    parts.push(document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }));
    return parts.join('\n');
  });
}

describe('a hostile page script', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await Harness.launch();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    h.sandbox.reset();
    await page?.close();
    page = await h.context.newPage();
    // Record every postMessage the page could receive.
    await page.addInitScript(() => {
      const store: unknown[] = ((window as unknown as { __messages: unknown[] }).__messages = []);
      window.addEventListener('message', (event) => store.push(event.data), true);
    });
    await page.goto(`${h.sandbox.url}/portal/#/order/detail/${SCENARIOS.intercept}/en`);
    await page.locator(`[data-atrip-order="${SCENARIOS.intercept}"]`).first().waitFor();
  });

  it('cannot stop an order with synthetic clicks or keys', async () => {
    await page.evaluate((orderNo) => {
      const host = document.querySelector(`[data-atrip-order="${orderNo}"]`)!;
      const clickAll = () => {
        for (const button of Array.from(host.shadowRoot!.querySelectorAll('button'))) {
          button.click();
          button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
          button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        }
      };
      clickAll();
      clickAll(); // a confirmation, had one opened, would be clicked here
    }, SCENARIOS.intercept);
    await page.waitForTimeout(1500);
    expect(h.sandbox.callsFor(SCENARIOS.intercept, STOP)).toEqual([]);
    expect(await page.locator(`[data-atrip-order="${SCENARIOS.intercept}"]`).first().getAttribute('data-state')).toBe('idle');
  });

  it('cannot confirm for the agent after a real first click', async () => {
    const control = page.locator(`[data-atrip-order="${SCENARIOS.intercept}"]`).first();
    await control.getByRole('button', { name: /Stop ticketing|停止出票/ }).click();
    await control.getByRole('button', { name: /Confirm|确认/ }).waitFor();
    await page.evaluate((orderNo) => {
      const host = document.querySelector(`[data-atrip-order="${orderNo}"]`)!;
      for (const button of Array.from(host.shadowRoot!.querySelectorAll('button'))) button.click();
    }, SCENARIOS.intercept);
    await page.waitForTimeout(1500);
    expect(h.sandbox.callsFor(SCENARIOS.intercept, STOP)).toEqual([]);
  });

  it('cannot redirect a stop by rewriting the page: an open confirmation closes, and the next one names the number shown', async () => {
    const [original, victim] = [SCENARIOS.intercept, SCENARIOS.issue];
    const control = page.locator(`[data-atrip-order]`).first();
    // The agent opens the confirmation for the number shown…
    await control.getByRole('button', { name: /Stop ticketing|停止出票/ }).click();
    await control.getByText(`Stop ticketing of order ${original}?`).waitFor();
    // …and the page swaps the number (and fakes our attribute) before the agent confirms.
    await page.evaluate(
      ({ shown, other }) => {
        const host = document.querySelector(`[data-atrip-order="${shown}"]`)!;
        host.setAttribute('data-atrip-order', other);
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.nodeValue?.includes(shown)) node.nodeValue = node.nodeValue.replace(shown, other);
        }
      },
      { shown: original, other: victim },
    );
    // The confirmation for the order that was shown is gone: nothing left to confirm.
    await expect.poll(() => page.getByRole('button', { name: /Confirm|确认/ }).count(), { timeout: 10_000 }).toBe(0);
    // The control now stands for the number the page shows, and asks again, naming it.
    expect(await control.getAttribute('data-atrip-order')).toBe(victim);
    await control.getByRole('button', { name: /Stop ticketing|停止出票/ }).click();
    expect(await control.getByText(`Stop ticketing of order ${victim}?`).count()).toBe(1);
    await control.getByRole('button', { name: /Cancel|取消/ }).click();
    await page.waitForTimeout(1000);
    expect(h.sandbox.requests.filter((r) => r.path.endsWith(STOP))).toEqual([]);
  });

  it('finds neither the client id nor the secret anywhere, before or after a stop', async () => {
    expect(await pageVisibleText(page)).not.toMatch(new RegExp(`${SECRET}|${CLIENT_ID}`));
    const control = page.locator(`[data-atrip-order="${SCENARIOS.intercept}"]`).first();
    await control.getByRole('button', { name: /Stop ticketing|停止出票/ }).click();
    await control.getByRole('button', { name: /Confirm|确认/ }).click();
    await h.waitForState(SCENARIOS.intercept, 'intercepted', 20_000);
    await page.waitForTimeout(500);
    expect(h.sandbox.callsFor(SCENARIOS.intercept, STOP)).toHaveLength(1);
    const text = await pageVisibleText(page);
    expect(text).toContain(SCENARIOS.intercept); // it did read the page
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CLIENT_ID);
  });

  it('cannot talk to the background itself', async () => {
    const outcome = await page.evaluate(async (extensionId) => {
      const runtime = (window as unknown as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => Promise<unknown> } } }).chrome?.runtime;
      if (!runtime?.sendMessage) return 'no runtime messaging';
      try {
        return JSON.stringify(await runtime.sendMessage(extensionId, { type: 'stop', orderNo: 'TESTA20261126090000002' }));
      } catch (error) {
        return `rejected: ${String(error)}`;
      }
    }, h.extensionId);
    expect(outcome).toMatch(/no runtime messaging|rejected/);
    await page.waitForTimeout(500);
    expect(h.sandbox.requests).toEqual([]);
  });
});
