import type { ConnectionReport } from '@/utils/shared/messages';
import { failureText, type Translate } from '@/utils/shared/logic/failure-text';

/** The connection test's result in the agent's language; ATRIP's own `msg` as ATRIP wrote it. */
export function connectionText(report: ConnectionReport, translate: Translate): string {
  const status = String(report.status ?? '?');
  switch (report.verdict) {
    case 'accepted':
      return report.msg ? translate('optionsTestAcceptedMsg', [status, report.msg]) : translate('optionsTestAccepted', status);
    case 'rejected':
      return translate('optionsTestRejected', [status, report.msg ?? '']);
    case 'failed':
      return report.failure ? failureText(report.failure, translate) : '—';
  }
}
