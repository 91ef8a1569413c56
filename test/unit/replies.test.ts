import { describe, expect, it } from 'vitest';
import { parseEnvelope, readOrderStatus, readRetryAfter, readRetryAfterHeader } from '@/utils/background/logic/atrip-replies';

const NO = 'TESTA20261126090000001';
const OTHER = 'TESTS20261126090000012';

const statusOf = (json: unknown) => {
  const read = readOrderStatus(json, NO);
  return read.ok ? read.reading.orderStatus : read.reason;
};

describe('readOrderStatus: each place is read on its own', () => {
  it.each([
    ['top level, string', { status: 0, orderNo: NO, orderStatus: '-3' }, '-3'],
    ['top level, number', { status: 0, orderStatus: 2 }, '2'],
    ['top level, string with spaces', { status: 0, orderStatus: ' -3 ' }, '-3'],
    ['inside data', { status: 0, data: { orderNo: NO, orderStatus: '1' } }, '1'],
    ['inside data, number', { status: 0, data: { orderStatus: -3 } }, '-3'],
    ['orderList[] entry of our order', { status: 0, orderStatus: null, orderList: [{ orderNo: OTHER, orderStatus: '2' }, { orderNo: NO, orderStatus: '-3' }] }, '-3'],
    ['data as an array of orders', { status: 0, data: [{ orderNo: OTHER, orderStatus: 1 }, { orderNo: NO, orderStatus: 2 }] }, '2'],
    ['a split order: several numbers with commas', { status: 0, orderNo: `${OTHER},${NO}`, orderStatus: '-3' }, '-3'],
  ])('%s', (_label, json, expected) => {
    expect(statusOf(json)).toBe(expected);
  });
});

describe('readOrderStatus: odd fields never hide a -3 or 2 that is there', () => {
  it.each([
    ['orderNo: null at the top', { status: 0, orderNo: null, orderStatus: '-3' }, '-3'],
    ['data: [] beside a top-level status', { status: 0, orderStatus: '-3', data: [] }, '-3'],
    ['data: null', { status: 0, orderStatus: 2, data: null }, '2'],
    ['data: a string', { status: 0, orderStatus: 2, data: 'n/a' }, '2'],
    ['paxTicketInfos: null', { status: 0, orderStatus: '-3', paxTicketInfos: null }, '-3'],
    ['paxTicketInfos: an object', { status: 0, orderStatus: '-3', paxTicketInfos: { odd: true } }, '-3'],
    ['errorCode as an object', { status: 0, orderStatus: '-3', errorCode: { x: 1 }, errorMessage: 7 }, '-3'],
    ['extra unknown fields everywhere', { status: 0, requestId: 'r', clientRequestId: null, extra: [1], data: { orderNo: NO, orderStatus: '2', more: { a: [] } } }, '2'],
    ['orderList with null and nameless entries', { status: 0, orderList: [null, 3, { orderStatus: '2' }, { orderNo: null, orderStatus: '2' }, { orderNo: NO, orderStatus: -3 }] }, '-3'],
    ['orderList: null beside data', { status: 0, orderList: null, data: { orderStatus: '-3' } }, '-3'],
    ['orderStatus null at the top, -3 in data', { status: 0, orderStatus: null, data: { orderStatus: '-3' } }, '-3'],
    ['an odd top-level orderStatus beside -3 in orderList', { status: 0, orderStatus: 'n/a', orderList: [{ orderNo: NO, orderStatus: '-3' }] }, '-3'],
    ['msg as a number', { status: 0, msg: 42, orderStatus: '2' }, '2'],
    ['"1" at the top and -3 in orderList: the final value wins', { status: 0, orderStatus: '1', orderList: [{ orderNo: NO, orderStatus: '-3' }] }, '-3'],
    ['the same -3 in two places', { status: 0, orderStatus: '-3', data: { orderNo: NO, orderStatus: -3 } }, '-3'],
  ])('%s', (_label, json, expected) => {
    expect(statusOf(json)).toBe(expected);
  });

  it('keeps the reason of a cancellation from the place that said -3 (older ticketError fields too)', () => {
    expect(readOrderStatus({ status: 0, orderStatus: '-3', ticketErrorCode: 7, ticketErrorMessage: 'stopped' }, NO)).toEqual({
      ok: true,
      reading: { orderStatus: '-3', outcome: 'intercepted', errorCode: '7', errorMessage: 'stopped' },
    });
    expect(readOrderStatus({ status: 0, orderStatus: null, orderList: [{ orderNo: NO, orderStatus: '-3', errorCode: 'X', errorMessage: 'by agent' }] }, NO)).toMatchObject({
      ok: true,
      reading: { errorCode: 'X', errorMessage: 'by agent' },
    });
  });
});

describe('readOrderStatus: never a guess', () => {
  it.each([
    ['no status anywhere', { status: 0 }],
    ['only another order in orderList', { status: 0, orderStatus: null, orderList: [{ orderNo: OTHER, orderStatus: '2' }] }],
    ['a top level naming another order', { status: 0, orderNo: OTHER, orderStatus: '2' }],
    ['a word, not a number', { status: 0, orderStatus: 'issued' }],
    ['an empty string', { status: 0, orderStatus: '' }],
    ['a decimal', { status: 0, orderStatus: 2.5 }],
    ['not an object', [1, 2]],
  ])('%s: malformed (no-order-status), not pending', (_label, json) => {
    expect(readOrderStatus(json, NO)).toEqual({ ok: false, reason: 'no-order-status' });
  });

  it.each([
    ['-3 at the top, 2 in data', { status: 0, orderStatus: '-3', data: { orderStatus: '2' } }],
    ['2 in data, -3 in orderList', { status: 0, data: { orderNo: NO, orderStatus: 2 }, orderList: [{ orderNo: NO, orderStatus: '-3' }] }],
    ['two entries of our order in orderList', { status: 0, orderList: [{ orderNo: NO, orderStatus: '-3' }, { orderNo: NO, orderStatus: '2' }] }],
  ])('%s: two different final values are malformed', (_label, json) => {
    expect(readOrderStatus(json, NO)).toEqual({ ok: false, reason: 'conflicting-order-status' });
  });
});

describe('parseEnvelope', () => {
  it('reads status as a number or a numeric string; an odd msg is dropped, not fatal', () => {
    expect(parseEnvelope('{"status":0,"msg":"ok"}')).toMatchObject({ ok: true, status: 0, msg: 'ok' });
    expect(parseEnvelope('{"status":"905","msg":null}')).toMatchObject({ ok: true, status: 905, msg: '' });
    expect(parseEnvelope('{"status":0,"msg":{"zh":"好"}}')).toMatchObject({ ok: true, status: 0, msg: '' });
  });

  it.each([
    ['<html>502 Bad Gateway</html>', 'not-json'],
    ['', 'not-json'],
    ['{"msg":"ok"}', 'no-status'],
    ['{"status":null}', 'no-status'],
    ['{"status":"ok"}', 'no-status'],
    ['[0]', 'no-status'],
  ])('%j is malformed (%s)', (text, reason) => {
    expect(parseEnvelope(text)).toMatchObject({ ok: false, reason });
  });
});

describe('retryAfter', () => {
  it('reads seconds from the body, as a number or a string', () => {
    expect(readRetryAfter('{"code":429,"retryAfter":3}')).toBe(3);
    expect(readRetryAfter('{"retryAfter":"2.5"}')).toBe(2.5);
    expect(readRetryAfter('{"retryAfter":-1}')).toBeUndefined();
    expect(readRetryAfter('{"retryAfter":"soon"}')).toBeUndefined();
    expect(readRetryAfter('<html>')).toBeUndefined();
  });

  it('reads the header as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 10, 26, 9, 0, 0);
    expect(readRetryAfterHeader('120', now)).toBe(120);
    expect(readRetryAfterHeader(new Date(now + 30_000).toUTCString(), now)).toBe(30);
    expect(readRetryAfterHeader(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(readRetryAfterHeader('later', now)).toBeUndefined();
    expect(readRetryAfterHeader(null, now)).toBeUndefined();
  });
});
