import { browser } from 'wxt/browser';
import { blockedCall, queryOrder, stopTicket, type AtripConfig, type QueryResult, type StopResult } from '../atrip/client';
import { hasApiAccess } from '../background/api-access';
import { showOrder } from '../background/open-order';
import { loadSettings, type Settings } from '../settings';
import { t } from '../i18n';
import {
  beginStop,
  markResend,
  newRunId,
  onAnswerLost,
  onCheckAgainResult,
  onCheckResult,
  onLookupResult,
  onStopResult,
  WATCHDOG_MS,
} from './machine';
import { canCheckAgain, canStartStop, isFinal, type TrackedOrder } from './record';
import { getOrder, listOrders, listOrdersAndReindex, migrateStoredRecords, mutateOrder, readInProgressIndex } from './store';
import { badgeText, notificationText } from './notification';
import { DAY_MS, isExpired, PRUNE_ALARM } from './retention';
import { bestEffort, clearNotification, setToolbar, showNotification } from './ui-effects';

export { WATCHDOG_MS };
export const ALARM_PREFIX = 'check:';
export const alarmName = (orderNo: string) => `${ALARM_PREFIX}${orderNo}`;

export interface TrackerDeps {
  stopTicket: (config: AtripConfig, orderNo: string) => Promise<StopResult>;
  queryOrder: (config: AtripConfig, orderNo: string) => Promise<QueryResult>;
  now: () => number;
  newRunId?: (now: number) => string;
  /** Whether the extension may call the API's origin (its host permission); absent: not asked. */
  canReach?: (origin: string) => Promise<boolean>;
}

const defaultDeps: TrackerDeps = { stopTicket, queryOrder, now: () => Date.now(), canReach: hasApiAccess };

function configFor(settings: Settings, canReach: TrackerDeps['canReach']): AtripConfig {
  return { apiBaseUrl: settings.apiBaseUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, ...(canReach && { canReach }) };
}

export type Tracker = ReturnType<typeof createTracker>;

export interface StopStart {
  record: TrackedOrder;
  /** False when a stop of the order is under way or it is decided (-3 / 2): nothing was sent. */
  started: boolean;
  /** Resolves when the stop's answer is applied. */
  done: Promise<void>;
}

/** Everything the background does with tracked orders; storage is the truth, alarms only wake it. */
export function createTracker(deps: TrackerDeps = defaultDeps) {
  // Runs with an API call under way in this worker (keyed by run, not by order: a new run of the
  // same order is never blocked, nor doubled, by an old call). Lost with the worker, as it should be.
  const inFlight = new Set<string>();
  // Outcomes being announced: several reconciles at once must still make one notification.
  const notifying = new Set<string>();
  let reconciling: Promise<void> | undefined;
  const runIdFor = deps.newRunId ?? newRunId;
  const configOf = (settings: Settings) => configFor(settings, deps.canReach);

  /** Applies a change to the record only while it is still the same run (a removal or a new stop in between drops it). */
  function update(orderNo: string, runId: string, change: (record: TrackedOrder) => TrackedOrder | undefined, { finalToo = false } = {}) {
    return mutateOrder<TrackedOrder | null>(orderNo, (current) => {
      if (!current || current.runId !== runId || (!finalToo && isFinal(current.state))) return { next: undefined, value: null };
      const changed = change(current);
      return changed ? { next: changed, value: changed } : { next: undefined, value: null };
    });
  }

  /** After every change: the alarm of the next step, or the notification of the outcome; the badge. */
  async function followUp(record: TrackedOrder) {
    if (isFinal(record.state)) {
      await browser.alarms.clear(alarmName(record.orderNo));
      await notifyOnce(record);
    } else if (record.nextCheckAt !== undefined) {
      await browser.alarms.create(alarmName(record.orderNo), { when: record.nextCheckAt });
    }
    void refreshBadge();
  }

  async function notifyOnce(record: TrackedOrder) {
    if (record.notified || notifying.has(record.orderNo)) return;
    const text = notificationText(record);
    if (!text) return;
    notifying.add(record.orderNo);
    try {
      // Same id as the order: a re-created notification replaces, never duplicates.
      if (!(await showNotification(record.orderNo, text.title, text.message))) return; // retried at the next wake
      await mutateOrder(record.orderNo, (current) =>
        current && current.runId === record.runId && current.state === record.state && !current.notified
          ? { next: { ...current, notified: true }, value: undefined }
          : { next: undefined, value: undefined },
      );
    } finally {
      notifying.delete(record.orderNo);
    }
  }

  /**
   * Orders still waiting, on the toolbar badge: counted from the in-progress index (store.ts), one
   * small read, never every record. Best-effort: never awaited by a stop or a check.
   */
  function refreshBadge(): Promise<boolean> {
    return bestEffort('badge', async () => {
      const text = badgeText((await readInProgressIndex()).length);
      await setToolbar(text, text ? t('badgeTitle', text) : t('extName'));
    });
  }

  /** Sends the stop of a run whose record is already marked in flight, and applies its answer. */
  async function send(record: TrackedOrder, settings: Settings, call = deps.stopTicket(configOf(settings), record.orderNo)) {
    const result = await call;
    const next = await update(record.orderNo, record.runId, (current) =>
      current.state === 'requesting' && current.inFlightStop !== undefined ? onStopResult(current, result, deps.now(), settings) : undefined,
    );
    if (next) await followUp(next);
  }

  /**
   * Starts tracking and sends the stop at once. Only the durable `requesting` write and its
   * wake-up alarm come before the request leaves; the badge and the clearing of an old
   * notification follow it, best-effort. A second stop while one is in progress (or of an order
   * already decided) returns the current record without calling ATRIP.
   */
  async function stop(orderNo: string, pageUrl?: string): Promise<StopStart> {
    const settings = await loadSettings();
    const now = deps.now();
    const { record, started } = await mutateOrder(orderNo, (current) => {
      if (current && !canStartStop(current.state)) return { next: undefined, value: { record: current, started: false } };
      const fresh = beginStop(orderNo, pageUrl ?? current?.pageUrl, now, runIdFor(now), current);
      inFlight.add(fresh.runId); // before the write lands: no wake-up may take this run up meanwhile
      return { next: fresh, value: { record: fresh, started: true } };
    });
    if (!started) return { record, started, done: Promise.resolve() };
    let call: Promise<StopResult>;
    try {
      // Access to the API is asked before anything else: without it nothing is sent (client.ts).
      const config = configOf(settings);
      const blocked = await blockedCall(config);
      await browser.alarms.create(alarmName(orderNo), { when: record.nextCheckAt! }); // the wake-up exists before the request leaves
      // The request leaves here (access was just checked: the client need not ask again before it).
      call = blocked ? Promise.resolve(blocked) : deps.stopTicket({ ...config, canReach: undefined }, orderNo);
    } catch (error) {
      inFlight.delete(record.runId);
      throw error;
    }
    void clearNotification(orderNo);
    void refreshBadge();
    const done = send(record, settings, call)
      // Never rejects: a failure here leaves the stop marked in flight, and the wake-up takes it up.
      .catch((error: unknown) => console.error('[atrip] applying the stop answer failed:', error))
      .finally(() => inFlight.delete(record.runId));
    return { record, started, done };
  }

  /** The scheduled step of an order in progress: a stop (re-)send, a look-up before any re-send, or a check. */
  async function process(orderNo: string, { force = false } = {}) {
    const record = await getOrder(orderNo);
    if (!record || isFinal(record.state)) {
      await browser.alarms.clear(alarmName(orderNo));
      return;
    }
    const now = deps.now();
    if (inFlight.has(record.runId)) {
      // The call under way sets the next wake-up when it ends; this one only covers its death.
      await browser.alarms.create(alarmName(orderNo), { when: now + WATCHDOG_MS });
      return;
    }
    if (!force && record.nextCheckAt !== undefined && record.nextCheckAt > now + 1000 && record.inFlightStop === undefined) {
      await ensureAlarm(record);
      return;
    }
    if (force && record.state !== 'intercepting') return; // "Check now" never sends or resolves a stop
    inFlight.add(record.runId);
    try {
      await step(record, force);
    } finally {
      inFlight.delete(record.runId);
    }
  }

  async function step(found: TrackedOrder, agentAsked: boolean) {
    const { orderNo, runId } = found;
    const settings = await loadSettings();
    let record: TrackedOrder | null = found;
    if (record.inFlightStop !== undefined) {
      // A stop of this run left from a worker that is gone: its answer is lost; it may have arrived.
      record = await update(orderNo, runId, (current) => (current.inFlightStop !== undefined ? onAnswerLost(current, deps.now()) : current));
      if (!record) return;
    }
    await browser.alarms.create(alarmName(orderNo), { when: deps.now() + WATCHDOG_MS });
    const next = record.nextStep ?? (record.state === 'intercepting' ? 'check' : 'lookup');

    if (record.state === 'requesting' && next === 'send') {
      const marked = await update(orderNo, runId, (current) =>
        current.state === 'requesting' && current.nextStep === 'send' && !current.noMoreSends ? markResend(current, deps.now()) : undefined,
      );
      if (marked) await send(marked, settings);
      return;
    }

    const result = await deps.queryOrder(configOf(settings), orderNo);
    if (record.state === 'intercepting') {
      const checked = await update(orderNo, runId, (current) =>
        current.state === 'intercepting' ? onCheckResult(current, result, deps.now(), settings, agentAsked ? 'checkAgain' : 'check') : undefined,
      );
      if (checked) await followUp(checked);
      return;
    }
    let resend = false;
    const looked = await update(orderNo, runId, (current) => {
      if (current.state !== 'requesting') return undefined;
      const decision = onLookupResult(current, result, deps.now(), settings);
      resend = decision.resend;
      return decision.record;
    });
    if (!looked) return;
    if (resend) {
      await browser.alarms.create(alarmName(orderNo), { when: looked.nextCheckAt! });
      await send(looked, settings);
    } else {
      await followUp(looked);
    }
  }

  async function ensureAlarm(record: TrackedOrder) {
    if (record.nextCheckAt === undefined) return;
    // Re-creating an existing alarm would push it back: create only what is missing.
    const existing = await browser.alarms.get(alarmName(record.orderNo));
    if (!existing) await browser.alarms.create(alarmName(record.orderNo), { when: record.nextCheckAt });
  }

  /**
   * "Check again" (and the popup's "Check now"): one look-up, never a stop, no confirmation. While
   * intercepting it is the next check, now. On `unknown` or `error` a late -3 / 2 becomes the
   * outcome and is notified once; anything else is recorded and the state stays.
   */
  async function checkAgain(orderNo: string) {
    const record = await getOrder(orderNo);
    if (!record) return;
    if (record.state === 'intercepting') return process(orderNo, { force: true });
    if (!canCheckAgain(record.state)) return;
    const key = `again:${record.runId}`;
    if (inFlight.has(key)) return; // a double click makes one look-up
    inFlight.add(key);
    try {
      const settings = await loadSettings();
      const result = await deps.queryOrder(configOf(settings), orderNo);
      const next = await update(
        orderNo,
        record.runId,
        (current) => (canCheckAgain(current.state) ? onCheckAgainResult(current, result, deps.now()) : undefined),
        { finalToo: true },
      );
      if (next) await followUp(next);
    } finally {
      inFlight.delete(key);
    }
  }

  /**
   * Once per worker wake (start-up, onStartup and onInstalled share it): stored version-1 records
   * are rewritten as version 2, every order in progress has its wake-up, overdue ones run now,
   * missed notifications are sent.
   */
  function reconcile(): Promise<void> {
    reconciling ??= (async () => {
      await migrateStoredRecords();
      const now = deps.now();
      // The badge's index from the records themselves: whatever wrote storage meanwhile, it is right again.
      const records = await listOrdersAndReindex();
      await Promise.all(
        records.map(async (record) => {
          if (isFinal(record.state)) return notifyOnce(record);
          if (record.nextCheckAt === undefined || record.nextCheckAt <= now) return process(record.orderNo);
          return ensureAlarm(record);
        }),
      );
      await refreshBadge();
      // After the orders in progress had their turn: pruning is never urgent.
      await bestEffort('prune', () => prune(records));
      await bestEffort('prune alarm', ensurePruneAlarm);
    })();
    return reconciling;
  }

  /**
   * Removes the finished orders kept longer than `retentionDays` (retention.ts): at every worker
   * start, from the records the reconcile has read anyway, and once a day by its alarm. Each one is
   * checked again in its own write: an order stopped again meanwhile stays. Returns those removed.
   */
  async function prune(records?: readonly TrackedOrder[]): Promise<string[]> {
    const { retentionDays } = await loadSettings();
    const now = deps.now();
    const expired = (records ?? (await listOrders())).filter((record) => isExpired(record, now, retentionDays));
    const removed: string[] = [];
    for (const { orderNo } of expired) {
      const gone = await mutateOrder(orderNo, (current) =>
        current && isExpired(current, now, retentionDays) ? { next: null, value: true } : { next: undefined, value: false },
      );
      if (!gone) continue;
      removed.push(orderNo);
      void clearNotification(orderNo);
    }
    return removed;
  }

  async function ensurePruneAlarm() {
    if (await browser.alarms.get(PRUNE_ALARM)) return;
    const period = DAY_MS / 60_000;
    await browser.alarms.create(PRUNE_ALARM, { delayInMinutes: period, periodInMinutes: period });
  }

  async function remove(orderNo: string) {
    await mutateOrder(orderNo, () => ({ next: null, value: undefined }));
    await browser.alarms.clear(alarmName(orderNo));
    await clearNotification(orderNo);
    void refreshBadge();
  }

  /** A new stop for an order that ended refused, error or unknown (a separate, confirmed action). */
  async function retry(orderNo: string) {
    const record = await getOrder(orderNo);
    return stop(orderNo, record?.pageUrl);
  }

  /** A notification click or the popup's Open: the order's open tab, else its detail page (open-order.ts). */
  async function openOrder(orderNo: string) {
    const record = await getOrder(orderNo);
    await showOrder(orderNo, record?.pageUrl);
    await clearNotification(orderNo);
  }

  async function onAlarm(alarm: { name: string }) {
    if (alarm.name.startsWith(ALARM_PREFIX)) await process(alarm.name.slice(ALARM_PREFIX.length));
    else if (alarm.name === PRUNE_ALARM) await bestEffort('prune', () => prune());
  }

  return {
    stop,
    process,
    checkAgain,
    /** The popup's "Check now" while intercepting: the same one look-up. */
    checkNow: checkAgain,
    reconcile,
    remove,
    retry,
    openOrder,
    onAlarm,
    prune,
  };
}
