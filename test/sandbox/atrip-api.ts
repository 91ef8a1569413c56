/**
 * The sandbox's ATRIP API: `stopTicket.do` and `queryOrderDetails.do` as ATRIP answers them, each
 * seeded order's scenario included (catalogue.ts): gateway quirks before authentication, then
 * ATRIP's business answers.
 */
import { ANCILLARY_ORDER_NO, FAILING_QUERIES, RATE_LIMIT_RETRY_AFTER_SECONDS, findOrder, type OrderStatus, type SandboxOrder } from './catalogue';
import type { AtripState } from './atrip-state';
import { HttpReply, bodyOrderNo, isRecord } from './http';

export const STOP_ACCEPTED_MSG =
  'We are trying to intercept the ticket issuance. Please check the order status for result after 8 minutes';
export const STOP_OK_CODE = 'STOP_OK';
export const STOP_OK_MESSAGE = "Ticket issuance stopped at the agent's request";
export const FLAKY_HTML = '<html><body><h1>500 Internal Server Error</h1></body></html>';
export const TOO_FREQUENT_MSG = 'Request too frequent, please try again later';
export const SYSTEM_ERROR_MSG = 'System error';
export const ALREADY_REQUESTED_MSG = 'Stop already requested: ATRIP is processing it';
export const QUERY_TIMEOUT_MSG = 'Query time-out, please retry';
export const NOT_FOUND_MSG = 'Order does not exist';
export const GARBAGE_HTML = '<html>Service Unavailable</html>';

export type Endpoint = 'stop' | 'query';

export function endpointOf(path: string): Endpoint | 'other' {
  if (path.endsWith('/stopTicket.do')) return 'stop';
  if (path.endsWith('/queryOrderDetails.do')) return 'query';
  return 'other';
}

function paxTicketInfos(order: SandboxOrder, status: OrderStatus) {
  return order.passengers.map((p, i) => ({
    paxName: p.name,
    paxType: p.type,
    airlinePNRs: [order.pnr],
    ticketNos: status === '2' ? [order.ticketNos[i]!] : [],
  }));
}

function orderFields(order: SandboxOrder, status: OrderStatus) {
  return {
    orderNo: order.orderNo,
    orderStatus: status,
    ticketStatus: status === '2' ? '1' : '0',
    ...(status === '-3' && { errorCode: STOP_OK_CODE, errorMessage: STOP_OK_MESSAGE }),
    paxTicketInfos: paxTicketInfos(order, status),
  };
}

function queryReply(order: SandboxOrder, status: OrderStatus): HttpReply {
  const fields = orderFields(order, status);
  switch (order.scenario) {
    case 'dataShape':
      return HttpReply.json({ status: 0, msg: null, data: fields });
    case 'numericStatus':
      return HttpReply.json({ status: 0, msg: null, ...fields, orderStatus: Number(status) });
    case 'oddFields': {
      // Everything around the real status is null, empty or unexpected: none of it may hide it.
      const { orderNo: _no, orderStatus: _s, paxTicketInfos: _p, ...rest } = fields;
      return HttpReply.json({
        status: 0,
        msg: null,
        requestId: `req-${order.orderNo}`,
        clientRequestId: null,
        orderNo: null,
        orderStatus: null,
        ticketStatus: null,
        errorCode: null,
        paxTicketInfos: null,
        data: [],
        orderList: [
          null,
          { orderNo: null, orderStatus: 'n/a' },
          { orderNo: ANCILLARY_ORDER_NO, orderStatus: 1, paxTicketInfos: null },
          { orderNo: order.orderNo, orderStatus: Number(status), ...rest, paxTicketInfos: null, extra: { nested: [1, { deep: true }] } },
        ],
        extra: { unknown: [1, 2, 3] },
      });
    }
    case 'orderListShape': {
      const { orderNo: _no, orderStatus: _s, ...rest } = fields;
      return HttpReply.json({
        status: 0,
        msg: null,
        orderNo: order.orderNo,
        orderStatus: null,
        ticketStatus: null,
        orderList: [
          { orderNo: ANCILLARY_ORDER_NO, orderStatus: '1', ticketStatus: '0' },
          { orderNo: order.orderNo, orderStatus: status, ...rest },
        ],
      });
    }
    default:
      return HttpReply.json({ status: 0, msg: null, ...fields });
  }
}

function stopReply(state: AtripState, order: SandboxOrder): HttpReply {
  if (order.baseStatus === '0') {
    return HttpReply.json({ status: 801, msg: 'Order is unpaid: ticket issuance cannot be stopped' });
  }
  const before = state.nth(order.orderNo, 'stop');
  switch (order.scenario) {
    case 'tooFrequentForever':
      return HttpReply.json({ status: 905, msg: TOO_FREQUENT_MSG });
    case 'tooFrequentOnce':
      if (before === 0) return HttpReply.json({ status: 905, msg: TOO_FREQUENT_MSG });
      break;
    case 'systemErrorOnce':
      if (before === 0) return HttpReply.json({ status: 9999, msg: SYSTEM_ERROR_MSG });
      break;
    case 'stopStatus2Once':
      if (before === 0) return HttpReply.json({ status: 2, msg: SYSTEM_ERROR_MSG });
      break;
    case 'lostAnswer':
      if (state.stopAcceptedAt.has(order.orderNo)) return HttpReply.json({ status: 809, msg: ALREADY_REQUESTED_MSG });
      state.stopAcceptedAt.set(order.orderNo, Date.now());
      return HttpReply.lost({ status: 0, msg: STOP_ACCEPTED_MSG });
    default:
      break;
  }
  if (!state.stopAcceptedAt.has(order.orderNo)) state.stopAcceptedAt.set(order.orderNo, Date.now());
  return HttpReply.json({ status: 0, msg: STOP_ACCEPTED_MSG });
}

/** A look-up: some scenarios first answer a non-zero status a few times. */
function answerQuery(state: AtripState, order: SandboxOrder): HttpReply {
  const before = state.nth(order.orderNo, 'query');
  if (order.scenario === 'queryTimeout705' && before < FAILING_QUERIES) return HttpReply.json({ status: 705, msg: QUERY_TIMEOUT_MSG });
  if (order.scenario === 'queryNotFound800' && before < FAILING_QUERIES) return HttpReply.json({ status: 800, msg: NOT_FOUND_MSG });
  return queryReply(order, state.statusOf(order));
}

function rateLimitReply(retryAfter: number): HttpReply {
  return HttpReply.json(
    { code: 429, message: 'Too many requests', limitType: 'client', limit: 10, retryAfter },
    429,
    { 'retry-after': String(retryAfter) },
  );
}

function authError(state: AtripState, headers: Record<string, string>, body: unknown): HttpReply | null {
  const headerId = headers['x-atlas-client-id'];
  const bodyCid = isRecord(body) && typeof body.cid === 'string' ? body.cid : undefined;
  const id = headerId !== undefined && headerId !== '' ? headerId : bodyCid;
  if (id !== state.clientId) return HttpReply.json({ status: 900, msg: 'Unauthorised: invalid client id' });
  if (state.clientSecret !== null && headers['x-atlas-client-secret'] !== state.clientSecret) {
    return HttpReply.json({ status: 900, msg: 'Unauthorised: invalid client secret' });
  }
  return null;
}

export interface DoCall {
  endpoint: Endpoint | 'other';
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An ATRIP `.do` call (already recorded); `delay` waits in a way the sandbox can cancel on close. */
export async function answerDo(state: AtripState, call: DoCall, delay: (ms: number) => Promise<void>): Promise<HttpReply> {
  const { endpoint, method, headers, body } = call;
  if (method !== 'POST') return HttpReply.json({ status: -1, msg: `Method ${method} not allowed` }, 405);
  if (endpoint === 'other') return HttpReply.json({ status: -1, msg: 'Unknown endpoint' }, 404);
  const orderNo = bodyOrderNo(body);
  const order = orderNo === undefined ? undefined : findOrder(orderNo);
  const scenario = order?.scenario ?? null;

  // Transport-level quirks come first: a gateway answers them before any authentication.
  if (scenario === 'slow') await delay(state.slowReplyMs);
  if (scenario === 'garbage') return HttpReply.html(GARBAGE_HTML);
  if (scenario === 'flaky' && state.nth(order!.orderNo, 'gateway') === 0) return HttpReply.html(FLAKY_HTML, 500);
  if (scenario === 'rateLimited' && endpoint === 'query' && state.nth(order!.orderNo, 'gateway') === 0) return rateLimitReply(1);
  if (scenario === 'rateLimitedStop' && endpoint === 'stop' && state.nth(order!.orderNo, 'gateway') === 0) {
    return rateLimitReply(RATE_LIMIT_RETRY_AFTER_SECONDS);
  }
  if (scenario === 'noStatus') return HttpReply.json({ msg: 'ok', result: true });

  const denied = authError(state, headers, body);
  if (denied) return denied;
  if (orderNo === undefined) return HttpReply.json({ status: 100, msg: 'Invalid parameter: orderNo' });
  if (!order) return HttpReply.json({ status: 800, msg: 'Order does not exist' });
  return endpoint === 'stop' ? stopReply(state, order) : answerQuery(state, order);
}
