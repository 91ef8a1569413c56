/** Which order numbers are near the viewport: an IntersectionObserver with a look-ahead margin. */
import type { Nearness } from './schedule';

export interface ViewportWatcher {
  observe(target: Element): void;
  unobserve(target: Element): void;
  disconnect(): void;
}

export type WatchViewport = (report: (changes: Nearness[]) => void) => ViewportWatcher;

/**
 * The viewport's height; null while the document is being torn down: Firefox still delivers
 * IntersectionObserver reports to a closing tab, where reading `innerHeight` throws
 * `NS_ERROR_UNEXPECTED` (seen in CI as an uncaught error of the content script).
 */
function viewportHeight(): number | null {
  try {
    return innerHeight;
  } catch {
    return null;
  }
}

/**
 * One viewport height of look-ahead above and below (`scrollMargin` does the same inside scrolling
 * tables where the browser supports it): controls are usually there before the rows scroll in.
 */
export const watchViewport: WatchViewport = (report) => {
  const observer = new IntersectionObserver(
    (entries) => {
      const height = viewportHeight();
      if (height === null) return; // the tab is closing: nothing to mount
      report(
        entries.map((entry) => {
          // Clipped by scrolling ancestors: a priority hint only (in view goes first).
          const r = entry.intersectionRect;
          return { target: entry.target, near: entry.isIntersecting, inView: entry.isIntersecting && r.bottom > 0 && r.top < height };
        }),
      );
    },
    { rootMargin: '100% 0px', scrollMargin: '100% 0px' } as IntersectionObserverInit,
  );
  return {
    observe: (target) => observer.observe(target),
    unobserve: (target) => observer.unobserve(target),
    disconnect: () => observer.disconnect(),
  };
};
