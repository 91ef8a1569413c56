import { useEffect, useState } from 'preact/hooks';
import type { OrderView } from './format';
import type { PageStore } from './page-store';

/** The shared view of one order; re-renders on its changes only. */
export function useOrderView(store: PageStore, orderNo: string): OrderView {
  const [view, setView] = useState(() => store.view(orderNo));
  useEffect(() => {
    setView(store.view(orderNo)); // changes between the first render and this effect
    return store.subscribe(orderNo, () => setView(store.view(orderNo)));
  }, [store, orderNo]);
  return view;
}

export interface PageView {
  configured: boolean | null;
  /** More than one distinct order on the page. */
  multi: boolean;
}

/** Page-wide facts every control shows (rarely changing: see `PageStore.subscribePage`). */
export function usePageView(store: PageStore): PageView {
  const [configured, setConfigured] = useState(() => store.configured());
  const [multi, setMulti] = useState(() => store.multi());
  useEffect(() => {
    const update = () => {
      // Same values do not re-render (Preact compares state).
      setConfigured(store.configured());
      setMulti(store.multi());
    };
    update();
    return store.subscribePage(update);
  }, [store]);
  return { configured, multi };
}

/** The selected orders, in selection order (the bar). */
export function useSelection(store: PageStore): string[] {
  const [joined, setJoined] = useState(() => store.selection().join(','));
  useEffect(() => {
    const update = () => setJoined(store.selection().join(','));
    update();
    return store.subscribeSelection(update);
  }, [store]);
  return joined ? joined.split(',') : [];
}

/** The current time, re-rendering every second while `active` (one page-wide timer). */
export function useNow(store: PageStore, active: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    return store.subscribeClock(() => setTick((n) => n + 1));
  }, [store, active]);
  // Read at every render: a record changing its next check re-renders with the right countdown.
  return store.now();
}
