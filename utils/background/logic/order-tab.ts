/**
 * Which tab shows an order, and which page to open for it (pure, for tests). A tab "shows" an
 * order when it is on a portal origin at the order's detail route, `#/order/detail/<no>[/<lang>]`:
 * the URL says so without asking the page, and `tabs.query` returns the URL of every tab on an
 * origin the extension has host access to (every portal: its content script runs there) without
 * the `tabs` permission. A list page that merely contains the order among others is not taken for
 * it: the agent who clicks an outcome wants the order, not a list to search again.
 */
import { isOrderNumber, portalDetailUrl } from '../../shared/logic/order-number';

export interface TabInfo {
  id?: number;
  windowId?: number;
  /** Present only for tabs on origins the extension has host access to. */
  url?: string;
  active?: boolean;
  lastAccessed?: number;
}

const DETAIL_ROUTE = /^#\/order\/detail\/([^/?#]+)(?:[/?]|$)/;

/** The order whose detail page a URL shows, or null. */
export function orderShownBy(url: string): string | null {
  let hash: string;
  try {
    hash = new URL(url).hash;
  } catch {
    return null;
  }
  const match = DETAIL_ROUTE.exec(hash);
  const orderNo = match ? decodeURIComponent(match[1]!) : null;
  return isOrderNumber(orderNo) ? orderNo : null;
}

/** An http(s) URL's origin, or null. */
export function originOf(url: string): string | null {
  try {
    const { protocol, origin } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? origin : null;
  } catch {
    return null;
  }
}

/**
 * The open tab to bring forward for the order: one on a portal origin at the order's detail page;
 * of several, the one on the portal where the order was stopped, then the one used last.
 */
export function findOrderTab(
  tabs: readonly TabInfo[],
  orderNo: string,
  isPortal: (origin: string, url: string) => boolean,
  stoppedOn?: string,
): TabInfo | undefined {
  const home = stoppedOn ? originOf(stoppedOn) : null;
  const candidates = tabs.filter((tab) => {
    if (tab.id === undefined || !tab.url) return false;
    const origin = originOf(tab.url);
    return origin !== null && isPortal(origin, tab.url) && orderShownBy(tab.url) === orderNo;
  });
  const rank = (tab: TabInfo) => [originOf(tab.url!) === home ? 1 : 0, tab.active ? 1 : 0, tab.lastAccessed ?? 0];
  return candidates.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
  })[0];
}

/**
 * The order's detail page on the portal where it was stopped (its origin and path: the ATRIP
 * portal, a white-label one, a sandbox under `/portal/`), else on the ATRIP portal; in the
 * agent's language.
 */
export function orderDetailUrl(orderNo: string, stoppedOn: string | undefined, lang: 'zh' | 'en'): string {
  if (stoppedOn && originOf(stoppedOn)) {
    const url = new URL(stoppedOn);
    url.search = '';
    url.hash = `/order/detail/${orderNo}/${lang}`;
    return url.href;
  }
  return portalDetailUrl(orderNo, lang);
}
