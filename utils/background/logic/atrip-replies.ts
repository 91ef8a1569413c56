import { z } from 'zod';

/** What a stop in progress learns from one order status (shared/atrip/stop-ticket.md). */
export type StopOutcome = 'intercepted' | 'issued' | 'pending';

/** Why a reply could not be read: codes, so that every language can word them. */
export const MALFORMED_REASONS = ['not-json', 'no-status', 'no-order-status', 'conflicting-order-status'] as const;
export type MalformedReason = (typeof MALFORMED_REASONS)[number];

/** An integer, or a string holding one (`"0"`, `" -3 "`): ATRIP sends both. */
const integerLike = z.union([
  z.int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform((s) => Number.parseInt(s, 10)),
]);

/** A code ATRIP may send as a number or a string. */
const codeLike = z.union([z.string(), z.number()]).transform(String);

/**
 * ATRIP's envelope: only `status === 0` means success; never judge from `msg`. An odd `msg`
 * (a number, an object) is dropped rather than making the whole reply unreadable.
 */
const envelopeSchema = z.looseObject({
  status: integerLike,
  msg: z.string().nullish().catch(undefined),
});

/**
 * The order fields of one place in a reply. Each field is read on its own: one odd field
 * (`orderNo: null`, `paxTicketInfos: null`, an object where a string was expected) never
 * hides the others.
 */
const orderPlaceSchema = z.looseObject({
  orderNo: z.string().nullish().catch(undefined),
  orderStatus: integerLike.nullish().catch(undefined),
  errorCode: codeLike.nullish().catch(undefined),
  errorMessage: z.string().nullish().catch(undefined),
  ticketErrorCode: codeLike.nullish().catch(undefined),
  ticketErrorMessage: z.string().nullish().catch(undefined),
});

const plainObject = z.record(z.string(), z.unknown());
const arrayOfUnknown = z.array(z.unknown());

const rateLimitSchema = z.looseObject({ retryAfter: z.union([z.number(), z.string().trim().regex(/^\d+(\.\d+)?$/)]) });

export type ParsedEnvelope =
  | { ok: true; status: number; msg: string; json: unknown }
  | { ok: false; reason: MalformedReason; excerpt: string };

export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function parseEnvelope(text: string): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json', excerpt: excerpt(text) };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: 'no-status', excerpt: excerpt(text) };
  return { ok: true, status: envelope.data.status, msg: envelope.data.msg ?? '', json };
}

export interface OrderReading {
  orderStatus: string;
  outcome: StopOutcome;
  /** Why ATRIP cancelled, when it says so (with -3). */
  errorCode?: string;
  errorMessage?: string;
}

export function classifyOrderStatus(orderStatus: string): StopOutcome {
  // After a stop request only -3 and 2 are answers; any other value means "not decided yet".
  if (orderStatus === '-3') return 'intercepted';
  if (orderStatus === '2') return 'issued';
  return 'pending';
}

type Naming = 'ours' | 'unnamed' | 'other';

/** Whether a place's `orderNo` names our order; split orders list several numbers with commas. */
function naming(orderNo: string | null | undefined, ours: string): Naming {
  if (orderNo == null || orderNo.trim() === '') return 'unnamed';
  return orderNo.split(/[\s,]+/).includes(ours) ? 'ours' : 'other';
}

function readPlace(value: unknown, ours: string, needsName: boolean): OrderReading | null {
  const place = orderPlaceSchema.safeParse(value);
  if (!place.success || place.data.orderStatus == null) return null;
  const named = naming(place.data.orderNo, ours);
  if (named === 'other' || (needsName && named !== 'ours')) return null;
  const orderStatus = String(place.data.orderStatus);
  const code = place.data.errorCode ?? place.data.ticketErrorCode;
  const message = place.data.errorMessage ?? place.data.ticketErrorMessage;
  return {
    orderStatus,
    outcome: classifyOrderStatus(orderStatus),
    ...(code != null && code !== '' && { errorCode: code }),
    ...(message != null && message !== '' && { errorMessage: message }),
  };
}

/** Entries of a list (`orderList`, or a `data` that came as an array) that name our order. */
function readList(value: unknown, ours: string): OrderReading[] {
  const list = arrayOfUnknown.safeParse(value);
  if (!list.success) return [];
  return list.data.map((entry) => readPlace(entry, ours, true)).filter((r): r is OrderReading => r !== null);
}

export type OrderStatusRead = { ok: true; reading: OrderReading } | { ok: false; reason: 'no-order-status' | 'conflicting-order-status' };

/**
 * Finds our order's status in a successful queryOrderDetails reply. Each place it can live is
 * read on its own: the top level (as documented), `data` (as seen in the wild; an object, or an
 * array of orders), and the `orderList[]` entry naming our order (newer reference). A final value
 * (-3 or 2) anywhere wins over "not decided" elsewhere; two different final values are a reply we
 * cannot trust (malformed), and no value at all is malformed too — never "pending".
 */
export function readOrderStatus(json: unknown, orderNo: string): OrderStatusRead {
  const root = plainObject.safeParse(json);
  if (!root.success) return { ok: false, reason: 'no-order-status' };
  const top = root.data;
  const readings: OrderReading[] = [];
  const atTop = readPlace(top, orderNo, false);
  if (atTop) readings.push(atTop);
  if (plainObject.safeParse(top.data).success) {
    const inData = readPlace(top.data, orderNo, false);
    if (inData) readings.push(inData);
  } else {
    readings.push(...readList(top.data, orderNo));
  }
  readings.push(...readList(top.orderList, orderNo));

  const finals = readings.filter((r) => r.outcome !== 'pending');
  if (new Set(finals.map((r) => r.orderStatus)).size > 1) return { ok: false, reason: 'conflicting-order-status' };
  const chosen = finals[0] ?? readings[0];
  return chosen ? { ok: true, reading: chosen } : { ok: false, reason: 'no-order-status' };
}

/** `retryAfter` of a 429 body, in seconds (ATRIP's unit); undefined when absent or not a number. */
export function readRetryAfter(text: string): number | undefined {
  try {
    const parsed = rateLimitSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const seconds = Number(parsed.data.retryAfter);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

/** A `Retry-After` header: delta-seconds, or an HTTP date (seconds from `now`). */
export function readRetryAfterHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}
