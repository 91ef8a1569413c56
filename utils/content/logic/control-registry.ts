/**
 * The order scanner's controls: one entry per number found, indexed by the block its text lives in,
 * by the element watched for nearness, and by its control's host; where each host goes and whether
 * it is still there. DOM only.
 */
import { blockOf, isOwnHost, type OrderOccurrence } from './find-orders';
import type { WatchViewport } from '../viewport';

export interface MountedControl {
  /** The element placed in the page (our UI host). */
  host: Element;
  /** First in the number's block (which clips what does not fit), instead of right after the number. */
  atStart?: boolean;
  /** Unmounts the UI; the scanner removes the host from the page itself. */
  dispose(): void;
  /**
   * The same spot now shows another number (a row rewritten in place): the control becomes that
   * number's, as a new control would be (nothing of the old number's state kept), without a new
   * host. Optional: without it, the old control goes and a new one is made.
   */
  retarget?(occurrence: OrderOccurrence): void;
}

export interface Entry {
  occurrence: OrderOccurrence;
  orderNo: string;
  /** Its text nodes' data when found: any change sends it back to the finder. */
  data: string[];
  /** The block its run of text lives in: read again when anything in it changes. */
  block: Element;
  /** Watched for coming near the viewport. */
  target: Element;
  mounted: MountedControl | null;
}

/** Puts a control's host first in a block (after the controls already there). */
export function insertFirst(block: Element, host: Element) {
  let first = block.firstChild;
  while (first && isOwnHost(first)) first = first.nextSibling;
  block.insertBefore(host, first);
}

export function describe(occurrence: OrderOccurrence): Pick<Entry, 'data' | 'block' | 'target'> {
  return { data: occurrence.texts.map((t) => t.data), block: blockOf(occurrence.text)!, target: occurrence.anchor };
}

export function isIntact(entry: Entry): boolean {
  return entry.occurrence.texts.every((text, i) => text.isConnected && text.data === entry.data[i]);
}

/**
 * Whether the host is still where it was put: right after its number (past other controls only),
 * or first in its block. Placement, not text: a page that moves the control beside another number
 * leaves every text as it was.
 */
export function isPlaced(entry: Entry): boolean {
  const { host, atStart } = entry.mounted!;
  if (atStart && host.parentNode !== entry.block) return false;
  for (let previous = host.previousSibling; previous; previous = previous.previousSibling) {
    if (!atStart && previous === entry.occurrence.after) return true;
    if (!isOwnHost(previous)) return false;
  }
  return atStart === true;
}

type Index<K extends object> = WeakMap<K, Set<Entry>>;

function indexAdd<K extends object>(index: Index<K>, key: K, entry: Entry): boolean {
  const set = index.get(key);
  if (!set) index.set(key, new Set([entry]));
  else set.add(entry);
  return !set;
}

function indexDelete<K extends object>(index: Index<K>, key: K, entry: Entry): boolean {
  const set = index.get(key);
  if (!set?.delete(entry) || set.size > 0) return false;
  index.delete(key);
  return true;
}

/** The live entries and their indexes; `watcher` is told which targets to watch for nearness. */
export function createControlRegistry(watcher: Pick<ReturnType<WatchViewport>, 'observe' | 'unobserve'>) {
  const live = new Set<Entry>();
  const byBlock: Index<Element> = new WeakMap();
  const byTarget: Index<Element> = new WeakMap();
  const byHost = new WeakMap<Element, Entry>();

  function index(entry: Entry) {
    indexAdd(byBlock, entry.block, entry);
    if (indexAdd(byTarget, entry.target, entry)) watcher.observe(entry.target);
  }

  function unindex(entry: Entry) {
    indexDelete(byBlock, entry.block, entry);
    if (indexDelete(byTarget, entry.target, entry)) watcher.unobserve(entry.target);
  }

  /** Forgets the entry, unmounts its control and takes its host out of the page. */
  function drop(entry: Entry) {
    live.delete(entry);
    unindex(entry);
    const mounted = entry.mounted;
    if (!mounted) return;
    byHost.delete(mounted.host);
    try {
      mounted.dispose();
    } finally {
      mounted.host.remove();
    }
  }

  /** Puts the host right after its number (after the controls of earlier numbers ending at the same node), or first in its block. */
  function place(entry: Entry): boolean {
    const { host, atStart } = entry.mounted!;
    const { after, index: order } = entry.occurrence;
    if (atStart) {
      insertFirst(entry.block, host);
      return true;
    }
    const parent = after.parentNode;
    if (!parent) return false;
    let at: Node = after;
    for (let next = at.nextSibling; next && isOwnHost(next); next = next.nextSibling) {
      const other = byHost.get(next as Element);
      if (!other || other.occurrence.after !== after || other.occurrence.index > order) break;
      at = next;
    }
    parent.insertBefore(host, at.nextSibling);
    return true;
  }

  return { live, byBlock, byTarget, byHost, index, unindex, drop, place };
}
