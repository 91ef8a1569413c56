/** The wake-up of each order in progress: one alarm per order, named after it. Storage is the truth, alarms only wake. */
import { browser } from 'wxt/browser';
import type { TrackedOrder } from '../shared/logic/record';

export const ALARM_PREFIX = 'check:';
export const alarmName = (orderNo: string) => `${ALARM_PREFIX}${orderNo}`;

/** The order an alarm wakes, or null for another alarm. */
export const orderOfAlarm = (name: string): string | null => (name.startsWith(ALARM_PREFIX) ? name.slice(ALARM_PREFIX.length) : null);

/** Wakes the worker for this order at `when` (replacing its wake-up). */
export const wakeAt = (orderNo: string, when: number) => browser.alarms.create(alarmName(orderNo), { when });

export const cancelWake = (orderNo: string) => browser.alarms.clear(alarmName(orderNo));

/** The record's wake-up, created only when missing: re-creating an existing alarm would push it back. */
export async function ensureWake(record: TrackedOrder) {
  if (record.nextCheckAt === undefined) return;
  if (!(await browser.alarms.get(alarmName(record.orderNo)))) await wakeAt(record.orderNo, record.nextCheckAt);
}
