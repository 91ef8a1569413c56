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
const local = fakeBrowser.storage.local as unknown as { getKeys?: () => Promise<string[]> };

describe('early reads of the popup', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    takeChangesMeanwhile();
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
