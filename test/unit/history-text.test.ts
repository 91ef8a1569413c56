import { describe, expect, it } from 'vitest';
import type { QueryResult, StopResult } from '@/utils/background/logic/atrip-client';
import { beginStop, onAnswerLost, onCheckResult, onLookupResult, onStopResult, type Policy } from '@/utils/background/logic/machine';
import { atripAnswerText, historyLine, type HistoryWords } from '@/utils/popup/logic/history-text';
import { DECISIONS, HISTORY_STEPS, type HistoryEntry, type OrderState } from '@/utils/shared/logic/record';
import { LOCALES, translator } from './locale-files';

const NO = 'TESTA20261126090000017';
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const policy: Policy = { firstCheckSeconds: 480, recheckSeconds: 120, deadlineMinutes: 30 };
const clock = (at: number) => `@${(at - T0) / 1000}s`;

function words(name: (typeof LOCALES)[number]): HistoryWords {
  const translate = translator(name);
  return { translate, time: clock, stateWord: (state: OrderState) => `<${state}>` };
}

const reading = (orderStatus: string): QueryResult => ({
  kind: 'found',
  msg: '',
  orderStatus,
  outcome: orderStatus === '-3' ? 'intercepted' : orderStatus === '2' ? 'issued' : 'pending',
});

/** ATRIP's `lostAnswer` row: the stop's answer is lost, a look-up says undecided, the repeat is refused (809), then -3. */
function lostAnswerRun() {
  let record = beginStop(NO, undefined, T0, 'run-1');
  record = onAnswerLost(record, T0 + 20_000);
  const lookup = onLookupResult(record, reading('1'), T0 + 21_000, policy);
  record = onStopResult(lookup.record, { kind: 'refused', status: 809, msg: '已申请停止出票，请勿重复提交' }, T0 + 22_000, policy);
  record = onLookupResult(record, { kind: 'timeout', afterMs: 15_000 }, T0 + 52_000, policy).record;
  const cancelled: QueryResult = { kind: 'found', msg: '', orderStatus: '-3', outcome: 'intercepted', errorCode: 'C01', errorMessage: 'Cancelled on request' };
  record = onLookupResult(record, cancelled, T0 + 90_000, policy).record;
  return record;
}

describe.each(LOCALES)('history in %s', (name) => {
  const w = words(name);
  const t = w.translate;

  it('words each step of a multi-step run: the time, ATRIP verbatim, what went wrong, what was decided', () => {
    const record = lostAnswerRun();
    expect(record.state).toBe('intercepted');
    const lines = record.history.map((entry) => historyLine(entry, w));
    expect(lines.map((l) => l.step)).toEqual(
      ['historyStepStart', 'historyStepAnswerLost', 'historyStepLookup', 'historyStepStop', 'historyStepLookup', 'historyStepLookup'].map((k) => t(k)),
    );
    expect(lines.map((l) => l.at)).toEqual([T0, T0 + 20_000, T0 + 21_000, T0 + 22_000, T0 + 52_000, T0 + 90_000]);
    const [start, lost, undecided, repeat, timedOut, decided] = lines;
    expect(start!.decision).toBe(t('historyDecideSend'));
    expect(lost!.notes).toEqual([t('historyReachedMaybe')]);
    expect(lost!.decision).toBe(t('historyDecideLookupNow'));
    expect(undecided!.orderStatus).toBe(t('historyOrderUndecided', '1'));
    expect(undecided!.decision).toBe(t('historyDecideResendNow'));
    // ATRIP's msg stays as ATRIP wrote it, whatever the UI language.
    expect(repeat!.status).toBe(809);
    expect(repeat!.msg).toBe('已申请停止出票，请勿重复提交');
    expect(atripAnswerText(repeat!, t)).toContain('809');
    expect(atripAnswerText(repeat!, t)).toContain('已申请停止出票，请勿重复提交');
    expect(repeat!.notes).toEqual([t('historyReadRepeatRefused')]);
    expect(repeat!.decision).toBe(t('historyDecideLookupRetry', ['@37s', '15']));
    expect(timedOut!.notes).toEqual([t('failureTimeout', '15')]);
    expect(timedOut!.decision).toBe(t('historyDecideLookupRetry', ['@82s', '30']));
    expect(decided!.orderStatus).toBe(t('historyOrderIntercepted', '-3'));
    expect(decided!.reason).toBe('C01 Cancelled on request');
    expect(decided!.decision).toBe(t('historyDecideFinalWhy', ['<intercepted>', t('historyEndOrderStatus')]));
  });

  it('has words for every step and every decision, none the same as another', () => {
    const entries: HistoryEntry[] = HISTORY_STEPS.filter((step) => step !== 'legacy').map((step) => ({ at: T0, step }));
    const steps = entries.map((e) => historyLine(e, w).step);
    expect(new Set(steps).size).toBe(steps.length);
    const decisions = [
      { kind: 'send', at: T0 },
      { kind: 'check', at: T0 + 480_000 },
      { kind: 'check', at: T0 + 15_000, afterSeconds: 15 },
      { kind: 'lookup', at: T0 + 120_000 },
      { kind: 'lookup', at: T0, afterSeconds: 0 },
      { kind: 'lookup', at: T0 + 30_000, afterSeconds: 30 },
      { kind: 'resend', at: T0, afterSeconds: 0 },
      { kind: 'resend', at: T0 + 3000, afterSeconds: 3 },
      { kind: 'final', state: 'refused', why: 'refused' },
      { kind: 'final', state: 'unknown', why: 'undecided' },
      { kind: 'final', state: 'error', why: 'never-received' },
      { kind: 'unchanged' },
    ] as const;
    expect(new Set(decisions.map((d) => d.kind))).toEqual(new Set(DECISIONS));
    const texts = decisions.map((decision) => historyLine({ at: T0, step: 'check', decision }, w).decision!);
    for (const text of texts) expect(text.trim()).not.toBe('');
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts[1]).toContain('@480s');
    expect(texts[2]).toContain('@15s');
    expect(texts[2]).toContain('15');
    expect(texts[7]).toContain('3');
    expect(texts[9]).toContain(t('endUndecided'));
  });

  it('says a stop ATRIP did not take from one that may have reached it, and how each failure went', () => {
    const notTaken = onStopResult(beginStop(NO, undefined, T0, 'r'), { kind: 'refused', status: 905, msg: 'Too frequent' }, T0 + 1000, policy);
    const line = historyLine(notTaken.history.at(-1)!, w);
    expect(line.notes).toEqual([t('historyReadTooFrequent'), t('historyReachedNo')]);
    expect(line.decision).toBe(t('historyDecideResend', ['@16s', '15']));
    const http: StopResult = { kind: 'http', httpStatus: 502, excerpt: '<html>' };
    const maybe = onStopResult(beginStop(NO, undefined, T0, 'r'), http, T0 + 1000, policy);
    expect(historyLine(maybe.history.at(-1)!, w).notes).toEqual([t('failureHttp', '502'), t('historyReachedMaybe')]);
    const checked = onCheckResult(onStopResult(beginStop(NO, undefined, T0, 'r'), { kind: 'accepted', msg: 'We are trying' }, T0, policy), reading('2'), T0 + 480_000, policy);
    const [, accepted, issued] = checked.history.map((e) => historyLine(e, w));
    expect(atripAnswerText(accepted!, t)).toBe(t('historyAtripStatusMsg', ['0', 'We are trying']));
    expect(accepted!.notes).toEqual([t('historyReadAccepted')]);
    expect(accepted!.decision).toBe(t('historyDecideCheck', '@480s'));
    expect(issued!.step).toBe(t('historyStepCheck'));
    expect(issued!.orderStatus).toBe(t('historyOrderIssued', '2'));
    expect(atripAnswerText(issued!, t)).toBe(t('historyAtripStatus', '0'));
  });

  it('shows a version-1 entry with the words it was recorded in', () => {
    const line = historyLine({ at: T0, step: 'legacy', text: 'check HTTP 500: <html>' }, w);
    expect(line).toMatchObject({ step: t('historyStepLegacy'), notes: ['check HTTP 500: <html>'] });
    expect(line.decision).toBeUndefined();
  });
});

it('reads differently in the two languages (nothing left in English in the Chinese UI)', () => {
  const record = lostAnswerRun();
  const en = record.history.map((e) => historyLine(e, words('en')));
  const zh = record.history.map((e) => historyLine(e, words('zh_CN')));
  for (let i = 0; i < en.length; i++) {
    expect(zh[i]!.step).not.toBe(en[i]!.step);
    expect(zh[i]!.decision).not.toBe(en[i]!.decision);
    expect(zh[i]!.step).toMatch(/[\u4e00-\u9fff]/);
  }
});
