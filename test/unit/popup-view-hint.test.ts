import { describe, expect, it } from 'vitest';
import { decodeHint, encodeHint, firstScreen, hintedInProgress } from '@/utils/popup/logic/view-hint';
import { record, T0 } from './fixtures';

const no = (n: number) => `TESTD20261126090000${String(n).padStart(3, '0')}`;

describe('popup view hint', () => {
  it('round-trips which orders there were, when requested, and which were in progress', () => {
    const text = encodeHint([record(no(1), 'intercepting', { requestedAt: T0 + 5 }), record(no(2), 'issued', { requestedAt: T0 })]);
    expect(decodeHint(text)).toEqual(
      new Map([
        [no(1), { requestedAt: T0 + 5, inProgress: true }],
        [no(2), { requestedAt: T0, inProgress: false }],
      ]),
    );
    expect(decodeHint(encodeHint([]))).toEqual(new Map());
  });

  it('is no hint when missing, of another version, or damaged', () => {
    for (const text of [null, '', 'v0\nTESTD20261126090000001 1 1', `v1\n${no(1)} 1 2`, `v1\n${no(1)} soon 1`, 'v1\nnot-an-order 1 1', '{"v":1}']) {
      expect(decodeHint(text), String(text)).toBeNull();
    }
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
