import { describe, expect, it } from 'vitest';
import { reportConnection } from '@/utils/background/logic/connection-test';
import { connectionText } from '@/utils/options/logic/connection-text';
import { connectionReportSchema } from '@/utils/shared/messages';
import { LOCALES, translator } from './locale-files';

describe('reportConnection', () => {
  it('tells reachable-with-credentials from rejected credentials and transport failures, structured', () => {
    expect(reportConnection({ kind: 'refused', status: 800, msg: 'Order does not exist' })).toEqual({ ok: true, verdict: 'accepted', status: 800, msg: 'Order does not exist' });
    expect(reportConnection({ kind: 'refused', status: 900, msg: 'Unauthorised' })).toEqual({ ok: false, verdict: 'rejected', status: 900, msg: 'Unauthorised' });
    expect(reportConnection({ kind: 'network', message: 'Failed to fetch' })).toEqual({ ok: false, verdict: 'failed', failure: { kind: 'network', message: 'Failed to fetch' } });
    expect(reportConnection({ kind: 'http', httpStatus: 429, retryAfterSeconds: 3, excerpt: '' })).toMatchObject({ ok: false, failure: { kind: 'rate-limited', retryAfterSeconds: 3 } });
    expect(reportConnection({ kind: 'found', msg: '', orderStatus: '1', outcome: 'pending' })).toEqual({ ok: true, verdict: 'accepted', status: 0 });
  });

  it('passes the message schema (what the options page accepts)', () => {
    for (const report of [reportConnection({ kind: 'timeout', afterMs: 15_000 }), reportConnection({ kind: 'refused', status: 902, msg: 'denied' })]) {
      expect(connectionReportSchema.safeParse(report).success).toBe(true);
    }
  });
});

describe.each(LOCALES)('the connection test’s words in %s', (name) => {
  const t = translator(name);
  it('words every verdict and failure in the UI language, ATRIP’s msg verbatim', () => {
    const texts = [
      connectionText(reportConnection({ kind: 'refused', status: 800, msg: 'Order does not exist' }), t),
      connectionText(reportConnection({ kind: 'refused', status: 900, msg: '未授权' }), t),
      connectionText(reportConnection({ kind: 'found', msg: '', orderStatus: '1', outcome: 'pending' }), t),
      connectionText(reportConnection({ kind: 'timeout', afterMs: 15_000 }), t),
      connectionText(reportConnection({ kind: 'http', httpStatus: 502, excerpt: '<html>' }), t),
      connectionText(reportConnection({ kind: 'malformed', reason: 'not-json', excerpt: '<html>' }), t),
      connectionText(reportConnection({ kind: 'http', httpStatus: 429, excerpt: '' }), t),
    ];
    expect(texts[0]).toBe(t('optionsTestAcceptedMsg', ['800', 'Order does not exist']));
    expect(texts[1]).toBe(t('optionsTestRejected', ['900', '未授权']));
    expect(texts[2]).toBe(t('optionsTestAccepted', '0'));
    expect(texts[3]).toBe(t('failureTimeout', '15'));
    expect(texts[4]).toBe(t('failureHttp', '502'));
    expect(texts[5]).toBe(t('failureNotJson'));
    expect(texts[6]).toBe(t('failureRateLimited'));
    if (name === 'zh_CN') for (const text of texts) expect(text).toMatch(/[\u4e00-\u9fff]/);
  });
});
