/**
 * The content script's boundary checks, hand-written: what every portal page loads must stay small,
 * and zod/mini still costs ~22 KB there. They check every field the page reads exactly as the zod
 * schemas of `utils/shared/logic/record.ts` (stored version-2 records) and `utils/shared/messages.ts` (the
 * background's replies) do — unknown keys dropped, defaults filled in, the order number trimmed —
 * and return the record without its history (`PageRecord`: the page never reads it, so it checks
 * only that there is one); `test/unit/guards.test.ts` holds them to those schemas, field by field.
 * A version-1 record is not migrated here: the background migrates it at its start.
 */
import { ORDER_NUMBER_PATTERN } from '@/utils/shared/logic/order-text';
import { END_REASONS, FAILURE_KINDS, NEXT_STEPS, ORDER_STATES, RECORD_VERSION } from '@/utils/shared/logic/states';
import type { PageRecord, PageResponse } from './order-view';

type Raw = Record<string, unknown>;
/** Returns the value as the schema would (unknown keys of objects dropped), or INVALID. */
type Parse = (value: unknown) => unknown;
/** Field → its parser, and whether it is required. */
type Fields = Record<string, readonly [Parse, boolean?]>;

const INVALID = Symbol('invalid');


const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const when =
  (test: (value: unknown) => boolean): Parse =>
  (value) =>
    test(value) ? value : INVALID;

const string = when((value) => typeof value === 'string');
const boolean = when((value) => typeof value === 'boolean');
const number = when(Number.isFinite as (value: unknown) => boolean);
const int = when(Number.isSafeInteger as (value: unknown) => boolean);
const count = when((value) => Number.isSafeInteger(value) && (value as number) >= 0);
const oneOf = (values: readonly string[]) => when((value) => values.includes(value as string));

/** An object of these fields, unknown keys dropped (as `z.object`). */
const object =
  (fields: Fields): Parse =>
  (value) => {
    if (!isObject(value)) return INVALID;
    const out: Raw = {};
    for (const [key, [parse, required]] of Object.entries(fields)) {
      if (value[key] === undefined) {
        if (required) return INVALID;
        continue;
      }
      const parsed = parse(value[key]);
      if (parsed === INVALID) return INVALID;
      out[key] = parsed;
    }
    return out;
  };

const failure = object({
  kind: [oneOf(FAILURE_KINDS), true],
  httpStatus: [int],
  retryAfterSeconds: [number],
  afterMs: [number],
  reason: [string],
  message: [string],
  excerpt: [string],
  status: [int],
  msg: [string],
  text: [string],
});

const RECORD: Fields = {
  version: [when((value) => value === RECORD_VERSION), true],
  orderNo: [(value) => (typeof value === 'string' && ORDER_NUMBER_PATTERN.test(value.trim()) ? value.trim() : INVALID), true],
  state: [oneOf(ORDER_STATES), true],
  pageUrl: [string],
  runId: [string, true],
  requestedAt: [number, true],
  acceptedAt: [number],
  nextCheckAt: [number],
  nextStep: [oneOf(NEXT_STEPS)],
  lastCheckAt: [number],
  finishedAt: [number],
  stopAttempts: [count, true],
  uncertainSends: [count],
  unansweredSends: [count],
  apiAnswered: [boolean],
  noMoreSends: [boolean],
  inFlightStop: [number],
  previousRunMayHaveStopped: [boolean],
  checks: [count, true],
  failures: [count, true],
  lastStatus: [int],
  lastMessage: [string],
  orderStatus: [string],
  errorCode: [string],
  errorMessage: [string],
  failure: [failure],
  endReason: [oneOf(END_REASONS)],
  notified: [boolean],
  history: [when(Array.isArray), true],
};
const record = object(RECORD);

/** A stored record as the content script may trust it, or null (as the record schema). */
export function guardRecord(raw: unknown): PageRecord | null {
  const parsed = record(raw);
  if (parsed === INVALID) return null;
  const { history: _unread, ...fields } = parsed as Raw;
  return { ...fields, uncertainSends: fields.uncertainSends ?? 0, notified: fields.notified ?? false } as PageRecord;
}

/** A reply of the background to a page's request (as `responseSchema`, without the options page's `report`), or null. */
export function guardResponse(raw: unknown): PageResponse | null {
  if (!isObject(raw)) return null;
  if (raw.ok === false) return typeof raw.error === 'string' ? { ok: false, error: raw.error } : null;
  const reply = raw.ok === true && object({ ok: [boolean], configured: [boolean] })(raw);
  if (!reply || reply === INVALID) return null;
  const out = reply as Raw;
  if (raw.record !== undefined && !(out.record = guardRecord(raw.record))) return null;
  // `report` answers the options page's connection test, never a page's request: not read here.
  return out as PageResponse;
}
