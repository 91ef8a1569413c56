import { memo } from './memo';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '@/utils/shared/i18n';
import { formatCountdown, formatMoment } from '@/utils/shared/logic/format';
import { canCheckAgain, canStartStop, type TrackedOrder } from '@/utils/shared/logic/record';
import { endReasonText, failureText } from '@/utils/shared/logic/failure-text';
import { STATE_SYMBOL, stateWord } from '@/utils/popup/state-words';
import { useNow } from './use-now';
import { OrderHistory } from './OrderHistory';

export type RowAction = 'checkNow' | 'checkAgain' | 'openOrder' | 'retry' | 'remove';

interface Props {
  record: TrackedOrder;
  locale: string;
  /** Resolves when the background answered; the row stays disabled until then. */
  onAction: (action: RowAction, orderNo: string) => Promise<void>;
  onCopy: (orderNo: string) => Promise<boolean>;
}

/** What a final state means for the agent, in the UI language. */
function outcomeSentence(record: TrackedOrder): string | undefined {
  switch (record.state) {
    case 'intercepted':
      return t('popupOutcomeIntercepted');
    case 'issued':
      return t('popupOutcomeIssued');
    case 'refused':
      return t('popupOutcomeRefused', String(record.lastStatus ?? '?'));
    case 'error':
      return t('popupOutcomeError');
    case 'unknown':
      return t('popupOutcomeUnknown');
    default:
      return undefined;
  }
}

/** The next check of an order being intercepted, ticking every second from the one shared timer. */
function Countdown({ at }: { at: number }) {
  const now = useNow();
  const left = at - now;
  return (
    <span class="countdown" aria-live="off">
      {left > 0 ? t('popupNextCheckIn', formatCountdown(left)) : t('popupCheckingNow')}
    </span>
  );
}

function OrderRowView({ record, locale, onAction, onCopy }: Props) {
  const [pending, setPending] = useState<RowAction | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  // "Retry stop" sends a new stop request: asked once more, as every stop is.
  const [confirmingRetry, setConfirmingRetry] = useState(false);
  const cancelRetry = useRef<HTMLButtonElement>(null);
  // The history is drawn only once asked for (a disclosure button: Enter / Space open and close it).
  const [historyShown, setHistoryShown] = useState(false);
  // Focus on Cancel: a second Enter does not send a stop.
  useEffect(() => {
    if (confirmingRetry) cancelRetry.current?.focus();
  }, [confirmingRetry]);
  const { orderNo, state } = record;
  const now = Date.now();
  const historyId = `history-${orderNo}`;

  const run = (action: RowAction) => async () => {
    setPending(action);
    try {
      await onAction(action, orderNo);
    } finally {
      setPending(null);
    }
  };

  const copy = async () => {
    setCopied((await onCopy(orderNo)) ? 'yes' : 'failed');
    setTimeout(() => setCopied(null), 1500);
  };

  const outcome = outcomeSentence(record);
  const why = state === 'error' || state === 'unknown' ? endReasonText(record.endReason, t) : undefined;

  return (
    <li class={`order state-${state}`} data-order-no={orderNo} data-state={state}>
      <div class="order-head">
        <span class="order-no">{orderNo}</span>
        <button type="button" class="icon-button" onClick={copy} aria-label={t('popupCopyOrderNo', orderNo)} title={t('popupCopyOrderNo', orderNo)}>
          {copied === 'yes' ? t('commonCopied') : copied === 'failed' ? t('commonCopyFailed') : t('commonCopy')}
        </button>
        <span class={`badge badge-${state}`}>
          <span aria-hidden="true">{STATE_SYMBOL[state]} </span>
          {stateWord(state)}
        </span>
      </div>
      {state === 'intercepting' && record.nextCheckAt !== undefined && <Countdown at={record.nextCheckAt} />}
      {state === 'requesting' && <span class="countdown">{t('popupSending')}</span>}
      {outcome && <p class="outcome">{outcome}</p>}
      {why && <p class="message">{why}</p>}
      {state === 'error' && record.failure && <p class="message">{failureText(record.failure, t)}</p>}
      {record.lastMessage && (
        // ATRIP's own words, as given (not translated).
        <p class="message atrip">{t('popupAtripMessage', record.lastMessage)}</p>
      )}
      <p class="times">
        <span>{t('popupRequestedAt', formatMoment(record.requestedAt, now, locale))}</span>
        {record.finishedAt !== undefined && <span>{t('popupDecidedAt', formatMoment(record.finishedAt, now, locale))}</span>}
      </p>
      <button
        type="button"
        class="link-button disclosure"
        aria-expanded={historyShown}
        {...(historyShown && { 'aria-controls': historyId })}
        onClick={() => setHistoryShown((shown) => !shown)}
      >
        <span aria-hidden="true">{historyShown ? '▾' : '▸'} </span>
        {t('popupHistoryShow', String(record.history.length + (record.historyDropped ?? 0)))}
      </button>
      {historyShown && <OrderHistory id={historyId} record={record} locale={locale} />}
      <div class="actions">
        {state === 'intercepting' && (
          <button type="button" onClick={run('checkNow')} disabled={pending !== null}>
            {pending === 'checkNow' ? t('popupChecking') : t('popupActionCheckNow')}
          </button>
        )}
        {canCheckAgain(state) && (
          <button type="button" onClick={run('checkAgain')} disabled={pending !== null}>
            {pending === 'checkAgain' ? t('popupChecking') : t('popupActionCheckAgain')}
          </button>
        )}
        {canStartStop(state) && !confirmingRetry && (
          <button type="button" onClick={() => setConfirmingRetry(true)} disabled={pending !== null}>
            {t('popupActionRetry')}
          </button>
        )}
        <button type="button" onClick={run('openOrder')} disabled={pending !== null}>
          {t('popupActionOpen')}
        </button>
        <button type="button" class="quiet" onClick={run('remove')} disabled={pending !== null}>
          {t('popupActionRemove')}
        </button>
      </div>
      {confirmingRetry && canStartStop(state) && (
        <div class="confirm" role="group" aria-label={t('popupRetryConfirmQuestion', orderNo)}>
          <p>{t('popupRetryConfirmQuestion', orderNo)}</p>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={pending !== null}
              onClick={async () => {
                await run('retry')();
                setConfirmingRetry(false);
              }}
            >
              {t('popupStopConfirm')}
            </button>
            <button type="button" ref={cancelRetry} onClick={() => setConfirmingRetry(false)} disabled={pending !== null}>
              {t('commonCancel')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

/** Re-renders only when its own record changes: a list of 1,000 stays cheap to update. */
export const OrderRow = memo(OrderRowView);
