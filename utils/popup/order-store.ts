/**
 * The popup's tracked orders, kept live from storage. Opening reads and validates the records of the
 * rows the first render draws only (FIRST_VIEW, chosen by the view hint, see view-hint.ts), renders
 * them, then the rest of the first screen a frame later, then every other record in small chunks;
 * afterwards each storage change replaces one record: nothing re-reads every record on a change.
 * Without a hint (first open) or where the browser cannot list keys, it reads everything at once.
 */
import { browser } from 'wxt/browser';
import { parseRecord, type TrackedOrder } from '@/utils/shared/logic/record';
import { listOrders, ORDER_KEY_PREFIX, watchOrders } from '@/utils/shared/store';
import { decodeHint, encodeHint, FIRST_FINISHED, FIRST_VIEW, firstScreen, HINT_KEY, hintedInProgress, type ViewHint } from './logic/view-hint';
import { earlyHint, loadHintText, takeChangesMeanwhile, takeEarlyItems, takeEarlyKeys } from './early-read';
import { forEachOrderChange, isOrderKey } from '@/utils/shared/order-keys';

/** Records per read after the first screen: each reply is decoded on the main thread, keep it short. */
const CHUNK = 100;

export interface OrdersState {
  orders: ReadonlyMap<string, TrackedOrder>;
  /** The first screen is read: rows can be shown (and "no orders" said). */
  loaded: boolean;
  /** Every record is read. */
  complete: boolean;
  /** Orders in storage, known before every record is read. */
  total: number;
  /**
   * While only the first rows are read: how many orders are in progress, by the view hint (the
   * records themselves tell once the rest of the first screen is read, a frame later).
   */
  inProgressTotal?: number;
}

export interface OrderReader {
  /** Order numbers in storage, or null when the browser cannot list keys. */
  orderNumbers(): Promise<string[] | null>;
  read(orderNos: readonly string[]): Promise<TrackedOrder[]>;
  readAll(): Promise<TrackedOrder[]>;
  watch(callback: (orderNo: string, record: TrackedOrder | null) => void): () => void;
  loadHint(): string | null;
  /** The hint already decoded (the early reads), when `text` is the one they read; undefined otherwise. */
  decodedHint?(text: string | null): ViewHint | null | undefined;
  saveHint(text: string): void;
  /** Resolves once the first screen had a chance to paint. */
  afterPaint(): Promise<void>;
}

type Area = { get(keys?: string[] | null): Promise<Record<string, unknown>>; getKeys?: () => Promise<string[]> };
const local = () => browser.storage.local as unknown as Area;

export const browserReader: OrderReader = {
  // The first call of each takes the reply asked for before the popup's code loaded (early-read.ts).
  async orderNumbers() {
    const area = local();
    const keys = await (takeEarlyKeys() ?? (typeof area.getKeys === 'function' ? area.getKeys() : null)); // null: Chrome < 130, Firefox < 143
    return keys ? keys.filter(isOrderKey).map((key) => key.slice(ORDER_KEY_PREFIX.length)) : null;
  },
  async read(orderNos) {
    if (orderNos.length === 0) return [];
    const items = await (takeEarlyItems(orderNos) ?? local().get(orderNos.map((orderNo) => ORDER_KEY_PREFIX + orderNo)));
    return Object.values(items)
      .map(parseRecord)
      .filter((record): record is TrackedOrder => record !== null);
  },
  readAll: listOrders,
  watch(callback) {
    const unwatch = watchOrders(callback);
    // Then, in the same task, what changed since the early reads: no change is lost or applied twice.
    for (const changes of takeChangesMeanwhile()) forEachOrderChange(changes, parseRecord, callback);
    return unwatch;
  },
  loadHint: loadHintText,
  decodedHint: earlyHint,
  saveHint(text) {
    try {
      localStorage.setItem(HINT_KEY, text);
    } catch {
      // Only a hint: the next open reads everything instead.
    }
  },
  afterPaint() {
    // requestAnimationFrame does not run in a hidden page: the time-out covers that.
    return new Promise((resolve) => {
      const done = () => setTimeout(resolve, 0);
      const timer = setTimeout(done, 50);
      if (typeof requestAnimationFrame === 'function') {
        requestAnimationFrame(() => {
          clearTimeout(timer);
          done();
        });
      }
    });
  },
};

export interface OrderStore {
  get(): OrdersState;
  subscribe(listener: (state: OrdersState) => void): () => void;
  /** Every record, once all are read. */
  whenComplete(): Promise<ReadonlyMap<string, TrackedOrder>>;
  dispose(): void;
}

export function createOrderStore(reader: OrderReader = browserReader, finishedPage = FIRST_FINISHED): OrderStore {
  let state: OrdersState = { orders: new Map(), loaded: false, complete: false, total: 0 };
  const listeners = new Set<(state: OrdersState) => void>();
  /** Changed while reading: the change event is newer than any read of it. */
  const touched = new Set<string>();
  /** Order numbers in storage (from the key list, then the change events). */
  const known = new Set<string>();
  let disposed = false;
  let resolveComplete!: (orders: ReadonlyMap<string, TrackedOrder>) => void;
  const completed = new Promise<ReadonlyMap<string, TrackedOrder>>((resolve) => (resolveComplete = resolve));

  const publish = (next: Partial<OrdersState>) => {
    if (disposed) return;
    state = { ...state, ...next };
    for (const listener of listeners) listener(state);
  };

  const merged = (records: readonly TrackedOrder[]) => {
    const orders = new Map(state.orders);
    for (const record of records) if (!touched.has(record.orderNo)) orders.set(record.orderNo, record);
    return orders;
  };

  const unwatch = reader.watch((orderNo, record) => {
    touched.add(orderNo);
    const orders = new Map(state.orders);
    if (record) {
      orders.set(orderNo, record);
      known.add(orderNo);
    } else {
      orders.delete(orderNo);
      known.delete(orderNo);
    }
    publish({ orders, total: Math.max(known.size, orders.size) });
  });

  async function load() {
    let hint = null;
    try {
      const text = reader.loadHint();
      const decoded = reader.decodedHint?.(text);
      hint = decoded !== undefined ? decoded : decodeHint(text);
    } catch {
      hint = null;
    }
    if (hint) {
      // The first render's rows by the hint and the key list at once: one round trip before it.
      const guess = firstScreen(hint, [...hint.keys()], finishedPage);
      const [existing, viewed] = await Promise.all([reader.orderNumbers().catch(() => null), reader.read(guess.slice(0, FIRST_VIEW))]);
      if (existing) return loadRest(hint, existing, guess, viewed);
    }
    const all = merged(await reader.readAll());
    publish({ orders: all, loaded: true, complete: true, total: all.size });
  }

  /**
   * The first render's rows from what the hint guessed (plus orders it did not know), then the rest of
   * the first screen once they had a chance to paint (its records validated only then), then every
   * other record. `guess`: the first screen by the hint alone, `viewed`: its first FIRST_VIEW records.
   */
  async function loadRest(hint: ViewHint, existing: string[], guess: string[], viewed: TrackedOrder[]) {
    for (const orderNo of existing) known.add(orderNo);
    const first = firstScreen(hint, existing, finishedPage);
    const have = new Set(viewed.map((record) => record.orderNo));
    const unread = (orderNos: readonly string[]) => orderNos.filter((orderNo) => !have.has(orderNo));
    // Orders the hint does not know (stopped since the last open) are all read now: only their records
    // say whether they belong on the first screen, and where.
    const unknown = existing.filter((orderNo) => !hint.has(orderNo));
    const view = [...viewed, ...(await reader.read(unread([...new Set([...unknown, ...first.slice(0, FIRST_VIEW)])])))];
    for (const record of view) have.add(record.orderNo);
    const shown = merged(view);
    publish({ orders: shown, loaded: true, total: Math.max(known.size, shown.size), inProgressTotal: hintedInProgress(hint, existing, shown) });
    await reader.afterPaint();
    if (disposed) return;
    // Read only now (not with the early reads: its larger reply is decoded on the main thread, which
    // the first rows need), and validated only now.
    const screen = (await reader.read(guess.slice(FIRST_VIEW))).filter((record) => !have.has(record.orderNo));
    for (const record of screen) have.add(record.orderNo);
    screen.push(...(await reader.read(unread(first))));
    for (const record of screen) have.add(record.orderNo);
    const orders = merged(screen);
    publish({ orders, total: Math.max(known.size, orders.size), inProgressTotal: undefined });
    await reader.afterPaint();
    const rest = unread(existing);
    const more: TrackedOrder[] = [];
    for (let i = 0; i < rest.length && !disposed; i += CHUNK) more.push(...(await reader.read(rest.slice(i, i + CHUNK))));
    const all = merged(more);
    publish({ orders: all, complete: true, total: all.size });
  }

  async function loadAndRemember() {
    await load();
    if (!disposed) reader.saveHint(encodeHint(state.orders.values()));
  }

  void loadAndRemember()
    .catch((error: unknown) => {
      // The extension was reloaded under the popup, or storage failed: show what was read.
      console.error('ATRIP Stop-Ticket: could not read the tracked orders', error);
      publish({ loaded: true, complete: true, total: state.orders.size });
    })
    .finally(() => resolveComplete(state.orders));

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenComplete: () => completed,
    dispose() {
      disposed = true;
      listeners.clear();
      unwatch();
    },
  };
}
