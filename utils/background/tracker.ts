// One job, ~300 lines: an order's run against the browser (storage writes, calls, wake-ups) in one closure that
// shares the calls under way; the pure parts are machine.ts, its notices announce.ts, pruning prune.ts, alarms alarms.ts.
import { blockedCall, queryOrder, stopTicket, type AtripConfig, type QueryResult, type StopResult } from './logic/atrip-client';
import { hasApiAccess } from './api-access';
import { showOrder } from './open-order';
import { loadSettings, type Settings } from '../shared/settings';
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
} from './logic/machine';
import { canCheckAgain, canStartStop, isFinal, type TrackedOrder } from '../shared/logic/record';
import { getOrder, listOrdersAndReindex, migrateStoredRecords, mutateOrder } from '../shared/store';
import { cancelWake, ensureWake, orderOfAlarm, wakeAt } from './alarms';
import { createAnnouncer } from './announce';
import { ensurePruneAlarm, pruneExpired } from './prune';
import { PRUNE_ALARM } from './logic/retention';
import { bestEffort, clearNotification } from './ui-effects';

export { WATCHDOG_MS };
export { alarmName } from './alarms';

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
  const { notifyOnce, refreshBadge } = createAnnouncer();
  let reconciling: Promise<void> | undefined;
  const runIdFor = deps.newRunId ?? newRunId;
  const configOf = (settings: Settings) => configFor(settings, deps.canReach);

  /** Applies a change to the record only while it is still the same run (a removal or a new stop in between drops it). */
  function changeSameRun(orderNo: string, runId: string, change: (record: TrackedOrder) => TrackedOrder | undefined, { finalToo = false } = {}) {
    return mutateOrder<TrackedOrder | null>(orderNo, (current) => {
      if (!current || current.runId !== runId || (!finalToo && isFinal(current.state))) return { next: undefined, value: null };
      const changed = change(current);
      return changed ? { next: changed, value: changed } : { next: undefined, value: null };
    });
  }

  /** After every change: the alarm of the next step, or the notification of the outcome; the badge. */
  async function scheduleOrAnnounce(record: TrackedOrder) {
    if (isFinal(record.state)) {
      await cancelWake(record.orderNo);
      await notifyOnce(record);
    } else if (record.nextCheckAt !== undefined) {
      await wakeAt(record.orderNo, record.nextCheckAt);
    }
    void refreshBadge();
  }

  /** Sends the stop of a run whose record is already marked in flight, and applies its answer. */
  async function send(record: TrackedOrder, settings: Settings, call = deps.stopTicket(configOf(settings), record.orderNo)) {
    const result = await call;
    const next = await changeSameRun(record.orderNo, record.runId, (current) =>
      current.state === 'requesting' && current.inFlightStop !== undefined ? onStopResult(current, result, deps.now(), settings) : undefined,
    );
    if (next) await scheduleOrAnnounce(next);
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
      await wakeAt(orderNo, record.nextCheckAt!); // the wake-up exists before the request leaves
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
  async function runDueStep(orderNo: string, { force = false } = {}) {
    const record = await getOrder(orderNo);
    if (!record || isFinal(record.state)) {
      await cancelWake(orderNo);
      return;
    }
    const now = deps.now();
    if (inFlight.has(record.runId)) {
      // The call under way sets the next wake-up when it ends; this one only covers its death.
      await wakeAt(orderNo, now + WATCHDOG_MS);
      return;
    }
    if (!force && record.nextCheckAt !== undefined && record.nextCheckAt > now + 1000 && record.inFlightStop === undefined) {
      await ensureWake(record);
      return;
    }
    if (force && record.state !== 'intercepting') return; // "Check now" never sends or resolves a stop
    inFlight.add(record.runId);
    try {
      await takeStep(record, force);
    } finally {
      inFlight.delete(record.runId);
    }
  }

  async function takeStep(found: TrackedOrder, agentAsked: boolean) {
    const { orderNo, runId } = found;
    const settings = await loadSettings();
    let record: TrackedOrder | null = found;
    if (record.inFlightStop !== undefined) {
      // A stop of this run left from a worker that is gone: its answer is lost; it may have arrived.
      record = await changeSameRun(orderNo, runId, (current) => (current.inFlightStop !== undefined ? onAnswerLost(current, deps.now()) : current));
      if (!record) return;
    }
    await wakeAt(orderNo, deps.now() + WATCHDOG_MS);
    const next = record.nextStep ?? (record.state === 'intercepting' ? 'check' : 'lookup');

    if (record.state === 'requesting' && next === 'send') {
      const marked = await changeSameRun(orderNo, runId, (current) =>
        current.state === 'requesting' && current.nextStep === 'send' && !current.noMoreSends ? markResend(current, deps.now()) : undefined,
      );
      if (marked) await send(marked, settings);
      return;
    }

    const result = await deps.queryOrder(configOf(settings), orderNo);
    if (record.state === 'intercepting') {
      const checked = await changeSameRun(orderNo, runId, (current) =>
        current.state === 'intercepting' ? onCheckResult(current, result, deps.now(), settings, agentAsked ? 'checkAgain' : 'check') : undefined,
      );
      if (checked) await scheduleOrAnnounce(checked);
      return;
    }
    let resend = false;
    const looked = await changeSameRun(orderNo, runId, (current) => {
      if (current.state !== 'requesting') return undefined;
      const decision = onLookupResult(current, result, deps.now(), settings);
      resend = decision.resend;
      return decision.record;
    });
    if (!looked) return;
    if (resend) {
      await wakeAt(orderNo, looked.nextCheckAt!);
      await send(looked, settings);
    } else {
      await scheduleOrAnnounce(looked);
    }
  }

  /**
   * "Check again" (and the popup's "Check now"): one look-up, never a stop, no confirmation. While
   * intercepting it is the next check, now. On `unknown` or `error` a late -3 / 2 becomes the
   * outcome and is notified once; anything else is recorded and the state stays.
   */
  async function checkAgain(orderNo: string) {
    const record = await getOrder(orderNo);
    if (!record) return;
    if (record.state === 'intercepting') return runDueStep(orderNo, { force: true });
    if (!canCheckAgain(record.state)) return;
    const key = `again:${record.runId}`;
    if (inFlight.has(key)) return; // a double click makes one look-up
    inFlight.add(key);
    try {
      const settings = await loadSettings();
      const result = await deps.queryOrder(configOf(settings), orderNo);
      const next = await changeSameRun(
        orderNo,
        record.runId,
        (current) => (canCheckAgain(current.state) ? onCheckAgainResult(current, result, deps.now()) : undefined),
        { finalToo: true },
      );
      if (next) await scheduleOrAnnounce(next);
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
          if (record.nextCheckAt === undefined || record.nextCheckAt <= now) return runDueStep(record.orderNo);
          return ensureWake(record);
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
    return pruneExpired(deps.now(), retentionDays, records);
  }

  async function remove(orderNo: string) {
    await mutateOrder(orderNo, () => ({ next: null, value: undefined }));
    await cancelWake(orderNo);
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
    const orderNo = orderOfAlarm(alarm.name);
    if (orderNo !== null) await runDueStep(orderNo);
    else if (alarm.name === PRUNE_ALARM) await bestEffort('prune', () => prune());
  }

  return {
    stop,
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
