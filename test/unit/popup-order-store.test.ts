import { describe, expect, it, vi } from 'vitest';
import { createOrderStore, type OrderReader } from '@/utils/popup/order-store';
import { encodeHint } from '@/utils/popup/logic/view-hint';
import type { TrackedOrder } from '@/utils/shared/logic/record';
import { record, T0 } from './fixtures';

const no = (n: number) => `TESTE20261126090000${String(n).padStart(3, '0')}`;

/** A reader over a plain map; each read waits for `release()` when `hold` is set. */
function fakeReader(records: TrackedOrder[], hint: string | null) {
  const data = new Map(records.map((r) => [r.orderNo, r]));
  let emit: (orderNo: string, record: TrackedOrder | null) => void = () => undefined;
  const gates: (() => void)[] = [];
  let hold = false;
  const gate = () => (hold ? new Promise<void>((resolve) => gates.push(resolve)) : Promise.resolve());
  const reader: OrderReader = {
    orderNumbers: async () => [...data.keys()],
    read: vi.fn(async (orderNos: readonly string[]) => {
      const found = orderNos.map((n) => data.get(n)).filter((r): r is TrackedOrder => !!r);
      await gate();
      return found;
    }),
    readAll: vi.fn(async () => {
      const all = [...data.values()];
      await gate();
      return all;
    }),
    watch: (callback) => ((emit = callback), () => (emit = () => undefined)),
    loadHint: () => hint,
    saveHint: vi.fn(),
    afterPaint: () => Promise.resolve(),
  };
  return {
    reader,
    data,
    holdReads: () => (hold = true),
    release: () => gates.splice(0).forEach((go) => go()),
    change(r: TrackedOrder | null, orderNo = r!.orderNo) {
      if (r) data.set(orderNo, r);
      else data.delete(orderNo);
      emit(orderNo, r);
    },
  };
}

describe('popup order store', () => {
  it('keeps a change that arrives while the records are read: the change is newer than the read', async () => {
    const old = record(no(1), 'intercepting', { requestedAt: T0 });
    const fake = fakeReader([old, record(no(2), 'issued')], null);
    fake.holdReads();
    const store = createOrderStore(fake.reader);
    await Promise.resolve();
    fake.change(record(no(1), 'intercepted', { requestedAt: T0, finishedAt: T0 + 1 }));
    fake.change(null, no(2));
    fake.release();
    await store.whenComplete();
    expect(store.get().orders.get(no(1))!.state).toBe('intercepted');
    expect(store.get().orders.has(no(2))).toBe(false);
    expect(store.get()).toMatchObject({ loaded: true, complete: true, total: 1 });
    expect(fake.reader.saveHint).toHaveBeenCalledTimes(1);
  });

  it('with a hint: the first screen is published before the rest is read, with the total already known', async () => {
    const records = Array.from({ length: 250 }, (_, i) => record(no(i), i < 5 ? 'intercepting' : 'issued', { requestedAt: T0 + i }));
    const fake = fakeReader(records, encodeHint(records));
    const store = createOrderStore(fake.reader, 10);
    const seen: { size: number; complete: boolean; total: number; inProgressTotal?: number }[] = [];
    store.subscribe((s) => seen.push({ size: s.orders.size, complete: s.complete, total: s.total, inProgressTotal: s.inProgressTotal }));
    await store.whenComplete();
    // The rows of the first render (FIRST_VIEW: the 5 in progress, the 5 newest finished), counted by
    // the hint; then the rest of the first screen (10 finished), counted by the records; then all.
    expect(seen[0]).toEqual({ size: 10, complete: false, total: 250, inProgressTotal: 5 });
    expect(seen[1]).toEqual({ size: 15, complete: false, total: 250, inProgressTotal: undefined });
    expect(seen.at(-1)).toEqual({ size: 250, complete: true, total: 250, inProgressTotal: undefined });
    expect(fake.reader.readAll).not.toHaveBeenCalled();
  });

  it('shows what it has, and says why on the console, when storage cannot be read', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = fakeReader([], null);
    vi.mocked(fake.reader.readAll).mockRejectedValue(new Error('Extension context invalidated.'));
    const store = createOrderStore(fake.reader);
    await store.whenComplete();
    expect(store.get()).toMatchObject({ loaded: true, complete: true, total: 0 });
    expect(String(error.mock.calls[0]?.[1])).toContain('Extension context invalidated');
    expect(fake.reader.saveHint).not.toHaveBeenCalled();
  });

  it('stops publishing once disposed', async () => {
    const fake = fakeReader([record(no(1), 'issued')], null);
    fake.holdReads();
    const store = createOrderStore(fake.reader);
    const listener = vi.fn();
    store.subscribe(listener);
    store.dispose();
    fake.release();
    await store.whenComplete();
    expect(listener).not.toHaveBeenCalled();
    expect(fake.reader.saveHint).not.toHaveBeenCalled();
  });
});
