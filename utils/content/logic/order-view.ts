/** Pure helpers of the in-page control (unit-tested). */
import { isFinal, type OrderState } from '@/utils/shared/logic/states';
import type { TrackedOrder } from '@/utils/shared/logic/record';

/**
 * What a page knows of an order's record: all of it but the history (the popup shows that). The
 * content script, which every portal page loads, neither reads nor checks the history's entries.
 */
export type PageRecord = Omit<TrackedOrder, Extract<keyof TrackedOrder, `history${string}`>>;

/** The background's reply to a page's request, as the page reads it. */
export type PageResponse = { ok: true; record?: PageRecord; configured?: boolean } | { ok: false; error: string };

/** What a control shows, and writes to its host's `data-state` (shared/contract.md). */
export type ControlState = 'idle' | OrderState;

export interface OrderView {
  /** The stored record of the order; null when it is not tracked (or not loaded yet). */
  record: PageRecord | null;
  /** A stop message from this page is on its way to the background. */
  sending: boolean;
  /** The background could not be asked (`sendRequest` answered `{ ok: false }`). */
  sendError: string | null;
  /** Ticked in the multi-select. */
  selected: boolean;
  /** Nothing has happened to the order since the page was loaded (its record is as first read): not news. */
  initial: boolean;
}

/**
 * The state word of a control. A failed send shows as `error` (nothing was tracked, the agent can
 * retry); a send under way shows as `requesting` until the stored record says more.
 */
export function controlState(view: Pick<OrderView, 'record' | 'sending' | 'sendError'>): ControlState {
  if (view.sendError !== null) return 'error';
  if (view.sending && (!view.record || isFinal(view.record.state))) return 'requesting';
  return view.record?.state ?? 'idle';
}

/**
 * The portal's detail page of an order, on the portal the agent is on: the same origin and path
 * (`https://www.atriptech.com/` or a sandbox's `/portal/`), hash route `#/order/detail/<no>/<lang>`.
 */
export function orderPageUrl(orderNo: string, pageHref: string, lang: 'en' | 'zh'): string {
  const url = new URL(pageHref);
  url.hash = `/order/detail/${orderNo}/${lang}`;
  return url.href;
}
