import { z } from 'zod';

/** What a stop in progress learns from one order status (shared/atrip/stop-ticket.md). */
export type StopOutcome = 'intercepted' | 'issued' | 'pending';

/** ATRIP's envelope: only `status === 0` means success; never judge from `msg`. */
const envelopeSchema = z.looseObject({
  status: z.number().int(),
  msg: z.string().nullish(),
});

const orderStatusValue = z.union([z.string().trim().regex(/^-?\d+$/), z.number().int()]).transform(String);

const orderFieldsSchema = z.looseObject({
  orderNo: z.string().optional(),
  orderStatus: orderStatusValue.nullish(),
  errorCode: z.union([z.string(), z.number()]).nullish(),
  errorMessage: z.string().nullish(),
  ticketErrorCode: z.union([z.string(), z.number()]).nullish(),
  ticketErrorMessage: z.string().nullish(),
});

const queryReplySchema = orderFieldsSchema.extend({
  data: orderFieldsSchema.nullish(),
  orderList: z.array(orderFieldsSchema).nullish(),
});

const rateLimitSchema = z.looseObject({ retryAfter: z.coerce.number().nonnegative() });

export type Envelope = z.infer<typeof envelopeSchema>;

export type ParsedEnvelope =
  | { ok: true; envelope: Envelope; json: unknown }
  | { ok: false; reason: string; excerpt: string };

export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function parseEnvelope(text: string): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The reply is not JSON', excerpt: excerpt(text) };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, reason: 'The reply has no numeric status', excerpt: excerpt(text) };
  }
  return { ok: true, envelope: envelope.data, json };
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

/**
 * Finds our order's status in a successful queryOrderDetails reply: at the top level (as
 * documented), inside `data` (as seen in the wild), or in `orderList[]` (newer reference).
 * Returns null when none of them holds a status for this order: that is malformed, not pending.
 */
export function readOrderStatus(json: unknown, orderNo: string): OrderReading | null {
  const reply = queryReplySchema.safeParse(json);
  if (!reply.success) return null;
  const candidates = [
    reply.data,
    reply.data.data ?? undefined,
    reply.data.orderList?.find((entry) => entry.orderNo === orderNo),
  ];
  for (const fields of candidates) {
    if (!fields || fields.orderStatus == null) continue;
    if (fields.orderNo != null && fields.orderNo !== orderNo) continue;
    const code = fields.errorCode ?? fields.ticketErrorCode;
    const message = fields.errorMessage ?? fields.ticketErrorMessage;
    return {
      orderStatus: fields.orderStatus,
      outcome: classifyOrderStatus(fields.orderStatus),
      ...(code != null && { errorCode: String(code) }),
      ...(message != null && { errorMessage: message }),
    };
  }
  return null;
}

export function readRetryAfter(text: string): number | undefined {
  try {
    const parsed = rateLimitSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.retryAfter : undefined;
  } catch {
    return undefined;
  }
}
