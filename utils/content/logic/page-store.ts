// One job, ~260 lines (a fifth of it the interface's docs): the state every control of one page shares, in one closure; its batched reads are batch-per-task.ts, its clock shared/ticker.ts.
/**
 * The state every control of one page shares: the tracked records of the orders shown (one storage
 * listener for the page, one batched read for the orders that appear), the sends under way, the
 * multi-select, whether the extension is configured, and one clock for the countdowns.
 *
 * Browser access goes through `StoreDeps`, so component tests run with fakes.
 */
import type { Request } from '@/utils/shared/messages';
import { canStartStop } from '@/utils/shared/logic/states';
import { createTicker } from '../../shared/logic/ticker';
import { batchPerTask } from './batch-per-task';
import type { OrderView, PageRecord, PageResponse } from './order-view';

export interface StoreDeps {
  send(request: Request): Promise<PageResponse>;
  /** The stored records of these orders (missing = not tracked). */
  loadRecords(orderNos: string[]): Promise<Map<string, PageRecord | null>>;
  /** One listener for every order change; returns the unsubscribe. */
  watch(callback: (orderNo: string, record: PageRecord | null) => void): () => void;
  /** Whether a client id is set: the only setting a page's content script learns. */
  isConfigured(): Promise<boolean>;
  now(): number;
}

type Listener = () => void;

export interface PageStore {
  view(orderNo: string): OrderView;
  subscribe(orderNo: string, listener: Listener): () => void;
  /**
   * Changes every control cares about: configured, or the page going from one order to several.
   * Rare on purpose: 2,000 controls listen (a change per new order would cost 2,000² calls).
   */
  subscribePage(listener: Listener): () => void;
  /** Changes of the multi-select (the bar listens). */
  subscribeSelection(listener: Listener): () => void;
  /** null while unknown. */
  configured(): boolean | null;
  /** Asks again (e.g. when the agent comes back to the tab after saving the options). */
  refreshConfigured(): Promise<boolean>;
  /** Distinct orders with a control on the page. */
  distinctOrders(): number;
  /** More than one distinct order on the page: the multi-select is offered. */
  multi(): boolean;
  /** A control for this order appeared on / left the page. */
  addOccurrence(orderNo: string): void;
  removeOccurrence(orderNo: string): void;
  selection(): string[];
  setSelected(orderNo: string, selected: boolean): void;
  clearSelection(): void;
  /** Sends one stop for the order (never twice at once); the outcome arrives through storage. */
  stop(orderNo: string): Promise<void>;
  /** "Check again": one look-up of an order that ended unknown or error, no stop; the result arrives through storage. */
  checkAgain(orderNo: string): Promise<void>;
  openOptions(): Promise<void>;
  now(): number;
  /** Calls back every second while subscribed (one timer for the page). */
  subscribeClock(listener: Listener): () => void;
  dispose(): void;
}

export function createPageStore(deps: StoreDeps): PageStore {
  const records = new Map<string, PageRecord | null>();
  /** Orders whose record arrived from storage changes: a slower initial read must not overwrite it. */
  const watched = new Set<string>();
  /** Orders whose record is still the one read at load (see `OrderView.initial`). */
  const asLoaded = new Set<string>();
  const sending = new Set<string>();
  const sendErrors = new Map<string, string>();
  const selected = new Set<string>();
  const occurrences = new Map<string, number>();
  const listeners = new Map<string, Set<Listener>>();
  const pageListeners = new Set<Listener>();
  const selectionListeners = new Set<Listener>();
  const clock = createTicker();
  let configured: boolean | null = null;
  let disposed = false;

  const notify = (orderNo: string) => {
    for (const listener of [...(listeners.get(orderNo) ?? [])]) listener();
  };
  const notifyPage = () => {
    for (const listener of [...pageListeners]) listener();
  };
  const notifySelection = () => {
    for (const listener of [...selectionListeners]) listener();
  };

  function setRecord(orderNo: string, record: PageRecord | null, initial = false) {
    if (initial) asLoaded.add(orderNo);
    else asLoaded.delete(orderNo);
    records.set(orderNo, record);
    // A newer record supersedes a failed send.
    if (record) sendErrors.delete(orderNo);
    if (record && selected.has(orderNo) && !canStartStop(record.state)) {
      selected.delete(orderNo);
      notifySelection();
    }
    notify(orderNo);
  }

  const unwatch = deps.watch((orderNo, record) => {
    if (disposed || (!occurrences.has(orderNo) && !sending.has(orderNo))) return; // not shown here
    watched.add(orderNo);
    setRecord(orderNo, record);
  });

  // One storage read for all the controls made in the same task.
  const loadSoon = batchPerTask<string>((batch) => {
    void deps.loadRecords(batch).then(
      (found) => {
        if (disposed) return;
        for (const orderNo of batch) {
          if (watched.has(orderNo) || !occurrences.has(orderNo)) continue; // a change event was newer / gone
          const record = found.get(orderNo) ?? null;
          if (record === null) {
            // Not tracked: the control stays idle, nothing to re-render (2,000 of these on a long list).
            records.set(orderNo, null);
            asLoaded.add(orderNo);
            continue;
          }
          setRecord(orderNo, record, true);
        }
      },
      () => undefined, // extension reloaded: the controls stay idle
    );
  });

  function scheduleLoad(orderNo: string) {
    if (!records.has(orderNo) && !watched.has(orderNo)) loadSoon(orderNo);
  }

  async function refreshConfigured() {
    let value: boolean;
    try {
      value = await deps.isConfigured();
    } catch {
      value = configured ?? true; // cannot tell: let the background decide
    }
    if (value !== configured && !disposed) {
      configured = value;
      if (!value && selected.size > 0) {
        selected.clear();
        notifySelection();
      }
      notifyPage();
    }
    return value;
  }
  void refreshConfigured();

  return {
    view(orderNo) {
      return {
        record: records.get(orderNo) ?? null,
        sending: sending.has(orderNo),
        sendError: sendErrors.get(orderNo) ?? null,
        selected: selected.has(orderNo),
        initial: asLoaded.has(orderNo) || !records.has(orderNo),
      };
    },
    subscribe(orderNo, listener) {
      let set = listeners.get(orderNo);
      if (!set) listeners.set(orderNo, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(orderNo);
      };
    },
    subscribePage(listener) {
      pageListeners.add(listener);
      return () => pageListeners.delete(listener);
    },
    subscribeSelection(listener) {
      selectionListeners.add(listener);
      return () => selectionListeners.delete(listener);
    },
    configured: () => configured,
    refreshConfigured,
    distinctOrders: () => occurrences.size,
    multi: () => occurrences.size > 1,
    addOccurrence(orderNo) {
      const count = occurrences.get(orderNo) ?? 0;
      occurrences.set(orderNo, count + 1);
      if (count === 0) {
        scheduleLoad(orderNo);
        if (occurrences.size === 2) notifyPage(); // from one order to several
      }
    },
    removeOccurrence(orderNo) {
      const count = (occurrences.get(orderNo) ?? 0) - 1;
      if (count > 0) {
        occurrences.set(orderNo, count);
        return;
      }
      occurrences.delete(orderNo);
      // Gone from the page: not selected any more, and its record need not be kept fresh.
      if (selected.delete(orderNo)) notifySelection();
      if (!sending.has(orderNo)) {
        records.delete(orderNo);
        watched.delete(orderNo);
        asLoaded.delete(orderNo);
      }
      if (occurrences.size === 1) notifyPage(); // back to a single order
    },
    selection: () => [...selected],
    setSelected(orderNo, value) {
      if (value === selected.has(orderNo)) return;
      if (value) selected.add(orderNo);
      else selected.delete(orderNo);
      notify(orderNo);
      notifySelection();
    },
    clearSelection() {
      if (selected.size === 0) return;
      const was = [...selected];
      selected.clear();
      for (const orderNo of was) notify(orderNo);
      notifySelection();
    },
    async stop(orderNo) {
      if (sending.has(orderNo) || disposed) return;
      sending.add(orderNo);
      sendErrors.delete(orderNo);
      if (selected.delete(orderNo)) notifySelection();
      notify(orderNo);
      const reply = await deps.send({ type: 'stop', orderNo });
      sending.delete(orderNo);
      if (disposed) return;
      if (!reply.ok) {
        sendErrors.set(orderNo, reply.error);
        notify(orderNo);
        return;
      }
      const current = records.get(orderNo);
      // The storage event may have been faster with a later step of the same run: keep that.
      if (reply.record && (!current || current.requestedAt < reply.record.requestedAt)) setRecord(orderNo, reply.record);
      else notify(orderNo);
    },
    async checkAgain(orderNo) {
      if (disposed) return;
      await deps.send({ type: 'checkAgain', orderNo });
    },
    async openOptions() {
      await deps.send({ type: 'openOptions' });
    },
    now: () => deps.now(),
    subscribeClock: (listener) => clock.subscribe(listener),
    dispose() {
      disposed = true;
      unwatch();
      clock.stop();
      listeners.clear();
      pageListeners.clear();
      selectionListeners.clear();
    },
  };
}
