/**
 * The popup's first storage round trip, asked for before the rest of its code evaluates (the entry
 * imports early-start.ts first), so that storage answers while Preact, zod and the views evaluate.
 * Nothing here is used as it comes: the order store takes these replies through `browserReader` and
 * validates every record (zod, parseRecord) before anything shows it. No zod, no Preact here: they
 * are what it runs ahead of.
 */
import { browser } from 'wxt/browser';
import { ORDER_KEY_PREFIX } from '@/utils/shared/order-keys';
import { decodeHint, FIRST_FINISHED, FIRST_VIEW, HINT_KEY, hintFirstScreen, type ViewHint } from './logic/view-hint';

type Area = { get(keys: string[]): Promise<Record<string, unknown>>; getKeys?: () => Promise<string[]> };

interface EarlyReads {
  hintText: string | null;
  hint: ViewHint | null;
  /** All the keys in storage.local (null: the browser cannot list keys). */
  keys?: Promise<string[] | null>;
  /**
   * The records the hint's first screen names, as read (raw), and which they are: two reads, the
   * rows of the first render first (a small reply, answered first), then the rest of the first screen.
   */
  batches?: { orderNos: string[]; items: Promise<Record<string, unknown>> }[];
}

let early: EarlyReads | null = null;

/**
 * `storage.local` changes between the early reads and the order store's own listener, in order: a
 * record rewritten meanwhile must not show as it was read. Handed to the store with its listener.
 */
let missed: Record<string, { newValue?: unknown }>[] = [];
let stopListening: (() => void) | null = null;

function listenMeanwhile() {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local') missed.push(changes);
  };
  browser.storage.onChanged.addListener(listener);
  stopListening = () => browser.storage.onChanged.removeListener(listener);
}

/** The changes since the early reads (once; none when there were no early reads), and no more listening. */
export function takeChangesMeanwhile(): Record<string, { newValue?: unknown }>[] {
  stopListening?.();
  stopListening = null;
  const changes = missed;
  missed = [];
  return changes;
}

export function loadHintText(): string | null {
  try {
    return localStorage.getItem(HINT_KEY);
  } catch {
    return null;
  }
}

/**
 * Starts the reads the order store's first step makes (see order-store.ts, `load`): the key list, the
 * first render's records, then the rest of the first screen, from the hint's first lines, before
 * anything else (the whole hint is decoded after they left). Never throws.
 */
export function startEarlyReads() {
  const hintText = loadHintText();
  let reads: Pick<EarlyReads, 'keys' | 'batches'> = {};
  try {
    const guess = hintFirstScreen(hintText, FIRST_FINISHED);
    const area = browser.storage.local as unknown as Area;
    // Without a hint (first open), or where the browser cannot list keys (Chrome < 130, Firefox < 143),
    // the store reads every record.
    if (guess && typeof area.getKeys === 'function') {
      listenMeanwhile(); // before the reads: a change after them is in their replies or here
      // A rejection is the store's to handle, when it takes the promise; none goes unhandled meanwhile.
      const read = (orderNos: string[]) => {
        const items = orderNos.length > 0 ? area.get(orderNos.map((orderNo) => ORDER_KEY_PREFIX + orderNo)) : Promise.resolve({});
        items.catch(() => undefined);
        return { orderNos, items };
      };
      // The key list and the first render's records (both wait for the main thread, so both are there
      // when it is free), then the rest of the first screen: its larger reply comes last.
      const keys = area.getKeys();
      keys.catch(() => undefined);
      reads = { keys, batches: [read(guess.slice(0, FIRST_VIEW)), read(guess.slice(FIRST_VIEW))] };
    }
  } catch {
    // Storage unavailable (the extension reloading): the store reads, and reports, on its own.
  }
  let hint: ViewHint | null = null;
  try {
    hint = decodeHint(hintText);
  } catch {
    hint = null;
  }
  early = { hintText, hint, ...reads };
}

/** The hint as read and decoded at the start, when `text` is it. */
export function earlyHint(text: string | null): ViewHint | null | undefined {
  return early && early.hintText === text ? early.hint : undefined;
}

/** The key list read at the start (once), or undefined. */
export function takeEarlyKeys(): Promise<string[] | null> | undefined {
  const keys = early?.keys;
  if (early) delete early.keys;
  return keys;
}

/** The raw records of one read made at the start (once), when it asked for exactly `orderNos`; otherwise undefined. */
export function takeEarlyItems(orderNos: readonly string[]): Promise<Record<string, unknown>> | undefined {
  const batches = early?.batches;
  const i = batches?.findIndex((batch) => batch.orderNos.length === orderNos.length && batch.orderNos.every((orderNo, j) => orderNo === orderNos[j])) ?? -1;
  if (i < 0) return undefined;
  return batches!.splice(i, 1)[0]!.items;
}
