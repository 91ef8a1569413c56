/**
 * Which finished orders have been kept long enough (pure, for tests). The agent's `retentionDays`
 * (or the policy's) counts from the moment the order was decided. Never an order in progress, and
 * never one whose outcome the agent has not been notified of yet.
 */
import { isFinal, type TrackedOrder } from '../../shared/logic/record';

export const DAY_MS = 86_400_000;
/** The alarm that prunes once a day (besides every worker start). */
export const PRUNE_ALARM = 'prune';

export function isExpired(record: TrackedOrder, now: number, retentionDays: number): boolean {
  if (!isFinal(record.state) || !record.notified) return false;
  // A version-1 record may lack finishedAt: its last check, else its request, is when it ended at the latest.
  const finishedAt = record.finishedAt ?? record.lastCheckAt ?? record.requestedAt;
  return now - finishedAt > retentionDays * DAY_MS;
}
