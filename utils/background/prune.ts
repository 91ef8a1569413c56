/**
 * Removes the finished orders kept longer than `retentionDays` (retention.ts): at every worker
 * start, from the records the reconcile has read anyway, and once a day by its alarm.
 */
import { browser } from 'wxt/browser';
import type { TrackedOrder } from '../shared/logic/record';
import { listOrders, mutateOrder } from '../shared/store';
import { DAY_MS, isExpired, PRUNE_ALARM } from './logic/retention';
import { clearNotification } from './ui-effects';

/** Each expired order is checked again in its own write: one stopped again meanwhile stays. Returns those removed. */
export async function pruneExpired(now: number, retentionDays: number, records?: readonly TrackedOrder[]): Promise<string[]> {
  const expired = (records ?? (await listOrders())).filter((record) => isExpired(record, now, retentionDays));
  const removed: string[] = [];
  for (const { orderNo } of expired) {
    const gone = await mutateOrder(orderNo, (current) =>
      current && isExpired(current, now, retentionDays) ? { next: null, value: true } : { next: undefined, value: false },
    );
    if (!gone) continue;
    removed.push(orderNo);
    void clearNotification(orderNo);
  }
  return removed;
}

/** The daily prune alarm, created once (re-creating it would push it back). */
export async function ensurePruneAlarm() {
  if (await browser.alarms.get(PRUNE_ALARM)) return;
  const period = DAY_MS / 60_000;
  await browser.alarms.create(PRUNE_ALARM, { delayInMinutes: period, periodInMinutes: period });
}
