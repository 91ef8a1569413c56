/**
 * The sandbox's portal side (GET only): the hand-written portal page (portal.ts), the pages built
 * with real Vue table libraries (portals/), and the order data both read (`/portal/api/orders`),
 * with each order's live status.
 */
import type http from 'node:http';
import { ORDERS, findOrder, type OrderStatus, type SandboxOrder } from './catalogue';
import type { AtripState } from './atrip-state';
import { HttpReply, send } from './http';
import { PORTAL_HTML } from './portal';
import { servePortals } from './portals';

const STATUS_LABEL_ZH: Record<OrderStatus, string> = { '0': '待支付', '1': '待出票', '2': '已出票', '-3': '已取消' };

function portalOrder(state: AtripState, order: SandboxOrder) {
  return {
    orderNo: order.orderNo,
    route: order.route,
    from: order.from,
    to: order.to,
    flightNo: order.flightNo,
    departureDate: order.departureDate,
    passengers: order.passengers,
    orderStatus: state.statusOf(order),
    orderStatusText: STATUS_LABEL_ZH[state.statusOf(order)],
    createdAt: order.createdAt,
    pnr: order.pnr,
  };
}

function intParam(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null ? NaN : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function portalApi(state: AtripState, path: string, query: URLSearchParams): HttpReply {
  if (path === '/portal/api/orders') {
    const pageSize = intParam(query.get('pageSize'), 30, 1, 5000);
    const total = ORDERS.length;
    const totalPages = Math.max(1, Math.ceil(total / pageSize));
    const page = intParam(query.get('page'), 1, 1, totalPages);
    const orders = ORDERS.slice((page - 1) * pageSize, page * pageSize).map((order) => portalOrder(state, order));
    return HttpReply.json({ page, pageSize, total, totalPages, orders });
  }
  const detail = /^\/portal\/api\/orders\/([^/]+)$/.exec(path);
  if (detail) {
    const order = findOrder(decodeURIComponent(detail[1]!));
    return order ? HttpReply.json(portalOrder(state, order)) : HttpReply.json({ error: 'Order not found' }, 404);
  }
  return HttpReply.json({ error: 'Not found' }, 404);
}

/** Answers a GET of the portal side; false when the path is none of its (the caller answers 404). */
export function servePortalSide(state: AtripState, url: URL, res: http.ServerResponse): boolean {
  const path = url.pathname;
  if (path === '/' || path === '/portal') {
    res.writeHead(302, { location: '/portal/' });
    res.end();
    return true;
  }
  if (path === '/portal/' || path === '/portal/index.html') {
    send(res, HttpReply.html(PORTAL_HTML));
    return true;
  }
  if (path.startsWith('/portal/api/')) {
    send(res, portalApi(state, path, url.searchParams));
    return true;
  }
  return (path === '/portals' || path.startsWith('/portals/')) && servePortals(path, res);
}
