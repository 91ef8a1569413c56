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

/** `pass`: one pass over the queued work; `pending`: whether work is left after it. */
export function createFlushPacer(
  pass: () => Promise<void>,
  pending: () => boolean,
  schedule: (run: () => void) => () => void,
  signal: AbortSignal,
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
      cancelScheduled = schedule(() => {
        cancelScheduled = null;
        void now();
      });
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
