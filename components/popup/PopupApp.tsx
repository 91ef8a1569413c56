import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t, uiLanguage } from '@/utils/shared/i18n';
import { intlLocale, formatFileStamp } from '@/utils/shared/logic/format';
import { downloadText, ordersCsv } from '@/utils/popup/csv';
import { sendRequest } from '@/utils/shared/messages';
import { isInProgress, type TrackedOrder } from '@/utils/shared/logic/record';
import { originPattern } from '@/utils/shared/logic/permissions';
import { stateWord } from '@/utils/popup/state-words';
import { useConfigured, useFullRows, useMissingPolicyOrigins, useOrders, useWarmFormats } from './hooks';
import { OrderList } from './OrderList';
import { type RowAction } from './OrderRow';
import { StopForm } from './StopForm';
import { FIRST_FINISHED, MORE_FINISHED } from '@/utils/popup/logic/view-hint';

type Notice = { text: string; kind: 'ok' | 'error' };

const byNewest = (a: TrackedOrder, b: TrackedOrder) => b.requestedAt - a.requestedAt;

function openOptions() {
  void browser.runtime.openOptionsPage();
}

export function PopupApp() {
  const { store, state } = useOrders();
  const { loaded, complete } = state;
  const orders = useMemo(() => [...state.orders.values()].sort(byNewest), [state.orders]);
  const configured = useConfigured();
  const [policyMissing, recheckPolicyOrigins] = useMissingPolicyOrigins(loaded);
  const [notice, setNotice] = useState<Notice | null>(null);
  const locale = intlLocale(uiLanguage());
  useWarmFormats(locale);
  const ordersRef = useRef(orders);
  ordersRef.current = orders;

  const inProgress = useMemo(() => orders.filter((o) => isInProgress(o.state)), [orders]);
  const finished = useMemo(() => orders.filter((o) => !isInProgress(o.state)), [orders]);
  // While only the first rows are read, the view hint counts the orders in progress (order-store.ts).
  const inProgressCount = Math.max(inProgress.length, state.inProgressTotal ?? 0);

  // Until every record is read, the count comes from the key list.
  const finishedCount = complete ? finished.length : Math.max(finished.length, state.total - inProgressCount);
  // The first screen's rows: every order in progress and the first page of finished ones (counted
  // before they are all read: the rows that come a frame after the first render are drawn light too).
  const full = useFullRows(loaded, inProgressCount + Math.min(finishedCount, FIRST_FINISHED), inProgress.length + Math.min(finished.length, FIRST_FINISHED));

  const onNotice = useCallback((text: string, kind: Notice['kind']) => setNotice({ text, kind }), []);

  const onAction = useCallback(async (action: RowAction, orderNo: string) => {
    const reply = await sendRequest({ type: action, orderNo });
    if (!reply.ok) setNotice({ text: t('popupActionFailed', reply.error), kind: 'error' });
  }, []);

  const onCopy = useCallback(async (orderNo: string) => {
    try {
      await navigator.clipboard.writeText(orderNo);
      return true;
    } catch {
      return false;
    }
  }, []);

  const isOrderInProgress = useCallback(
    (orderNo: string) => ordersRef.current.some((o) => o.orderNo === orderNo && isInProgress(o.state)),
    [],
  );

  const exportCsv = async () => {
    await store.whenComplete();
    const all = [...store.get().orders.values()].sort(byNewest);
    const csv = ordersCsv(all, { translate: t, stateWord });
    downloadText(`atrip-stop-ticket-${formatFileStamp(Date.now())}.csv`, csv);
  };

  return (
    // Busy until every record is read (the first screen comes earlier, from the view hint).
    <main class="popup" aria-busy={complete ? 'false' : 'true'}>
      <header class="popup-header">
        <h1>{t('extName')}</h1>
        <span class="in-progress" aria-live="polite">
          {t('popupInProgressCount', String(inProgressCount))}
        </span>
        <button type="button" class="link-button" onClick={openOptions}>
          {t('commonSettings')}
        </button>
      </header>

      {policyMissing.length > 0 && (
        <div class="callout" role="group" aria-labelledby="policy-access-text">
          <p id="policy-access-text">{t('optionsManagedOriginsMissing', policyMissing.join(t('commonListSeparator')))}</p>
          <button
            type="button"
            class="primary"
            onClick={() => {
              // Within the click, before any await: the user gesture the browser asks for.
              void browser.permissions
                .request({ origins: policyMissing.map((origin) => originPattern(origin)) })
                .catch(() => false)
                .then(recheckPolicyOrigins);
            }}
          >
            {t('optionsManagedOriginsAllow')}
          </button>
        </div>
      )}

      {configured === false && (
        <div class="callout" role="note">
          <p>{t('popupNotConfigured')}</p>
          <button type="button" class="primary" onClick={openOptions}>
            {t('popupNotConfiguredAction')}
          </button>
        </div>
      )}

      <StopForm configured={configured !== false} isInProgress={isOrderInProgress} onNotice={onNotice} />

      <p class={`notice ${notice ? `notice-${notice.kind}` : ''}`} role="status">
        {notice?.text}
      </p>

      {loaded && orders.length === 0 && state.total === 0 && (
        <div class="empty">
          <h2>{t('popupEmptyTitle')}</h2>
          <p>{t('popupEmptyHelp')}</p>
        </div>
      )}

      <OrderList
        id="in-progress-heading"
        title={t('popupSectionInProgress')}
        records={inProgress}
        total={inProgressCount}
        full={full}
        locale={locale}
        onAction={onAction}
        onCopy={onCopy}
      />
      <OrderList
        id="finished-heading"
        title={t('popupSectionFinished')}
        records={finished}
        total={finishedCount}
        page={FIRST_FINISHED}
        step={MORE_FINISHED}
        full={Math.max(0, full - inProgress.length)}
        locale={locale}
        onAction={onAction}
        onCopy={onCopy}
      />

      {orders.length > 0 && (
        <footer class="popup-footer">
          <button type="button" onClick={() => void exportCsv()}>
            {t('popupExportCsv')}
          </button>
        </footer>
      )}
    </main>
  );
}
