/**
 * The content script's boundary checks, hand-written: what every portal page loads must stay small,
 * and zod/mini still costs ~22 KB there. They accept and return exactly what the zod schemas of
 * `utils/tracker/record.ts` (stored records) and `utils/messages.ts` (the background's replies)
 * accept and return — unknown keys dropped, `notified` defaulting to false, the order number
 * trimmed — which `test/unit/guards.test.ts` checks against those schemas, field by field.
 */
import { HISTORY_LIMIT, ORDER_STATES, RECORD_VERSION } from '@/utils/tracker/states';
import type { TrackedOrder } from '@/utils/tracker/record';
import type { Response } from '@/utils/messages';

type Raw = Record<string, unknown>;
type Test = (value: unknown) => boolean;
/** Field → its test, and whether it is required. */
type Fields = Record<string, readonly [Test, boolean?]>;

/** `ORDER_NUMBER_PATTERN` of `utils/order-number.ts` (that module holds a zod schema too). */
const ORDER_NUMBER = /^[A-Z]{5}\d{17}$/;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Test = (value) => typeof value === 'string';
const isBoolean: Test = (value) => typeof value === 'boolean';
const isNumber: Test = Number.isFinite as Test;
const isInteger: Test = Number.isSafeInteger as Test;
const isCount: Test = (value) => isInteger(value) && (value as number) >= 0;
const isOneOf = (values: readonly string[]): Test => (value) => values.includes(value as string);

/** Copies the fields of `from` that pass their test; null when a required one is missing or one fails. */
function pick(from: Raw, fields: Fields): Raw | null {
  const out: Raw = {};
  for (const [key, [test, required]] of Object.entries(fields)) {
    const value = from[key];
    if (value === undefined) {
      if (required) return null;
    } else if (test(value)) {
      out[key] = value;
    } else {
      return null;
    }
  }
  return out;
}

const HISTORY_ENTRY: Fields = { at: [isNumber, true], action: [isOneOf(['stop', 'check', 'note']), true], result: [isString, true], detail: [isString] };

const RECORD: Fields = {
  version: [(v) => v === RECORD_VERSION, true],
  orderNo: [(v) => isString(v) && ORDER_NUMBER.test((v as string).trim()), true],
  state: [isOneOf(ORDER_STATES), true],
  pageUrl: [isString],
  requestedAt: [isNumber, true],
  acceptedAt: [isNumber],
  nextCheckAt: [isNumber],
  lastCheckAt: [isNumber],
  finishedAt: [isNumber],
  stopAttempts: [isCount, true],
  checks: [isCount, true],
  failures: [isCount, true],
  lastStatus: [isInteger],
  lastMessage: [isString],
  orderStatus: [isString],
  failure: [isString],
  notified: [isBoolean],
  history: [(v) => Array.isArray(v) && v.length <= HISTORY_LIMIT, true],
};

/** A stored record as the content script may trust it, or null (as `parseRecord`). */
export function guardRecord(raw: unknown): TrackedOrder | null {
  const record = isObject(raw) && pick(raw, RECORD);
  if (!record) return null;
  const history = (record.history as unknown[]).map((entry) => isObject(entry) && pick(entry, HISTORY_ENTRY));
  if (!history.every(Boolean)) return null;
  return { ...record, orderNo: (record.orderNo as string).trim(), notified: record.notified ?? false, history } as TrackedOrder;
}

/** A reply of the background to a page's request (as `responseSchema`, without the options page's `report`), or null. */
export function guardResponse(raw: unknown): Response | null {
  if (!isObject(raw)) return null;
  if (raw.ok === false) return isString(raw.error) ? { ok: false, error: raw.error as string } : null;
  const reply = raw.ok === true && pick(raw, { ok: [isBoolean], configured: [isBoolean] });
  if (!reply) return null;
  if (raw.record !== undefined && !(reply.record = guardRecord(raw.record))) return null;
  // `report` answers the options page's connection test, never a page's request: not read here.
  return reply as Response;
}
