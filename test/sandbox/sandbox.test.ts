/** The local ATRIP sandbox as a whole, over HTTP: the catalogue, authentication, ATRIP's answer table scenario by scenario, the portal data and the slow scenario. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORDER_NO_PATTERN, ORDERS, SCENARIOS, buildOrders } from './catalogue';
import { startSandbox, type Sandbox } from './server';

const ID = 'sandbox-client';
const SECRET = 'sandbox-secret';
const AUTH = { 'x-atlas-client-id': ID, 'x-atlas-client-secret': SECRET };

type Json = Record<string, any>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(
  sandbox: Sandbox,
  path: string,
  body: unknown,
  headers: Record<string, string> = AUTH,
): Promise<{ status: number; type: string; text: string; json: Json | undefined }> {
  const res = await fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

const stop = (s: Sandbox, orderNo: string, headers?: Record<string, string>) =>
  post(s, '/stopTicket.do', { cid: ID, orderNo }, headers);
const query = (s: Sandbox, orderNo: string, headers?: Record<string, string>) =>
  post(s, '/queryOrderDetails.do', { cid: ID, orderNo }, headers);

describe('catalogue', () => {
  it('has the scenario orders first, then ~2,400 deterministic ordinary orders, all matching the pattern', () => {
    expect(Object.keys(SCENARIOS)).toEqual([
      'intercept', 'issue', 'alreadyIssued', 'unpaid', 'slow', 'flaky', 'garbage',
      'noStatus', 'pending', 'dataShape', 'numericStatus', 'orderListShape', 'rateLimited',
      'tooFrequentOnce', 'systemErrorOnce', 'stopStatus2Once', 'lostAnswer', 'queryTimeout705',
      'queryNotFound800', 'rateLimitedStop', 'oddFields', 'tooFrequentForever',
    ]);
    // The numbers are fixed: 001-022 in the order above.
    Object.values(SCENARIOS).forEach((orderNo, i) => expect(orderNo).toBe(`TESTA20261126090000${String(i + 1).padStart(3, '0')}`));
    expect(ORDERS.slice(0, 22).map((o) => o.orderNo)).toEqual(Object.values(SCENARIOS));
    expect(ORDERS.length).toBeGreaterThanOrEqual(2400);
    expect(new Set(ORDERS.map((o) => o.orderNo)).size).toBe(ORDERS.length);
    for (const o of ORDERS) expect(o.orderNo).toMatch(ORDER_NO_PATTERN);
    expect(ORDERS[22]!.orderNo).toBe('TESTB20261125100000001');
    expect(buildOrders()).toEqual(ORDERS);
    const names = ORDERS.flatMap((o) => o.passengers.map((p) => p.name));
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Z]+\//.test(n))).toBe(true);
  });
});

describe('ATRIP sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, interceptSeconds: 1 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
    sandbox.setInterceptSeconds(1);
    sandbox.setOffline(false);
  });

  it('binds to 127.0.0.1 and answers CORS preflight with 204', async () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    const res = await fetch(`${sandbox.url}/stopTicket.do`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'content-type, x-atlas-client-id, x-atlas-client-secret, accept',
    );
    const reply = await stop(sandbox, SCENARIOS.intercept);
    expect(reply.type).toMatch(/^application\/json/);
  });

  describe('authentication', () => {
    it('refuses a wrong client id', async () => {
      const r = await stop(sandbox, SCENARIOS.intercept, { 'x-atlas-client-id': 'nope', 'x-atlas-client-secret': SECRET });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ status: 900, msg: 'Unauthorised: invalid client id' });
    });

    it('refuses a missing client id', async () => {
      const r = await post(sandbox, '/stopTicket.do', { orderNo: SCENARIOS.intercept }, { 'x-atlas-client-secret': SECRET });
      expect(r.json).toEqual({ status: 900, msg: 'Unauthorised: invalid client id' });
    });

    it('refuses a wrong or missing secret', async () => {
      const wrong = await stop(sandbox, SCENARIOS.intercept, { 'x-atlas-client-id': ID, 'x-atlas-client-secret': 'x' });
      expect(wrong.json).toEqual({ status: 900, msg: 'Unauthorised: invalid client secret' });
      const missing = await stop(sandbox, SCENARIOS.intercept, { 'x-atlas-client-id': ID });
      expect(missing.json).toEqual({ status: 900, msg: 'Unauthorised: invalid client secret' });
      // Auth failures are recorded like every request.
      expect(sandbox.callsFor(SCENARIOS.intercept, '/stopTicket.do')).toHaveLength(2);
    });

    it('takes the client id from body cid when the header is absent', async () => {
      const r = await stop(sandbox, SCENARIOS.intercept, { 'x-atlas-client-secret': SECRET });
      expect(r.json?.status).toBe(0);
    });

    it('does not check the secret in company-proxy mode (clientSecret: null)', async () => {
      const proxy = await startSandbox({ clientSecret: null, interceptSeconds: 1 });
      try {
        const r = await stop(proxy, SCENARIOS.intercept, {});
        expect(r.json?.status).toBe(0);
        const bad = await post(proxy, '/stopTicket.do', { cid: 'other', orderNo: SCENARIOS.intercept }, {});
        expect(bad.json).toEqual({ status: 900, msg: 'Unauthorised: invalid client id' });
      } finally {
        await proxy.close();
      }
    });
  });

  it('rejects a non-JSON body or a missing orderNo with status 100, an unknown order with 800', async () => {
    const notJson = await post(sandbox, '/stopTicket.do', 'orderNo=1');
    expect(notJson.json).toEqual({ status: 100, msg: 'Invalid parameter: orderNo' });
    const missing = await post(sandbox, '/queryOrderDetails.do', { cid: ID });
    expect(missing.json).toEqual({ status: 100, msg: 'Invalid parameter: orderNo' });
    const unknown = await query(sandbox, 'ZZZZZ20990101000000000');
    expect(unknown.json).toEqual({ status: 800, msg: 'Order does not exist' });
    const unknownStop = await stop(sandbox, 'ZZZZZ20990101000000000');
    expect(unknownStop.json).toEqual({ status: 800, msg: 'Order does not exist' });
    expect(sandbox.requests[0]!.body).toBe('orderNo=1');
  });

  it('intercept: stop accepted, "1" until interceptSeconds have passed, then "-3" with STOP_OK', async () => {
    const before = await query(sandbox, SCENARIOS.intercept);
    expect(before.json).toMatchObject({ status: 0, msg: null, orderNo: SCENARIOS.intercept, orderStatus: '1', ticketStatus: '0' });

    const r = await stop(sandbox, SCENARIOS.intercept);
    expect(r.json).toEqual({
      status: 0,
      msg: 'We are trying to intercept the ticket issuance. Please check the order status for result after 8 minutes',
    });
    expect((await query(sandbox, SCENARIOS.intercept)).json?.orderStatus).toBe('1');
    await sleep(600);
    // A repeated stop answers 0 again but does not move the clock.
    expect((await stop(sandbox, SCENARIOS.intercept)).json?.status).toBe(0);
    expect((await query(sandbox, SCENARIOS.intercept)).json?.orderStatus).toBe('1');
    await sleep(500);
    const after = await query(sandbox, SCENARIOS.intercept);
    expect(after.json).toMatchObject({
      status: 0,
      orderStatus: '-3',
      ticketStatus: '0',
      errorCode: 'STOP_OK',
      errorMessage: "Ticket issuance stopped at the agent's request",
    });
    expect(Array.isArray(after.json?.paxTicketInfos)).toBe(true);
  });

  it('issue: becomes "2" with ticket numbers', async () => {
    sandbox.setInterceptSeconds(0.2);
    await stop(sandbox, SCENARIOS.issue);
    expect((await query(sandbox, SCENARIOS.issue)).json?.orderStatus).toBe('1');
    await sleep(250);
    const r = await query(sandbox, SCENARIOS.issue);
    expect(r.json).toMatchObject({ status: 0, orderStatus: '2', ticketStatus: '1' });
    expect(r.json?.errorCode).toBeUndefined();
    expect(r.json?.paxTicketInfos[0].ticketNos[0]).toMatch(/^\d{3}-\d{10}$/);
    expect(r.json?.paxTicketInfos[0].airlinePNRs[0]).toMatch(/^[A-Z0-9]{6}$/);
  });

  it('alreadyIssued: "2" from the start, stop still answers 0', async () => {
    expect((await query(sandbox, SCENARIOS.alreadyIssued)).json).toMatchObject({ orderStatus: '2', ticketStatus: '1' });
    expect((await stop(sandbox, SCENARIOS.alreadyIssued)).json?.status).toBe(0);
    expect((await query(sandbox, SCENARIOS.alreadyIssued)).json?.orderStatus).toBe('2');
  });

  it('unpaid: stop refused with 801, status stays "0"', async () => {
    const r = await stop(sandbox, SCENARIOS.unpaid);
    expect(r.json).toEqual({ status: 801, msg: 'Order is unpaid: ticket issuance cannot be stopped' });
    expect((await query(sandbox, SCENARIOS.unpaid)).json?.orderStatus).toBe('0');
  });

  it('pending: stays "1" after the stop', async () => {
    sandbox.setInterceptSeconds(0);
    expect((await stop(sandbox, SCENARIOS.pending)).json?.status).toBe(0);
    await sleep(20);
    expect((await query(sandbox, SCENARIOS.pending)).json?.orderStatus).toBe('1');
  });

  it('flaky: HTTP 500 with HTML once (either endpoint), then fine; again after reset', async () => {
    const first = await query(sandbox, SCENARIOS.flaky);
    expect(first.status).toBe(500);
    expect(first.type).toMatch(/^text\/html/);
    expect(first.text).toBe('<html><body><h1>500 Internal Server Error</h1></body></html>');
    const second = await stop(sandbox, SCENARIOS.flaky);
    expect(second.status).toBe(200);
    expect(second.json?.status).toBe(0);
    sandbox.reset();
    expect((await stop(sandbox, SCENARIOS.flaky)).status).toBe(500);
    expect((await stop(sandbox, SCENARIOS.flaky)).json?.status).toBe(0);
  });

  it('garbage: HTTP 200 text/html, not JSON, on every call', async () => {
    for (const r of [await stop(sandbox, SCENARIOS.garbage), await query(sandbox, SCENARIOS.garbage)]) {
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/^text\/html/);
      expect(r.text).toBe('<html>Service Unavailable</html>');
      expect(r.json).toBeUndefined();
    }
  });

  it('noStatus: JSON without status', async () => {
    expect((await stop(sandbox, SCENARIOS.noStatus)).json).toEqual({ msg: 'ok', result: true });
    expect((await query(sandbox, SCENARIOS.noStatus)).json).toEqual({ msg: 'ok', result: true });
  });

  it('dataShape: order fields inside data', async () => {
    sandbox.setInterceptSeconds(0.1);
    const before = await query(sandbox, SCENARIOS.dataShape);
    expect(before.json).toMatchObject({ status: 0, msg: null, data: { orderNo: SCENARIOS.dataShape, orderStatus: '1' } });
    expect(before.json?.orderStatus).toBeUndefined();
    await stop(sandbox, SCENARIOS.dataShape);
    await sleep(150);
    const after = await query(sandbox, SCENARIOS.dataShape);
    expect(after.json?.data).toMatchObject({ orderStatus: '-3', ticketStatus: '0', errorCode: 'STOP_OK' });
  });

  it('numericStatus: orderStatus is a number', async () => {
    sandbox.setInterceptSeconds(0.1);
    expect((await query(sandbox, SCENARIOS.numericStatus)).json?.orderStatus).toBe(1);
    await stop(sandbox, SCENARIOS.numericStatus);
    await sleep(150);
    expect((await query(sandbox, SCENARIOS.numericStatus)).json).toMatchObject({ status: 0, orderStatus: 2, ticketStatus: '1' });
  });

  it('orderListShape: top-level orderStatus null, values in orderList[] beside an ancillary order', async () => {
    sandbox.setInterceptSeconds(0.1);
    const before = await query(sandbox, SCENARIOS.orderListShape);
    expect(before.json?.orderStatus).toBeNull();
    expect(before.json?.orderList).toHaveLength(2);
    const [ancillary, own] = before.json?.orderList as Json[];
    expect(ancillary!.orderNo).not.toBe(SCENARIOS.orderListShape);
    expect(ancillary!.orderStatus).toBe('1');
    expect(own).toMatchObject({ orderNo: SCENARIOS.orderListShape, orderStatus: '1' });
    await stop(sandbox, SCENARIOS.orderListShape);
    await sleep(150);
    const after = await query(sandbox, SCENARIOS.orderListShape);
    expect(after.json?.orderStatus).toBeNull();
    expect(after.json?.orderList[0].orderStatus).toBe('1');
    expect(after.json?.orderList[1]).toMatchObject({ orderNo: SCENARIOS.orderListShape, orderStatus: '-3', errorCode: 'STOP_OK' });
  });

  it('rateLimited: the first query answers HTTP 429 once; the stop is not limited', async () => {
    expect((await stop(sandbox, SCENARIOS.rateLimited)).json?.status).toBe(0);
    const first = await query(sandbox, SCENARIOS.rateLimited);
    expect(first.status).toBe(429);
    expect(first.json).toEqual({ code: 429, message: 'Too many requests', limitType: 'client', limit: 10, retryAfter: 1 });
    const second = await query(sandbox, SCENARIOS.rateLimited);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ status: 0, orderStatus: '1' });
  });

  describe("ATRIP's answer table (per-order one-shot counters, cleared by reset)", () => {
    it('tooFrequentOnce: 905, then accepted and intercepted; again after reset', async () => {
      sandbox.setInterceptSeconds(0);
      expect((await stop(sandbox, SCENARIOS.tooFrequentOnce)).json).toEqual({ status: 905, msg: expect.any(String) });
      expect((await query(sandbox, SCENARIOS.tooFrequentOnce)).json?.orderStatus).toBe('1'); // not taken
      expect((await stop(sandbox, SCENARIOS.tooFrequentOnce)).json?.status).toBe(0);
      expect((await query(sandbox, SCENARIOS.tooFrequentOnce)).json?.orderStatus).toBe('-3');
      sandbox.reset();
      expect((await stop(sandbox, SCENARIOS.tooFrequentOnce)).json?.status).toBe(905);
    });

    it.each([
      ['systemErrorOnce', 9999, '-3'],
      ['stopStatus2Once', 2, '2'],
    ] as const)('%s: status %s once, then accepted; decides %s', async (name, status, outcome) => {
      sandbox.setInterceptSeconds(0);
      expect((await stop(sandbox, SCENARIOS[name])).json).toEqual({ status, msg: 'System error' });
      expect((await stop(sandbox, SCENARIOS[name])).json?.status).toBe(0);
      expect((await query(sandbox, SCENARIOS[name])).json?.orderStatus).toBe(outcome);
    });

    it('lostAnswer: the first stop is taken but its answer cut; repeats get 809; decided after LOST_ANSWER_MIN_SECONDS', async () => {
      sandbox.setInterceptSeconds(0);
      await expect(stop(sandbox, SCENARIOS.lostAnswer)).rejects.toThrow();
      expect((await query(sandbox, SCENARIOS.lostAnswer)).json?.orderStatus).toBe('1'); // intercepting, not decided yet
      expect((await stop(sandbox, SCENARIOS.lostAnswer)).json).toEqual({ status: 809, msg: expect.stringContaining('already requested') });
      expect(sandbox.callsFor(SCENARIOS.lostAnswer, '/stopTicket.do')).toHaveLength(2);
      sandbox.setOrderStatus(SCENARIOS.lostAnswer, '-3'); // skip the wait
      expect((await query(sandbox, SCENARIOS.lostAnswer)).json?.orderStatus).toBe('-3');
    });

    it.each([
      ['queryTimeout705', 705, '-3'],
      ['queryNotFound800', 800, '2'],
    ] as const)('%s: the first three look-ups answer %s, then the real status (%s)', async (name, status, outcome) => {
      sandbox.setInterceptSeconds(0);
      expect((await stop(sandbox, SCENARIOS[name])).json?.status).toBe(0);
      for (let i = 0; i < 3; i++) expect((await query(sandbox, SCENARIOS[name])).json?.status).toBe(status);
      expect((await query(sandbox, SCENARIOS[name])).json).toMatchObject({ status: 0, orderStatus: outcome });
    });

    it('rateLimitedStop: the first stop gets 429 with retryAfter in body and header, then accepted', async () => {
      const first = await stop(sandbox, SCENARIOS.rateLimitedStop);
      expect(first.status).toBe(429);
      expect(first.json).toMatchObject({ code: 429, retryAfter: 3 });
      expect((await stop(sandbox, SCENARIOS.rateLimitedStop)).json?.status).toBe(0);
    });

    it('oddFields: null and odd fields everywhere, the real status only in its orderList entry', async () => {
      sandbox.setInterceptSeconds(0);
      await stop(sandbox, SCENARIOS.oddFields);
      const reply = (await query(sandbox, SCENARIOS.oddFields)).json!;
      expect(reply).toMatchObject({ status: 0, orderNo: null, orderStatus: null, data: [], paxTicketInfos: null });
      expect(reply.orderList.at(-1)).toMatchObject({ orderNo: SCENARIOS.oddFields, orderStatus: -3, paxTicketInfos: null });
    });

    it('tooFrequentForever: every stop answers 905, the order stays "1"', async () => {
      for (let i = 0; i < 3; i++) expect((await stop(sandbox, SCENARIOS.tooFrequentForever)).json?.status).toBe(905);
      expect((await query(sandbox, SCENARIOS.tooFrequentForever)).json?.orderStatus).toBe('1');
    });

    it('setOrderStatus (and POST /__sandbox/order-status) override any scenario until reset', async () => {
      sandbox.setOrderStatus(SCENARIOS.pending, '-3');
      expect((await query(sandbox, SCENARIOS.pending)).json?.orderStatus).toBe('-3');
      const res = await fetch(`${sandbox.url}/__sandbox/order-status`, {
        method: 'POST',
        body: JSON.stringify({ orderNo: SCENARIOS.intercept, orderStatus: '2' }),
      });
      expect(res.status).toBe(200);
      expect((await query(sandbox, SCENARIOS.intercept)).json?.orderStatus).toBe('2');
      const bad = await fetch(`${sandbox.url}/__sandbox/order-status`, { method: 'POST', body: JSON.stringify({ orderNo: 'x', orderStatus: 'won' }) });
      expect(bad.status).toBe(400);
      sandbox.reset();
      expect((await query(sandbox, SCENARIOS.pending)).json?.orderStatus).toBe('1');
    });
  });

  it('records every .do request with path, lower-cased headers and parsed body', async () => {
    await fetch(`${sandbox.url}/portal/`);
    await fetch(`${sandbox.url}/__sandbox/scenarios`);
    await post(sandbox, '/stopTicket.do', { cid: ID, orderNo: SCENARIOS.issue }, { 'X-Atlas-Client-Id': ID, 'X-Atlas-Client-Secret': SECRET });
    await query(sandbox, SCENARIOS.issue);
    await query(sandbox, SCENARIOS.intercept);
    expect(sandbox.requests.map((r) => r.path)).toEqual(['/stopTicket.do', '/queryOrderDetails.do', '/queryOrderDetails.do']);
    const [first] = sandbox.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/stopTicket.do', body: { cid: ID, orderNo: SCENARIOS.issue } });
    expect(first!.headers['x-atlas-client-id']).toBe(ID);
    expect(first!.headers['x-atlas-client-secret']).toBe(SECRET);
    expect(first!.headers['content-type']).toBe('application/json');
    expect(Object.keys(first!.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(first!.at).toBeGreaterThan(Date.now() - 10_000);
    expect(sandbox.callsFor(SCENARIOS.issue)).toHaveLength(2);
    expect(sandbox.callsFor(SCENARIOS.issue, '/stopTicket.do')).toHaveLength(1);
    expect(sandbox.callsFor(SCENARIOS.issue, '/queryOrderDetails.do')).toHaveLength(1);

    const viaHttp = (await (await fetch(`${sandbox.url}/__sandbox/requests`)).json()) as unknown[];
    expect(viaHttp).toHaveLength(3);
    sandbox.clearRequests();
    expect(sandbox.requests).toHaveLength(0);
  });

  it('setOffline makes fetch reject, then recovers', async () => {
    // Open a keep-alive connection first: it must be cut too.
    expect((await query(sandbox, SCENARIOS.intercept)).status).toBe(200);
    sandbox.setOffline(true);
    try {
      await expect(query(sandbox, SCENARIOS.intercept)).rejects.toThrow();
      await expect(fetch(`${sandbox.url}/portal/`)).rejects.toThrow();
    } finally {
      sandbox.setOffline(false);
    }
    expect((await query(sandbox, SCENARIOS.intercept)).status).toBe(200);
  });

  it('control endpoints: config (intercept seconds, offline), reset, scenarios', async () => {
    expect(await (await fetch(`${sandbox.url}/__sandbox/scenarios`)).json()).toEqual(SCENARIOS);
    const cfg = await fetch(`${sandbox.url}/__sandbox/config`, {
      method: 'POST',
      body: JSON.stringify({ interceptSeconds: 0 }),
    });
    expect(await cfg.json()).toMatchObject({ interceptSeconds: 0 });
    await stop(sandbox, SCENARIOS.intercept);
    expect((await query(sandbox, SCENARIOS.intercept)).json?.orderStatus).toBe('-3');

    await fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ offline: true }) });
    await expect(query(sandbox, SCENARIOS.intercept)).rejects.toThrow();
    await fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ offline: false }) });

    await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(sandbox.requests).toHaveLength(0);
    expect((await query(sandbox, SCENARIOS.intercept)).json?.orderStatus).toBe('1');
  });

  describe('portal', () => {
    it('redirects / to /portal/ and serves the single-page app', async () => {
      const root = await fetch(`${sandbox.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/portal/');
      const res = await fetch(`${sandbox.url}/portal/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('<main id="app">');
      expect(html).toContain('订单中心');
      expect(html).toContain('我的订单');
      expect(html).toContain('order-table');
      expect(html).not.toMatch(/(src|href)="https?:/);
      expect(sandbox.requests).toHaveLength(0);
    });

    it('pages the order list with live statuses', async () => {
      const page1 = (await (await fetch(`${sandbox.url}/portal/api/orders`)).json()) as Json;
      expect(page1).toMatchObject({ page: 1, pageSize: 30, total: ORDERS.length, totalPages: Math.ceil(ORDERS.length / 30) });
      expect(page1.orders).toHaveLength(30);
      expect(page1.orders[0]).toMatchObject({ orderNo: SCENARIOS.intercept, orderStatus: '1', route: expect.stringMatching(/^[A-Z]{3}→[A-Z]{3}$/) });

      const page2 = (await (await fetch(`${sandbox.url}/portal/api/orders?page=2&pageSize=30`)).json()) as Json;
      expect(page2.page).toBe(2);
      expect(page2.orders[0].orderNo).toBe(ORDERS[30]!.orderNo);

      const big = (await (await fetch(`${sandbox.url}/portal/api/orders?pageSize=2000`)).json()) as Json;
      expect(big.orders).toHaveLength(2000);
      expect(big.totalPages).toBe(2);

      sandbox.setInterceptSeconds(0);
      await stop(sandbox, SCENARIOS.intercept);
      const live = (await (await fetch(`${sandbox.url}/portal/api/orders?page=1&pageSize=5`)).json()) as Json;
      expect(live.orders[0].orderStatus).toBe('-3');
      expect(live.orders[3].orderStatus).toBe('0');

      const detail = await fetch(`${sandbox.url}/portal/api/orders/${SCENARIOS.issue}`);
      expect(((await detail.json()) as Json).orderNo).toBe(SCENARIOS.issue);
      expect((await fetch(`${sandbox.url}/portal/api/orders/NOPE`)).status).toBe(404);
    });
  });
});

describe('slow scenario', () => {
  let slow: Sandbox;
  beforeAll(async () => {
    slow = await startSandbox({ slowReplyMs: 300, interceptSeconds: 0 });
  });
  afterAll(async () => {
    await slow.close();
  });

  it('delays every reply by slowReplyMs, then behaves like intercept', async () => {
    const t0 = Date.now();
    expect((await stop(slow, SCENARIOS.slow)).json?.status).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    const t1 = Date.now();
    expect((await query(slow, SCENARIOS.slow)).json).toMatchObject({ status: 0, orderStatus: '-3' });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(280);
    // Other orders are not slowed down.
    const t2 = Date.now();
    await query(slow, SCENARIOS.intercept);
    expect(Date.now() - t2).toBeLessThan(250);
  });
});
