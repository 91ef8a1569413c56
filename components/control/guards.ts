/**
 * The content script's boundary checks, hand-written: what every portal page loads must stay small,
 * and zod/mini still costs ~22 KB there. They accept and return exactly what the zod schemas of
 * `utils/tracker/record.ts` (stored records) and `utils/messages.ts` (the background's replies)
 * accept and return — unknown keys dropped, `notified` defaulting to false, the order number
 * trimmed — which `test/unit/guards.test.ts` checks against those schemas, field by field.
 */
import { HISTORY_LIMIT, ORDER_STATES, RECORD_VERSION } from '@/utils/tracker/states';
import type { HistoryEntry, TrackedOrder } from '@/utils/tracker/record';
import type { Response } from '@/utils/messages';

/** `ORDER_NUMBER_PATTERN` of `utils/order-number.ts` (that module holds a zod schema too). */
const ORDER_NUMBER = /^[A-Z]{5}\d{17}$/;

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isString = (value: unknown): value is string => typeof value === 'string';

/** Copies the optional fields that pass `test`; false when one is present and fails. */
function optional(from: Raw, to: Raw, keys: readonly string[], test: (value: unknown) => boolean): boolean {
  for (const key of keys) {
    const value = from[key];
    if (value === undefined) continue;
    if (!test(value)) return false;
    to[key] = value;
  }
  return true;
}

function historyEntry(raw: unknown): HistoryEntry | null {
  if (!isObject(raw) || !isNumber(raw.at) || !isString(raw.result)) return null;
  if (raw.action !== 'stop' && raw.action !== 'check' && raw.action !== 'note') return null;
  const entry: Raw = { at: raw.at, action: raw.action, result: raw.result };
  return optional(raw, entry, ['detail'], isString) ? (entry as unknown as HistoryEntry) : null;
}

/** A stored record as the content script may trust it, or null (as `parseRecord`). */
export function guardRecord(raw: unknown): TrackedOrder | null {
  if (!isObject(raw) || raw.version !== RECORD_VERSION || !isString(raw.orderNo)) return null;
  const orderNo = raw.orderNo.trim();
  if (!ORDER_NUMBER.test(orderNo) || !ORDER_STATES.includes(raw.state as never) || !isNumber(raw.requestedAt)) return null;
  if (!isCount(raw.stopAttempts) || !isCount(raw.checks) || !isCount(raw.failures)) return null;
  if (raw.notified !== undefined && typeof raw.notified !== 'boolean') return null;
  if (!Array.isArray(raw.history) || raw.history.length > HISTORY_LIMIT) return null;
  const history = raw.history.map(historyEntry);
  if (history.includes(null)) return null;
  const record: Raw = {
    version: RECORD_VERSION,
    orderNo,
    state: raw.state,
    requestedAt: raw.requestedAt,
    stopAttempts: raw.stopAttempts,
    checks: raw.checks,
    failures: raw.failures,
    notified: raw.notified ?? false,
    history,
  };
  const ok =
    optional(raw, record, ['pageUrl', 'lastMessage', 'orderStatus', 'failure'], isString) &&
    optional(raw, record, ['acceptedAt', 'nextCheckAt', 'lastCheckAt', 'finishedAt'], isNumber) &&
    optional(raw, record, ['lastStatus'], Number.isSafeInteger);
  return ok ? (record as unknown as TrackedOrder) : null;
}

/** A reply of the background (as `responseSchema`), or null. */
export function guardResponse(raw: unknown): Response | null {
  if (!isObject(raw)) return null;
  if (raw.ok === false) return isString(raw.error) ? { ok: false, error: raw.error } : null;
  if (raw.ok !== true) return null;
  const reply: Raw = { ok: true };
  if (raw.record !== undefined) {
    const record = guardRecord(raw.record);
    if (!record) return null;
    reply.record = record;
  }
  if (raw.report !== undefined) {
    const report = raw.report;
    if (!isObject(report) || typeof report.ok !== 'boolean' || !isString(report.summary)) return null;
    reply.report = { ok: report.ok, summary: report.summary };
  }
  return optional(raw, reply, ['configured'], (v) => typeof v === 'boolean') ? (reply as Response) : null;
}
