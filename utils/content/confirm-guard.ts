/**
 * When an open confirmation may take input: after CONFIRM_DELAY_MS on show (unoccluded, where
 * IntersectionObserver v2 can tell), and, for a key press, only when the agent's own Tab key or
 * pointer put the focus on Confirm. Listens in the content script's own world: page scripts can
 * neither forge trusted events nor see these listeners.
 */
import { CONFIRM_DELAY_MS, type ActivationContext } from './activation';

/** IntersectionObserver v2 (`trackVisibility`): Chromium has it, Firefox not (computed style and hit-testing then). */
const TRACKS_VISIBILITY = typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
/** A focus that follows the agent's own Tab key or pointer press within this long is the agent's. */
const FOCUS_FOLLOWS_MS = 300;

export interface ConfirmGuard {
  /** The confirmation is on show. */
  open(pop: HTMLElement): void;
  /** It closed: every listener and timer goes. */
  close(): void;
  /** Confirm got the focus: note whether the agent moved it there. */
  focused(): void;
  /** What the activation check needs to know of the confirmation. */
  evidence(): Pick<ActivationContext, 'trackedVisible' | 'focusByAgent' | 'shownForMs'>;
}

/** `setReady` is told when Confirm may take input (true) and when it may not any more (false). */
export function createConfirmGuard(setReady: (ready: boolean) => void): ConfirmGuard {
  /** When the confirmation came (back) on show; null while closed or occluded. */
  let shownAt: number | null = null;
  let readyTimer: ReturnType<typeof setTimeout> | undefined;
  let observer: IntersectionObserver | null = null;
  let trackedVisible: boolean | null = null;
  /** The agent's last own Tab key or pointer press while the confirmation is open (trusted events only). */
  let agentMovedAt = -Infinity;
  let focusByAgent = false;
  let unlisten: (() => void) | null = null;

  const markShown = (at: number | null) => {
    shownAt = at;
    clearTimeout(readyTimer);
    setReady(false);
    if (at !== null) readyTimer = setTimeout(() => setReady(true), CONFIRM_DELAY_MS);
  };

  return {
    open(pop) {
      markShown(performance.now());
      const onKey = (event: KeyboardEvent) => {
        if (event.isTrusted && event.key === 'Tab') agentMovedAt = performance.now();
      };
      const onPointer = (event: PointerEvent) => {
        if (event.isTrusted) agentMovedAt = performance.now();
      };
      addEventListener('keydown', onKey, true);
      addEventListener('pointerdown', onPointer, true);
      unlisten = () => {
        removeEventListener('keydown', onKey, true);
        removeEventListener('pointerdown', onPointer, true);
      };
      if (!TRACKS_VISIBILITY) return;
      observer = new IntersectionObserver(
        (entries) => {
          const visible = (entries.at(-1) as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === true;
          if (visible && trackedVisible !== true) markShown(performance.now());
          if (!visible) markShown(null);
          trackedVisible = visible;
        },
        { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
      );
      observer.observe(pop);
    },
    close() {
      clearTimeout(readyTimer);
      observer?.disconnect();
      observer = null;
      trackedVisible = null;
      shownAt = null;
      unlisten?.();
      unlisten = null;
      focusByAgent = false;
    },
    focused() {
      focusByAgent = performance.now() - agentMovedAt < FOCUS_FOLLOWS_MS;
    },
    evidence: () => ({ trackedVisible, focusByAgent, shownForMs: shownAt === null ? 0 : performance.now() - shownAt }),
  };
}
