/**
 * Outcome latency and API economy: ordinary sandbox orders stopped through the background, the
 * sandbox deciding them after `interceptSeconds`, the extension checking after `firstCheckSeconds`.
 */
import type { Page } from 'playwright-core';
import { Harness } from '../test/e2e/harness';
import { SCENARIOS } from '../test/sandbox/catalogue';
import { sleep, until } from './lib/stats';

const STOP = '/stopTicket.do';
const QUERY = '/queryOrderDetails.do';

/** `TESTB2026112510` + 7-digit counter: odd = intercepted, even = issued (test/sandbox/catalogue.ts). */
export const ordinaryOrder = (n: number) => `TESTB2026112510${String(n).padStart(7, '0')}`;

export interface OrderOutcome {
  orderNo: string;
  state: string;
  /** Sandbox decision (its stop request's arrival + interceptSeconds) → `notified` written. */
  latencyMs: number;
  /** Sandbox decision → `finishedAt` of the record (the outcome known, just before the notification). */
  finishLatencyMs: number;
  stopCalls: number;
  queryCalls: number;
  /** Epoch ms (one clock: the sandbox and the browser run on this machine). */
  decidedAt: number;
  acceptedAt: number;
  /** Arrival of the first queryOrderDetails.do at the sandbox. */
  firstQueryAt: number;
  notifiedAt: number;
}

export interface LatencyRun {
  killed: boolean;
  orders: OrderOutcome[];
  /** Orders already final when the worker was killed (they did not live through the kill). */
  finalBeforeKill?: number;
}

type Watched = Record<string, { notifiedAt?: number; record?: { state: string; finishedAt?: number; acceptedAt?: number } }>;

/**
 * An extension page that notes, from `chrome.storage.onChanged`, the moment each order's record
 * gets `notified: true` (the background sets it right after `chrome.notifications.create`).
 */
async function openWatcher(h: Harness): Promise<Page> {
  const page = await h.extensionPage('options.html');
  await page.evaluate(() => {
    const w = window as unknown as { __watched: Watched };
    w.__watched = {};
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== 'local') return;
      const at = Date.now();
      for (const [key, change] of Object.entries(changes)) {
        if (!key.startsWith('order:')) continue;
        const record = change.newValue as { notified?: boolean; state: string } | undefined;
        if (!record) continue;
        const entry = (w.__watched[key.slice(6)] ??= {});
        entry.record = record;
        if (record.notified && entry.notifiedAt === undefined) entry.notifiedAt = at;
      }
    });
  });
  return page;
}

async function watched(page: Page): Promise<Watched> {
  return page.evaluate(() => (window as unknown as { __watched: Watched }).__watched);
}

async function stopAll(page: Page, orders: string[]) {
  const replies = (await page.evaluate(
    (list) => Promise.all(list.map((orderNo) => chrome.runtime.sendMessage({ type: 'stop', orderNo }))),
    orders,
  )) as { ok: boolean; error?: string }[];
  const failed = replies.findIndex((r) => !r?.ok);
  if (failed >= 0) throw new Error(`stop ${orders[failed]} failed: ${JSON.stringify(replies[failed])}`);
}

/** `count` orders from `firstCounter`; with `kill`, the worker is killed once all are intercepting. */
export async function latencyRun(h: Harness, firstCounter: number, count: number, interceptSeconds: number, kill: boolean): Promise<LatencyRun> {
  const orders = Array.from({ length: count }, (_, i) => ordinaryOrder(firstCounter + i));
  const page = await openWatcher(h);
  try {
    await stopAll(page, orders);
    let finalBeforeKill: number | undefined;
    if (kill) {
      await until(
        async () => {
          const all = (await page.evaluate(() => chrome.storage.local.get(null))) as Record<string, { state?: string }>;
          const states = orders.map((o) => all[`order:${o}`]?.state);
          return states.every((s) => s !== undefined && s !== 'requesting') ? true : undefined;
        },
        20_000,
        'every order accepted',
        50,
      );
      const now = await watched(page);
      finalBeforeKill = orders.filter((o) => now[o]?.record?.state !== 'intercepting').length;
      await h.killWorker();
    }
    const done = await until(
      async () => {
        const w = await watched(page);
        return orders.every((o) => w[o]?.notifiedAt !== undefined) ? w : undefined;
      },
      60_000,
      'every outcome notified',
      100,
    );
    return {
      killed: kill,
      ...(kill && { finalBeforeKill }),
      orders: orders.map((orderNo) => {
        const stops = h.sandbox.callsFor(orderNo, STOP);
        const decidedAt = stops[0]!.at + interceptSeconds * 1000;
        const entry = done[orderNo]!;
        const queries = h.sandbox.callsFor(orderNo, QUERY);
        return {
          orderNo,
          state: entry.record!.state,
          latencyMs: entry.notifiedAt! - decidedAt,
          finishLatencyMs: (entry.record!.finishedAt ?? NaN) - decidedAt,
          stopCalls: stops.length,
          queryCalls: queries.length,
          decidedAt,
          acceptedAt: entry.record!.acceptedAt ?? NaN,
          firstQueryAt: queries[0]?.at ?? NaN,
          notifiedAt: entry.notifiedAt!,
        };
      }),
    };
  } finally {
    await page.close();
  }
}

export interface DeadlineRun {
  orderNo: string;
  state: string;
  stopCalls: number;
  queryCalls: number;
  /** acceptedAt + deadlineMinutes → the record's `finishedAt`. */
  finishedAfterDeadlineMs: number;
  settings: { firstCheckSeconds: number; recheckSeconds: number; deadlineMinutes: number };
}

/** The `pending` scenario (never decided) run to its deadline; its calls counted. */
export async function deadlineRun(settings: DeadlineRun['settings']): Promise<DeadlineRun> {
  const h = await Harness.launch({ settings });
  try {
    const orderNo = SCENARIOS.pending;
    const page = await h.extensionPage('options.html');
    await stopAll(page, [orderNo]);
    await page.close();
    const record = await h.waitFor(orderNo, (r) => r.state !== 'requesting' && r.state !== 'intercepting' && r.notified === true, settings.deadlineMinutes * 60_000 + 60_000, 'a final state');
    await sleep(1000); // a stray call after the end would show here
    return {
      orderNo,
      state: record.state,
      stopCalls: h.sandbox.callsFor(orderNo, STOP).length,
      queryCalls: h.sandbox.callsFor(orderNo, QUERY).length,
      finishedAfterDeadlineMs: (record.finishedAt as number) - ((record.acceptedAt as number) + settings.deadlineMinutes * 60_000),
      settings,
    };
  } finally {
    await h.close();
  }
}
