/** Feature: a stop control beside every order number of the page, kept up to date as the page changes. */
import { mountControl, warmUp, type ControlEnvironment } from '@/components/control/mount';
import { startOrderScanner, type OrderScanner, type ScannerOptions } from '@/utils/content/order-scanner';

/** `options`: the scanner's defaults replaced (tests). */
export function init(signal: AbortSignal, env: ControlEnvironment, options: Partial<ScannerOptions> = {}): OrderScanner {
  const scanner: OrderScanner = startOrderScanner(signal, {
    mount: (occurrence) => mountControl(occurrence, (host) => scanner.isCurrent(host), env),
    ...options,
  });
  return scanner;
}

/**
 * One control made off the page while it loads its rows (`warmUp`): the first real ones must be
 * cheap to make. The entry point runs it in an idle moment (within 50 ms), after the page's own
 * tasks: portals fetch their rows after load, which leaves idle time before them. (A page that put
 * its rows in before would get its first controls made cold: a slower first slice, nothing wrong.)
 */
export function prepare(signal: AbortSignal, env: ControlEnvironment): void {
  if (!signal.aborted) warmUp(env);
}
