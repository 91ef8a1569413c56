import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryOrder, stopTicket, type AtripConfig } from '@/utils/background/logic/atrip-client';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { SCENARIOS } from '../sandbox/catalogue';

// The client against the local ATRIP sandbox over real HTTP: no mocked fetch.
let sandbox: Sandbox;
let config: AtripConfig;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, interceptSeconds: 0.2, slowReplyMs: 1500 });
  config = { apiBaseUrl: sandbox.url, clientId: 'sandbox-client', clientSecret: 'sandbox-secret', timeoutMs: 500 };
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

describe('stopTicket', () => {
  it('accepted: status 0 with its msg, sent with both auth forms', async () => {
    const result = await stopTicket(config, SCENARIOS.intercept);
    expect(result).toEqual({ kind: 'accepted', msg: expect.stringContaining('trying to intercept') });
    const [request] = sandbox.callsFor(SCENARIOS.intercept, '/stopTicket.do');
    expect(request?.method).toBe('POST');
    expect(request?.headers).toMatchObject({
      'x-atlas-client-id': 'sandbox-client',
      'x-atlas-client-secret': 'sandbox-secret',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(request?.body).toEqual({ cid: 'sandbox-client', orderNo: SCENARIOS.intercept });
  });

  it('refused: the business status and msg', async () => {
    const result = await stopTicket(config, SCENARIOS.unpaid);
    expect(result).toEqual({ kind: 'refused', status: 801, msg: expect.stringContaining('unpaid') });
  });

  it('wrong client id: ATRIP refuses with its message', async () => {
    const result = await stopTicket({ ...config, clientId: 'nobody' }, SCENARIOS.intercept);
    expect(result).toMatchObject({ kind: 'refused', status: 900 });
  });

  it('no secret: the header is left out (a company proxy adds it)', async () => {
    await stopTicket({ ...config, clientSecret: '' }, SCENARIOS.intercept);
    expect(sandbox.requests.at(-1)?.headers).not.toHaveProperty('x-atlas-client-secret');
  });

  it('HTTP 500: an http failure with an excerpt of the body', async () => {
    const result = await stopTicket(config, SCENARIOS.flaky);
    expect(result).toMatchObject({ kind: 'http', httpStatus: 500, excerpt: expect.stringContaining('500 Internal Server Error') });
    expect((await stopTicket(config, SCENARIOS.flaky)).kind).toBe('accepted');
  });

  it('non-JSON body: malformed, with an excerpt', async () => {
    const result = await stopTicket(config, SCENARIOS.garbage);
    expect(result).toEqual({ kind: 'malformed', reason: 'not-json', excerpt: '<html>Service Unavailable</html>' });
  });

  it('JSON without status: malformed', async () => {
    const result = await stopTicket(config, SCENARIOS.noStatus);
    expect(result).toMatchObject({ kind: 'malformed', reason: 'no-status' });
  });

  it('time-out: no reply within the limit', async () => {
    const result = await stopTicket(config, SCENARIOS.slow);
    expect(result).toEqual({ kind: 'timeout', afterMs: 500 });
  });

  it('connection refused: network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await stopTicket({ ...config, apiBaseUrl: `http://127.0.0.1:${port}` }, SCENARIOS.intercept);
    expect(result.kind).toBe('network');
  });

  it('offline sandbox: network', async () => {
    sandbox.setOffline(true);
    try {
      expect((await stopTicket(config, SCENARIOS.intercept)).kind).toBe('network');
    } finally {
      sandbox.setOffline(false);
    }
  });

  it('an invalid order number makes no request', async () => {
    const result = await stopTicket(config, 'TESTA2026112609000000');
    expect(result).toMatchObject({ kind: 'invalid' });
    expect(sandbox.requests).toEqual([]);
  });

  it('never sends the secret over http to anything but this computer, nor a call the extension may not make', async () => {
    const insecure = await stopTicket({ ...config, apiBaseUrl: 'http://proxy.example' }, SCENARIOS.intercept);
    expect(insecure).toEqual({ kind: 'blocked', reason: 'insecure', origin: 'http://proxy.example' });
    const asked: string[] = [];
    const canReach = async (origin: string) => (asked.push(origin), false);
    const denied = await queryOrder({ ...config, canReach }, SCENARIOS.intercept);
    expect(denied).toEqual({ kind: 'blocked', reason: 'no-permission', origin: sandbox.url });
    expect(asked).toEqual([sandbox.url]);
    expect(sandbox.requests).toEqual([]);
    // Loopback (the sandbox) over http, with access: sent.
    expect((await stopTicket({ ...config, canReach: async () => true }, SCENARIOS.intercept)).kind).toBe('accepted');
  });

  it('a trailing slash on the base URL works the same', async () => {
    expect((await stopTicket({ ...config, apiBaseUrl: `${sandbox.url}/` }, SCENARIOS.intercept)).kind).toBe('accepted');
    expect(sandbox.requests.at(-1)?.path).toBe('/stopTicket.do');
  });
});

describe('queryOrder', () => {
  it('pending before the decision, intercepted (-3, top level string) after', async () => {
    await stopTicket(config, SCENARIOS.intercept);
    expect(await queryOrder(config, SCENARIOS.intercept)).toMatchObject({ kind: 'found', orderStatus: '1', outcome: 'pending' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.intercept)).toMatchObject({ kind: 'found', orderStatus: '-3', outcome: 'intercepted', errorCode: 'STOP_OK' });
  });

  it('orderStatus "-3" inside data', async () => {
    await stopTicket(config, SCENARIOS.dataShape);
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.dataShape)).toMatchObject({ kind: 'found', orderStatus: '-3', outcome: 'intercepted' });
  });

  it('orderStatus 2 as a number at top level', async () => {
    await stopTicket(config, SCENARIOS.numericStatus);
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.numericStatus)).toMatchObject({ kind: 'found', orderStatus: '2', outcome: 'issued' });
  });

  it('orderList[]: takes the entry of our order, not the ancillary one', async () => {
    await stopTicket(config, SCENARIOS.orderListShape);
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.orderListShape)).toMatchObject({ orderStatus: '-3', outcome: 'intercepted' });
  });

  it('429 keeps retryAfter', async () => {
    expect(await queryOrder(config, SCENARIOS.rateLimited)).toMatchObject({ kind: 'http', httpStatus: 429, retryAfterSeconds: 1 });
  });

  it('unknown order: refused 800', async () => {
    expect(await queryOrder(config, 'ZZZZZ00000000000000000')).toMatchObject({ kind: 'refused', status: 800 });
  });
});

describe("the sandbox's answer-table scenarios, as the client reads them", () => {
  it('905 once, then accepted', async () => {
    expect(await stopTicket(config, SCENARIOS.tooFrequentOnce)).toMatchObject({ kind: 'refused', status: 905 });
    expect(await stopTicket(config, SCENARIOS.tooFrequentOnce)).toMatchObject({ kind: 'accepted' });
  });

  it('9999 once, and status 2 once, then accepted', async () => {
    expect(await stopTicket(config, SCENARIOS.systemErrorOnce)).toMatchObject({ kind: 'refused', status: 9999 });
    expect(await stopTicket(config, SCENARIOS.systemErrorOnce)).toMatchObject({ kind: 'accepted' });
    expect(await stopTicket(config, SCENARIOS.stopStatus2Once)).toMatchObject({ kind: 'refused', status: 2 });
    expect(await stopTicket(config, SCENARIOS.stopStatus2Once)).toMatchObject({ kind: 'accepted' });
  });

  it('a stop taken whose answer never arrives is a network failure; repeats are refused with 809', async () => {
    expect(await stopTicket(config, SCENARIOS.lostAnswer)).toMatchObject({ kind: 'network' });
    expect(await queryOrder(config, SCENARIOS.lostAnswer)).toMatchObject({ kind: 'found', orderStatus: '1' });
    expect(await stopTicket(config, SCENARIOS.lostAnswer)).toMatchObject({ kind: 'refused', status: 809 });
    expect(sandbox.callsFor(SCENARIOS.lostAnswer, '/stopTicket.do')).toHaveLength(2);
  });

  it('705 and 800 on the first three look-ups, then the real status', async () => {
    for (const [orderNo, status] of [
      [SCENARIOS.queryTimeout705, 705],
      [SCENARIOS.queryNotFound800, 800],
    ] as const) {
      await stopTicket(config, orderNo);
      for (let i = 0; i < 3; i++) expect(await queryOrder(config, orderNo)).toMatchObject({ kind: 'refused', status });
      expect(await queryOrder(config, orderNo)).toMatchObject({ kind: 'found', orderStatus: '1' });
    }
  });

  it('a stop answered 429 with retryAfter in seconds, then accepted', async () => {
    expect(await stopTicket(config, SCENARIOS.rateLimitedStop)).toMatchObject({ kind: 'http', httpStatus: 429, retryAfterSeconds: 3 });
    expect(await stopTicket(config, SCENARIOS.rateLimitedStop)).toMatchObject({ kind: 'accepted' });
  });

  it('null and odd fields around a real -3', async () => {
    await stopTicket(config, SCENARIOS.oddFields);
    expect(await queryOrder(config, SCENARIOS.oddFields)).toMatchObject({ kind: 'found', orderStatus: '1', outcome: 'pending' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.oddFields)).toMatchObject({ kind: 'found', orderStatus: '-3', outcome: 'intercepted', errorCode: 'STOP_OK' });
  });

  it('905 forever', async () => {
    for (let i = 0; i < 3; i++) expect(await stopTicket(config, SCENARIOS.tooFrequentForever)).toMatchObject({ kind: 'refused', status: 905 });
  });
});
