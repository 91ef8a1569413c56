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
 * cheap to make. The entry point runs it in a task of its own right after `init`'s, before any task
 * the page queued meanwhile: a page that goes from its scripts straight into rendering (Element UI:
 * one task of ~1 s that puts the rows in) leaves no idle time, nor a later turn, before its rows.
 */
export function prepare(signal: AbortSignal, env: ControlEnvironment): void {
  if (!signal.aborted) warmUp(env);
}
