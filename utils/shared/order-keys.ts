/**
 * Where each order's record lives in `storage.local` (`order:<orderNo>`), and the one listener
 * that turns storage changes into order changes. No zod, no storage library: the content script
 * (which every portal page loads) uses it with its own record guard, the background with zod.
 */
import { browser } from 'wxt/browser';

/** One storage item per order: pages watch only their orders, and a write touches one record. */
export const ORDER_KEY_PREFIX = 'order:';

/** An order's record key (not WXT's `$` metadata key beside it). */
export const isOrderKey = (key: string) => key.startsWith(ORDER_KEY_PREFIX) && !key.endsWith('$');

type Changes = Record<string, { newValue?: unknown }>;

/** Calls back with each order among `changes` (of `storage.local`), its new value read by `parse` (null when removed). */
export function forEachOrderChange<R>(changes: Changes, parse: (raw: unknown) => R | null, callback: (orderNo: string, record: R | null) => void) {
  for (const [key, change] of Object.entries(changes)) {
    if (isOrderKey(key)) callback(key.slice(ORDER_KEY_PREFIX.length), change.newValue === undefined ? null : parse(change.newValue));
  }
}

/** Calls back with each changed order, its new value read by `parse` (null when removed); returns the unsubscribe. */
export function watchOrderRecords<R>(parse: (raw: unknown) => R | null, callback: (orderNo: string, record: R | null) => void): () => void {
  const listener = (changes: Changes, area: string) => {
    if (area === 'local') forEachOrderChange(changes, parse, callback);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
