/**
 * Firefox only. Firefox's MV3 background is an event page, not a service worker: it unloads after
 * `extensions.background.idle.timeout` (30 s by default) and an alarm starts it again. Chrome's
 * worker dies the same way, and the two-browser story `lifecycle.test.ts` stops either on demand;
 * this one lets Firefox unload the page by itself, as it does all day on an agent's machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { eventually, openPortalPage, stopFromPage, waitForControlState } from '../driver';
import { FirefoxHarness } from '../firefox-harness';

const STOP = '/stopTicket.do';

describe('[firefox] the event page', () => {
  let h: FirefoxHarness;
  beforeAll(async () => {
    h = await FirefoxHarness.launch({ backgroundIdleMs: 3000, settings: { firstCheckSeconds: 12, recheckSeconds: 2 } });
  });
  afterAll(() => h?.close());

  it('unloads while the order waits; the alarm starts it again and the outcome arrives, once', async () => {
    const orderNo = SCENARIOS.issue;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    await stopFromPage(page, orderNo);
    await h.waitForState(orderNo, 'intercepting');
    // Idle for 3 s: Firefox unloads the page by itself (nothing here touches the background).
    await eventually(() => h.backgroundState(), (state) => state === 'stopped', 'the idle event page to unload', 11_000);
    expect((await h.record(orderNo))?.state).toBe('intercepting');
    expect(h.sandbox.callsFor(orderNo, '/queryOrderDetails.do')).toHaveLength(0);

    const record = await h.waitFor(orderNo, (r) => r.state === 'issued' && r.notified === true, 40_000, 'issued and notified');
    expect(record.stopAttempts).toBe(1);
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    await waitForControlState(page, orderNo, 'issued');
    await page.close();
  });

  it('shows the outcome as a notification that cannot be made to stay, and says what happened in it', async () => {
    const orderNo = SCENARIOS.intercept;
    await h.send({ type: 'stop', orderNo });
    await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 40_000, 'intercepted and notified');
    // Firefox lists a notification's text (Chrome lists only ids). Without `requireInteraction`
    // (Firefox rejects it) it goes away by itself: the popup and the page keep the outcome.
    const shown = (await h.notifications())[orderNo];
    expect(shown?.message).toContain(orderNo);
    expect(shown?.title).toBeTruthy();
    expect(h.extensionErrors).toEqual([]);
  });
});
