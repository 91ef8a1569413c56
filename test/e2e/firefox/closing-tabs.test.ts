/**
 * Firefox only (the Chromium harness does not read the browser's error log). Agents open, switch
 * and close portal tabs all day; Firefox still delivers IntersectionObserver reports to a closing
 * tab, where reading `innerHeight` throws `NS_ERROR_UNEXPECTED`. CI met that error once in every
 * few full runs (right-tab.test.ts), on a busy machine; this churns tabs with one core kept busy,
 * which shows it in every run here without the fix (`utils/content/viewport.ts` drops such a report).
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { openPortalPage, stopFromPage } from '../driver';
import { FirefoxHarness } from '../firefox-harness';

const ROUNDS = 15;

/** One core kept busy, as on an agent's loaded laptop (or CI's shared machine), until terminated. */
const busyCore = () => new Worker('for (;;);', { eval: true });

describe('[firefox] portal tabs that come and go', () => {
  let h: FirefoxHarness;
  beforeAll(async () => {
    h = await FirefoxHarness.launch();
  });
  afterAll(() => h?.close());

  it('tabs with controls brought forward by the extension and closed at once raise no error of the extension', async () => {
    const orderNo = SCENARIOS.issue;
    const list = `${h.sandbox.url}/portal/#/order/list`;
    const first = await openPortalPage(h, list, orderNo);
    await stopFromPage(first, orderNo);
    await h.waitFor(orderNo, (r) => r.state === 'issued' && r.notified === true, 30_000, 'issued and notified');
    const detail = `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`;
    const busy = busyCore();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const tabs = [await h.openPage(detail), await h.openPage(list)];
        // The popup's Open and a notification click: the order's tab comes forward, twice.
        await h.send({ type: 'openOrder', orderNo });
        await h.send({ type: 'openOrder', orderNo });
        tabs.push(await h.openPage(list));
        await Promise.all(tabs.map((tab) => tab.close()));
        await new Promise((resolve) => setTimeout(resolve, 50 * (round % 5)));
      }
    } finally {
      await busy.terminate();
    }
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // errors of the last closes reach the log
    expect(h.extensionErrors).toEqual([]);
  });
});
