/**
 * Keeps one control beside every order-number occurrence of a live page.
 *
 * - First a full scan, then a MutationObserver whose records are batched per animation frame
 *   (late rendering, paging that swaps rows, hash navigation of single-page portals).
 * - Idempotent: controls are keyed by the text node holding the number (a WeakMap); never two
 *   controls for one occurrence.
 * - A control only ever acts for the number it was made for. When the page rewrites the number
 *   beside it (a framework reusing a row for another order, or a hostile script), the old control
 *   stays where it is but refuses clicks (`isCurrent` is false: its click handler re-reads the page),
 *   and a control for the new number appears only once that text has been stable for `settleMs`:
 *   a number swapped in under the agent's pointer cannot take the click meant for the old one.
 *   Text that changes around an unchanged number keeps its control; text that loses its number
 *   loses its control at once.
 * - Chunked: the work yields to the event loop every `budgetMs` (~10 ms), so a 2,000-row list
 *   never blocks the page for long. Controls are made off-page in those slices and put into the
 *   page together at the end of a batch (or every 2 s on very long pages): every insertion
 *   into a big table re-lays the whole table out, so one insertion pass costs one layout, where
 *   inserting slice by slice cost one (50–200 ms) layout per slice.
 * - Everything is undone when `signal` aborts (observer disconnected, controls removed).
 *
 * DOM only, no extension APIs: unit-tested in happy-dom with a fake `mount`.
 */
import { createOrderWalker, isInSkippedArea, isOwnHost, nextCandidate, occurrencesIn, orderNumbersIn, type OrderOccurrence } from './find-orders';

export interface MountedControl {
  /** The element placed in the page (our UI host). */
  host: Element;
  /** Unmounts the UI; the scanner removes the host from the page itself. */
  dispose(): void;
}

export interface ScannerOptions {
  /** Where to look; `document.body` by default. */
  root?: Element;
  /** Makes the control for one occurrence; the scanner inserts and removes its host. */
  mount(occurrence: OrderOccurrence): MountedControl;
  /** Work per slice before yielding to the event loop. */
  budgetMs?: number;
  /** Runs a flush soon (default: next animation frame, or 100 ms in a background tab); returns a cancel. */
  schedule?: (run: () => void) => () => void;
  /** Gives the event loop a turn between slices. */
  yieldToEventLoop?: () => Promise<void>;
  now?: () => number;
  /** How often the page may remove one of our hosts beside an unchanged number before we give up on it. */
  maxReinserts?: number;
  /** On long batches, put the controls made so far into the page at least this often (default 2 s). */
  commitEveryMs?: number;
  /** How long a rewritten number must stay unchanged before it gets a control (default 1.5 s). */
  settleMs?: number;
  /** Timers (tests may pass fakes). */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface OrderScanner {
  /** Resolves when every pending change has been processed. */
  idle(): Promise<void>;
  /** Live controls (for tests and the selection feature). */
  controls(): ReadonlyArray<{ orderNo: string; host: Element; occurrence: OrderOccurrence }>;
  /** Whether the occurrence of a control is still shown exactly as when the control was made. */
  isCurrent(host: Element): boolean;
}

interface Entry {
  occurrence: OrderOccurrence;
  orderNo: string;
  /** The text node's data when the control was made: any change invalidates the control. */
  data: string;
  mounted: MountedControl;
  /** Whether its host has been put into the page yet (see `commit`). */
  placed: boolean;
  /** The element that held the text when the control was made: the "spot" of the number. */
  holder: Element;
}

function defaultSchedule(run: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  // Animation frames do not run in background tabs: a timer catches up there.
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, 100);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

function defaultYield(): Promise<void> {
  // A macrotask (not a microtask), so input and rendering can run in between.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function startOrderScanner(signal: AbortSignal, options: ScannerOptions): OrderScanner {
  const root = options.root ?? document.body;
  const budget = options.budgetMs ?? 10;
  const schedule = options.schedule ?? defaultSchedule;
  const yieldToEventLoop = options.yieldToEventLoop ?? defaultYield;
  const now = options.now ?? (() => performance.now());
  const maxReinserts = options.maxReinserts ?? 3;
  const commitEvery = options.commitEveryMs ?? 2000;
  const settle = options.settleMs ?? 1500;
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>));

  const byText = new WeakMap<Text, Entry[]>();
  const byHost = new WeakMap<Element, Entry>();
  const live = new Set<Entry>();
  const reinserts = new WeakMap<Text, number>();
  const queue = new Set<Node>([root]);
  let revalidate = false;
  let cancelScheduled: (() => void) | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  /** Made, not yet in the page, in document order. */
  let unplaced: Entry[] = [];
  /** Spots (elements) where the number beside a control was rewritten: their text as last seen, and since when. */
  const changes = new WeakMap<Element, { data: string; at: number }>();
  const timers = new Set<unknown>();
  let lastCommit = now();

  function isValid(entry: Entry): boolean {
    const { text } = entry.occurrence;
    return (!entry.placed || entry.mounted.host.isConnected) && text.isConnected && text.data === entry.data;
  }

  function disposeEntry(entry: Entry) {
    live.delete(entry);
    byHost.delete(entry.mounted.host);
    try {
      entry.mounted.dispose();
    } finally {
      entry.mounted.host.remove();
    }
  }

  function disposeText(text: Text) {
    for (const entry of byText.get(text) ?? []) disposeEntry(entry);
    byText.delete(text);
  }

  const numbersIn = (text: string) => orderNumbersIn(text).map((found) => found.orderNo);

  /** Notes a rewrite at a spot where a control stood; the re-check comes when it may have settled. */
  function noteChange(holder: Element) {
    const data = holder.textContent ?? '';
    const change = changes.get(holder);
    if (change && change.data === data) return;
    changes.set(holder, { data, at: now() });
    const timer = setTimer(() => {
      timers.delete(timer);
      if (signal.aborted) return;
      queue.add(holder);
      revalidate = true;
      requestFlush();
    }, settle);
    timers.add(timer);
  }

  /** Whether a spot's rewritten number is still within its settling time (forgotten once settled). */
  function isSettling(holder: Element | null): boolean {
    const change = holder && changes.get(holder);
    if (!holder || !change) return false;
    if (change.data !== (holder.textContent ?? '')) {
      noteChange(holder); // rewritten again: the wait starts over
      return true;
    }
    if (now() - change.at >= settle) {
      changes.delete(holder);
      return false;
    }
    return true;
  }

  /**
   * Whether the controls of a text whose number was rewritten (its data changed, or the text node
   * itself was replaced) stay, refusing clicks, while the spot settles: only when they are all still
   * in the page and a different number now stands there.
   */
  function keepWhileSettling(entries: Entry[]): boolean {
    const holder = entries[0]!.holder;
    if (!holder.isConnected || !entries.every((entry) => entry.placed && entry.mounted.host.isConnected)) return false;
    if (numbersIn(holder.textContent ?? '').length === 0) return false;
    noteChange(holder);
    return isSettling(holder);
  }

  /** Makes the controls of one text node, replacing stale ones; nothing when they are current. */
  function processText(text: Text, areaChecked: boolean) {
    const existing = byText.get(text);
    if (existing && existing.every((entry) => isValid(entry))) return;
    if (existing && text.isConnected && text.data !== existing[0]!.data) {
      const shown = existing.every((entry) => !entry.placed || entry.mounted.host.isConnected);
      if (shown && numbersIn(text.data).join() === existing.map((entry) => entry.orderNo).join()) {
        // Only the text around the numbers changed: the controls are still right.
        for (const entry of existing) entry.data = text.data;
        return;
      }
      if (existing.some((entry) => entry.placed) && numbersIn(text.data).length > 0 && keepWhileSettling(existing)) return;
    }
    if (existing) {
      const hostGone = existing.some((entry) => entry.placed && !entry.mounted.host.isConnected) && text.data === existing[0]!.data;
      disposeText(text);
      if (hostGone) {
        // The page removed our control but kept the number: put it back, a few times only.
        const count = (reinserts.get(text) ?? 0) + 1;
        reinserts.set(text, count);
        if (count > maxReinserts) return;
      }
    }
    if (!text.isConnected || (!areaChecked && isInSkippedArea(text))) return;
    // A number rewritten at a spot where a control stood gets its own control once it has settled.
    if (isSettling(text.parentElement)) return;
    const occurrences = occurrencesIn(text);
    if (occurrences.length === 0) return;
    const holder = text.parentElement!;
    const entries: Entry[] = [];
    for (const occurrence of occurrences) {
      const mounted = options.mount(occurrence);
      const entry: Entry = { occurrence, orderNo: occurrence.orderNo, data: text.data, mounted, placed: false, holder };
      entries.push(entry);
      live.add(entry);
      byHost.set(mounted.host, entry);
      unplaced.push(entry);
    }
    byText.set(text, entries);
  }

  /** Puts the controls made so far into the page, in one synchronous pass (one layout). */
  function commit() {
    const batch = unplaced;
    unplaced = [];
    lastCommit = now();
    for (const entry of batch) {
      if (!live.has(entry)) continue; // dropped meanwhile
      const { text } = entry.occurrence;
      const siblings = byText.get(text) ?? [];
      const index = siblings.indexOf(entry);
      // Several numbers in one text node: their controls follow each other in the same order.
      const after: Node =
        index > 0 ? siblings[index - 1]!.mounted.host : entry.occurrence.placement === 'after-text' ? text : entry.occurrence.anchor;
      if (!text.isConnected || text.data !== entry.data || !after.parentNode) {
        // The page changed while the control was being made: look at this text again.
        disposeText(text);
        if (text.isConnected) queue.add(text);
        continue;
      }
      after.parentNode.insertBefore(entry.mounted.host, after.nextSibling);
      entry.placed = true;
    }
  }

  /** Finds controls whose number changed or vanished, or whose host the page removed: drops or re-checks them. */
  function validate() {
    const seen = new Set<Text>();
    for (const entry of [...live]) {
      const { text } = entry.occurrence;
      if (seen.has(text) || isValid(entry)) continue;
      seen.add(text);
      if (text.isConnected) {
        queue.add(text);
        continue;
      }
      // The text node itself is gone. If the page put another number in its place (same element),
      // the old controls stay, refusing, until that settles; then they go and the new number's come.
      const entries = byText.get(text) ?? [entry];
      if (entries.some((e) => e.placed) && keepWhileSettling(entries)) continue;
      disposeText(text);
      if (entry.holder.isConnected) queue.add(entry.holder);
    }
  }

  async function run() {
    let sliceStart = now();
    // Checked after every text node; a promise only when it is time to yield (no garbage per node).
    const due = () => now() - sliceStart >= budget;
    const pause = async () => {
      if (now() - lastCommit >= commitEvery) commit();
      await yieldToEventLoop();
      sliceStart = now();
    };
    if (revalidate) {
      revalidate = false;
      validate();
    }
    while (queue.size > 0 && !signal.aborted) {
      const [next] = queue;
      queue.delete(next!);
      const node = next!;
      if (!node.isConnected || !root.contains(node)) continue;
      if (node.nodeType === 3) {
        processText(node as Text, false);
        if (due()) await pause();
        continue;
      }
      if (isInSkippedArea(node)) continue;
      const walker = createOrderWalker(node);
      for (let current = nextCandidate(walker); current && !signal.aborted; current = nextCandidate(walker)) {
        // Inputs, scripts… below `node` are skipped by nextCandidate, and `node` itself was checked above.
        processText(current, true);
        if (!due()) continue;
        await pause();
        if (!node.contains(walker.currentNode)) {
          // The page changed under us during the pause: look at this subtree again (idempotent).
          if (node.isConnected) queue.add(node);
          break;
        }
      }
      if (due()) await pause();
      // Records that arrived meanwhile: validate before going on.
      if (revalidate) {
        revalidate = false;
        validate();
      }
    }
    if (!signal.aborted) commit();
  }

  function flush(): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await run();
        } while ((again || queue.size > 0 || revalidate) && !signal.aborted);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function requestFlush() {
    if (cancelScheduled || signal.aborted) return;
    cancelScheduled = schedule(() => {
      cancelScheduled = null;
      void flush();
    });
  }

  /** Queues what the records touched; true when there is anything to do. */
  function ingest(records: MutationRecord[]): boolean {
    let changed = false;
    for (const record of records) {
      if (record.type === 'characterData') {
        queue.add(record.target);
        revalidate = true;
        changed = true;
        continue;
      }
      for (const node of record.addedNodes) {
        if (isOwnHost(node)) continue;
        queue.add(node);
        changed = true;
      }
      for (const node of record.removedNodes) {
        if (isOwnHost(node) && !byHost.has(node as Element)) continue; // one we removed ourselves
        revalidate = true;
        changed = true;
      }
    }
    return changed;
  }

  const observer = new MutationObserver((records) => {
    if (ingest(records)) requestFlush();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      cancelScheduled?.();
      cancelScheduled = null;
      queue.clear();
      unplaced = [];
      for (const timer of timers) clearTimer(timer);
      timers.clear();
      for (const entry of [...live]) disposeEntry(entry);
    },
    { once: true },
  );

  // Not in this task: the content script's own start-up (module evaluation) already took one.
  requestFlush();

  return {
    async idle() {
      // Pending observer records first, then whatever they queued.
      ingest(observer.takeRecords());
      // Including rewritten numbers still settling (tests use a short settleMs).
      while (running || queue.size > 0 || revalidate || cancelScheduled || timers.size > 0) {
        if (signal.aborted) return;
        if (!running && queue.size === 0 && !revalidate && !cancelScheduled) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          ingest(observer.takeRecords());
          continue;
        }
        cancelScheduled?.();
        cancelScheduled = null;
        await flush();
        ingest(observer.takeRecords());
      }
    },
    controls() {
      return [...live].map((entry) => ({ orderNo: entry.orderNo, host: entry.mounted.host, occurrence: entry.occurrence }));
    },
    isCurrent(host) {
      const entry = byHost.get(host);
      return !!entry && entry.placed && isValid(entry) && occurrencesIn(entry.occurrence.text)[entry.occurrence.index]?.orderNo === entry.orderNo;
    },
  };
}
