/**
 * Feature: the controls follow the "configured" flag. The agent may save the options in another tab:
 * ask again when this tab becomes visible or focused. Only `isConfigured()` is read, never a setting.
 */
import type { ControlEnvironment } from '@/components/control/mount';

export function init(signal: AbortSignal, env: ControlEnvironment): void {
  const refresh = () => {
    if (document.visibilityState === 'visible') void env.store.refreshConfigured();
  };
  document.addEventListener('visibilitychange', refresh, { signal });
  window.addEventListener('focus', refresh, { signal });
}
