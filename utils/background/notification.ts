import { t } from '../shared/i18n';
import { endReasonText, failureText } from '../shared/logic/failure-text';
import type { TrackedOrder } from '../shared/logic/record';

export interface NotificationText {
  title: string;
  message: string;
}

/** What the agent is told about a final state; undefined for states that are not outcomes. */
export function notificationText(record: TrackedOrder): NotificationText | undefined {
  const no = record.orderNo;
  switch (record.state) {
    case 'intercepted':
      return { title: t('notifyInterceptedTitle'), message: t('notifyInterceptedMessage', no) };
    case 'issued':
      return { title: t('notifyIssuedTitle'), message: t('notifyIssuedMessage', no) };
    case 'refused':
      return {
        title: t('notifyRefusedTitle'),
        message: t('notifyRefusedMessage', [no, record.lastMessage || t('commonAtripStatus', String(record.lastStatus ?? '?'))]),
      };
    case 'error':
      return {
        title: t('notifyErrorTitle'),
        message: t('notifyErrorMessage', [no, record.failure ? failureText(record.failure, t) : (endReasonText(record.endReason, t) ?? '')]),
      };
    case 'unknown':
      return { title: t('notifyUnknownTitle'), message: t('notifyUnknownMessage', no) };
    default:
      return undefined;
  }
}

/** Orders still waiting for ATRIP (their count), shown on the toolbar badge. */
export function badgeText(inProgress: number): string {
  return inProgress === 0 ? '' : String(inProgress);
}
