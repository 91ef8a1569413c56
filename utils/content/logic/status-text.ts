/** The words a control shows for its order's state (the countdown, ATRIP's refusal, why it failed). Pure. */
import { formatCountdown } from '@/utils/shared/logic/format';
import { endReasonText, failureText, type Translate } from '@/utils/shared/logic/failure-text';
import type { ControlState, OrderView } from './order-view';

/** The words of the states that need nothing filled in. */
const STATE_WORDS: Partial<Record<ControlState, string>> = {
  requesting: 'controlRequesting',
  intercepted: 'controlIntercepted',
  issued: 'controlIssued',
  unknown: 'controlUnknown',
};

export function statusText(state: ControlState, view: OrderView, now: number, translate: Translate): string {
  const record = view.record;
  if (state === 'intercepting') {
    const left = record?.nextCheckAt === undefined ? 0 : record.nextCheckAt - now;
    return left > 0 ? translate('controlIntercepting', formatCountdown(left)) : translate('controlChecking');
  }
  if (state === 'refused') return translate('controlRefused', record?.lastMessage || translate('commonAtripStatus', String(record?.lastStatus ?? '?')));
  if (state === 'error') {
    const why = view.sendError ?? (record?.failure ? failureText(record.failure, translate) : endReasonText(record?.endReason, translate));
    return translate('controlError', why ?? '?');
  }
  const words = STATE_WORDS[state];
  return words ? translate(words) : ''; // idle
}
