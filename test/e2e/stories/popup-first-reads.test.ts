/**
 * The popup's first storage reads, in each browser: a small classic script in popup.html's head
 * (entrypoints/popup-early.ts) sends them before the popup's module graph evaluates, and the order
 * store takes them over (the key list, the first render's read and the changes seen meanwhile)
 * and shows the stored orders. The extension's CSP (`script-src 'self'`) lets the script run in both browsers; the
 * options page, which has no such script, reads its settings as before.
 */
import { describe, expect, inject, it } from 'vitest';
import { eventually, openOptions, popupRows, type DriverPage } from '../driver';
import { launchDriver } from '../launch';
import { expectNoExtensionErrors } from './story-helpers';
import { seededOrder, seedRecords } from '../../../bench/popup';
import { APP_START_MARK, READS_LEFT_MARK } from '../../../utils/popup/logic/marks';

const browserName = inject('e2eBrowser');
/** Seeded orders: 1 in 10 in progress (seedRecords), 30 rows once every record is read. */
const ORDERS = 100;

/** What the page says of its early reads once the popup shows every row. */
function earlyReport(marks: { left: string; app: string }) {
  // No named inner function: the page gets this function's text.
  const early = globalThis.atripPopupEarlyReads;
  const [readsLeftAt, appStartAt] = [marks.left, marks.app].map((name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null);
  return {
    ran: early !== undefined,
    readsLeftAt,
    appStartAt,
    // Taken by the order store: the key list and the first render's read, and the listener stopped.
    keysLeft: early ? 'keys' in early : null,
    batchesLeft: early?.batches?.length ?? null,
    stillListening: early ? early.stopListening !== undefined : null,
    rows: document.querySelectorAll('[data-order-no]').length,
  };
}

describe(`[${browserName}] popup: the first reads leave before its module graph`, () => {
  it('starts them from the classic script, hands them to the store, and shows every order', async () => {
    const h = await launchDriver(browserName, { settings: { firstCheckSeconds: 600, recheckSeconds: 600, deadlineMinutes: 30 } });
    const pages: DriverPage[] = [];
    const open = async (file: string) => {
      const page = await h.openExtensionPage(file);
      pages.push(page);
      return page;
    };
    try {
      const seeding = await open('options.html');
      await seeding.evaluate((items) => chrome.storage.local.set(items), seedRecords(ORDERS));
      // The first open's view hint (if any) knows none of them: it reads every record, and leaves the hint for the next.
      const first = await open('popup.html');
      await eventually(() => popupRows(first), (rows) => rows.length === 30, 'the first open’s 30 rows', 20_000);
      await eventually(() => first.evaluate(() => document.querySelector('main.popup[aria-busy="false"]') !== null, undefined), Boolean, 'every record read');
      const popup = await open('popup.html');
      await eventually(() => popup.evaluate(() => document.querySelector('main.popup[aria-busy="false"]') !== null, undefined), Boolean, 'every record read');
      const report = await popup.evaluate(earlyReport, { left: READS_LEFT_MARK, app: APP_START_MARK });
      expect(report).toMatchObject({ ran: true, keysLeft: false, batchesLeft: 0, stillListening: false, rows: 30 });
      expect(report.readsLeftAt).not.toBeNull();
      expect(report.appStartAt).not.toBeNull();
      expect(report.readsLeftAt!).toBeLessThan(report.appStartAt!);
      const rows = await popupRows(popup);
      // Newest first: the 10 orders in progress, then the 20 newest finished ones (seedRecords' order).
      expect(rows.slice(0, 2).map((r) => [r.orderNo, r.state])).toEqual([
        [seededOrder(1), 'intercepting'],
        [seededOrder(11), 'intercepting'],
      ]);
      expect(rows.filter((r) => r.state === 'intercepting')).toHaveLength(10);
      expect(await popup.evaluate(() => [...document.querySelectorAll('.orders h2 .count')].map((c) => c.textContent), undefined)).toEqual(['(10)', '(90)']);
      // The options page has no early script, and shows the stored settings as before.
      const options = await openOptions(h);
      pages.push(options);
      expect(await options.evaluate(() => globalThis.atripPopupEarlyReads === undefined, undefined)).toBe(true);
      expect(await options.evaluate(() => (document.querySelector<HTMLInputElement>('input[name="firstCheckSeconds"]')?.value ?? ''), undefined)).toBe('600');
      expect([...first.errors(), ...popup.errors(), ...options.errors()]).toEqual([]);
      await expectNoExtensionErrors(h);
    } finally {
      for (const page of pages) await page.close().catch(() => undefined);
      await h.close();
    }
  }, 90_000);
});
