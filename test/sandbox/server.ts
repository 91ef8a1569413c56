/**
 * A local ATRIP sandbox on 127.0.0.1 with Node's `http` only: the server, its routing and its
 * lifecycle (offline, reset, close). What it serves: the ATRIP API (atrip-api.ts, over the state in
 * atrip-state.ts), the portal pages and their data (portal-routes.ts), the test controls
 * (controls.ts). See catalogue.ts for the seeded orders.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerDo, endpointOf } from './atrip-api';
import { AtripState } from './atrip-state';
import type { OrderStatus } from './catalogue';
import { answerControl } from './controls';
import { HttpReply, bodyOrderNo, flatHeaders, parseBody, readBody, send } from './http';
import { servePortalSide } from './portal-routes';

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

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = new AtripState(
    options.clientId ?? 'sandbox-client',
    options.clientSecret === undefined ? 'sandbox-secret' : options.clientSecret,
    options.interceptSeconds ?? 480,
    options.slowReplyMs ?? 20_000,
  );
  let offline = false;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
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
      const reply = await answerDo(state, { endpoint: endpointOf(path), method, headers: record.headers, body: record.body }, delay);
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
      send(res, await answerControl({ sandbox, state, requests, isOffline: () => offline }, url, method, req, res));
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(res, HttpReply.json({ error: 'Not found' }, 404));
      return;
    }
    if (servePortalSide(state, url, res)) return;
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
      state.interceptSeconds = s;
    },
    setSlowReplyMs(ms) {
      state.slowReplyMs = ms;
    },
    setOffline(value) {
      offline = value;
      if (value) {
        // Idle keep-alive connections would otherwise still carry requests.
        for (const socket of sockets) socket.destroy();
      }
    },
    setOrderStatus(orderNo, status) {
      state.setOrderStatus(orderNo, status);
    },
    reset() {
      state.reset();
      requests.length = 0;
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
