/**
 * One history entry (record.ts, language-neutral) in the agent's words: what happened, ATRIP's
 * answer (its status and `msg` verbatim), what went wrong, and what was decided next. The popup and
 * the CSV export both word entries through this. Pure: the caller passes translate and time format.
 */
import { endReasonText, failureText, type Translate } from '../../shared/logic/failure-text';
import type { Decision, HistoryEntry, HistoryStep, OrderState, Reading } from '../../shared/logic/record';

export interface HistoryWords {
  translate: Translate;
  /** A moment in local time: the popup shows the time of day, the CSV a sortable date and time. */
  time: (at: number) => string;
  stateWord: (state: OrderState) => string;
}

export interface HistoryLine {
  at: number;
  /** What happened (the call made, or the event). */
  step: string;
  /** ATRIP's business status, when it answered one. */
  status?: number;
  /** ATRIP's `msg`, verbatim (never translated). */
  msg?: string;
  /** The order status read, in words (`-3: intercepted`…). */
  orderStatus?: string;
  /** ATRIP's reason for a cancellation (errorCode / errorMessage), verbatim. */
  reason?: string;
  /** What went wrong (network, HTTP, time-out…), and how the answer was read. */
  notes: string[];
  /** What was decided next: the next check at…, a re-send, a retry in n s, the final state and why. */
  decision?: string;
}

/** Locale keys, spelled out so the locale test finds each one in the source. */
const STEP_KEYS: Record<HistoryStep, string> = {
  start: 'historyStepStart',
  stop: 'historyStepStop',
  lookup: 'historyStepLookup',
  check: 'historyStepCheck',
  checkAgain: 'historyStepCheckAgain',
  answerLost: 'historyStepAnswerLost',
  legacy: 'historyStepLegacy',
};

/** How a reading is worth saying beside ATRIP's own words (none: the status says it all). */
const READING_KEYS: Partial<Record<Reading, string>> = {
  accepted: 'historyReadAccepted',
  'too-frequent': 'historyReadTooFrequent',
  'system-error': 'historyReadSystemError',
  'repeat-refused': 'historyReadRepeatRefused',
  'query-status': 'historyReadQueryStatus',
};

const ORDER_STATUS_KEYS: Partial<Record<Reading, string>> = {
  intercepted: 'historyOrderIntercepted',
  issued: 'historyOrderIssued',
  undecided: 'historyOrderUndecided',
};

function decisionText(decision: Decision, words: HistoryWords): string {
  const { translate, time } = words;
  const at = decision.at === undefined ? '' : time(decision.at);
  const after = decision.afterSeconds;
  switch (decision.kind) {
    case 'send':
      return translate('historyDecideSend');
    case 'check':
      return after !== undefined ? translate('historyDecideCheckRetry', [at, String(after)]) : translate('historyDecideCheck', at);
    case 'lookup':
      if (after === 0) return translate('historyDecideLookupNow');
      return after !== undefined ? translate('historyDecideLookupRetry', [at, String(after)]) : translate('historyDecideLookup', at);
    case 'resend':
      return after ? translate('historyDecideResend', [at, String(after)]) : translate('historyDecideResendNow');
    case 'final': {
      const state = decision.state ? words.stateWord(decision.state) : '?';
      const why =
        decision.why === 'order-status'
          ? translate('historyEndOrderStatus')
          : decision.why === 'refused'
            ? translate('historyEndRefused')
            : endReasonText(decision.why, translate);
      return why ? translate('historyDecideFinalWhy', [state, why]) : translate('historyDecideFinal', state);
    }
    case 'unchanged':
      return translate('historyDecideUnchanged');
  }
}

export function historyLine(entry: HistoryEntry, words: HistoryWords): HistoryLine {
  const { translate } = words;
  if (entry.step === 'legacy') {
    // A version-1 entry: its own (English) words, as they were recorded.
    return { at: entry.at, step: translate(STEP_KEYS.legacy), notes: entry.text ? [entry.text] : [] };
  }
  const notes: string[] = [];
  if (entry.failure) notes.push(failureText(entry.failure, translate));
  const readingKey = entry.reading && READING_KEYS[entry.reading];
  if (readingKey) notes.push(translate(readingKey));
  if (entry.reached === 'no') notes.push(translate('historyReachedNo'));
  if (entry.reached === 'maybe') notes.push(translate('historyReachedMaybe'));
  const orderKey = entry.reading && ORDER_STATUS_KEYS[entry.reading];
  const reason = [entry.errorCode, entry.errorMessage].filter(Boolean).join(' ');
  return {
    at: entry.at,
    step: translate(STEP_KEYS[entry.step]),
    ...(entry.status !== undefined && { status: entry.status }),
    ...(entry.msg !== undefined && entry.msg !== '' && { msg: entry.msg }),
    ...(entry.orderStatus !== undefined && {
      orderStatus: orderKey ? translate(orderKey, entry.orderStatus) : translate('historyOrderStatus', entry.orderStatus),
    }),
    ...(reason && { reason }),
    notes,
    ...(entry.decision && { decision: decisionText(entry.decision, words) }),
  };
}

/** ATRIP's answer of a line in one phrase: its status and msg as ATRIP wrote it. */
export function atripAnswerText(line: HistoryLine, translate: Translate): string | undefined {
  if (line.status === undefined) return undefined;
  return line.msg === undefined
    ? translate('historyAtripStatus', String(line.status))
    : translate('historyAtripStatusMsg', [String(line.status), line.msg]);
}
