import { storage } from 'wxt/utils/storage';
import { isInProgress, parseRecord, type TrackedOrder } from './logic/record';
import { isOrderKey, ORDER_KEY_PREFIX, watchOrderRecords } from './order-keys';

export { ORDER_KEY_PREFIX } from './order-keys';
export const orderKey = (orderNo: string) => `local:${ORDER_KEY_PREFIX}${orderNo}` as const;

export async function getOrder(orderNo: string): Promise<TrackedOrder | null> {
  return parseRecord(await storage.getItem(orderKey(orderNo)));
}

export async function listOrders(): Promise<TrackedOrder[]> {
  const all = await storage.snapshot('local');
  return Object.entries(all)
    .filter(([key]) => isOrderKey(key))
    .map(([, raw]) => parseRecord(raw))
    .filter((record): record is TrackedOrder => record !== null)
    .sort((a, b) => b.requestedAt - a.requestedAt);
}

/**
 * Rewrites stored version-1 records as version 2 (parseRecord migrates them on every read too:
 * this only makes it durable). A record that cannot be read is left as it is, never removed.
 */
export async function migrateStoredRecords(): Promise<number> {
  const all = await storage.snapshot('local');
  let migrated = 0;
  for (const [key, raw] of Object.entries(all)) {
    if (!isOrderKey(key)) continue;
    if ((raw as { version?: unknown } | null)?.version !== 1) continue;
    const orderNo = key.slice(ORDER_KEY_PREFIX.length);
    const written = await mutateOrder(orderNo, (current) => ({ next: current ?? undefined, value: current !== null }));
    if (written) migrated++;
  }
  return migrated;
}

/** Calls back with each changed order (null when removed); returns the unsubscribe. */
export const watchOrders = (callback: (orderNo: string, record: TrackedOrder | null) => void): (() => void) =>
  watchOrderRecords(parseRecord, callback);

/**
 * The order numbers in progress, kept beside the records by every write that moves an order in or
 * out of progress: the badge counts them without reading every record. Derived data: the one
 * reconcile of each worker wake re-derives it from the records (`listOrdersAndReindex`).
 */
export const IN_PROGRESS_KEY = 'local:inProgressOrders' as const;

export async function readInProgressIndex(): Promise<string[]> {
  const stored = await storage.getItem<unknown>(IN_PROGRESS_KEY);
  return Array.isArray(stored) ? stored.filter((no): no is string => typeof no === 'string') : [];
}

/**
 * Every record, and the index they give written when the stored one differs: one step of the
 * write queue, so that no change of a record falls between the reading and the index.
 */
export function listOrdersAndReindex(): Promise<TrackedOrder[]> {
  return enqueue(async () => {
    const records = await listOrders();
    const derived = records.filter((r) => isInProgress(r.state)).map((r) => r.orderNo).sort();
    const stored = [...(await readInProgressIndex())].sort();
    if (stored.length !== derived.length || stored.some((no, i) => no !== derived[i])) await storage.setItem(IN_PROGRESS_KEY, derived);
    return records;
  });
}

let queue: Promise<unknown> = Promise.resolve();

function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Read-modify-write of one order, serialised with every other mutation in this context so that
 * two outcomes at once, or a check racing a removal, never lose a write. Only the background writes.
 */
export function mutateOrder<T>(
  orderNo: string,
  change: (current: TrackedOrder | null) => { next: TrackedOrder | null | undefined; value: T },
): Promise<T> {
  return enqueue(async () => {
    const current = await getOrder(orderNo);
    const { next, value } = change(current);
    if (next === undefined) return value;
    const was = current !== null && isInProgress(current.state);
    const is = next !== null && isInProgress(next.state);
    // The index is read and written only when the order moves in or out of progress.
    const index = was === is ? undefined : new Set(await readInProgressIndex());
    if (index) {
      if (is) index.add(orderNo);
      else index.delete(orderNo);
    }
    if (next === null) {
      await storage.removeItem(orderKey(orderNo));
      if (index) await storage.setItem(IN_PROGRESS_KEY, [...index]);
    } else {
      // One write for the record and the index: they change together.
      await storage.setItems([
        { key: orderKey(orderNo), value: next },
        ...(index ? [{ key: IN_PROGRESS_KEY, value: [...index] }] : []),
      ]);
    }
    return value;
  });
}
