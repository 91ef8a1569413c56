import { useLayoutEffect, useState } from 'preact/hooks';

/**
 * One interval for every live countdown on the page: it runs only while a component listens, and
 * each tick re-renders the listening components alone, never the whole list.
 */
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  const now = Date.now();
  for (const listener of listeners) listener(now);
}

export function subscribeToTicks(listener: (now: number) => void): () => void {
  listeners.add(listener);
  if (timer === undefined) timer = setInterval(tick, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, updated every second while the component is mounted. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  // A layout effect: subscribed as soon as it is on screen, not a frame later.
  useLayoutEffect(() => subscribeToTicks(setNow), []);
  return now;
}
