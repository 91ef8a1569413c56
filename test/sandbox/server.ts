/**
 * A local ATRIP sandbox: `stopTicket.do`, `queryOrderDetails.do`, a fake portal and control
 * endpoints, on 127.0.0.1 with Node's `http` only. See catalogue.ts for the seeded orders.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  ANCILLARY_ORDER_NO,
  FAILING_QUERIES,
  LOST_ANSWER_MIN_SECONDS,
  ORDERS,
  RATE_LIMIT_RETRY_AFTER_SECONDS,
  SCENARIOS,
  findOrder,
  type OrderStatus,
  type SandboxOrder,
} from './catalogue';
import { PORTAL_HTML } from './portal';
import { servePortals } from './portals';

export interface SandboxOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Seconds between an accepted stop and its outcome; default 480; decimals allowed. */
  interceptSeconds?: number;
  /** Default 'sandbox-client'. */
  clientId?: string;
  /** Default 'sandbox-secret'; null = the secret is not checked (company-proxy mode). */
  clientSecret?: string | null;
  /** Delay of every .do reply for the `slow` scenario; default 20000. */
  slowReplyMs?: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON, or the raw string if not JSON. */
  body: unknown;
}

export interface Sandbox {
  /** 'http://127.0.0.1:<port>' */
  url: string;
  port: number;
  /** Every request to a .do endpoint, in order of arrival (not portal pages / control endpoints). */
  requests: RecordedRequest[];
  callsFor(orderNo: string, path?: '/stopTicket.do' | '/queryOrderDetails.do'): RecordedRequest[];
  clearRequests(): void;
  setInterceptSeconds(s: number): void;
  /** Delay of the `slow` scenario's replies from now on. */
  setSlowReplyMs(ms: number): void;
  /** While offline every new request/connection is destroyed (a network error for the client). */
  setOffline(offline: boolean): void;
  /**
   * Overrides what ATRIP says about an order from now on (`'1'`: never decides; `'-3'`/`'2'`: decided
   * now), whatever its scenario; null removes the override. Cleared by reset().
   */
  setOrderStatus(orderNo: string, status: OrderStatus | null): void;
  /** Forgets all stop requests, order state, overrides, the request log and the one-shot failure counters. */
  reset(): void;
  close(): Promise<void>;
}

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

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-atlas-client-id, x-atlas-client-secret, accept',
  'access-control-max-age': '600',
};

const MAX_BODY = 1 << 20;

class HttpReply {
  /** Send the headers and the start of the body, then cut the connection: an answer that never arrives. */
  cut = false;
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {}
  static lost(value: unknown) {
    const reply = HttpReply.json(value);
    reply.cut = true;
    return reply;
  }
  static json(value: unknown, status = 200, extraHeaders: Record<string, string> = {}) {
    return new HttpReply(status, JSON.stringify(value), 'application/json; charset=utf-8', extraHeaders);
  }
  static html(body: string, status = 200) {
    return new HttpReply(status, body, 'text/html; charset=utf-8');
  }
}

function send(res: http.ServerResponse, reply: HttpReply) {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(reply.status, {
    ...CORS_HEADERS,
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    'cache-control': 'no-store',
    ...reply.extraHeaders,
  });
  if (reply.cut) {
    // Once the response has started, a browser does not retry the request by itself: the client
    // sees a network error for a stop ATRIP took.
    res.write(reply.body.slice(0, 8), () => res.destroy());
    return;
  }
  res.end(reply.body);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw.trim() === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bodyOrderNo(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const orderNo = body.orderNo;
  return typeof orderNo === 'string' && orderNo.trim() !== '' ? orderNo.trim() : undefined;
}

type Endpoint = 'stop' | 'query';
/** Counters of what a gateway answers before ATRIP (per order, whatever the endpoint). */
type Counter = Endpoint | 'gateway';

function endpointOf(path: string): Endpoint | 'other' {
  if (path.endsWith('/stopTicket.do')) return 'stop';
  if (path.endsWith('/queryOrderDetails.do')) return 'query';
  return 'other';
}

const STATUS_LABEL_ZH: Record<OrderStatus, string> = { '0': '待支付', '1': '待出票', '2': '已出票', '-3': '已取消' };

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clientId = options.clientId ?? 'sandbox-client';
  const clientSecret = options.clientSecret === undefined ? 'sandbox-secret' : options.clientSecret;
  let interceptSeconds = options.interceptSeconds ?? 480;
  let slowReplyMs = options.slowReplyMs ?? 20_000;
  let offline = false;

  const requests: RecordedRequest[] = [];
  /** orderNo → time the first accepted stop arrived. */
  const stopAcceptedAt = new Map<string, number>();
  /** Calls served per order and endpoint since start/reset (the scenarios' one-shot counters). */
  const served = new Map<string, number>();
  /** What ATRIP says about an order regardless of its scenario (setOrderStatus). */
  const overrides = new Map<string, OrderStatus>();
  /** Counts this call of the order's endpoint; returns how many came before it. */
  function nth(orderNo: string, endpoint: Counter): number {
    const key = `${orderNo} ${endpoint}`;
    const before = served.get(key) ?? 0;
    served.set(key, before + 1);
    return before;
  }
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  function statusOf(order: SandboxOrder, now = Date.now()): OrderStatus {
    const override = overrides.get(order.orderNo);
    if (override !== undefined) return override;
    const at = stopAcceptedAt.get(order.orderNo);
    if (at === undefined || order.outcome === null) return order.baseStatus;
    const seconds = order.scenario === 'lostAnswer' ? Math.max(interceptSeconds, LOST_ANSWER_MIN_SECONDS) : interceptSeconds;
    if (now >= at + seconds * 1000) return order.outcome;
    return order.baseStatus;
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  function authError(headers: Record<string, string>, body: unknown): HttpReply | null {
    const headerId = headers['x-atlas-client-id'];
    const bodyCid = isRecord(body) && typeof body.cid === 'string' ? body.cid : undefined;
    const id = headerId !== undefined && headerId !== '' ? headerId : bodyCid;
    if (id !== clientId) return HttpReply.json({ status: 900, msg: 'Unauthorised: invalid client id' });
    if (clientSecret !== null && headers['x-atlas-client-secret'] !== clientSecret) {
      return HttpReply.json({ status: 900, msg: 'Unauthorised: invalid client secret' });
    }
    return null;
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

  function queryReply(order: SandboxOrder): HttpReply {
    const status = statusOf(order);
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

  function stopReply(order: SandboxOrder): HttpReply {
    if (order.baseStatus === '0') {
      return HttpReply.json({ status: 801, msg: 'Order is unpaid: ticket issuance cannot be stopped' });
    }
    const before = nth(order.orderNo, 'stop');
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
        if (stopAcceptedAt.has(order.orderNo)) return HttpReply.json({ status: 809, msg: ALREADY_REQUESTED_MSG });
        stopAcceptedAt.set(order.orderNo, Date.now());
        return HttpReply.lost({ status: 0, msg: STOP_ACCEPTED_MSG });
      default:
        break;
    }
    if (!stopAcceptedAt.has(order.orderNo)) stopAcceptedAt.set(order.orderNo, Date.now());
    return HttpReply.json({ status: 0, msg: STOP_ACCEPTED_MSG });
  }

  /** A look-up: some scenarios first answer a non-zero status a few times. */
  function answerQuery(order: SandboxOrder): HttpReply {
    const before = nth(order.orderNo, 'query');
    if (order.scenario === 'queryTimeout705' && before < FAILING_QUERIES) return HttpReply.json({ status: 705, msg: QUERY_TIMEOUT_MSG });
    if (order.scenario === 'queryNotFound800' && before < FAILING_QUERIES) return HttpReply.json({ status: 800, msg: NOT_FOUND_MSG });
    return queryReply(order);
  }

  function rateLimitReply(retryAfter: number): HttpReply {
    return HttpReply.json(
      { code: 429, message: 'Too many requests', limitType: 'client', limit: 10, retryAfter },
      429,
      { 'retry-after': String(retryAfter) },
    );
  }

  /** An ATRIP `.do` call; the request is already recorded. */
  async function handleDo(endpoint: Endpoint | 'other', method: string, headers: Record<string, string>, body: unknown): Promise<HttpReply> {
    if (method !== 'POST') return HttpReply.json({ status: -1, msg: `Method ${method} not allowed` }, 405);
    if (endpoint === 'other') return HttpReply.json({ status: -1, msg: 'Unknown endpoint' }, 404);
    const orderNo = bodyOrderNo(body);
    const order = orderNo === undefined ? undefined : findOrder(orderNo);
    const scenario = order?.scenario ?? null;

    // Transport-level quirks come first: a gateway answers them before any authentication.
    if (scenario === 'slow') await delay(slowReplyMs);
    if (scenario === 'garbage') return HttpReply.html(GARBAGE_HTML);
    if (scenario === 'flaky' && nth(order!.orderNo, 'gateway') === 0) return HttpReply.html(FLAKY_HTML, 500);
    if (scenario === 'rateLimited' && endpoint === 'query' && nth(order!.orderNo, 'gateway') === 0) return rateLimitReply(1);
    if (scenario === 'rateLimitedStop' && endpoint === 'stop' && nth(order!.orderNo, 'gateway') === 0) {
      return rateLimitReply(RATE_LIMIT_RETRY_AFTER_SECONDS);
    }
    if (scenario === 'noStatus') return HttpReply.json({ msg: 'ok', result: true });

    const denied = authError(headers, body);
    if (denied) return denied;
    if (orderNo === undefined) return HttpReply.json({ status: 100, msg: 'Invalid parameter: orderNo' });
    if (!order) return HttpReply.json({ status: 800, msg: 'Order does not exist' });
    return endpoint === 'stop' ? stopReply(order) : answerQuery(order);
  }

  function portalOrder(order: SandboxOrder) {
    return {
      orderNo: order.orderNo,
      route: order.route,
      from: order.from,
      to: order.to,
      flightNo: order.flightNo,
      departureDate: order.departureDate,
      passengers: order.passengers,
      orderStatus: statusOf(order),
      orderStatusText: STATUS_LABEL_ZH[statusOf(order)],
      createdAt: order.createdAt,
      pnr: order.pnr,
    };
  }

  function intParam(value: string | null, fallback: number, min: number, max: number): number {
    const n = value === null ? NaN : Number.parseInt(value, 10);
    if (!Number.isFinite(n)) return fallback;
    return Math.min(max, Math.max(min, n));
  }

  function handlePortalApi(path: string, query: URLSearchParams): HttpReply {
    if (path === '/portal/api/orders') {
      const pageSize = intParam(query.get('pageSize'), 30, 1, 5000);
      const total = ORDERS.length;
      const totalPages = Math.max(1, Math.ceil(total / pageSize));
      const page = intParam(query.get('page'), 1, 1, totalPages);
      const orders = ORDERS.slice((page - 1) * pageSize, page * pageSize).map(portalOrder);
      return HttpReply.json({ page, pageSize, total, totalPages, orders });
    }
    const detail = /^\/portal\/api\/orders\/([^/]+)$/.exec(path);
    if (detail) {
      const order = findOrder(decodeURIComponent(detail[1]!));
      return order ? HttpReply.json(portalOrder(order)) : HttpReply.json({ error: 'Order not found' }, 404);
    }
    return HttpReply.json({ error: 'Not found' }, 404);
  }

  function config() {
    return { interceptSeconds, offline, slowReplyMs, clientId, clientSecretChecked: clientSecret !== null };
  }

  async function handleControl(
    path: string,
    method: string,
    query: URLSearchParams,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<HttpReply> {
    if (path === '/__sandbox/requests' && method === 'GET') {
      const orderNo = query.get('orderNo');
      return HttpReply.json(orderNo ? sandbox.callsFor(orderNo) : requests);
    }
    if (path === '/__sandbox/scenarios' && method === 'GET') return HttpReply.json(SCENARIOS);
    if (path === '/__sandbox/reset' && method === 'POST') {
      sandbox.reset();
      return HttpReply.json({ ok: true });
    }
    if (path === '/__sandbox/config' && method === 'GET') return HttpReply.json(config());
    if (path === '/__sandbox/order-status' && method === 'POST') {
      const body = parseBody(await readBody(req));
      const status = isRecord(body) ? body.orderStatus : undefined;
      if (!isRecord(body) || typeof body.orderNo !== 'string' || !(status === null || ['0', '1', '2', '-3'].includes(status as string))) {
        return HttpReply.json({ error: 'Expected { orderNo, orderStatus: "0" | "1" | "2" | "-3" | null }' }, 400);
      }
      sandbox.setOrderStatus(body.orderNo, status as OrderStatus | null);
      return HttpReply.json({ ok: true });
    }
    if (path === '/__sandbox/config' && method === 'POST') {
      const body = parseBody(await readBody(req));
      if (!isRecord(body)) return HttpReply.json({ error: 'JSON object expected' }, 400);
      if (body.interceptSeconds !== undefined) {
        if (typeof body.interceptSeconds !== 'number' || !(body.interceptSeconds >= 0)) {
          return HttpReply.json({ error: 'interceptSeconds must be a number >= 0' }, 400);
        }
        interceptSeconds = body.interceptSeconds;
      }
      if (typeof body.slowReplyMs === 'number' && body.slowReplyMs >= 0) slowReplyMs = body.slowReplyMs;
      if (typeof body.offline === 'boolean') {
        const next = body.offline;
        // Answer this request first, then cut the other connections.
        res.once('finish', () => sandbox.setOffline(next));
        return HttpReply.json({ ...config(), offline: next });
      }
      return HttpReply.json(config());
    }
    return HttpReply.json({ error: 'Not found' }, 404);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const isControl = path.startsWith('/__sandbox/');

    if (offline && !isControl) {
      req.socket.destroy();
      return;
    }

    if (path.endsWith('.do')) {
      const record: RecordedRequest = { at: Date.now(), method, path, headers: flatHeaders(req.headers), body: undefined };
      requests.push(record);
      let raw: string;
      try {
        raw = await readBody(req);
      } catch {
        req.socket.destroy();
        return;
      }
      record.body = parseBody(raw);
      if (method === 'OPTIONS') {
        send(res, new HttpReply(204, '', 'text/plain'));
        return;
      }
      const reply = await handleDo(endpointOf(path), method, record.headers, record.body);
      if (offline) {
        req.socket.destroy();
        return;
      }
      send(res, reply);
      return;
    }

    if (method === 'OPTIONS') {
      send(res, new HttpReply(204, '', 'text/plain'));
      return;
    }
    if (isControl) {
      send(res, await handleControl(path, method, url.searchParams, req, res));
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(res, HttpReply.json({ error: 'Not found' }, 404));
      return;
    }
    if (path === '/' || path === '/portal') {
      res.writeHead(302, { location: '/portal/' });
      res.end();
      return;
    }
    if (path === '/portal/' || path === '/portal/index.html') {
      send(res, HttpReply.html(PORTAL_HTML));
      return;
    }
    if (path.startsWith('/portal/api/')) {
      send(res, handlePortalApi(path, url.searchParams));
      return;
    }
    // Portal pages built with real Vue table libraries (portals/index.ts).
    if ((path === '/portals' || path.startsWith('/portals/')) && servePortals(path, res)) return;
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    send(res, HttpReply.html('<html><body><h1>404 Not Found</h1></body></html>', 404));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, HttpReply.json({ status: 9999, msg: `Sandbox error: ${String(error)}` }, 500));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 2000;
  // While offline, requests are cut in handle() rather than here, so that the control
  // endpoints stay reachable (e.g. to go back online from another process).
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const sandbox: Sandbox = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    callsFor(orderNo, path) {
      return requests.filter((r) => bodyOrderNo(r.body) === orderNo && (path === undefined || r.path.endsWith(path)));
    },
    clearRequests() {
      requests.length = 0;
    },
    setInterceptSeconds(s) {
      interceptSeconds = s;
    },
    setSlowReplyMs(ms) {
      slowReplyMs = ms;
    },
    setOffline(value) {
      offline = value;
      if (value) {
        // Idle keep-alive connections would otherwise still carry requests.
        for (const socket of sockets) socket.destroy();
      }
    },
    setOrderStatus(orderNo, status) {
      if (status === null) overrides.delete(orderNo);
      else overrides.set(orderNo, status);
    },
    reset() {
      stopAcceptedAt.clear();
      requests.length = 0;
      served.clear();
      overrides.clear();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
    },
  };
  return sandbox;
}
