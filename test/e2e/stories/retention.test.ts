/**
 * Retention, in each browser: finished orders decided longer ago than `retentionDays` leave
 * storage (and the popup) when the background starts; orders in progress and recent ones stay.
 * The badge counts the orders in progress from the index the same start re-derives.
 */
import { describe, expect, inject, it } from 'vitest';
import { eventually, popupRows, type DriverPage } from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors } from './story-helpers';

const browserName = inject('e2eBrowser');
const DAY = 86_400_000;
/** Not sandbox orders: nothing here calls the API. */
const no = (n: number) => `TESTR20261126${String(n).padStart(9, '0')}`;

/** A valid stored record (utils/shared/logic/record.ts), finished `daysAgo` days ago, or in progress. */
function seeded(n: number, state: string, daysAgo: number, now: number) {
  const decidedAt = now - daysAgo * DAY;
  const base = {
    version: 2,
    orderNo: no(n),
    state,
    runId: `seed-${n}`,
    requestedAt: decidedAt - 600_000,
    acceptedAt: decidedAt - 599_000,
    stopAttempts: 1,
    uncertainSends: 0,
    checks: 1,
    failures: 0,
    notified: true,
    history: [],
  };
  return state === 'intercepting'
    ? { ...base, notified: false, nextStep: 'check', nextCheckAt: now + 3_600_000 }
    : { ...base, finishedAt: decidedAt, orderStatus: state === 'intercepted' ? '-3' : '2' };
}

describe(`[${browserName}] retention`, () => {
  it('a background start removes finished orders older than retentionDays, never one in progress', async () => {
    const h = await launchDriver(browserName, { settings: { retentionDays: 7 } });
    let popup: DriverPage | undefined;
    try {
      const now = Date.now();
      const records = [
        seeded(1, 'intercepted', 8, now), // past the period
        seeded(2, 'issued', 45, now), // past the period
        seeded(3, 'intercepted', 6, now), // within
        seeded(4, 'issued', 0.5, now), // within
        seeded(5, 'intercepting', 60, now), // in progress, stopped 60 days ago: stays
      ];
      const page = await h.openExtensionPage('popup.html');
      await page.evaluate((items) => chrome.storage.local.set(items), Object.fromEntries(records.map((r) => [`order:${r.orderNo}`, r])));
      await page.close();
      // The next start of the background (Chrome's worker, Firefox's event page) reconciles, and prunes.
      await h.stopBackground();
      expect((await h.send({ type: 'isConfigured' })).ok).toBe(true);
      const left = await eventually(
        async () => (await h.records()).map((r) => r.orderNo).sort(),
        (orders) => orders.length === 3,
        'three orders left',
        20_000,
      );
      expect(left).toEqual([no(3), no(4), no(5)]);
      // The daily prune is scheduled; the badge counts the one order in progress (from the re-derived index).
      expect((await h.alarms()).map((a) => a.name)).toContain('prune');
      await eventually(() => h.inBackground((bg) => bg.chrome.action.getBadgeText({}), undefined), (text) => text === '1', 'the badge at 1');
      popup = await h.openExtensionPage('popup.html');
      const rows = await eventually(() => popupRows(popup!), (r) => r.length === 3, 'three popup rows');
      expect(rows.map((r) => r.orderNo).sort()).toEqual(left);
      await expectNoExtensionErrors(h);
    } finally {
      await popup?.close();
      await h.close();
    }
  }, 90_000);
});
