/**
 * When the page's order controls are made: the scheduling policy of the scanner, apart from the DOM
 * work so it can be tested with a fake clock.
 *
 * - Changes are handled in the next animation frame, before the browser lays the page out: controls
 *   for rows the page just rendered, or for a number it just rewrote, are painted with them.
 * - Work runs in slices of `budgetMs` (~10 ms) with a turn of the event loop in between, so no task
 *   of ours comes near 50 ms, however long the page.
 * - Visible first: the first slice of a batch (up to ~30 ms, still clear of a 50 ms long task)
 *   makes controls at once, in document order: the top of a list, in the page's first layout of
 *   its new rows. What is left waits until it comes near the viewport, what is in view first.
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

/**
 * Time slices: `due()` once `budgetMs` have passed since the slice began; `next()` begins another.
 * The first slice of a batch may take `firstBudgetMs`: it runs before the browser lays out the rows
 * the page just rendered, and what it makes is in that first layout (the rest waits for the next).
 */
export function createSlices(now: () => number, budgetMs: number, firstBudgetMs = budgetMs) {
  let start = now();
  let count = 0;
  return {
    due: () => now() - start >= (count === 0 ? firstBudgetMs : budgetMs),
    /** Whether this is still the first slice of the batch (the one before the browser's next layout). */
    first: () => count === 0,
    next() {
      start = now();
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
