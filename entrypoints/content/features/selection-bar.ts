/**
 * Feature: the floating "Stop N selected" bar of the multi-select. Put into the page the first time
 * something is selected (most pages never need it: nothing to render at start-up).
 */
import { mountSelectionBar, type ControlEnvironment } from '@/components/control/mount';

export function init(signal: AbortSignal, env: ControlEnvironment): void {
  let remove: (() => void) | null = null;
  const unsubscribe = env.store.subscribeSelection(() => {
    if (remove || signal.aborted || env.store.selection().length === 0) return;
    remove = mountSelectionBar(env);
  });
  signal.addEventListener(
    'abort',
    () => {
      unsubscribe();
      remove?.();
    },
    { once: true },
  );
}
