import { useLayoutEffect, useState } from 'preact/hooks';
import { createTicker } from '@/utils/shared/logic/ticker';

/** The popup's one clock for every countdown. */
const ticker = createTicker();

/** The current time, updated every second while the component is mounted. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  // A layout effect: subscribed as soon as it is on screen, not a frame later.
  useLayoutEffect(() => ticker.subscribe(setNow), []);
  return now;
}
