/** Feature: a stop control beside every order number of the page, kept up to date as the page changes. */
import { mountControl, warmUp, type ControlEnvironment } from '@/components/control/mount';
import { startOrderScanner, type OrderScanner, type ScannerOptions } from '@/utils/content/order-scanner';

/** `options`: the scanner's defaults replaced (tests). */
export function init(signal: AbortSignal, env: ControlEnvironment, options: Partial<ScannerOptions> = {}): OrderScanner {
  const scanner: OrderScanner = startOrderScanner(signal, {
    mount: (occurrence) => mountControl(occurrence, (host) => scanner.isCurrent(host), env),
    ...options,
  });
  // While the page is still loading its rows (idle time): the first controls must be cheap to make.
  const whenIdle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 0));
  whenIdle(() => {
    if (!signal.aborted) warmUp(env);
  });
  return scanner;
}
