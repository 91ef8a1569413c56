// @vitest-environment happy-dom
/** The popup's early storage reads (utils/popup/early-read.ts) as the order store takes them over. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startEarlyReads, takeChangesMeanwhile } from '@/utils/popup/early-read';
import { browserReader, createOrderStore } from '@/utils/popup/order-store';
import { encodeHint, HINT_KEY } from '@/utils/popup/logic/view-hint';
import { record } from './fixtures';

const A = 'TESTE20261126090000001';
const B = 'TESTE20261126090000002';
/** Resolves once the store published its first rows. */
const waitForLoaded = (store: ReturnType<typeof createOrderStore>) =>
  new Promise<void>((resolve) => {
    if (store.get().loaded) return resolve();
    const stop = store.subscribe((state) => state.loaded && (stop(), resolve()));
  });
const local = fakeBrowser.storage.local as unknown as { getKeys?: () => Promise<string[]> };

describe('early reads of the popup', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    takeChangesMeanwhile();
    globalThis.atripPopupEarlyReads = undefined;
    localStorage.clear();
    // fakeBrowser has no getKeys (Chrome 130+, Firefox 143+ have).
    local.getKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null));
  });

  it('are what the store shows, without asking storage again', async () => {
    await fakeBrowser.storage.local.set({ [`order:${A}`]: record(A, 'intercepting'), [`order:${B}`]: record(B, 'issued') });
    localStorage.setItem(HINT_KEY, encodeHint([record(A, 'intercepting'), record(B, 'issued')]));
    startEarlyReads();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    const store = createOrderStore(browserReader);
    const orders = await store.whenComplete();
    expect([...orders.keys()].sort()).toEqual([A, B]);
    expect(get).not.toHaveBeenCalled();
    store.dispose();
  });

  it('read only the first render’s rows; the store takes them and reads the rest of the first screen itself', async () => {
    const no = (n: number) => `TESTE20261126090001${String(n).padStart(3, '0')}`;
    const records = Array.from({ length: 40 }, (_, i) => record(no(i), i < 12 ? 'intercepting' : 'issued', { requestedAt: 1_000 + i }));
    await fakeBrowser.storage.local.set(Object.fromEntries(records.map((r) => [`order:${r.orderNo}`, r])));
    localStorage.setItem(HINT_KEY, encodeHint(records));
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    startEarlyReads();
    // The newest 10 in progress.
    const orderReads = () => get.mock.calls.map(([keys]) => keys).filter((keys) => Array.isArray(keys));
    expect(orderReads()).toEqual([Array.from({ length: 10 }, (_, i) => `order:${no(11 - i)}`)]);
    get.mockClear();
    const store = createOrderStore(browserReader);
    await waitForLoaded(store);
    expect(store.get().orders.size).toBe(10);
    const orders = await store.whenComplete();
    expect(orders.size).toBe(40);
    // The early reply, then the rest of the first screen (the 2 other ones in progress and the newest
    // 20 finished), then only the 8 finished ones past it.
    const [screen, rest, ...more] = orderReads();
    expect(screen).toEqual([`order:${no(1)}`, `order:${no(0)}`, ...Array.from({ length: 20 }, (_, i) => `order:${no(39 - i)}`)]);
    expect([...rest!].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `order:${no(12 + i)}`));
    expect(more).toEqual([]);
    store.dispose();
  });

  it('are validated before the store uses them', async () => {
    await fakeBrowser.storage.local.set({ [`order:${A}`]: record(A, 'intercepting'), [`order:${B}`]: { version: 2, orderNo: B, state: 'nonsense' } });
    localStorage.setItem(HINT_KEY, encodeHint([record(A, 'intercepting'), record(B, 'issued')]));
    startEarlyReads();
    const store = createOrderStore(browserReader);
    const orders = await store.whenComplete();
    expect([...orders.keys()]).toEqual([A]); // B is no record: zod turned it away
    store.dispose();
  });

  it('lose no change made between them and the store: the newer value shows', async () => {
    await fakeBrowser.storage.local.set({ [`order:${A}`]: record(A, 'intercepting'), [`order:${B}`]: record(B, 'intercepting') });
    localStorage.setItem(HINT_KEY, encodeHint([record(A, 'intercepting'), record(B, 'intercepting')]));
    startEarlyReads();
    await fakeBrowser.storage.local.set({ [`order:${A}`]: record(A, 'intercepted') });
    await fakeBrowser.storage.local.remove(`order:${B}`);
    const store = createOrderStore(browserReader);
    const orders = await store.whenComplete();
    expect(orders.get(A)?.state).toBe('intercepted');
    expect(orders.has(B)).toBe(false);
    store.dispose();
  });
});
