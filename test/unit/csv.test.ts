import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, defuseFormula, ordersCsv, toCsv } from '@/utils/popup/csv';
import { formatFileStamp, formatSortable } from '@/utils/shared/logic/format';
import type { TrackedOrder } from '@/utils/shared/logic/record';
import { translator } from './locale-files';

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
    {
      ...base,
      orderNo: 'TESTA20261126090000004',
      state: 'refused',
      requestedAt,
      finishedAt: requestedAt + 2000,
      lastStatus: 801,
      lastMessage: '订单未支付, "不能"停止',
      history: [
        { at: requestedAt, step: 'start', decision: { kind: 'send', at: requestedAt } },
        { at: requestedAt + 2000, step: 'stop', status: 801, msg: '订单未支付, "不能"停止', reading: 'refused', decision: { kind: 'final', state: 'refused', why: 'refused' } },
      ],
    },
    { ...base, orderNo: 'TESTA20261126090000007', state: 'error', requestedAt, finishedAt: requestedAt + 61_000, lastMessage: 'older', failure: { kind: 'http' as const, httpStatus: 500, excerpt: '<html>' } },
    {
      ...base,
      orderNo: 'TESTA20261126090000009',
      state: 'intercepting',
      requestedAt,
      lastMessage: '=cmd',
      history: [{ at: requestedAt + 1000, step: 'stop', status: 0, msg: '=HYPERLINK("http://x")', reading: 'accepted', decision: { kind: 'check', at: requestedAt + 481_000 } }],
    },
  ];
  const words = { translate: translator('zh_CN'), stateWord: (s: string) => `<${s}>` };

  it('starts with a UTF-8 BOM and the headers, then one row per step (an order without steps keeps one), orders in the given order', () => {
    const csv = ordersCsv(orders, words);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '订单号,状态,提交时间,结果时间,最新消息,步骤时间,步骤,ATRIP 状态码,ATRIP 消息,订单状态,说明,后续处理',
      'TESTA20261126090000004,<refused>,2026-11-26 09:05:07,2026-11-26 09:05:09,"订单未支付, ""不能""停止",2026-11-26 09:05:07,提交停止出票,,,,,立即发送请求',
      'TESTA20261126090000004,<refused>,2026-11-26 09:05:07,2026-11-26 09:05:09,"订单未支付, ""不能""停止",2026-11-26 09:05:09,向 ATRIP 发送停止出票请求,801,"订单未支付, ""不能""停止",,,最终结果：<refused>。ATRIP 拒绝停止出票',
      'TESTA20261126090000007,<error>,2026-11-26 09:05:07,2026-11-26 09:06:08,接口返回 HTTP 500',
      "TESTA20261126090000009,<intercepting>,2026-11-26 09:05:07,,'=cmd,2026-11-26 09:05:08,向 ATRIP 发送停止出票请求,0,\"'=HYPERLINK(\"\"http://x\"\")\",,已受理：结果尚未知晓,2026-11-26 09:13:08 查询结果",
      '',
    ]);
  });

  it('marks where a long history dropped steps', () => {
    const steps = Array.from({ length: 6 }, (_, i) => ({ at: requestedAt + i * 1000, step: 'check' as const, status: 705, msg: `m${i}` }));
    const csv = ordersCsv([{ ...orders[1]!, history: steps, historyDropped: 12 }], words);
    const rows = csv.slice(1).split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(7);
    expect(rows[4]).toContain(',,中间有 12 步未保留');
    expect(rows[3]).toContain('m3');
    expect(rows[5]).toContain('m4');
  });

  it('is encoded as UTF-8 with the BOM bytes Excel looks for', () => {
    const bytes = new TextEncoder().encode(ordersCsv(orders.slice(0, 1), words));
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
