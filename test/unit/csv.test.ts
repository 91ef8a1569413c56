import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, defuseFormula, ordersCsv, toCsv } from '@/utils/csv';
import { formatFileStamp, formatSortable } from '@/utils/format';
import type { Failure, TrackedOrder } from '@/utils/tracker/record';

describe('RFC 4180', () => {
  it('quotes only fields with a comma, a quote, CR or LF, and doubles quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(801)).toBe('801');
    expect(csvField('中文，全角逗号')).toBe('中文，全角逗号');
  });

  it('ends every record, the last one too, with CRLF', () => {
    expect(toCsv([['a', 'b'], ['c,d', '']])).toBe('a,b\r\n"c,d",\r\n');
    expect(toCsv([])).toBe('');
  });

  it('keeps text that a spreadsheet would run as a formula as text', () => {
    expect(defuseFormula('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(defuseFormula('+1')).toBe("'+1");
    expect(defuseFormula('-3 cancelled')).toBe("'-3 cancelled");
    expect(defuseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuseFormula('Order does not exist')).toBe('Order does not exist');
  });
});

describe('ordersCsv', () => {
  const base = { version: 2 as const, runId: 'r', stopAttempts: 1, uncertainSends: 0, checks: 1, failures: 0, notified: true, history: [] };
  const requestedAt = new Date(2026, 10, 26, 9, 5, 7).getTime();
  const orders: TrackedOrder[] = [
    { ...base, orderNo: 'TESTA20261126090000004', state: 'refused', requestedAt, finishedAt: requestedAt + 2000, lastMessage: '订单未支付, "不能"停止' },
    { ...base, orderNo: 'TESTA20261126090000007', state: 'error', requestedAt, finishedAt: requestedAt + 61_000, lastMessage: 'older', failure: { kind: 'http' as const, httpStatus: 500, excerpt: '<html>' } },
    { ...base, orderNo: 'TESTA20261126090000009', state: 'intercepting', requestedAt, lastMessage: '=cmd' },
  ];
  const labels = {
    order: '订单号',
    state: '状态',
    requested: '提交时间',
    decided: '结果时间',
    message: '最新消息',
    stateWord: (s: string) => `<${s}>`,
    failureWord: (f: Failure) => `HTTP ${f.httpStatus}: ${f.excerpt}`,
  };

  it('starts with a UTF-8 BOM and the headers, one row per order in the given order', () => {
    const csv = ordersCsv(orders, labels);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '订单号,状态,提交时间,结果时间,最新消息',
      'TESTA20261126090000004,<refused>,2026-11-26 09:05:07,2026-11-26 09:05:09,"订单未支付, ""不能""停止"',
      'TESTA20261126090000007,<error>,2026-11-26 09:05:07,2026-11-26 09:06:08,HTTP 500: <html>',
      "TESTA20261126090000009,<intercepting>,2026-11-26 09:05:07,,'=cmd",
      '',
    ]);
  });

  it('is encoded as UTF-8 with the BOM bytes Excel looks for', () => {
    const bytes = new TextEncoder().encode(ordersCsv(orders.slice(0, 1), labels));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('sortable times', () => {
  it('formats local time for Excel and for file names', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(formatSortable(at)).toBe('2026-01-02 03:04:05');
    expect(formatSortable(undefined)).toBe('');
    expect(formatFileStamp(at)).toBe('20260102-030405');
  });
});
