import { describe, expect, it } from 'vitest';
import type { QueryResult, StopResult } from '@/utils/background/logic/atrip-client';
import { classify, type SentSoFar, type Verdict } from '@/utils/background/logic/classify';
import { MALFORMED_REASONS } from '@/utils/background/logic/atrip-replies';

// Every row of "Which answers are final" (shared/atrip/stop-ticket.md) × every "already sent" case.

/** What this run has sent before the call: nothing, only sends ATRIP certainly did not take, or one that may have reached it. */
const CONTEXTS: [string, SentSoFar][] = [
  ['the first send of the run', { sends: 0, mayHaveReached: false }],
  ['earlier sends all certainly not taken (905, 429)', { sends: 2, mayHaveReached: false }],
  ['an earlier send may have reached ATRIP (no answer)', { sends: 1, mayHaveReached: true }],
  ['several earlier sends, one without an answer', { sends: 3, mayHaveReached: true }],
];

const refused = (status: number, msg = 'msg'): StopResult & QueryResult => ({ kind: 'refused', status, msg });
const reading = (orderStatus: string): QueryResult => ({
  kind: 'found',
  msg: '',
  orderStatus,
  outcome: orderStatus === '-3' ? 'intercepted' : orderStatus === '2' ? 'issued' : 'pending',
});

const transportFailures: [string, StopResult & QueryResult][] = [
  ['HTTP 500', { kind: 'http', httpStatus: 500, excerpt: '<html>' }],
  ['HTTP 502', { kind: 'http', httpStatus: 502, excerpt: '' }],
  ['HTTP 503', { kind: 'http', httpStatus: 503, excerpt: '' }],
  ['HTTP 404 (HTML page)', { kind: 'http', httpStatus: 404, excerpt: '<html>404</html>' }],
  ['a network error', { kind: 'network', message: 'Failed to fetch' }],
  ['a time-out', { kind: 'timeout', afterMs: 15_000 }],
  ...MALFORMED_REASONS.map((reason): [string, StopResult & QueryResult] => [`malformed (${reason})`, { kind: 'malformed', reason, excerpt: 'x' }]),
];

type Expect = (sent: SentSoFar) => Verdict;
const always = (verdict: Verdict): Expect => () => verdict;

const STOP_ROWS: [string, StopResult, Expect][] = [
  ['status 0: accepted, check later', { kind: 'accepted', msg: 'We are trying to intercept' }, always({ category: 'answer', answer: 'accepted' })],
  [
    'HTTP 429 with retryAfter: certainly not taken, re-send after it',
    { kind: 'http', httpStatus: 429, retryAfterSeconds: 7, excerpt: '' },
    always({ category: 'transient', cause: 'rate-limited', reached: 'no', next: 'resend', retryAfterSeconds: 7 }),
  ],
  [
    'HTTP 429 without retryAfter',
    { kind: 'http', httpStatus: 429, excerpt: '' },
    always({ category: 'transient', cause: 'rate-limited', reached: 'no', next: 'resend' }),
  ],
  ...transportFailures.map(([label, result]): [string, StopResult, Expect] => [
    `${label}: the stop may have arrived, look the order up before any re-send`,
    result,
    always({ category: 'transient', cause: result.kind as 'http', reached: 'maybe', next: 'lookup-first' }),
  ]),
  ['905 (too frequent): not taken, back off and re-send', refused(905), always({ category: 'transient', cause: 'too-frequent', reached: 'no', next: 'resend' })],
  ['9999 (system error): may have been taken, look up first', refused(9999), always({ category: 'transient', cause: 'system-error', reached: 'maybe', next: 'lookup-first' })],
  ['status 2 (system error on stopTicket)', refused(2), always({ category: 'transient', cause: 'system-error', reached: 'maybe', next: 'lookup-first' })],
  ...[801, 806, 809, 900, 901, 902, 100, -1, 705, 800].map((status): [string, StopResult, Expect] => [
    `${status}: refused, unless an earlier send may have reached ATRIP`,
    refused(status),
    (sent) =>
      sent.mayHaveReached
        ? { category: 'transient', cause: 'repeat-refused', next: 'lookup-only' }
        : { category: 'answer', answer: 'refused' },
  ]),
  ['not an order number: nothing was sent', { kind: 'invalid', message: 'bad' }, always({ category: 'invalid' })],
  [
    'not sent (no host permission): final for the first send of a run, else certainly not taken',
    { kind: 'blocked', reason: 'no-permission', origin: 'https://proxy.example' },
    (sent) =>
      sent.sends === 0 && !sent.mayHaveReached
        ? { category: 'blocked' }
        : { category: 'transient', cause: 'blocked', reached: 'no', next: 'resend' },
  ],
];

const QUERY_ROWS: [string, QueryResult, Expect][] = [
  ['orderStatus -3: intercepted', reading('-3'), always({ category: 'outcome', outcome: 'intercepted' })],
  ['orderStatus 2: issued', reading('2'), always({ category: 'outcome', outcome: 'issued' })],
  ...['0', '1', '5', '-1', '3'].map((s): [string, QueryResult, Expect] => [`orderStatus ${s}: not decided yet`, reading(s), always({ category: 'answer', answer: 'undecided' })]),
  [
    'HTTP 429: wait retryAfter',
    { kind: 'http', httpStatus: 429, retryAfterSeconds: 30, excerpt: '' },
    always({ category: 'transient', cause: 'rate-limited', next: 'lookup-only', retryAfterSeconds: 30 }),
  ],
  ...transportFailures.map(([label, result]): [string, QueryResult, Expect] => [
    `${label}: transient`,
    result,
    always({ category: 'transient', cause: result.kind as 'http', next: 'lookup-only' }),
  ]),
  ...[705, 701, 702, 703, 704, 800, 905, 9999, 900, 1, 2].map((status): [string, QueryResult, Expect] => [
    `status ${status}: transient until the deadline, never a reason to re-send`,
    refused(status),
    always({ category: 'transient', cause: 'query-status', next: 'lookup-only' }),
  ]),
  ['not an order number', { kind: 'invalid', message: 'bad' }, always({ category: 'invalid' })],
  [
    'not sent (no host permission): transient, never an answer',
    { kind: 'blocked', reason: 'no-permission', origin: 'https://proxy.example' },
    always({ category: 'transient', cause: 'blocked', next: 'lookup-only' }),
  ],
];

describe.each(CONTEXTS)('classify, %s', (_label, sent) => {
  it.each(STOP_ROWS)('stopTicket %s', (_row, result, expected) => {
    expect(classify('stop', result, sent)).toEqual(expected(sent));
  });

  it.each(QUERY_ROWS)('queryOrderDetails %s', (_row, result, expected) => {
    expect(classify('query', result, sent)).toEqual(expected(sent));
  });
});

describe('classify: invariants over the whole table', () => {
  const all = CONTEXTS.flatMap(([, sent]) => [
    ...STOP_ROWS.map(([, result]) => ({ endpoint: 'stop' as const, result, sent, verdict: classify('stop', result, sent) })),
    ...QUERY_ROWS.map(([, result]) => ({ endpoint: 'query' as const, result, sent, verdict: classify('query', result, sent) })),
  ]);

  it('a refusal is final only when no earlier send of the run may have reached ATRIP', () => {
    for (const { verdict, sent } of all) {
      if (verdict.category === 'answer' && verdict.answer === 'refused') expect(sent.mayHaveReached).toBe(false);
    }
  });

  it('only a look-up reading -3 or 2 is an outcome', () => {
    for (const { endpoint, result, verdict } of all) {
      if (verdict.category !== 'outcome') continue;
      expect(endpoint).toBe('query');
      expect(result).toMatchObject({ kind: 'found', orderStatus: expect.stringMatching(/^(-3|2)$/) });
    }
  });

  it('no look-up answer ever asks for a stop to be sent', () => {
    for (const { endpoint, verdict } of all) {
      if (endpoint === 'query' && verdict.category === 'transient') expect(verdict.next).toBe('lookup-only');
    }
  });

  it('a stop is re-sent directly only when ATRIP certainly did not take it', () => {
    for (const { endpoint, verdict } of all) {
      if (endpoint === 'stop' && verdict.category === 'transient' && verdict.next === 'resend') expect(verdict.reached).toBe('no');
    }
  });
});
