/**
 * What one change of one order costs with 1,000 stored records: in the background (the record's
 * write, the in-progress index, the toolbar badge) and in an open popup (its lists). Counts the
 * `storage.local.get` calls each side makes for the change, and how much they read.
 */
import type { Page } from 'playwright-core';
import type { Harness } from '../test/e2e/harness';
import { replaceOrders, seedRecords, seededInProgress, seededOrder } from './popup';
import { until } from './lib/stats';

export interface ChangeSample {
  /** ms from the change (the record's read-modify-write begins / the record written) to its effect (badge set / lists redrawn). */
  ms: number;
  /** Background only: ms from the message sent to the badge set (the message handling included). */
  messageMs?: number;
  /** `storage.local.get` calls made for the change, and the JSON size of what they returned. */
  reads: number;
  readBytes: number;
  /** Whether any of them read the whole store (`get(null)`). */
  readAll: boolean;
}

/** Wraps `storage.local.get` of a context (worker or page): every call counted with what it returned. */
function installReadSpy() {
  type Read = { at: number; keys: string[] | null; bytes: number };
  const g = globalThis as unknown as { __reads?: Read[]; chrome: typeof chrome; browser?: typeof chrome };
  if (g.__reads) return;
  const reads: Read[] = (g.__reads = []);
  for (const area of new Set([g.chrome.storage.local, g.browser?.storage?.local].filter(Boolean))) {
    const get = area!.get.bind(area) as (keys?: unknown) => Promise<Record<string, unknown>>;
    (area as unknown as { get: unknown }).get = async (keys?: unknown) => {
      const at = Date.now();
      const result = await get(keys);
      const named = keys === null || keys === undefined ? null : typeof keys === 'object' && !Array.isArray(keys) ? Object.keys(keys) : [keys].flat().map(String);
      reads.push({ at, keys: named, bytes: JSON.stringify(result).length });
      return result;
    };
  }
}

/** 1,000 records seeded, then a fresh background: its one reconcile re-derives the in-progress index from them. */
async function seedAndRestart(h: Harness, count: number) {
  await replaceOrders(h, seedRecords(count));
  await h.killWorker();
  await h.send({ type: 'isConfigured' }); // wakes a fresh worker
  const inProgress = seededInProgress(count);
  await until(
    async () => {
      const text = await (await h.worker()).evaluate(() => chrome.action.getBadgeText({})).catch(() => undefined);
      return text === String(inProgress) ? true : undefined;
    },
    60_000,
    `the badge at ${inProgress}`,
    100,
  );
}

/**
 * The background: an order in progress removed from the popup (`remove` message) — its record
 * deleted, the index updated, the badge set again. Time from the message to the badge call.
 */
export async function badgeChangeRun(h: Harness, count: number, repeats: number): Promise<{ samples: ChangeSample[]; fullRead: ChangeSample[] }> {
  await seedAndRestart(h, count);
  const worker = await h.worker();
  await worker.evaluate(`(${installReadSpy.toString()})()`);
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __badgeAt?: number };
    const action = chrome.action as unknown as { setBadgeText: (d: { text: string }) => Promise<void> };
    const set = action.setBadgeText.bind(chrome.action);
    action.setBadgeText = (details) => {
      g.__badgeAt = Date.now();
      return set(details);
    };
  });
  const page: Page = await h.extensionPage('options.html');
  const samples: ChangeSample[] = [];
  try {
    // One warm-up, then `repeats`: each removes another seeded order in progress (1 in 10 is).
    for (let i = 0; i <= repeats; i++) {
      const orderNo = seededOrder(1 + i * 10);
      await worker.evaluate(() => {
        const g = globalThis as unknown as { __reads: unknown[]; __badgeAt?: number };
        g.__reads.length = 0;
        g.__badgeAt = undefined;
      });
      const sentAt = await page.evaluate(async (no) => {
        const at = Date.now();
        await chrome.runtime.sendMessage({ type: 'remove', orderNo: no });
        return at;
      }, orderNo);
      const badgeAt = await until(() => worker.evaluate(() => (globalThis as unknown as { __badgeAt?: number }).__badgeAt), 30_000, 'the badge call', 20);
      await new Promise((r) => setTimeout(r, 200)); // reads still under way for this change
      const all = await worker.evaluate(() => (globalThis as unknown as { __reads: { at: number; keys: string[] | null; bytes: number }[] }).__reads);
      // The change begins with the read of its record (before it: the message's own handling, the sender check).
      const start = all.findIndex((r) => r.keys?.includes(`order:${orderNo}`));
      if (start < 0) throw new Error(`the worker never read order:${orderNo}`);
      const reads = all.slice(start);
      if (i > 0) {
        samples.push({
          ms: badgeAt - reads[0]!.at,
          messageMs: badgeAt - sentAt,
          reads: reads.length,
          readBytes: reads.reduce((n, r) => n + r.bytes, 0),
          readAll: reads.some((r) => r.keys === null),
        });
      }
    }
    // What every change cost before the index: one read of the whole store, in the same worker.
    const fullRead: ChangeSample[] = [];
    for (let i = 0; i <= repeats; i++) {
      const sample = await worker.evaluate(async () => {
        const started = performance.now();
        const all = await chrome.storage.local.get(null);
        return { ms: performance.now() - started, reads: 1, readBytes: JSON.stringify(all).length, readAll: true };
      });
      if (i > 0) fullRead.push(sample);
    }
    return { samples, fullRead };
  } finally {
    await page.close();
  }
}

/**
 * An open popup with every record read: one record rewritten (an order in progress becomes
 * intercepted, as its check would write it) → both lists redrawn (the section counts moved). Time
 * in the popup from the write to that; its reads meanwhile.
 */
export async function popupChangeRun(h: Harness, count: number, repeats: number): Promise<ChangeSample[]> {
  await seedAndRestart(h, count);
  const page: Page = await h.extensionPage('popup.html');
  const samples: ChangeSample[] = [];
  try {
    await until(
      () => page.evaluate((want) => ([...document.querySelectorAll('.orders h2 .count')].map((e) => e.textContent).join(' ') === want ? true : undefined), `(${seededInProgress(count)}) (${count - seededInProgress(count)})`),
      60_000,
      'every order counted in the popup',
      50,
    );
    await page.evaluate(`(${installReadSpy.toString()})()`);
    for (let i = 0; i <= repeats; i++) {
      const orderNo = seededOrder(1 + i * 10); // in progress (1 in 10)
      const counts = `(${seededInProgress(count) - i - 1}) (${count - seededInProgress(count) + i + 1})`;
      const sample = await page.evaluate(async ({ no, counts }) => {
        const g = globalThis as unknown as { __reads: { keys: string[] | null; bytes: number }[] };
        const key = `order:${no}`;
        const record = (await chrome.storage.local.get(key))[key] as Record<string, unknown>;
        g.__reads.length = 0;
        const now = Date.now();
        const changed = { ...record, state: 'intercepted', finishedAt: now, nextCheckAt: undefined, nextStep: undefined, orderStatus: '-3', notified: true };
        const done = new Promise<number>((resolve) => {
          // Both lists redrawn: the order left "In progress" for "Finished" (its row may be behind "Show more").
          const observer = new MutationObserver(() => {
            if ([...document.querySelectorAll('.orders h2 .count')].map((e) => e.textContent).join(' ') === counts) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
        });
        const started = performance.now();
        await chrome.storage.local.set({ [key]: changed });
        const shown = await done;
        await new Promise((r) => setTimeout(r, 100));
        return { ms: shown - started, reads: g.__reads.length, readBytes: g.__reads.reduce((n, r) => n + r.bytes, 0), readAll: g.__reads.some((r) => r.keys === null) };
      }, { no: orderNo, counts });
      if (i > 0) samples.push(sample);
    }
    return samples;
  } finally {
    await page.close();
  }
}
