// zod/mini: the smaller zod, for the pages that validate records (popup, options) and the background.
import { z } from './zod';
import { orderNumberSchema } from './order-number';
import { DECISIONS, END_REASONS, FAILURE_KINDS, HISTORY_HEAD, HISTORY_LIMIT, HISTORY_STEPS, NEXT_STEPS, ORDER_STATES, READINGS, RECORD_VERSION } from './states';

// The states and constants live in the zod-free states.ts (the content script imports them from there).
export { ORDER_STATES, FINAL_STATES, isFinal, isInProgress, canStartStop, canCheckAgain, HISTORY_LIMIT, HISTORY_HEAD, FAILURE_KINDS, HISTORY_STEPS, END_REASONS, DECISIONS, READINGS, RECORD_VERSION, NEXT_STEPS, type OrderState, type FailureKind, type HistoryStep, type EndReason, type DecisionKind, type Reading } from './states';

/** ATRIP's business `status` and its `msg`, verbatim. */
const atripAnswer = { status: z.optional(z.int()), msg: z.optional(z.string()) };
/** What a look-up read of the order: its status, and ATRIP's reason for a cancellation. */
const orderReading = { orderStatus: z.optional(z.string()), errorCode: z.optional(z.string()), errorMessage: z.optional(z.string()) };

export const failureSchema = z.object({
  kind: z.enum(FAILURE_KINDS),
  /** http, rate-limited */
  httpStatus: z.optional(z.int()),
  /** rate-limited: what ATRIP asked for, in seconds (before our cap). */
  retryAfterSeconds: z.optional(z.number()),
  /** timeout */
  afterMs: z.optional(z.number()),
  /** malformed: not-json, no-status, no-order-status, conflicting-order-status; blocked: insecure, no-permission */
  reason: z.optional(z.string()),
  /** network: the browser's words; invalid: what was wrong; blocked: the API origin. */
  message: z.optional(z.string()),
  /** The start of the reply body, verbatim. */
  excerpt: z.optional(z.string()),
  /** status: ATRIP's non-zero business status and its msg. */
  ...atripAnswer,
  /** legacy: a version-1 record's failure sentence. */
  text: z.optional(z.string()),
});
export type Failure = z.infer<typeof failureSchema>;

export const decisionSchema = z.object({
  kind: z.enum(DECISIONS),
  at: z.optional(z.number()),
  afterSeconds: z.optional(z.number()),
  state: z.optional(z.enum(ORDER_STATES)),
  why: z.optional(z.enum(END_REASONS)),
});
export type Decision = z.infer<typeof decisionSchema>;

/** One step of a run, language-neutral: the UI and the CSV word it in the agent's language. */
export const historyEntrySchema = z.object({
  at: z.number(),
  step: z.enum(HISTORY_STEPS),
  ...atripAnswer,
  ...orderReading,
  /** Not an answer: what went wrong. */
  failure: z.optional(failureSchema),
  /** How the answer was read. */
  reading: z.optional(z.enum(READINGS)),
  /** For a stop: did ATRIP certainly not take it (`no`), or may it have (`maybe`)? */
  reached: z.optional(z.enum(['no', 'maybe'])),
  decision: z.optional(decisionSchema),
  /** legacy: a version-1 entry in its English words. */
  text: z.optional(z.string()),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const trackedOrderSchema = z.object({
  version: z.literal(RECORD_VERSION),
  orderNo: orderNumberSchema,
  state: z.enum(ORDER_STATES),
  /** The portal page the stop came from; the notification opens it. */
  pageUrl: z.optional(z.string()),
  /** This stop run's token: an answer is applied only to the run that sent its call. */
  runId: z.string(),
  requestedAt: z.number(),
  acceptedAt: z.optional(z.number()),
  nextCheckAt: z.optional(z.number()),
  /** What the next wake-up does while in progress. */
  nextStep: z.optional(z.enum(NEXT_STEPS)),
  lastCheckAt: z.optional(z.number()),
  finishedAt: z.optional(z.number()),
  /** Stop requests sent in this run. */
  stopAttempts: z.int().check(z.nonnegative()),
  /** Of those, the ones that may have reached ATRIP without a certain answer. */
  uncertainSends: z._default(z.int().check(z.nonnegative()), 0),
  /** Of the uncertain sends, those that failed before any reply (a network error: most likely never delivered). */
  unansweredSends: z.optional(z.int().check(z.nonnegative())),
  /** Some call of this run got an HTTP reply from the API: ATRIP (or its gateway) was reachable. */
  apiAnswered: z.optional(z.boolean()),
  /** No more stop requests in this run (ATRIP refused a repeat, or the re-send limit): look-ups only. */
  noMoreSends: z.optional(z.boolean()),
  /** A stop request left at this time and its answer has not been applied yet (durable: a dead worker's call). */
  inFlightStop: z.optional(z.number()),
  /** The run before this one ended `unknown`: a stop of it may still be at ATRIP. */
  previousRunMayHaveStopped: z.optional(z.boolean()),
  /** Status checks that got an order status from ATRIP. */
  checks: z.int().check(z.nonnegative()),
  /** Calls in a row without an answer (transport, HTTP, garbage, a non-zero status of a look-up). */
  failures: z.int().check(z.nonnegative()),
  lastStatus: z.optional(z.int()),
  /** ATRIP's last msg (or its reason for a cancellation), verbatim. */
  lastMessage: z.optional(z.string()),
  ...orderReading,
  /** The last failure, structured (shown with `error` and `unknown`). */
  failure: z.optional(failureSchema),
  /** Why the run ended as it did (final states). */
  endReason: z.optional(z.enum(END_REASONS)),
  /** Set once the outcome's notification was created, so a killed worker re-creates a missed one. */
  notified: z._default(z.boolean(), false),
  history: z.array(historyEntrySchema),
  /** Entries dropped from the middle of a long history. */
  historyDropped: z.optional(z.int()),
});
export type TrackedOrder = z.infer<typeof trackedOrderSchema>;
/** A record as written; `uncertainSends` and `notified` default when absent. */
export type TrackedOrderInput = z.input<typeof trackedOrderSchema>;

/** Version 1 (before structured history): read leniently, migrated field by field. */
const v1Schema = z.looseObject({
  version: z.literal(1),
  orderNo: orderNumberSchema,
  state: z.enum(ORDER_STATES),
  pageUrl: z.optional(z.string()),
  requestedAt: z.number(),
  acceptedAt: z.optional(z.number()),
  nextCheckAt: z.optional(z.number()),
  lastCheckAt: z.optional(z.number()),
  finishedAt: z.optional(z.number()),
  stopAttempts: z.optional(z.number()),
  checks: z.optional(z.number()),
  failures: z.optional(z.number()),
  lastStatus: z.optional(z.number()),
  lastMessage: z.optional(z.string()),
  orderStatus: z.optional(z.string()),
  failure: z.optional(z.string()),
  notified: z.optional(z.boolean()),
  history: z.optional(z.array(z.looseObject({ at: z.number(), action: z.optional(z.string()), result: z.optional(z.string()), detail: z.optional(z.string()) }))),
});

const count = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n >= 0 ? n : 0);

/**
 * A version-1 record as version 2. Nothing is dropped: old history entries and the failure
 * sentence are kept as text. A v1 record still `requesting` did not know whether its stop
 * reached ATRIP: it is taken as "may have", so its next step is a look-up, never a blind re-send.
 */
export function migrateV1(raw: unknown): TrackedOrder | null {
  const parsed = v1Schema.safeParse(raw);
  if (!parsed.success) return null;
  const v1 = parsed.data;
  const stopAttempts = Math.max(1, count(v1.stopAttempts));
  const inProgress = v1.state === 'requesting' || v1.state === 'intercepting';
  const migrated: TrackedOrderInput = {
    version: 2,
    orderNo: v1.orderNo,
    state: v1.state,
    ...(v1.pageUrl !== undefined && { pageUrl: v1.pageUrl }),
    runId: `v1-${v1.requestedAt}`,
    requestedAt: v1.requestedAt,
    ...(v1.acceptedAt !== undefined && { acceptedAt: v1.acceptedAt }),
    ...(inProgress && v1.nextCheckAt !== undefined && { nextCheckAt: v1.nextCheckAt }),
    ...(inProgress && { nextStep: v1.state === 'requesting' ? ('lookup' as const) : ('check' as const) }),
    ...(v1.lastCheckAt !== undefined && { lastCheckAt: v1.lastCheckAt }),
    ...(v1.finishedAt !== undefined && { finishedAt: v1.finishedAt }),
    stopAttempts,
    uncertainSends: v1.state === 'requesting' ? stopAttempts : 0,
    checks: count(v1.checks),
    failures: count(v1.failures),
    ...(v1.lastStatus !== undefined && Number.isInteger(v1.lastStatus) && { lastStatus: v1.lastStatus }),
    ...(v1.lastMessage !== undefined && { lastMessage: v1.lastMessage }),
    ...(v1.orderStatus !== undefined && { orderStatus: v1.orderStatus }),
    ...(v1.failure !== undefined && { failure: { kind: 'legacy' as const, text: v1.failure } }),
    notified: v1.notified ?? false,
    history: (v1.history ?? []).map((entry) => ({
      at: entry.at,
      step: 'legacy' as const,
      text: [entry.action, entry.result].filter(Boolean).join(' ') + (entry.detail ? `: ${entry.detail}` : ''),
    })),
  };
  const result = trackedOrderSchema.safeParse(migrated);
  return result.success ? result.data : null;
}

/** Parses a stored record, migrating older versions; null when it is not a record at all. */
export function parseRecord(raw: unknown): TrackedOrder | null {
  const result = trackedOrderSchema.safeParse(raw);
  if (result.success) return result.data;
  if (typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === 1) return migrateV1(raw);
  return null;
}

/**
 * Appends an entry. Past the limit, entries are dropped from the middle: the first ones of the
 * run (the stop and ATRIP's first answer) and the latest ones stay.
 */
export function withHistory(record: TrackedOrder, entry: HistoryEntry): TrackedOrder {
  const history = [...record.history, entry];
  if (history.length <= HISTORY_LIMIT) return { ...record, history };
  const dropped = history.length - HISTORY_LIMIT;
  return {
    ...record,
    history: [...history.slice(0, HISTORY_HEAD), ...history.slice(HISTORY_HEAD + dropped)],
    historyDropped: (record.historyDropped ?? 0) + dropped,
  };
}
