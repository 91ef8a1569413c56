/** Popup first render with N tracked orders seeded straight into `chrome.storage.local`. */
import type { BrowserContext, Page } from 'playwright-core';
import type { Harness } from '../test/e2e/harness';
import { trackedOrderSchema, type TrackedOrder } from '../utils/shared/logic/record';
import { FIRST_FINISHED, FIRST_VIEW, HINT_KEY } from '../utils/popup/logic/view-hint';
import { until } from './lib/stats';

/** 5 letters + 17 digits, none of them a sandbox order (the portal never shows them). */
export const seededOrder = (n: number) => `TESTP20261126${String(n).padStart(9, '0')}`;

const FINAL = ['intercepted', 'issued', 'refused', 'unknown', 'error'] as const;

/** Of `count` seeded records, those in progress (1 in 10, see seedRecords). */
export const seededInProgress = (count: number) => Math.ceil(count / 10);

/**
 * The rows the agent sees when the popup first renders, for `count` seeded records, in the order the
 * popup lists them: the orders in progress, newest first, then the newest finished ones; FIRST_VIEW
 * of them, more than a 600 px popup shows (the rest is drawn right after: `fullListRows`).
 */
export function firstScreenOrders(count: number): string[] {
  const inProgress: string[] = [];
  const finished: string[] = [];
  // seedRecords: record i is requested i minutes ago (i = 0 the newest), 1 in 10 in progress.
  for (let i = 0; i < count; i++) (i % 10 === 0 ? inProgress : finished).push(seededOrder(i + 1));
  return [...inProgress, ...finished].slice(0, FIRST_VIEW);
}

export const firstScreenRows = (count: number) => firstScreenOrders(count).length;

/** The rows once every record is read: every order in progress, the newest FIRST_FINISHED finished ones (the rest behind "Show more"). */
export function fullListRows(count: number): number {
  const inProgress = seededInProgress(count);
  return inProgress + Math.min(count - inProgress, FIRST_FINISHED);
}

/** N valid records (utils/shared/logic/record.ts): 1 in 10 still `intercepting` (live countdown), the rest final. */
export function seedRecords(count: number, now = Date.now()): Record<string, TrackedOrder> {
  const out: Record<string, TrackedOrder> = {};
  for (let i = 0; i < count; i++) {
    const orderNo = seededOrder(i + 1);
    const requestedAt = now - (i + 1) * 60_000;
    const acceptedAt = requestedAt + 400;
    const base = {
      version: 2 as const,
      orderNo,
      runId: `bench-${i}`,
      pageUrl: `https://www.atriptech.com/#/order/detail/${orderNo}/zh`,
      requestedAt,
      acceptedAt,
      stopAttempts: 1,
      uncertainSends: 0,
      checks: 0,
      failures: 0,
      lastStatus: 0,
      lastMessage: 'We are trying to intercept the ticket issuance. Please check the order status for result after 8 minutes',
      notified: true,
      history: [
        { at: requestedAt, step: 'start' as const, decision: { kind: 'send' as const, at: requestedAt } },
        { at: acceptedAt, step: 'stop' as const, status: 0, reading: 'accepted' as const, decision: { kind: 'check' as const, at: acceptedAt + 480_000 } },
      ],
    };
    const record: TrackedOrder =
      i % 10 === 0
        ? { ...base, state: 'intercepting', notified: false, nextCheckAt: now + 3_600_000 }
        : (() => {
            const state = FINAL[i % FINAL.length]!;
            const finishedAt = acceptedAt + 480_000;
            return {
              ...base,
              state,
              finishedAt,
              lastCheckAt: finishedAt,
              checks: 1,
              orderStatus: state === 'intercepted' ? '-3' : state === 'issued' ? '2' : '1',
              ...(state === 'error' && { failure: { kind: 'timeout' as const, afterMs: 15_000 } }),
              history: [...base.history, { at: finishedAt, step: 'check' as const, status: 0, decision: { kind: 'final' as const, state } }],
            };
          })();
    out[`order:${orderNo}`] = trackedOrderSchema.parse(record);
  }
  return out;
}

export async function replaceOrders(h: Harness, records: Record<string, TrackedOrder>) {
  const page = await h.extensionPage('options.html');
  try {
    await page.evaluate(async (items) => {
      const all = await chrome.storage.local.get(null);
      await chrome.storage.local.remove(Object.keys(all).filter((k) => k.startsWith('order:')));
      await chrome.storage.local.set(items);
    }, records);
  } finally {
    await page.close();
  }
}

/**
 * In the popup page: the first moment `[data-order-no]` rows number `target` (with 0: the first
 * element rendered into `#app`), in ms since navigation start. `forget=1`: the popup's view hint is
 * removed first, as on the first open after install (then it reads every record before rendering).
 */
function installRowProbe(hintKey: string) {
  const w = window as unknown as { __rowsAt?: number; __rowTarget: number; __firstRows?: string[] };
  const params = new URLSearchParams(location.search);
  const target = Number(params.get('benchRows'));
  if (params.get('forget') === '1') localStorage.removeItem(hintKey);
  w.__rowTarget = target;
  const observer = new MutationObserver(() => {
    const done = target > 0 ? document.querySelectorAll('[data-order-no]').length >= target : !!document.getElementById('app')?.firstElementChild;
    if (done) {
      w.__rowsAt = performance.now();
      w.__firstRows = [...document.querySelectorAll('[data-order-no]')].slice(0, target).map((row) => row.getAttribute('data-order-no')!);
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * When the agent first sees what was in the DOM at `at`: the page's first contentful paint (Paint
 * Timing), which comes after the DOM work of its task and of the tasks before the browser's next
 * frame; when that paint came before `at` (a frame before the rows), `at` itself (a lower bound:
 * the API dates only the first paint). ms since navigation start.
 */
async function firstPaintWith(page: Page, at: number): Promise<number> {
  const fcp = await until(
    () => page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime),
    10_000,
    'first contentful paint',
    20,
  );
  return Math.max(fcp, at);
}

/**
 * One open of an extension page in a new tab of `context` until `target` `[data-order-no]` rows are in
 * its DOM (0: until `#app` has its first element); ms since navigation start, and the rows' order
 * numbers at that moment. The popup's probe, also used for the bare pages of the floor (bench/floor.ts).
 */
export async function openTimed(context: BrowserContext, url: string, target: number, { forget = false } = {}): Promise<{ at: number; paintAt: number; first: string[]; page: Page }> {
  const page: Page = await context.newPage();
  try {
    // tsx wraps named inner functions in `__name(...)`, which the page lacks (see asInitScript).
    await page.addInitScript(`(() => { const __name = (f) => f; (${installRowProbe.toString()})(${JSON.stringify(HINT_KEY)}); })();`);
    await page.goto(`${url}?benchRows=${target}${forget ? '&forget=1' : ''}`);
    const at = await until(() => page.evaluate(() => (window as unknown as { __rowsAt?: number }).__rowsAt), 60_000, `${target} rows in ${url}`, 50);
    const first = await page.evaluate(() => (window as unknown as { __firstRows?: string[] }).__firstRows ?? []);
    return { at, paintAt: await firstPaintWith(page, at), first, page };
  } catch (error) {
    await page.close();
    throw error;
  }
}

/**
 * One open of popup.html (in a tab, 1280×720) until its first screen's rows are in the DOM; ms since
 * navigation start. Checks they were the right rows, then that the popup counts every order (section
 * headings) and lists the whole first page once every record is read.
 */
export async function openPopupOnce(h: Harness, count: number, { forget = false } = {}): Promise<PopupOpen> {
  const expected = firstScreenOrders(count);
  const { at, paintAt, first, page } = await openTimed(h.context, `${h.extensionOrigin}/popup.html`, expected.length, { forget });
  try {
    if (first.join() !== expected.join()) throw new Error(`popup's first rows for ${count} orders: ${first.join(' ')}; expected ${expected.join(' ')}`);
    if (count > 0) {
      const counts = `(${seededInProgress(count)}) (${count - seededInProgress(count)})`;
      await until(
        () => page.evaluate((want) => ([...document.querySelectorAll('.orders h2 .count')].map((e) => e.textContent).join(' ') === want ? true : undefined), counts),
        30_000,
        `section counts ${counts}`,
        50,
      );
      const full = fullListRows(count);
      await until(
        () => page.evaluate((want) => (document.querySelectorAll('[data-order-no]').length === want ? true : undefined), full),
        30_000,
        `${full} rows once every record is read`,
        50,
      );
    }
    return { at, paintAt };
  } finally {
    await page.close();
  }
}

/** One open: its first screen's rows in the DOM, and the first paint with them (ms since navigation start). */
export interface PopupOpen {
  at: number;
  paintAt: number;
}

/** Opens after a warm-up open (which leaves the view hint an agent's popup has from its last open). */
export async function popupRun(h: Harness, count: number, repeats: number): Promise<PopupOpen[]> {
  await replaceOrders(h, seedRecords(count));
  await openPopupOnce(h, count); // warm-up
  const samples: PopupOpen[] = [];
  for (let i = 0; i < repeats; i++) samples.push(await openPopupOnce(h, count));
  return samples;
}

/** Opens without a view hint, as the first open after install: every record is read before the first render. */
export async function coldPopupRun(h: Harness, count: number, repeats: number): Promise<PopupOpen[]> {
  await replaceOrders(h, seedRecords(count));
  await openPopupOnce(h, count, { forget: true }); // warm-up
  const samples: PopupOpen[] = [];
  for (let i = 0; i < repeats; i++) samples.push(await openPopupOnce(h, count, { forget: true }));
  return samples;
}

export async function clearOrders(h: Harness) {
  await replaceOrders(h, {});
}
