/**
 * When the page's order controls are made: the scheduling policy of the scanner, apart from the DOM
 * work so it can be tested with a fake clock.
 *
 * - Changes are handled before the browser lays the page out: controls for rows the page just
 *   rendered, or for a number it just rewrote, are painted with them. New rows and rewritten text at
 *   once, at the end of the page's task (what the first slice does not reach: in the tasks before
 *   the next frame and in one slice inside it); other changes in the next animation frame.
 * - Work runs in slices of `budgetMs` (~10 ms) with a turn of the event loop in between, so no task
 *   of ours comes near 50 ms, however long the page.
 * - Visible first: until the browser lays out the page's new rows, controls are made at once, in
 *   document order (the top of a list, in the page's first layout of its rows): in the first slice
 *   of a batch (up to ~30 ms, still clear of a 50 ms long task), in the slices the event loop gives
 *   back before the next frame, and in one more slice inside that frame, before its layout. What is
 *   left waits until it comes near the viewport, what is in view first.
 */

/** Runs `run` in the next animation frame (or after 100 ms where frames do not run: background tabs); returns a cancel. */
export function nextFrame(run: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, 100);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * Runs `run` when the page is idle (`requestIdleCallback`), at the latest after `timeoutMs`; returns a
 * cancel. Start-up work that the page's first rows do not need waits for it: the page's own tasks
 * (its data, its render) come first.
 */
export function whenIdle(run: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const timer = setTimeout(run, 0);
    return () => clearTimeout(timer);
  }
  const id = requestIdleCallback(() => run(), { timeout: timeoutMs });
  return () => cancelIdleCallback(id);
}

/** A macrotask (not a microtask), so input and rendering can run in between. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** How the event loop gave control back: a task before any frame, or a frame (before its layout). */
export type Resumed = 'task' | 'frame';

/**
 * Gives the event loop a turn, and says whether a task came back first (no frame in between: the
 * page is still as it was laid out last) or the next frame did — then we run in it, before its
 * style and layout (a promise settled in a requestAnimationFrame callback continues in that
 * callback's microtasks), so what we add now is in that layout.
 */
export function yieldUntilTaskOrFrame(): Promise<Resumed> {
  return new Promise((resolve) => {
    let done = false;
    const channel = new MessageChannel();
    const finish = (how: Resumed) => {
      if (done) return;
      done = true;
      channel.port1.close();
      cancelAnimationFrame(frame);
      resolve(how);
    };
    const frame = requestAnimationFrame(() => finish('frame'));
    channel.port1.onmessage = () => finish('task');
    channel.port2.postMessage(null);
  });
}

/**
 * Time slices: `due()` once the slice's budget has passed since it began; `next(budget)` begins
 * another (`budgetMs` unless told). The first slice of a batch may take `firstBudgetMs`: it runs
 * before the browser lays out the rows the page just rendered, and what it makes is in that layout.
 */
export function createSlices(now: () => number, budgetMs: number, firstBudgetMs = budgetMs) {
  let start = now();
  let limit = firstBudgetMs;
  let count = 0;
  return {
    due: () => now() - start >= limit,
    /** Ends this slice at most `ms` from now (the next one has its usual budget). */
    endWithin(ms: number) {
      limit = Math.min(limit, now() - start + ms);
    },
    /** Whether this is still the first slice of the batch. */
    first: () => count === 0,
    next(nextBudgetMs = budgetMs) {
      start = now();
      limit = nextBudgetMs;
      count++;
    },
  };
}

export interface Nearness {
  target: Element;
  /** Within the viewport widened by the look-ahead margin. */
  near: boolean;
  /** Actually in the viewport now. */
  inView: boolean;
}

/** Targets that just came near, those in view first, otherwise in the order reported (document order). */
export function mountOrder(changes: readonly Nearness[]): Element[] {
  const near = changes.filter((c) => c.near);
  return [...near.filter((c) => c.inView), ...near.filter((c) => !c.inView)].map((c) => c.target);
}
