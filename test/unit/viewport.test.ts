// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchViewport } from '@/utils/content/viewport';

/** The callback the watcher gave the (stubbed) IntersectionObserver. */
let deliver: (entries: Partial<IntersectionObserverEntry>[]) => void = () => undefined;

function stubObserver() {
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      constructor(callback: (entries: Partial<IntersectionObserverEntry>[]) => void) {
        deliver = callback;
      }
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
}

const entry = (target: Element, top: number, intersecting = true): Partial<IntersectionObserverEntry> => ({
  target,
  isIntersecting: intersecting,
  intersectionRect: { top, bottom: top + 20 } as DOMRectReadOnly,
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('watchViewport', () => {
  it('reports each target as near, and in view when its box is within the viewport height', () => {
    stubObserver();
    vi.spyOn(window, 'innerHeight', 'get').mockReturnValue(800);
    const report = vi.fn();
    watchViewport(report);
    const [a, b, c] = [document.createElement('a'), document.createElement('b'), document.createElement('i')];
    deliver([entry(a, 100), entry(b, 900), entry(c, 0, false)]);
    expect(report).toHaveBeenCalledWith([
      { target: a, near: true, inView: true },
      { target: b, near: true, inView: false },
      { target: c, near: false, inView: false },
    ]);
  });

  it('drops a report that arrives while the tab closes (Firefox: innerHeight throws NS_ERROR_UNEXPECTED)', () => {
    stubObserver();
    vi.spyOn(window, 'innerHeight', 'get').mockImplementation(() => {
      throw new Error('NS_ERROR_UNEXPECTED');
    });
    const report = vi.fn();
    watchViewport(report);
    expect(() => deliver([entry(document.createElement('a'), 100)])).not.toThrow();
    expect(report).not.toHaveBeenCalled();
  });
});
