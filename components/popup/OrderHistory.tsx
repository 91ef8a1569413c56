import { t } from '@/utils/shared/i18n';
import { formatMoment } from '@/utils/shared/logic/format';
import { HISTORY_HEAD, type TrackedOrder } from '@/utils/shared/logic/record';
import { atripAnswerText, historyLine, type HistoryLine } from '@/utils/popup/logic/history-text';
import { stateWord } from '@/utils/popup/state-words';

interface Props {
  id: string;
  record: TrackedOrder;
  locale: string;
}

function Step({ line, time }: { line: HistoryLine; time: string }) {
  const answer = atripAnswerText(line, t);
  const details = [line.orderStatus, ...line.notes].filter(Boolean);
  return (
    <li class="history-step">
      <time dateTime={new Date(line.at).toISOString()}>{time}</time>
      <span class="history-what">{line.step}</span>
      {/* ATRIP's status and msg, and its reason for a cancellation, as ATRIP wrote them. */}
      {answer && <span class="history-answer">{answer}</span>}
      {line.reason && <span class="history-answer">{t('popupAtripMessage', line.reason)}</span>}
      {details.length > 0 && <span class="history-details">{details.join(t('commonListSeparator'))}</span>}
      {line.decision && <span class="history-decision">→ {line.decision}</span>}
    </li>
  );
}

/**
 * Every step of an order, oldest first, in local time and the UI language. Drawn only while its
 * row is expanded: the popup's first render never pays for a history.
 */
export function OrderHistory({ id, record, locale }: Props) {
  const now = Date.now();
  const time = (at: number) => formatMoment(at, now, locale);
  const words = { translate: t, stateWord, time };
  const steps = record.history.map((entry, i) => {
    const line = historyLine(entry, words);
    return <Step key={i} line={line} time={time(line.at)} />;
  });
  if (record.historyDropped) {
    steps.splice(
      HISTORY_HEAD,
      0,
      <li key="dropped" class="history-step history-dropped">
        {t('popupHistoryDropped', String(record.historyDropped))}
      </li>,
    );
  }
  return (
    <ol id={id} class="history" aria-label={t('popupHistoryLabel', record.orderNo)}>
      {steps.length > 0 ? steps : <li class="history-step">{t('popupHistoryNone')}</li>}
    </ol>
  );
}
