// zod/mini: the in-page control validates records too, and every portal page loads it.
import * as z from 'zod/mini';
import { orderNumberSchema } from '../order-number';
import { HISTORY_LIMIT, ORDER_STATES, RECORD_VERSION } from './states';

// The states and constants live in the zod-free states.ts (the content script imports them from there).
export { FINAL_STATES, HISTORY_LIMIT, ORDER_STATES, RECORD_VERSION, isFinal, isInProgress, type OrderState } from './states';

export const historyEntrySchema = z.object({
  at: z.number(),
  /** `stop` = a stopTicket call, `check` = a queryOrderDetails call, `note` = our own step. */
  action: z.enum(['stop', 'check', 'note']),
  /** An API result kind (accepted, refused, http, network, timeout, malformed), an outcome, or a note word. */
  result: z.string(),
  detail: z.optional(z.string()),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const trackedOrderSchema = z.object({
  version: z.literal(RECORD_VERSION),
  orderNo: orderNumberSchema,
  state: z.enum(ORDER_STATES),
  /** The portal page the stop came from; the notification opens it. */
  pageUrl: z.optional(z.string()),
  requestedAt: z.number(),
  acceptedAt: z.optional(z.number()),
  nextCheckAt: z.optional(z.number()),
  lastCheckAt: z.optional(z.number()),
  finishedAt: z.optional(z.number()),
  stopAttempts: z.int().check(z.nonnegative()),
  /** Status checks that got an order status from ATRIP. */
  checks: z.int().check(z.nonnegative()),
  /** Consecutive calls without an answer (network, time-out, HTTP, garbage, business error). */
  failures: z.int().check(z.nonnegative()),
  lastStatus: z.optional(z.int()),
  lastMessage: z.optional(z.string()),
  orderStatus: z.optional(z.string()),
  /** The last failure in words, shown with `error`. */
  failure: z.optional(z.string()),
  /** Set once the outcome's notification was created, so a killed worker re-creates a missed one. */
  notified: z._default(z.boolean(), false),
  history: z.array(historyEntrySchema).check(z.maxLength(HISTORY_LIMIT)),
});
export type TrackedOrder = z.infer<typeof trackedOrderSchema>;

/** Parses a stored record, migrating older versions here when there are any. */
export function parseRecord(raw: unknown): TrackedOrder | null {
  const result = trackedOrderSchema.safeParse(raw);
  return result.success ? result.data : null;
}

export function withHistory(record: TrackedOrder, entry: HistoryEntry): TrackedOrder {
  return { ...record, history: [...record.history, entry].slice(-HISTORY_LIMIT) };
}
