// One job, ~300 lines: the scan loop (claim, validate, read in slices) over state its every step shares; the registry, the mutation intake and the pacing (flush-pacer.ts) are their own files. idle() and found() serve the tests: a settled page cannot be awaited from outside.
/**
 * Keeps one control beside every order number of a live page, visible first.
 *
 * - Finds the numbers (`find-orders.ts`) with a first scan, then follows the page with a
 *   MutationObserver handled once per animation frame, before the browser lays the page out.
 * - Visible first (`schedule.ts`): new content is read at once (in the page's own task, right after
 *   its mutations) and, until the browser lays it out, controls are made at once, in document order:
 *   the first slice, the slices the event loop gives back before the next frame, and one slice in
 *   that frame before its layout, at most PRE_LAYOUT_MAX controls in all (the first slice ends
 *   AFTER_CAP_MS after the last of them). The other numbers wait until an IntersectionObserver
 *   reports them near the viewport. Work runs in ~10 ms slices (30 ms for the first): no task of
 *   ours comes near 50 ms on a 2,000-row list. No style or geometry is read while the page's new
 *   rows may be unstyled: a read would make the browser style and lay them all out inside our task.
 * - Follows rewrites at once: when the page rewrites text (a framework patching reused rows, a
 *   virtual list recycling them), the runs of text of that block are read again; a number that
 *   stayed keeps its control; where a control stood, it becomes the new number's in the same frame
 *   (`retarget`: as a new control would be, nothing of the old one kept), copies the page hides
 *   after the visible ones; the control of a number that is gone goes. What the first slice does
 *   not reach goes on before the page's next layout too (a task or that frame, not a task after it). `isCurrent` re-reads the
 *   page when the agent activates a control.
 * - Everything is undone when `signal` aborts (observers disconnected, controls removed).
 *
 * DOM only, no extension APIs: unit-tested in happy-dom with a fake `mount` and viewport.
 */
import { createControlRegistry, describe, isIntact, isPlaced, type Entry, type MountedControl } from './logic/control-registry';
import { blockOf, createRunReader, findOrders, isInSkippedArea, type OrderOccurrence } from './logic/find-orders';
import { createFlushPacer } from './logic/flush-pacer';
import { queueMutations } from './logic/mutation-intake';
import { createSlices, mountOrder, nextFrame, whenIdle, yieldToEventLoop, yieldUntilTaskOrFrame, type Nearness, type Resumed } from './schedule';
import { watchViewport, type WatchViewport } from './viewport';

export { insertFirst, type MountedControl } from './logic/control-registry';

export interface ScannerOptions {
  /** Where to look; `document.body` by default. */
  root?: Element;
  /** Makes the control for one occurrence; the scanner inserts and removes its host. */
  mount(occurrence: OrderOccurrence): MountedControl;
  /** Work per slice before yielding to the event loop. */
  budgetMs?: number;
  /** Work of the first slice of a batch, the one before the browser's next layout (default 3 × budgetMs). */
  firstBudgetMs?: number;
  /** Runs a flush soon (default: the next animation frame); returns a cancel. */
  schedule?: (run: () => void) => () => void;
  /**
   * Runs the first scan of what the page already shows (default: when the page is idle, within
   * 200 ms; `schedule` when that is given). New content the page puts in before then is read at once
   * (the first pass reads the whole root).
   */
  firstScan?: (run: () => void) => () => void;
  /**
   * Gives the event loop a turn between slices; `beforeLayout`: the page's new content is not laid
   * out yet. Says how it came back, if it knows (`Resumed`); unknown counts as after a layout.
   */
  yieldToEventLoop?: (beforeLayout: boolean) => Promise<void | Resumed>;
  now?: () => number;
  /** How often the page may remove one of our hosts beside an unchanged number before we give up on it. */
  maxReinserts?: number;
  /** Reports elements coming near the viewport (default: IntersectionObserver). */
  watchViewport?: WatchViewport;
  /**
   * Whether the page hides an element (`visibility: hidden` copies of fixed table columns): when
   * they come near the viewport or their numbers are rewritten, its controls come after the
   * visible ones (they keep the rows of both copies the same height, unseen). Asked only when the
   * page's style is up to date (after a layout, or when only text changed).
   */
  isHidden?: (element: Element) => boolean;
}

export interface OrderScanner {
  /** Resolves when every pending change has been processed. */
  idle(): Promise<void>;
  /** Every occurrence found, and its control's host once it has one (near the viewport). */
  found(): ReadonlyArray<{ occurrence: OrderOccurrence; host?: Element }>;
  /** Whether the number beside this control is, as the page shows it now, the one it was made for. */
  isCurrent(host: Element): boolean;
}

/**
 * Copies a table library hides and says so in its markup (Element UI's fixed-column duplicates are
 * `td.is-hidden`): a hint read without styles, so that the first slice makes the visible copy's
 * controls (the hidden copy's come when it is reported near, after the visible ones').
 */
const HIDDEN_BY_CLASS = '.is-hidden,[aria-hidden=true]';

/** Longest the scanner counts on a frame to come before it stops making controls at once. */
const PRE_LAYOUT_MS = 200;
/**
 * Most controls made at once for content not laid out yet: more numbers than a viewport shows (a
 * 1,200 px one of 12 px rows). Without a cap the time box alone decides, and a fast machine made
 * ~450 of a 2,000-row list's controls before its first layout (a slow one ~60), all in that layout.
 * Past it, numbers wait for nearness like any other.
 */
const PRE_LAYOUT_MAX = 100;
/**
 * How much longer a slice reads once PRE_LAYOUT_MAX controls are made: the rest of a page of a few
 * hundred rows (~2 ms for 200), not that of a 2,000-row list (~20 ms), before the first layout.
 */
const AFTER_CAP_MS = 5;

export function startOrderScanner(signal: AbortSignal, options: ScannerOptions): OrderScanner {
  const root = options.root ?? document.body;
  const budget = options.budgetMs ?? 10;
  const firstBudget = options.firstBudgetMs ?? budget * 3;
  const schedule = options.schedule ?? nextFrame;
  const pauseForEvents = options.yieldToEventLoop ?? ((beforeLayout: boolean) => (beforeLayout ? yieldUntilTaskOrFrame() : yieldToEventLoop()));
  const now = options.now ?? (() => performance.now());
  const maxReinserts = options.maxReinserts ?? 3;
  const isHidden = options.isHidden ?? ((element: Element) => element.checkVisibility?.({ visibilityProperty: true }) === false);

  /** Targets last reported near the viewport. */
  const near = new WeakSet<Element>();
  /** Targets that came near, waiting for their controls (in view first). */
  let toMount: Element[] = [];
  /** Hidden copies' targets whose numbers were rewritten: once what changed has been read. */
  let later: Element[] = [];
  const reinserts = new WeakMap<Text, number>();
  /** Text whose control the page kept removing: left alone while its data stays the same. */
  const abandoned = new WeakMap<Text, string>();
  /** Blocks and new subtrees to read (again). */
  const queue = new Set<Node>([root]);
  /** Entries that may be stale: dropped at the end of the pass unless read again. */
  const suspects = new Set<Entry>();
  let revalidate = false;
  /**
   * The page's new content is not laid out yet (since `beforeLayoutSince`): controls made now are
   * in its first layout, so they are made at once (up to PRE_LAYOUT_MAX of them). Ends after a
   * slice that ran in a frame, or after PRE_LAYOUT_MS (frames do not come in a background tab: the
   * rest waits for nearness there).
   */
  let beforeLayout = true;
  let beforeLayoutSince = now();
  /** Controls made at once for the content not laid out yet (up to PRE_LAYOUT_MAX). */
  let madeBeforeLayout = 0;
  const preLayout = () => beforeLayout && now() - beforeLayoutSince < PRE_LAYOUT_MS;
  /**
   * Text the page rewrote in place is not laid out yet (since when; null: none): a pass following it
   * that runs out of its slice pauses until a task or the next frame, whichever comes first, so the
   * rest of the follow goes into that frame's layout too. (A plain task came after that frame — on
   * Element UI the page's own layout of its rewritten table, 40–110 ms — and after the page's tasks
   * queued before it: that frame painted new numbers beside old numbers' controls, and the follow
   * took 115–140 ms; issue 12, bench/README.md.)
   */
  let rewriteSince: number | null = null;
  const rewriteUnlaidOut = () => rewriteSince !== null && now() - rewriteSince < PRE_LAYOUT_MS;
  /** The slice under way runs in a frame (a requestAnimationFrame callback): the browser lays the page out right after it. */
  let inFrame = false;
  /** A pass is waiting for its next slice (`pause`): the page's tasks, maybe long ones, run first. */
  let paused = false;
  /**
   * Whether our controls' hosts are hidden, read once a slice: a retarget changes its host, and a
   * style read after it made the browser style the page again, for every control that followed.
   */
  let hiddenRead = new Map<Element, boolean>();
  const isHiddenHost = (host: Element) => {
    let hidden = hiddenRead.get(host);
    if (hidden === undefined) hiddenRead.set(host, (hidden = isHidden(host)));
    return hidden;
  };
  /** When the mutation callback that starts a pass began: reading the records is part of its first slice. */
  let callbackStart: number | null = null;

  const watcher = (options.watchViewport ?? watchViewport)(onNearness);
  const { live, byBlock, byTarget, byHost, index, unindex, drop, place } = createControlRegistry(watcher);

  function dispose(entry: Entry) {
    suspects.delete(entry);
    drop(entry);
  }

  function mount(entry: Entry) {
    if (entry.mounted || !live.has(entry)) return;
    const mounted = options.mount(entry.occurrence);
    entry.mounted = mounted;
    byHost.set(mounted.host, entry);
    if (!place(entry)) dispose(entry);
  }

  /** A number found by a (re)scan: its existing control stays, or a new one is made. */
  function claim(occurrence: OrderOccurrence, claimed: Set<Entry>, unlaidOut: boolean) {
    const { text, after, orderNo } = occurrence;
    for (const entry of byBlock.get(blockOf(text)!) ?? []) {
      if (claimed.has(entry) || entry.orderNo !== orderNo || entry.occurrence.text !== text || entry.occurrence.after !== after) continue;
      claimed.add(entry);
      suspects.delete(entry);
      const next = describe(occurrence);
      const moved = next.block !== entry.block || next.target !== entry.target;
      if (moved) unindex(entry);
      entry.occurrence = occurrence;
      Object.assign(entry, next);
      if (moved) index(entry);
      return;
    }
    if (abandoned.get(text) === text.data) return;
    const entry: Entry = { occurrence, orderNo, mounted: null, ...describe(occurrence) };
    claimed.add(entry);
    live.add(entry);
    // A number rewritten in place (a reused row): the control that stood there follows it at once.
    const previous = [...(byTarget.get(entry.target) ?? [])].find((other) => other.mounted && suspects.has(other) && other.occurrence.after === after);
    index(entry);
    if (previous && isHiddenHost(previous.mounted!.host)) {
      // A copy the page hides (text rewritten in place: little or no style work pending, so the
      // read is cheap): its control after the visible ones' (the old one goes with the suspects).
      later.push(entry.target);
      return;
    }
    if (previous?.mounted?.retarget) {
      const mounted = previous.mounted;
      previous.mounted = null;
      byHost.set(mounted.host, entry);
      entry.mounted = mounted;
      mounted.retarget!(occurrence);
      dispose(previous);
      return;
    }
    // Where a control already stands, or near the viewport, or before the browser lays the new
    // content out: at once. Elsewhere: when it comes near (`onNearness`). (No style read here: the page's new
    // rows may not be styled yet, and a read would style them all inside our task.)
    const spotShown = !!previous || [...(byTarget.get(entry.target) ?? [])].some((other) => other.mounted);
    if (spotShown || near.has(entry.target)) mount(entry);
    else if (unlaidOut && madeBeforeLayout < PRE_LAYOUT_MAX && !entry.target.closest(HIDDEN_BY_CLASS)) {
      madeBeforeLayout++;
      mount(entry);
    }
  }

  /** Entries whose text changed or left, or whose host the page removed: re-read, put back or dropped. */
  function validate() {
    for (const entry of live) {
      if (isIntact(entry) && blockOf(entry.occurrence.text) === entry.block) {
        const host = entry.mounted?.host;
        if (!host || host.isConnected) continue;
        // The page removed our control but kept the number: put it back, a few times only.
        const text = entry.occurrence.text;
        const count = (reinserts.get(text) ?? 0) + 1;
        reinserts.set(text, count);
        if (count <= maxReinserts && place(entry)) continue;
        abandoned.set(text, text.data);
        dispose(entry);
        continue;
      }
      suspects.add(entry);
      if (entry.block.isConnected) queue.add(entry.block);
      for (const text of entry.occurrence.texts) {
        const block = text.isConnected && blockOf(text);
        if (block) queue.add(block);
      }
    }
  }

  function mountNear(slices: ReturnType<typeof createSlices>): boolean {
    while (toMount.length > 0 && !signal.aborted) {
      const target = toMount.shift()!;
      if (!near.has(target)) continue;
      for (const entry of byTarget.get(target) ?? []) mount(entry);
      if (slices.due()) return true;
    }
    return false;
  }

  async function run() {
    const slices = createSlices(now, budget, firstBudget - (callbackStart === null ? 0 : now() - callbackStart));
    callbackStart = null;
    hiddenRead = new Map();
    const pause = async () => {
      const laidOutNext = inFrame;
      const since = beforeLayoutSince;
      const rewrittenSince = rewriteSince;
      paused = true;
      const resumed = await pauseForEvents(preLayout() || (!laidOutNext && rewriteUnlaidOut()));
      paused = false;
      hiddenRead = new Map();
      inFrame = resumed === 'frame';
      // (Unless the page put new content in, or rewrote text, meanwhile: that is not laid out yet.)
      if (laidOutNext || !resumed) {
        if (beforeLayoutSince === since) beforeLayout = false;
        if (rewriteSince === rewrittenSince) rewriteSince = null;
      }
      // (An ordinary slice in the frame: it may follow the first one with nothing in between.)
      slices.next();
      if (revalidate) {
        revalidate = false;
        validate();
      }
    };
    if (revalidate) {
      revalidate = false;
      validate();
    }
    while (mountNear(slices)) await pause();
    // Cells where a control stands in a copy the page hides are read after the others: a table
    // paging in place gets its visible controls first (a style read, for existing controls only).
    for (const node of [...queue]) {
      if (![...(byBlock.get(node as Element) ?? [])].some((e) => e.mounted && isHiddenHost(e.mounted.host))) continue;
      queue.delete(node); // to the end
      queue.add(node);
    }
    // Before the layout, rows beside one whose number the page hides (the table body under Element
    // UI's fixed-column copy, which comes first) are read last: the visible copy's first.
    const hiddenRows = new Set<Node | null>();
    let deferred: Node[] = [];
    let deferring = true;
    while ((queue.size > 0 || deferred.length > 0) && !signal.aborted) {
      if (queue.size === 0) {
        for (const node of deferred) queue.add(node);
        deferred = [];
        deferring = false;
      }
      const [node] = queue;
      queue.delete(node!);
      if (!node!.isConnected || !root.contains(node!) || isInSkippedArea(node!)) continue;
      if (deferring && preLayout() && hiddenRows.has(node!.parentNode)) {
        deferred.push(node!);
        continue;
      }
      for (const entry of byBlock.get(node as Element) ?? []) suspects.add(entry);
      const claimed = new Set<Entry>();
      const reader = createRunReader(node!);
      for (let found = reader.next(); found && !signal.aborted; found = reader.next()) {
        const madeBefore = madeBeforeLayout;
        for (const occurrence of found) {
          claim(occurrence, claimed, preLayout());
          if (deferring && preLayout() && occurrence.anchor.closest(HIDDEN_BY_CLASS)) hiddenRows.add(node!.parentNode);
        }
        // The controls the first layout gets are made: reading on in this slice (numbers that get no
        // control yet) would hold that layout back. A little more first: the rest of a page of a few
        // hundred rows, all watched for nearness in that layout (one scrolled to its pager shows its
        // last rows). What is left is read in the tasks and the slice before the layout, as usual.
        if (madeBefore < PRE_LAYOUT_MAX && madeBeforeLayout >= PRE_LAYOUT_MAX) slices.endWithin(AFTER_CAP_MS);
        if (!slices.due()) continue;
        await pause();
        while (mountNear(slices)) await pause();
        if (!node!.contains(reader.walker.currentNode)) {
          // The page changed under us during the pause: read this subtree again (idempotent).
          if (node!.isConnected) queue.add(node!);
          break;
        }
      }
      if (slices.due()) await pause();
    }
    if (signal.aborted) return;
    toMount.push(...later);
    later = [];
    while (mountNear(slices)) await pause();
    // What was not read again is gone (or no longer a number).
    if (queue.size === 0) for (const entry of [...suspects]) dispose(entry);
  }

  // From `pagehide` (the tab closing, a navigation) until a `pageshow` brings the page back.
  let leaving = false;
  window.addEventListener('pagehide', () => (leaving = true), { signal });
  window.addEventListener('pageshow', () => (leaving = false), { signal });
  // A pass asked for soon runs in the next frame, before its layout.
  const inNextFrame = (pass: () => void) =>
    schedule(() => {
      inFrame = true;
      pass();
    });
  const pacer = createFlushPacer(run, () => queue.size > 0 || revalidate || toMount.length > 0, inNextFrame, signal, () => leaving);

  function onNearness(changes: Nearness[]) {
    for (const change of changes) {
      if (change.near) near.add(change.target);
      else near.delete(change.target);
    }
    const targets = mountOrder(changes).filter((target) => [...(byTarget.get(target) ?? [])].some((entry) => !entry.mounted));
    if (targets.length === 0) return;
    toMount = [...targets.filter((t) => !isHidden(t)), ...toMount, ...targets.filter(isHidden)];
    // At once: this callback comes right after a layout, the controls go into the next one. A pass
    // waiting for its next slice would come back only after the page's tasks queued meanwhile (a
    // table library's re-layout: ~0.4 s on Element UI): one slice here first, what is in view first.
    inFrame = false;
    if (paused) mountNear(createSlices(now, budget));
    void pacer.now();
  }

  /** Queues what the records touched; true when there is anything to do. */
  const ingest = (records: MutationRecord[]) => queueMutations(records, queue, byBlock, byHost, () => (revalidate = true));

  const observer = new MutationObserver((records) => {
    const start = now();
    if (!ingest(records)) return;
    const added = records.some((record) => [...record.addedNodes].some((node) => node.nodeType === 1));
    if (added) {
      // New content (rows rendered, a page swapped in): not laid out yet. Read at once, at the end
      // of the page's own task: what is made before the browser's first layout of it is in that
      // layout; what misses it waits a frame of that layout (~0.5 s for 2,000 rows on a slow machine).
      beforeLayout = true;
      beforeLayoutSince = now();
      madeBeforeLayout = 0;
    }
    // Text rewritten in place (a patched row, a recycled virtual row): follow it now, still before
    // the page's next frame, without waiting for one (frames come late on a busy machine), and what
    // does not fit the first slice before that frame's layout (`rewriteSince`). Other changes: in
    // the next animation frame, all of them together.
    if (added || records.every((record) => record.type === 'characterData')) {
      if (!added) rewriteSince = start;
      inFrame = false;
      callbackStart = start;
      void pacer.now();
      callbackStart = null; // (a pass under way took the records)
    } else pacer.soon();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      watcher.disconnect();
      pacer.cancel();
      queue.clear();
      toMount = [];
      for (const entry of [...live]) dispose(entry);
    },
    { once: true },
  );

  const cancelFirstScan = (options.firstScan ?? (options.schedule ? schedule : (run: () => void) => whenIdle(run, 200)))(() => pacer.soon());
  signal.addEventListener('abort', cancelFirstScan, { once: true });

  return {
    idle: () => pacer.settle(() => ingest(observer.takeRecords())),
    found: () => [...live].map((e) => ({ occurrence: e.occurrence, host: e.mounted?.host })),
    isCurrent(host) {
      const entry = byHost.get(host);
      if (!entry || !live.has(entry) || !host.isConnected || !isIntact(entry) || !isPlaced(entry)) return false;
      // Read the page again, as the agent sees it now: markup may have been added around the text.
      const { text, after } = entry.occurrence;
      const block = blockOf(text);
      return !!block && findOrders(block).some((o) => o.orderNo === entry.orderNo && o.text === text && o.after === after);
    },
  };
}
