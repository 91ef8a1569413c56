import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t, uiLanguage } from '@/utils/i18n';
import { intlLocale, formatFileStamp } from '@/utils/format';
import { downloadText, ordersCsv } from '@/utils/csv';
import { sendRequest } from '@/utils/messages';
import { loadSettings, settingsItem } from '@/utils/settings';
import { isInProgress, type TrackedOrder } from '@/utils/tracker/record';
import { listOrders, watchOrders } from '@/utils/tracker/store';
import { failureText } from '@/utils/tracker/failure-text';
import { stateWord } from '../shared/state-words';
import { OrderRow, type RowAction } from './OrderRow';
import { StopForm } from './StopForm';

type Notice = { text: string; kind: 'ok' | 'error' };

const byNewest = (a: TrackedOrder, b: TrackedOrder) => b.requestedAt - a.requestedAt;

/**
 * The tracked orders, kept live from storage changes. One snapshot read on open, then each change
 * replaces one record: unchanged records keep their identity, so their rows do not re-render.
 */
function useOrders(): { orders: TrackedOrder[]; loaded: boolean } {
  const [orders, setOrders] = useState<Map<string, TrackedOrder>>(() => new Map());
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    // Changes that arrive while the snapshot is read win over it: they are newer.
    const touched = new Set<string>();
    const unwatch = watchOrders((orderNo, record) => {
      touched.add(orderNo);
      setOrders((current) => {
        const next = new Map(current);
        if (record) next.set(orderNo, record);
        else next.delete(orderNo);
        return next;
      });
    });
    let alive = true;
    void listOrders().then((records) => {
      if (!alive) return;
      setOrders((current) => {
        const next = new Map(current);
        for (const record of records) if (!touched.has(record.orderNo)) next.set(record.orderNo, record);
        return next;
      });
      setLoaded(true);
    });
    return () => {
      alive = false;
      unwatch();
    };
  }, []);
  const sorted = useMemo(() => [...orders.values()].sort(byNewest), [orders]);
  return { orders: sorted, loaded };
}

/** Whether a client id is set, following changes made on the options page. */
function useConfigured(): boolean | null {
  const [configured, setConfigured] = useState<boolean | null>(null);
  useEffect(() => {
    void loadSettings().then((settings) => setConfigured(settings.clientId !== ''));
    return settingsItem.watch((settings) => setConfigured(!!settings?.clientId));
  }, []);
  return configured;
}

function openOptions() {
  void browser.runtime.openOptionsPage();
}

export function PopupApp() {
  const { orders, loaded } = useOrders();
  const configured = useConfigured();
  const [notice, setNotice] = useState<Notice | null>(null);
  const locale = intlLocale(uiLanguage());
  const ordersRef = useRef(orders);
  ordersRef.current = orders;

  const inProgress = useMemo(() => orders.filter((o) => isInProgress(o.state)), [orders]);
  const finished = useMemo(() => orders.filter((o) => !isInProgress(o.state)), [orders]);

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

  const exportCsv = () => {
    const csv = ordersCsv(orders, {
      order: t('popupCsvOrder'),
      state: t('popupCsvState'),
      requested: t('popupCsvRequested'),
      decided: t('popupCsvDecided'),
      message: t('popupCsvMessage'),
      stateWord,
      failureWord: (failure) => failureText(failure, t),
    });
    downloadText(`atrip-stop-ticket-${formatFileStamp(Date.now())}.csv`, csv);
  };

  const section = (id: string, title: string, records: TrackedOrder[]) =>
    records.length > 0 && (
      <section class="orders" aria-labelledby={id}>
        <h2 id={id}>
          {title} <span class="count">({records.length})</span>
        </h2>
        <ul>
          {records.map((record) => (
            <OrderRow key={record.orderNo} record={record} locale={locale} onAction={onAction} onCopy={onCopy} />
          ))}
        </ul>
      </section>
    );

  return (
    <main class="popup">
      <header class="popup-header">
        <h1>{t('extName')}</h1>
        <span class="in-progress" aria-live="polite">
          {t('popupInProgressCount', String(inProgress.length))}
        </span>
        <button type="button" class="link-button" onClick={openOptions}>
          {t('commonSettings')}
        </button>
      </header>

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

      {loaded && orders.length === 0 && (
        <div class="empty">
          <h2>{t('popupEmptyTitle')}</h2>
          <p>{t('popupEmptyHelp')}</p>
        </div>
      )}

      {section('in-progress-heading', t('popupSectionInProgress'), inProgress)}
      {section('finished-heading', t('popupSectionFinished'), finished)}

      {orders.length > 0 && (
        <footer class="popup-footer">
          <button type="button" onClick={exportCsv}>
            {t('popupExportCsv')}
          </button>
        </footer>
      )}
    </main>
  );
}
