import { describe, expect, it } from 'vitest';
import { decodeHint, encodeHint, firstScreen, hintedInProgress, hintFirstScreen } from '@/utils/popup/logic/view-hint';
import { record, T0 } from './fixtures';

const no = (n: number) => `TESTD20261126090000${String(n).padStart(3, '0')}`;

describe('popup view hint', () => {
  it('round-trips which orders there were and which were in progress, in the popup’s order', () => {
    const text = encodeHint([
      record(no(1), 'issued', { requestedAt: T0 }),
      record(no(2), 'intercepting', { requestedAt: T0 + 5 }),
      record(no(3), 'intercepted', { requestedAt: T0 + 9 }),
      record(no(4), 'requesting', { requestedAt: T0 + 1 }),
    ]);
    // In progress newest first, then finished newest first (Map order).
    expect([...decodeHint(text)!]).toEqual([
      [no(2), { inProgress: true }],
      [no(4), { inProgress: true }],
      [no(3), { inProgress: false }],
      [no(1), { inProgress: false }],
    ]);
    expect(decodeHint(encodeHint([]))).toEqual(new Map());
  });

  it('is no hint when missing, of another version, or damaged', () => {
    for (const text of [
      null,
      '',
      `v1\n${no(1)} ${T0} 1`,
      `v2\n${no(1)} 2`,
      `v2\n${no(1)}  1`,
      `v2\n${no(1)}1`,
      'v2\nnot-an-order 1',
      `v2\n${no(1)} 0\n${no(2)} 1`, // in progress after a finished one: not written by encodeHint
      '{"v":2}',
    ]) {
      expect(decodeHint(text), String(text)).toBeNull();
      expect(hintFirstScreen(text, 5), String(text)).toBeNull();
    }
  });

  it('gives the first screen from its first lines, as firstScreen gives it from the whole hint', () => {
    const records = Array.from({ length: 30 }, (_, i) => record(no(i), i % 3 === 0 ? 'intercepting' : 'issued', { requestedAt: T0 + ((i * 7) % 30) }));
    const text = encodeHint(records);
    const hint = decodeHint(text)!;
    for (const page of [0, 1, 5, 20, 40]) expect(hintFirstScreen(text, page)).toEqual(firstScreen(hint, [...hint.keys()], page));
    expect(hintFirstScreen(text, 2)).toHaveLength(10 + 2);
    // A damaged line past the first screen: the first lines are still read; the whole hint is none.
    expect(hintFirstScreen(`${text}\nnot-an-order 0`, 2)).toHaveLength(12);
    expect(decodeHint(`${text}\nnot-an-order 0`)).toBeNull();
  });

  it('puts on the first screen every order in progress, every order it does not know, and the newest finished ones', () => {
    const hint = decodeHint(
      encodeHint([
        record(no(1), 'intercepting', { requestedAt: T0 + 1 }),
        record(no(2), 'intercepted', { requestedAt: T0 + 2 }),
        record(no(3), 'issued', { requestedAt: T0 + 3 }),
        record(no(4), 'unknown', { requestedAt: T0 + 4 }),
        record(no(5), 'requesting', { requestedAt: T0 + 5 }),
      ]),
    )!;
    // no(5) is gone since; no(6) is new.
    const existing = [no(1), no(2), no(3), no(4), no(6)];
    // In the popup's order: in progress newest first (the new one taken as the newest), then finished newest first.
    expect(firstScreen(hint, existing, 2)).toEqual([no(6), no(1), no(4), no(3)]);
    expect(firstScreen(hint, existing, 0)).toEqual([no(6), no(1)]);
    expect(firstScreen(hint, existing, 10)).toEqual([no(6), no(1), no(4), no(3), no(2)]);
    expect(hintedInProgress(hint, existing)).toBe(2);
    // A record read says better than the hint: no(6) is finished, no(3) in progress again.
    const read = new Map([[no(6), { state: 'issued' as const }], [no(3), { state: 'requesting' as const }]]);
    expect(hintedInProgress(hint, existing, read)).toBe(2);
    expect(hintedInProgress(hint, [no(2), no(3), no(6)], read)).toBe(1);
  });
});
