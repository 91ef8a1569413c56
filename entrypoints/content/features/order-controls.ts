/** Feature: a stop control beside every order number of the page, kept up to date as the page changes. */
import { mountControl, type ControlEnvironment } from '@/components/control/mount';
import { startOrderScanner, type OrderScanner } from '@/utils/page/order-scanner';

export function init(signal: AbortSignal, env: ControlEnvironment): OrderScanner {
  const scanner: OrderScanner = startOrderScanner(signal, {
    mount: (occurrence) => mountControl(occurrence.orderNo, (host) => scanner.isCurrent(host), env),
  });
  return scanner;
}
