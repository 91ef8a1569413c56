import { browser } from 'wxt/browser';
import { queryOrder, stopTicket, type AtripConfig, type QueryResult, type StopResult } from '../atrip/client';
import { portalDetailUrl } from '../order-number';
import { loadSettings, type Settings } from '../settings';
import { t } from '../i18n';
import { beginStop, onCheckResult, onResolveResult, onStopResult, type Policy } from './machine';
import { isFinal, isInProgress, type TrackedOrder } from './record';
import { getOrder, listOrders, mutateOrder } from './store';
import { badgeText, notificationText } from './notification';

export const ALARM_PREFIX = 'check:';
/** A wake-up set before each API call: if the worker dies mid-call, the order is taken up again. */
export const WATCHDOG_MS = 20_000;
export const alarmName = (orderNo: string) => `${ALARM_PREFIX}${orderNo}`;

export interface TrackerDeps {
  stopTicket: (config: AtripConfig, orderNo: string) => Promise<StopResult>;
  queryOrder: (config: AtripConfig, orderNo: string) => Promise<QueryResult>;
  now: () => number;
}

const defaultDeps: TrackerDeps = { stopTicket, queryOrder, now: () => Date.now() };

function configOf(settings: Settings): AtripConfig {
  return { apiBaseUrl: settings.apiBaseUrl, clientId: settings.clientId, clientSecret: settings.clientSecret };
}

export type Tracker = ReturnType<typeof createTracker>;

/** Everything the background does with tracked orders; storage is the truth, alarms only wake it. */
export function createTracker(deps: TrackerDeps = defaultDeps) {
  // Orders with an API call under way in this worker; lost with the worker, as it should be.
  const busy = new Set<string>();
  // Outcomes being announced: several reconciles at once must still make one notification.
  const notifying = new Set<string>();

  /** Applies a change to the same stop run (a removal or a new stop in between drops it), then follows up. */
  async function update(orderNo: string, requestedAt: number, change: (record: TrackedOrder) => TrackedOrder) {
    const next = await mutateOrder(orderNo, (current) => {
      if (!current || current.requestedAt !== requestedAt || isFinal(current.state)) return { next: undefined, value: null };
      const changed = change(current);
      return { next: changed, value: changed };
    });
    if (next) await followUp(next);
    return next;
  }

  /** After every change: the alarm for the next check, or the notification of the outcome; the badge. */
  async function followUp(record: TrackedOrder) {
    if (isFinal(record.state)) {
      await browser.alarms.clear(alarmName(record.orderNo));
      await notifyOnce(record);
    } else if (record.nextCheckAt !== undefined) {
      await browser.alarms.create(alarmName(record.orderNo), { when: record.nextCheckAt });
    }
    await refreshBadge();
  }

  async function notifyOnce(record: TrackedOrder) {
    if (record.notified || notifying.has(record.orderNo)) return;
    const text = notificationText(record);
    if (!text) return;
    notifying.add(record.orderNo);
    try {
      await announce(record, text);
    } finally {
      notifying.delete(record.orderNo);
    }
  }

  async function announce(record: TrackedOrder, text: { title: string; message: string }) {
    // Same id as the order: a re-created notification replaces, never duplicates.
    await browser.notifications.create(record.orderNo, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: text.title,
      message: text.message,
      // Firefox rejects the property (its notifications cannot stay): the popup and the page carry the outcome there.
      ...(!import.meta.env.FIREFOX && { requireInteraction: true }),
    });
    await mutateOrder(record.orderNo, (current) =>
      current && current.requestedAt === record.requestedAt && isFinal(current.state)
        ? { next: { ...current, notified: true }, value: undefined }
        : { next: undefined, value: undefined },
    );
  }

  async function refreshBadge() {
    const text = badgeText(await listOrders());
    await browser.action.setBadgeText({ text });
    await browser.action.setBadgeBackgroundColor({ color: '#c2410c' });
    await browser.action.setTitle({ title: text ? t('badgeTitle', text) : t('extName') });
  }

  async function withBusy(orderNo: string, work: () => Promise<void>) {
    if (busy.has(orderNo)) {
      // The call under way sets the next wake-up when it ends; this one only covers its death.
      await browser.alarms.create(alarmName(orderNo), { when: deps.now() + WATCHDOG_MS });
      return;
    }
    busy.add(orderNo);
    try {
      await work();
    } finally {
      busy.delete(orderNo);
    }
  }

  async function sendStop(record: TrackedOrder, settings: Settings) {
    const result = await deps.stopTicket(configOf(settings), record.orderNo);
    await update(record.orderNo, record.requestedAt, (current) => onStopResult(current, result, deps.now(), settings));
  }

  /**
   * Starts tracking and sends the stop at once. A second stop while one is in progress returns the
   * current record without calling ATRIP; after a final state a new stop starts a new run.
   * Resolves when the record is written as `requesting`; the API call carries on.
   */
  async function stop(orderNo: string, pageUrl?: string): Promise<{ record: TrackedOrder; started: boolean; done: Promise<void> }> {
    const settings = await loadSettings();
    const { record, started } = await mutateOrder(orderNo, (current) => {
      if (current && isInProgress(current.state)) return { next: undefined, value: { record: current, started: false } };
      const fresh = beginStop(orderNo, pageUrl ?? current?.pageUrl, deps.now(), settings);
      return { next: fresh, value: { record: fresh, started: true } };
    });
    if (!started) return { record, started, done: Promise.resolve() };
    busy.add(orderNo);
    const done = (async () => {
      try {
        await browser.notifications.clear(orderNo);
        await followUp(record); // the wake-up exists before the request leaves
        await sendStop(record, settings);
      } finally {
        busy.delete(orderNo);
      }
    })();
    return { record, started, done };
  }

  /** The scheduled step of an order in progress: resolve a stop without answer, or check the status. */
  async function process(orderNo: string, { force = false } = {}) {
    await withBusy(orderNo, async () => {
      const record = await getOrder(orderNo);
      if (!record || isFinal(record.state)) {
        await browser.alarms.clear(alarmName(orderNo));
        return;
      }
      const now = deps.now();
      if (!force && record.nextCheckAt !== undefined && record.nextCheckAt > now + 1000) {
        await ensureAlarm(record);
        return;
      }
      const settings = await loadSettings();
      await browser.alarms.create(alarmName(orderNo), { when: now + WATCHDOG_MS });
      const query = await deps.queryOrder(configOf(settings), orderNo);
      if (record.state === 'intercepting') {
        await update(orderNo, record.requestedAt, (current) => onCheckResult(current, query, deps.now(), settings));
        return;
      }
      let resend = false;
      const resolved = await update(orderNo, record.requestedAt, (current) => {
        const decision = onResolveResult(current, query, deps.now(), settings);
        resend = decision.resend;
        return decision.record;
      });
      if (resolved && resend) await sendStop(resolved, settings);
    });
  }

  async function ensureAlarm(record: TrackedOrder) {
    if (record.nextCheckAt === undefined) return;
    // Re-creating an existing alarm would push it back: create only what is missing.
    const existing = await browser.alarms.get(alarmName(record.orderNo));
    if (!existing) await browser.alarms.create(alarmName(record.orderNo), { when: record.nextCheckAt });
  }

  /** On every worker start: every order in progress has its wake-up, overdue ones run now, missed notifications are sent. */
  async function reconcile() {
    const now = deps.now();
    const records = await listOrders();
    await Promise.all(
      records.map(async (record) => {
        if (isFinal(record.state)) return notifyOnce(record);
        if (record.nextCheckAt === undefined || record.nextCheckAt <= now) return process(record.orderNo);
        return ensureAlarm(record);
      }),
    );
    await refreshBadge();
  }

  async function remove(orderNo: string) {
    await mutateOrder(orderNo, () => ({ next: null, value: undefined }));
    await browser.alarms.clear(alarmName(orderNo));
    await browser.notifications.clear(orderNo);
    await refreshBadge();
  }

  /** A new stop for a finished order (refused, error, unknown…); in progress it is the same as stop. */
  async function retry(orderNo: string) {
    const record = await getOrder(orderNo);
    return stop(orderNo, record?.pageUrl);
  }

  async function openOrder(orderNo: string) {
    const record = await getOrder(orderNo);
    await browser.tabs.create({ url: record?.pageUrl ?? portalDetailUrl(orderNo) });
    await browser.notifications.clear(orderNo);
  }

  async function onAlarm(alarm: { name: string }) {
    if (alarm.name.startsWith(ALARM_PREFIX)) await process(alarm.name.slice(ALARM_PREFIX.length));
  }

  return { stop, process, checkNow: (orderNo: string) => process(orderNo, { force: true }), reconcile, remove, retry, openOrder, onAlarm };
}
