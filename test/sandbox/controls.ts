/**
 * The sandbox's test controls under `/__sandbox/`, for tests in another process: the request log,
 * the scenarios, reset, an order's status override, and the timings / offline switch.
 */
import type http from 'node:http';
import { SCENARIOS, type OrderStatus } from './catalogue';
import type { AtripState } from './atrip-state';
import { HttpReply, isRecord, parseBody, readBody } from './http';
import type { RecordedRequest, Sandbox } from './server';

export interface ControlDeps {
  sandbox: Sandbox;
  state: AtripState;
  requests: RecordedRequest[];
  isOffline(): boolean;
}

function config({ state, isOffline }: ControlDeps) {
  return {
    interceptSeconds: state.interceptSeconds,
    offline: isOffline(),
    slowReplyMs: state.slowReplyMs,
    clientId: state.clientId,
    clientSecretChecked: state.clientSecret !== null,
  };
}

export async function answerControl(
  deps: ControlDeps,
  url: URL,
  method: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<HttpReply> {
  const { sandbox, state } = deps;
  const path = url.pathname;
  if (path === '/__sandbox/requests' && method === 'GET') {
    const orderNo = url.searchParams.get('orderNo');
    return HttpReply.json(orderNo ? sandbox.callsFor(orderNo) : deps.requests);
  }
  if (path === '/__sandbox/scenarios' && method === 'GET') return HttpReply.json(SCENARIOS);
  if (path === '/__sandbox/reset' && method === 'POST') {
    sandbox.reset();
    return HttpReply.json({ ok: true });
  }
  if (path === '/__sandbox/config' && method === 'GET') return HttpReply.json(config(deps));
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
      state.interceptSeconds = body.interceptSeconds;
    }
    if (typeof body.slowReplyMs === 'number' && body.slowReplyMs >= 0) state.slowReplyMs = body.slowReplyMs;
    if (typeof body.offline === 'boolean') {
      const next = body.offline;
      // Answer this request first, then cut the other connections.
      res.once('finish', () => sandbox.setOffline(next));
      return HttpReply.json({ ...config(deps), offline: next });
    }
    return HttpReply.json(config(deps));
  }
  return HttpReply.json({ error: 'Not found' }, 404);
}
