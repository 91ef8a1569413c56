/**
 * When the scanner works: one pass at a time, again while work is left; soon (the next animation
 * frame, by default) or at once. DOM-free.
 */
export interface FlushPacer {
  /** Runs passes now (joining one under way) until nothing is left; resolves when done. */
  now(): Promise<void>;
  /** Runs them soon, once however often asked before then. */
  soon(): void;
  /** Forgets a pass asked for soon. */
  cancel(): void;
  /** Runs passes until nothing is left, under way or asked for; `catchUp` queues what happened meanwhile. */
  settle(catchUp: () => void): Promise<void>;
}

/**
 * `pass`: one pass over the queued work; `pending`: whether work is left after it; `isLeaving`:
 * whether the page is going away (tab closed, navigated off). The browser tears the document down
 * under a pass then, and what fails in it is no error: nothing is left to show the agent.
 */
export function createFlushPacer(
  pass: () => Promise<void>,
  pending: () => boolean,
  schedule: (run: () => void) => () => void,
  signal: AbortSignal,
  isLeaving: () => boolean = () => false,
): FlushPacer {
  let running: Promise<void> | null = null;
  let cancelScheduled: (() => void) | null = null;

  const cancel = () => {
    cancelScheduled?.();
    cancelScheduled = null;
  };

  function now(): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    running ??= (async () => {
      try {
        do await pass();
        while (pending() && !signal.aborted);
      } catch (error) {
        if (!isLeaving()) throw error;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    now,
    soon() {
      if (cancelScheduled || signal.aborted) return;
      try {
        cancelScheduled = schedule(() => {
          cancelScheduled = null;
          void now();
        });
      } catch (error) {
        if (!isLeaving()) throw error;
      }
    },
    cancel,
    async settle(catchUp) {
      catchUp();
      while (running || pending() || cancelScheduled) {
        if (signal.aborted) return;
        cancel();
        await now();
        catchUp();
      }
    },
  };
}
