/** The popup's hooks: its orders, whether it is configured, the policy's sites, progressive rows. */
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { readManaged, watchManaged } from '@/utils/shared/managed-settings';
import { loadClientId, settingsItem } from '@/utils/shared/settings';
import { missingOrigins, neededOrigins } from '@/utils/shared/logic/permissions';
import { formatMoment } from '@/utils/shared/logic/format';
import { createOrderStore, type OrderStore, type OrdersState } from '@/utils/popup/order-store';
import { FIRST_VIEW } from '@/utils/popup/logic/view-hint';

/** The tracked orders (see order-store.ts); the store starts reading during the first render. */
export function useOrders(): { store: OrderStore; state: OrdersState } {
  const [store] = useState(() => createOrderStore());
  const [state, setState] = useState(() => store.get());
  // A layout effect: subscribed right after the first render, so the first screen is not a frame late.
  useLayoutEffect(() => {
    setState(store.get());
    const unsubscribe = store.subscribe(setState);
    return () => {
      unsubscribe();
      store.dispose();
    };
  }, [store]);
  return { store, state };
}

/** Whether a client id is in force (saved or set by policy), following the options page and the policy. */
export function useConfigured(): boolean | null {
  const [configured, setConfigured] = useState<boolean | null>(null);
  useEffect(() => {
    let alive = true;
    const refresh = () =>
      void loadClientId().then(
        (clientId) => alive && setConfigured(clientId !== ''),
        () => undefined,
      );
    refresh();
    const unwatchSaved = settingsItem.watch(refresh);
    const unwatchManaged = watchManaged(refresh);
    return () => {
      alive = false;
      unwatchSaved();
      unwatchManaged();
    };
  }, []);
  return configured;
}

/** Rows drawn in full on opening: those of the first render (more than a 600 px popup shows at once). */
const FULL_FIRST = FIRST_VIEW;
/** Rows turned from light to full each frame after that. */
const FULL_STEP = 30;

/**
 * How many rows to draw in full: the first screen at once, then more each frame until all are
 * (a hundred full rows cost a render more than everything else together). `rows`: the first page's
 * rows once every one is read; `drawn`: those read so far (only those are promoted, a slice a frame).
 */
export function useFullRows(loaded: boolean, rows: number, drawn = rows): number {
  const [full, setFull] = useState(FULL_FIRST);
  useEffect(() => {
    if (!loaded || full === Infinity) return;
    if (full >= rows) {
      setFull(Infinity); // rows added later ("Show more", new orders) are drawn in full at once
      return;
    }
    if (drawn <= full) return; // the next rows are still being read
    // requestAnimationFrame does not run in a hidden page: the time-out covers that.
    let frame = 0;
    const timer = setTimeout(() => setFull((n) => n + FULL_STEP), 50);
    if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(() => setFull((n) => n + FULL_STEP));
    return () => {
      clearTimeout(timer);
      if (frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
    };
  }, [loaded, full, rows, drawn]);
  return full;
}

/**
 * Sites the browser policy sets (portals, API host) that the browser has not granted yet: no policy
 * can grant them, the agent must allow them once. Read after the first screen, it is not urgent.
 */
export function useMissingPolicyOrigins(loaded: boolean): [string[], () => void] {
  const [missing, setMissing] = useState<string[]>([]);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!loaded) return;
    let alive = true;
    const refresh = async () => {
      try {
        const [managed, granted] = await Promise.all([readManaged(), browser.permissions.getAll()]);
        if (alive) setMissing(missingOrigins(neededOrigins(managed.values), granted.origins ?? []));
      } catch {
        // No permissions API (tests) or the extension reloading: nothing to offer.
      }
    };
    void refresh();
    const unwatch = watchManaged(() => void refresh());
    return () => {
      alive = false;
      unwatch();
    };
  }, [loaded, generation]);
  return [missing, () => setGeneration((n) => n + 1)];
}

/**
 * Builds the date formatters the rows use while the first records are still on their way: the first
 * Intl.DateTimeFormat of a page costs milliseconds the first screen would otherwise wait for.
 */
export function useWarmFormats(locale: string) {
  useLayoutEffect(() => {
    const timer = setTimeout(() => {
      const now = Date.now();
      formatMoment(now, now, locale);
      formatMoment(now - 2 * 86_400_000, now, locale);
    }, 0);
    return () => clearTimeout(timer);
  }, [locale]);
}
