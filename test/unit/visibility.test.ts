import { describe, expect, it } from 'vitest';
import { CONFIRM_DELAY_MS, decideActivation } from '@/utils/content/activation';
import { judgeVisibility, transformScale, type StyleFacts, type VisibilityFacts } from '@/utils/content/visibility';

const plain: StyleFacts = { opacity: '1', visibility: 'visible', display: 'inline-block', transform: 'none', filter: 'none', clipPath: 'none' };
const facts = (change: Partial<VisibilityFacts> = {}, chain: Partial<StyleFacts>[] = [{}, {}, {}]): VisibilityFacts => ({
  hostStyleIntact: true,
  hostPosition: 'static',
  chain: chain.map((c) => ({ ...plain, ...c })),
  box: { left: 100, top: 100, width: 80, height: 24 },
  viewport: { width: 1280, height: 900 },
  hitsHost: true,
  trackedVisible: null,
  ...change,
});

describe('judgeVisibility', () => {
  it('takes a plainly visible control', () => {
    expect(judgeVisibility(facts())).toBeNull();
    expect(judgeVisibility(facts({ trackedVisible: true, hostPosition: 'relative' }))).toBeNull();
    expect(judgeVisibility(facts({}, [{}, { opacity: '0.95' }, { transform: 'matrix(1, 0, 0, 1, 20, 0)' }]))).toBeNull();
  });

  it("refuses the overlay trick: the host's style rewritten, moved out of the flow", () => {
    expect(judgeVisibility(facts({ hostStyleIntact: false }))).toBe('hidden');
    for (const hostPosition of ['fixed', 'absolute', 'sticky']) expect(judgeVisibility(facts({ hostPosition }))).toBe('hidden');
  });

  it('refuses a transparent, hidden, scaled-away or clipped control or ancestor', () => {
    expect(judgeVisibility(facts({}, [{}, { opacity: '0' }]))).toBe('hidden');
    expect(judgeVisibility(facts({}, [{}, { opacity: '0.95' }, { opacity: '0.9' }]))).toBe('hidden'); // 0.855 overall
    expect(judgeVisibility(facts({}, [{}, {}, { filter: 'opacity(0.1)' }]))).toBe('hidden');
    expect(judgeVisibility(facts({}, [{}, { filter: 'blur(4px)' }]))).toBe('hidden');
    expect(judgeVisibility(facts({}, [{ visibility: 'hidden' }]))).toBe('hidden');
    expect(judgeVisibility(facts({}, [{}, {}, { display: 'none' }]))).toBe('hidden');
    expect(judgeVisibility(facts({}, [{}, { transform: 'matrix(0.01, 0, 0, 0.01, 0, 0)' }]))).toBe('hidden');
    expect(judgeVisibility(facts({}, [{}, { clipPath: 'inset(50%)' }]))).toBe('hidden');
    expect(judgeVisibility(facts({ box: { left: 0, top: 0, width: 1, height: 1 } }))).toBe('hidden');
    expect(judgeVisibility(facts({ box: { left: -500, top: 10, width: 80, height: 24 } }))).toBe('hidden');
  });

  it('refuses a covered control: something else on top at the point, or IntersectionObserver v2 says occluded', () => {
    expect(judgeVisibility(facts({ hitsHost: false }))).toBe('covered');
    expect(judgeVisibility(facts({ trackedVisible: false }))).toBe('covered');
  });
});

describe('transformScale', () => {
  it('reads 2D and 3D matrices', () => {
    expect(transformScale('none')).toBe(1);
    expect(transformScale('matrix(2, 0, 0, 2, 0, 0)')).toBe(2);
    expect(transformScale('matrix(0, 0, 0, 0, 0, 0)')).toBe(0);
    expect(transformScale('matrix3d(0.1, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)')).toBeCloseTo(0.1);
    expect(transformScale('garbage(1)')).toBe(0);
  });
});

describe('decideActivation: the one verdict on an activation', () => {
  const ok = { trusted: true, current: true, keyboard: false, invisibility: null } as const;
  it('takes a trusted, current, visible activation', () => {
    expect(decideActivation(ok)).toBeNull();
    expect(decideActivation({ ...ok, keyboard: true, focusByAgent: true, shownForMs: CONFIRM_DELAY_MS })).toBeNull();
  });
  it('refuses, in this order: a page script, a control no longer beside its number, a confirmation too new, Enter on a focus the page moved, an invisible control', () => {
    expect(decideActivation({ ...ok, trusted: false, current: false })).toBe('untrusted');
    expect(decideActivation({ ...ok, current: false, invisibility: 'hidden' })).toBe('stale');
    expect(decideActivation({ ...ok, shownForMs: CONFIRM_DELAY_MS - 1 })).toBe('too-soon');
    expect(decideActivation({ ...ok, keyboard: true, focusByAgent: false })).toBe('focus-moved');
    expect(decideActivation({ ...ok, keyboard: false, focusByAgent: false })).toBeNull(); // a pointer click: where the pointer was
    expect(decideActivation({ ...ok, invisibility: 'covered' })).toBe('covered');
  });
});
