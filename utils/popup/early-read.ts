/**
 * The popup's first storage round trip, asked for before its module graph is even fetched: a small
 * classic script (entrypoints/popup-early.ts, referenced by popup.html's head before the stylesheet
 * and the module script) calls `startEarlyReads()`, which leaves the reads on a global of ours for
 * the order store to take (`takeEarlyKeys`, `takeEarlyItems`, `takeChangesMeanwhile`). Nothing here
 * is used as it comes: the order store takes these replies through `browserReader` and validates
 * every record (zod, parseRecord) before anything shows it. No zod, no Preact here: they are what it
 * runs ahead of. Without the global (the script missing, unit tests that do not start it) the store
 * simply reads on its own.
 */
import { browser } from 'wxt/browser';
import { ORDER_KEY_PREFIX } from '@/utils/shared/order-keys';
import { READS_LEFT_MARK } from './logic/marks';
import { decodeHint, FIRST_FINISHED, FIRST_VIEW, HINT_KEY, hintFirstScreen, type ViewHint } from './logic/view-hint';

type Area = { get(keys: string[]): Promise<Record<string, unknown>>; getKeys?: () => Promise<string[]> };
type Changes = Record<string, { newValue?: unknown }>;

/** What the early script leaves for the popup's module graph (one page, one realm). */
export interface EarlyReads {
  hintText: string | null;
  hint: ViewHint | null;
  /** All the keys in storage.local (null: the browser cannot list keys). */
  keys?: Promise<string[] | null>;
  /**
   * The records of the first render's rows by the hint (FIRST_VIEW), as read (raw), and which they
   * are. Only those: the rest of the first screen is the store's to read after the first paint (a
   * reply of 110 records, decoded on the main thread, had come while the module graph was due).
   */
  batches?: { orderNos: string[]; items: Promise<Record<string, unknown>> }[];
  /**
   * `storage.local` changes since the reads left, in order (a record rewritten meanwhile must not show
   * as it was read), until the order store takes them with its own listener.
   */
  missed: Changes[];
  stopListening?: () => void;
}

declare global {
  // `var`: a property of the page's global object, which the classic script and the modules share.
  // eslint-disable-next-line no-var
  var atripPopupEarlyReads: EarlyReads | undefined;
}

const early = (): EarlyReads | undefined => globalThis.atripPopupEarlyReads;

function listenMeanwhile(reads: EarlyReads) {
  const listener = (changes: Changes, area: string) => {
    if (area === 'local') reads.missed.push(changes);
  };
  browser.storage.onChanged.addListener(listener);
  reads.stopListening = () => browser.storage.onChanged.removeListener(listener);
}

/** The changes since the early reads (once; none when there were no early reads), and no more listening. */
export function takeChangesMeanwhile(): Changes[] {
  const reads = early();
  if (!reads) return [];
  reads.stopListening?.();
  delete reads.stopListening;
  return reads.missed.splice(0);
}

export function loadHintText(): string | null {
  try {
    return localStorage.getItem(HINT_KEY);
  } catch {
    return null;
  }
}

/**
 * Starts the reads the order store's first step makes (see order-store.ts, `load`): the key list and
 * the first render's records, from the hint's first lines, before anything else (the whole hint is
 * decoded after they left), and leaves them on the global. Never throws.
 */
export function startEarlyReads() {
  const hintText = loadHintText();
  const reads: EarlyReads = { hintText, hint: null, missed: [] };
  try {
    const guess = hintFirstScreen(hintText, FIRST_FINISHED);
    const area = browser.storage.local as unknown as Area;
    // Without a hint (first open), or where the browser cannot list keys (Chrome < 130, Firefox < 143),
    // the store reads every record.
    if (guess && typeof area.getKeys === 'function') {
      listenMeanwhile(reads); // before the reads: a change after them is in their replies or here
      // A rejection is the store's to handle, when it takes the promise; none goes unhandled meanwhile.
      const read = (orderNos: string[]) => {
        const items = orderNos.length > 0 ? area.get(orderNos.map((orderNo) => ORDER_KEY_PREFIX + orderNo)) : Promise.resolve({});
        items.catch(() => undefined);
        return { orderNos, items };
      };
      // The key list, then the first render's records: the first render waits for both.
      reads.keys = area.getKeys();
      reads.keys.catch(() => undefined);
      reads.batches = [read(guess.slice(0, FIRST_VIEW))];
      // When they left (bench/popup-trace.ts, and the browser tests: before the module graph evaluates).
      performance.mark(READS_LEFT_MARK);
    }
  } catch {
    // Storage unavailable (the extension reloading): the store reads, and reports, on its own.
  }
  try {
    reads.hint = decodeHint(hintText);
  } catch {
    reads.hint = null;
  }
  globalThis.atripPopupEarlyReads = reads;
}

/** The hint as read and decoded at the start, when `text` is it. */
export function earlyHint(text: string | null): ViewHint | null | undefined {
  const reads = early();
  return reads && reads.hintText === text ? reads.hint : undefined;
}

/** The key list read at the start (once), or undefined. */
export function takeEarlyKeys(): Promise<string[] | null> | undefined {
  const reads = early();
  const keys = reads?.keys;
  if (reads) delete reads.keys;
  return keys;
}

/** The raw records of one read made at the start (once), when it asked for exactly `orderNos`; otherwise undefined. */
export function takeEarlyItems(orderNos: readonly string[]): Promise<Record<string, unknown>> | undefined {
  const batches = early()?.batches;
  const i = batches?.findIndex((batch) => batch.orderNos.length === orderNos.length && batch.orderNos.every((orderNo, j) => orderNo === orderNos[j])) ?? -1;
  if (i < 0) return undefined;
  return batches!.splice(i, 1)[0]!.items;
}
