/**
 * One interval for every live countdown of a page: it runs only while someone listens, and each
 * tick calls the listeners alone (each patches its own countdown, never the whole list). The content
 * script's controls subscribe through their page store.
 */
export interface Ticker {
  /** Calls back every second with the time; returns the unsubscribe. */
  subscribe(listener: (now: number) => void): () => void;
  /** Stops the interval and forgets every listener. */
  stop(): void;
}

export function createTicker(periodMs = 1000): Ticker {
  const listeners = new Set<(now: number) => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      timer ??= setInterval(() => {
        const now = Date.now();
        for (const each of [...listeners]) each(now);
      }, periodMs);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    stop() {
      stop();
      listeners.clear();
    },
  };
}
