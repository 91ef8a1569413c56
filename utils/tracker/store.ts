import { storage } from 'wxt/utils/storage';
import { browser } from 'wxt/browser';
import { parseRecord, type TrackedOrder } from './record';

/** One storage item per order: pages watch only their orders, and a write touches one record. */
export const ORDER_KEY_PREFIX = 'order:';
export const orderKey = (orderNo: string) => `local:${ORDER_KEY_PREFIX}${orderNo}` as const;

export async function getOrder(orderNo: string): Promise<TrackedOrder | null> {
  return parseRecord(await storage.getItem(orderKey(orderNo)));
}

export async function listOrders(): Promise<TrackedOrder[]> {
  const all = await storage.snapshot('local');
  return Object.entries(all)
    .filter(([key]) => key.startsWith(ORDER_KEY_PREFIX) && !key.endsWith('$'))
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
    if (!key.startsWith(ORDER_KEY_PREFIX) || key.endsWith('$')) continue;
    if ((raw as { version?: unknown } | null)?.version !== 1) continue;
    const orderNo = key.slice(ORDER_KEY_PREFIX.length);
    const written = await mutateOrder(orderNo, (current) => ({ next: current ?? undefined, value: current !== null }));
    if (written) migrated++;
  }
  return migrated;
}

/** Calls back with each changed order (null when removed); returns the unsubscribe. */
export function watchOrders(callback: (orderNo: string, record: TrackedOrder | null) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local') return;
    for (const [key, change] of Object.entries(changes)) {
      if (!key.startsWith(ORDER_KEY_PREFIX) || key.endsWith('$')) continue;
      callback(key.slice(ORDER_KEY_PREFIX.length), change.newValue === undefined ? null : parseRecord(change.newValue));
    }
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Read-modify-write of one order, serialised with every other mutation in this context so that
 * two outcomes at once, or a check racing a removal, never lose a write. Only the background writes.
 */
export function mutateOrder<T>(
  orderNo: string,
  change: (current: TrackedOrder | null) => { next: TrackedOrder | null | undefined; value: T },
): Promise<T> {
  const run = queue.then(async () => {
    const current = await getOrder(orderNo);
    const { next, value } = change(current);
    if (next === null) await storage.removeItem(orderKey(orderNo));
    else if (next !== undefined) await storage.setItem(orderKey(orderNo), next);
    return value;
  });
  queue = run.catch(() => undefined);
  return run;
}
