import { isOrderNumber } from '../../shared/logic/order-number';
import { isSecureApiUrl } from '../../shared/logic/settings-schema';
import { excerpt, parseEnvelope, readOrderStatus, readRetryAfter, readRetryAfterHeader, type MalformedReason, type OrderReading } from './atrip-replies';

export interface AtripConfig {
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Under 30 s: Chrome kills a worker whose fetch takes longer to start answering. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * Whether the extension may reach the API's origin (its host permission). Asked before every
   * call: without it the browser would turn the call into a blind "network error", after perhaps
   * sending it anyway (a simple CORS request leaves before the browser reads the answer's headers).
   */
  canReach?: (origin: string) => Promise<boolean>;
}

/** Failures that are not an answer from ATRIP: worth retrying, never an outcome. */
export type ApiFailure =
  | { kind: 'http'; httpStatus: number; retryAfterSeconds?: number; excerpt: string }
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'malformed'; reason: MalformedReason; excerpt: string };

export type InvalidOrder = { kind: 'invalid'; message: string };
/**
 * Nothing was sent: the API base URL would carry the secret in clear text (`insecure`), or the
 * extension has no host permission for its origin (`no-permission`).
 */
export type Blocked = { kind: 'blocked'; reason: 'insecure' | 'no-permission'; origin: string };
/**
 * ATRIP answered with a business `status` other than 0 (its `msg` is for the agent). Whether that
 * is final depends on the endpoint and the run: see utils/background/logic/classify.ts.
 */
export type Refused = { kind: 'refused'; status: number; msg: string };

/** `accepted`: ATRIP took the stop (`status` 0); not an outcome. */
export type StopResult = { kind: 'accepted'; msg: string } | Refused | ApiFailure | InvalidOrder | Blocked;
/** `found`: ATRIP answered `status` 0 with the order's status, read (`orderStatus`, `outcome`). */
export type QueryResult =
  | ({ kind: 'found'; msg: string } & OrderReading)
  | Refused
  | ApiFailure
  | InvalidOrder
  | Blocked;

export const DEFAULT_TIMEOUT_MS = 15_000;

type Reply = { ok: true; text: string } | ApiFailure | Blocked;

/** A base URL that would carry the secret in clear text (or is no URL), or null. Synchronous. */
function insecureCall(apiBaseUrl: string): Blocked | null {
  let origin: string;
  try {
    origin = new URL(apiBaseUrl).origin;
  } catch {
    return { kind: 'blocked', reason: 'insecure', origin: apiBaseUrl };
  }
  return isSecureApiUrl(apiBaseUrl) ? null : { kind: 'blocked', reason: 'insecure', origin };
}

/** Why a call to this base URL must not leave, or null when it may. */
export async function blockedCall(config: Pick<AtripConfig, 'apiBaseUrl' | 'canReach'>): Promise<Blocked | null> {
  const insecure = insecureCall(config.apiBaseUrl);
  if (insecure) return insecure;
  const origin = new URL(config.apiBaseUrl).origin;
  if (config.canReach && !(await config.canReach(origin).catch(() => false))) return { kind: 'blocked', reason: 'no-permission', origin };
  return null;
}

async function post(config: AtripConfig, endpoint: string, orderNo: string): Promise<Reply> {
  // Defence in depth: the settings schema already refuses such a URL; the secret never goes in clear.
  // Without `canReach` nothing is awaited before the request leaves.
  const blocked = config.canReach ? await blockedCall(config) : insecureCall(config.apiBaseUrl);
  if (blocked) return blocked;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = {
    // Accept-Encoding is set by the browser itself (a forbidden header for fetch).
    Accept: 'application/json',
    'Content-Type': 'application/json',
    'x-atlas-client-id': config.clientId,
  };
  // Without a secret the base URL is a company proxy that adds the credentials.
  if (config.clientSecret) headers['x-atlas-client-secret'] = config.clientSecret;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await (config.fetch ?? fetch)(`${config.apiBaseUrl.replace(/\/+$/, '')}/${endpoint}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ cid: config.clientId, orderNo }),
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    if (!response.ok) {
      // Seconds, from the body (ATRIP's gateway) or the header; the tracker caps what it may postpone.
      const retryAfterSeconds =
        response.status === 429 ? (readRetryAfter(text) ?? readRetryAfterHeader(response.headers.get('retry-after'), Date.now())) : undefined;
      return {
        kind: 'http',
        httpStatus: response.status,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        excerpt: excerpt(text),
      };
    }
    return { ok: true, text };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'timeout', afterMs: timeoutMs };
    return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** ATRIP's envelope of one call about an order: its business `status` and `msg`, or why there is none. */
async function callAbout(
  config: AtripConfig,
  endpoint: 'stopTicket.do' | 'queryOrderDetails.do',
  orderNo: string,
): Promise<{ status: number; msg: string; json: unknown; text: string } | ApiFailure | InvalidOrder | Blocked> {
  if (!isOrderNumber(orderNo)) return { kind: 'invalid', message: `Not an ATRIP order number: ${excerpt(String(orderNo), 40)}` };
  const reply = await post(config, endpoint, orderNo);
  if (!('ok' in reply)) return reply;
  const parsed = parseEnvelope(reply.text);
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason, excerpt: parsed.excerpt };
  return { status: parsed.status, msg: parsed.msg, json: parsed.json, text: reply.text };
}

/** Asks ATRIP to stop issuing the order's ticket. `accepted` is not an outcome: check later. */
export async function stopTicket(config: AtripConfig, orderNo: string): Promise<StopResult> {
  const answer = await callAbout(config, 'stopTicket.do', orderNo);
  if ('kind' in answer) return answer;
  const { status, msg } = answer;
  return status !== 0 ? { kind: 'refused', status, msg } : { kind: 'accepted', msg };
}

/** Reads the order's status (Retrieve Booking) and classifies it for a stop in progress. */
export async function queryOrder(config: AtripConfig, orderNo: string): Promise<QueryResult> {
  const answer = await callAbout(config, 'queryOrderDetails.do', orderNo);
  if ('kind' in answer) return answer;
  const { status, msg } = answer;
  if (status !== 0) return { kind: 'refused', status, msg };
  const read = readOrderStatus(answer.json, orderNo);
  if (!read.ok) return { kind: 'malformed', reason: read.reason, excerpt: excerpt(answer.text) };
  return { kind: 'found', msg, ...read.reading };
}
