import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeResult, queryOrder, stopTicket, type AtripConfig } from '@/utils/atrip/client';
import { readOrderStatus } from '@/utils/atrip/replies';
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
    expect(describeResult(result)).toMatch(/^refused by ATRIP \(status 801\): /);
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
    expect(describeResult(result)).toBe('HTTP 500');
    expect((await stopTicket(config, SCENARIOS.flaky)).kind).toBe('accepted');
  });

  it('non-JSON body: malformed, with an excerpt', async () => {
    const result = await stopTicket(config, SCENARIOS.garbage);
    expect(result).toEqual({ kind: 'malformed', reason: 'The reply is not JSON', excerpt: '<html>Service Unavailable</html>' });
  });

  it('JSON without status: malformed', async () => {
    const result = await stopTicket(config, SCENARIOS.noStatus);
    expect(result).toMatchObject({ kind: 'malformed', reason: 'The reply has no numeric status' });
  });

  it('time-out: no reply within the limit', async () => {
    const result = await stopTicket(config, SCENARIOS.slow);
    expect(result).toEqual({ kind: 'timeout', afterMs: 500 });
    expect(describeResult(result)).toBe('no reply within 1 s');
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

  it('a trailing slash on the base URL works the same', async () => {
    expect((await stopTicket({ ...config, apiBaseUrl: `${sandbox.url}/` }, SCENARIOS.intercept)).kind).toBe('accepted');
    expect(sandbox.requests.at(-1)?.path).toBe('/stopTicket.do');
  });
});

describe('queryOrder', () => {
  it('pending before the decision, intercepted (-3, top level string) after', async () => {
    await stopTicket(config, SCENARIOS.intercept);
    expect(await queryOrder(config, SCENARIOS.intercept)).toMatchObject({ kind: 'accepted', orderStatus: '1', outcome: 'pending' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.intercept)).toMatchObject({ kind: 'accepted', orderStatus: '-3', outcome: 'intercepted', errorCode: 'STOP_OK' });
  });

  it('orderStatus "-3" inside data', async () => {
    await stopTicket(config, SCENARIOS.dataShape);
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.dataShape)).toMatchObject({ kind: 'accepted', orderStatus: '-3', outcome: 'intercepted' });
  });

  it('orderStatus 2 as a number at top level', async () => {
    await stopTicket(config, SCENARIOS.numericStatus);
    await new Promise((r) => setTimeout(r, 300));
    expect(await queryOrder(config, SCENARIOS.numericStatus)).toMatchObject({ kind: 'accepted', orderStatus: '2', outcome: 'issued' });
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

describe('readOrderStatus', () => {
  const NO = 'TESTA20261126090000001';
  it.each([
    [{ status: 0, orderStatus: '-3' }, '-3'],
    [{ status: 0, orderStatus: 2 }, '2'],
    [{ status: 0, data: { orderNo: NO, orderStatus: '1' } }, '1'],
    [{ status: 0, orderStatus: null, orderList: [{ orderNo: 'OTHER', orderStatus: '2' }, { orderNo: NO, orderStatus: '-3' }] }, '-3'],
  ])('reads %j', (json, expected) => {
    expect(readOrderStatus(json, NO)?.orderStatus).toBe(expected);
  });

  it.each([
    [{ status: 0 }],
    [{ status: 0, orderStatus: null, orderList: [{ orderNo: 'OTHER', orderStatus: '2' }] }],
    [{ status: 0, orderNo: 'OTHER', orderStatus: '2' }],
    [{ status: 0, orderStatus: 'issued' }],
  ])('finds no status for our order in %j: malformed, not pending', (json) => {
    expect(readOrderStatus(json, NO)).toBeNull();
  });

  it('reads the older ticketError fields of a cancellation', () => {
    expect(readOrderStatus({ status: 0, orderStatus: '-3', ticketErrorCode: 7, ticketErrorMessage: 'stopped' }, NO)).toMatchObject({ errorCode: '7', errorMessage: 'stopped' });
  });
});
