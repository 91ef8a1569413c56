import { describe, expect, it } from 'vitest';
import { MALFORMED_REASONS } from '@/utils/background/logic/atrip-replies';
import { endReasonText, failureText } from '@/utils/shared/logic/failure-text';
import { END_REASONS, FAILURE_KINDS, type Failure } from '@/utils/shared/logic/record';
import { translator as locale } from './locale-files';

const FAILURES: Failure[] = [
  { kind: 'network', message: 'Failed to fetch' },
  { kind: 'timeout', afterMs: 15_000 },
  { kind: 'http', httpStatus: 502, excerpt: '<html>' },
  { kind: 'rate-limited', httpStatus: 429, retryAfterSeconds: 3 },
  { kind: 'rate-limited', httpStatus: 429 },
  ...MALFORMED_REASONS.map((reason): Failure => ({ kind: 'malformed', reason })),
  { kind: 'status', status: 905, msg: 'Request too frequent' },
  { kind: 'invalid', message: 'x' },
  { kind: 'blocked', reason: 'no-permission', message: 'https://proxy.example' },
  { kind: 'blocked', reason: 'insecure', message: 'http://proxy.example' },
  { kind: 'legacy', text: 'HTTP 500 after 3 attempts' },
];

describe.each(['en', 'zh_CN'] as const)('failure words in %s', (name) => {
  const t = locale(name);

  it('every structured failure has its words, with its details and ATRIP words verbatim', () => {
    expect(new Set(FAILURES.map((f) => f.kind))).toEqual(new Set(FAILURE_KINDS));
    const texts = FAILURES.map((f) => failureText(f, t));
    for (const text of texts) expect(text.trim()).not.toBe('');
    expect(new Set(texts).size).toBe(texts.length); // no two failures read the same
    expect(texts[0]).toContain('Failed to fetch');
    expect(texts[1]).toContain('15');
    expect(texts[2]).toContain('502');
    expect(texts[3]).toContain('3');
    expect(texts.find((x) => x.includes('905'))).toContain('Request too frequent');
    expect(texts.at(-1)).toBe('HTTP 500 after 3 attempts');
    // What to allow (or fix) is named: the origin, the word the options page and the browser use.
    expect(texts.at(-3)).toContain('https://proxy.example');
    expect(texts.at(-2)).toContain('http://proxy.example');
    expect(texts.at(-2)).toContain('https');
  });

  it('every ending without -3 / 2 says why', () => {
    for (const reason of ['never-received', 'unreachable', 'may-have-arrived', 'undecided', 'invalid', 'blocked'] as const) {
      expect(endReasonText(reason, t)?.trim()).toBeTruthy();
    }
    expect(endReasonText('order-status', t)).toBeUndefined();
    expect(END_REASONS).toContain('refused');
  });
});
