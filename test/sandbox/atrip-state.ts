/**
 * What the simulated ATRIP knows and remembers: its credentials and timings, the stops it accepted,
 * the calls served per order (the scenarios' one-shot counters) and the test's overrides; from
 * these, each order's status now. Shared by the `.do` API and the portal's order data.
 */
import { LOST_ANSWER_MIN_SECONDS, type OrderStatus, type SandboxOrder } from './catalogue';

/** What a counter counts: calls of an endpoint, or what a gateway answers before ATRIP (whatever the endpoint). */
export type Counter = 'stop' | 'query' | 'gateway';

export class AtripState {
  /** orderNo → time the first accepted stop arrived. */
  readonly stopAcceptedAt = new Map<string, number>();
  /** Calls served per order and endpoint since start/reset. */
  private readonly served = new Map<string, number>();
  /** What ATRIP says about an order regardless of its scenario (setOrderStatus). */
  private readonly overrides = new Map<string, OrderStatus>();

  constructor(
    readonly clientId: string,
    /** null = the secret is not checked (company-proxy mode). */
    readonly clientSecret: string | null,
    /** Seconds between an accepted stop and its outcome. */
    public interceptSeconds: number,
    /** Delay of every .do reply for the `slow` scenario. */
    public slowReplyMs: number,
  ) {}

  /** Counts this call of the order's endpoint; returns how many came before it. */
  nth(orderNo: string, counter: Counter): number {
    const key = `${orderNo} ${counter}`;
    const before = this.served.get(key) ?? 0;
    this.served.set(key, before + 1);
    return before;
  }

  statusOf(order: SandboxOrder, now = Date.now()): OrderStatus {
    const override = this.overrides.get(order.orderNo);
    if (override !== undefined) return override;
    const at = this.stopAcceptedAt.get(order.orderNo);
    if (at === undefined || order.outcome === null) return order.baseStatus;
    const seconds = order.scenario === 'lostAnswer' ? Math.max(this.interceptSeconds, LOST_ANSWER_MIN_SECONDS) : this.interceptSeconds;
    if (now >= at + seconds * 1000) return order.outcome;
    return order.baseStatus;
  }

  setOrderStatus(orderNo: string, status: OrderStatus | null) {
    if (status === null) this.overrides.delete(orderNo);
    else this.overrides.set(orderNo, status);
  }

  /** Forgets the stops, the counters and the overrides. */
  reset() {
    this.stopAcceptedAt.clear();
    this.served.clear();
    this.overrides.clear();
  }
}
