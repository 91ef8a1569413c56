/*
 * What the sandbox's library-built portals share: the hash routes, the data from the sandbox's
 * /portal/api/orders, labels and the search highlighting. Plain browser JS (no build step): it is
 * served as is, like the libraries' own prebuilt bundles. Exposes `window.SandboxPortal`.
 */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var pageSize = parseInt(params.get('pageSize') || '30', 10);
  if (!(pageSize > 0)) pageSize = 30;
  /** The portal's XHRs: the content appears a little after the request, as on a real portal. */
  var RENDER_DELAY = 100;

  var STATUS = {
    zh: { '0': '待支付', '1': '待出票', '2': '已出票', '-3': '已取消' },
    en: { '0': 'Unpaid', '1': 'Awaiting ticketing', '2': 'Ticketed', '-3': 'Cancelled' },
  };
  var STATUS_TYPE = { '0': 'warning', '1': 'primary', '2': 'success', '-3': 'info' };
  var LABELS = {
    zh: {
      title: '订单详情', orderNo: '订单号', status: '订单状态', route: '航程', flight: '航班', date: '出发日期',
      passengers: '乘客', pnr: '航司编码', created: '创建时间', stop: '停止出票', back: '返回订单列表',
      notFound: '订单不存在', contact: '请联系客服', related: '关联订单', remark: '备注', crumbs: '订单中心 / 我的订单 / 订单详情',
    },
    en: {
      title: 'Booking Details', orderNo: 'Order No.', status: 'Status', route: 'Route', flight: 'Flight', date: 'Departure',
      passengers: 'Passengers', pnr: 'PNR', created: 'Created', stop: 'Stop Ticket Issuance', back: 'Back to list',
      notFound: 'Order not found', contact: '请联系客服 (please contact customer service)', related: 'Related orders', remark: 'Remark',
      crumbs: 'Bookings / My Bookings / Booking Details',
    },
  };

  function delayed(value) {
    return new Promise(function (resolve) { setTimeout(function () { resolve(value); }, RENDER_DELAY); });
  }

  function getJson(url) {
    return fetch(url, { headers: { accept: 'application/json' } }).then(function (r) {
      if (r.status === 404) return null;
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(delayed);
  }

  /** `{ name: 'list', page }`, `{ name: 'virtual' }` or `{ name: 'detail', orderNo, lang }`. */
  function parseRoute(hash) {
    var h = (hash || '').replace(/^#/, '');
    var m = /^[/]order[/]detail[/]([^/?]+)(?:[/]([a-zA-Z-]+))?/.exec(h);
    if (m) return { name: 'detail', orderNo: decodeURIComponent(m[1]), lang: (m[2] || 'zh').toLowerCase().indexOf('en') === 0 ? 'en' : 'zh' };
    if (/^[/]order[/]virtual/.test(h)) return { name: 'virtual' };
    var pm = /[?&]page=(\d+)/.exec(h);
    return { name: 'list', page: pm ? Math.max(1, parseInt(pm[1], 10)) : 1 };
  }

  /**
   * The parts of `text` around each (case-insensitive) occurrence of `keyword`, for highlighting
   * with <em> as search pages do: `[{ text, hit }]`, one part when nothing matches.
   */
  function highlight(text, keyword) {
    if (!keyword) return [{ text: text, hit: false }];
    var parts = [];
    var lower = text.toLowerCase();
    var key = keyword.toLowerCase();
    var at = 0;
    for (var i = lower.indexOf(key); i >= 0 && key; i = lower.indexOf(key, at)) {
      if (i > at) parts.push({ text: text.slice(at, i), hit: false });
      parts.push({ text: text.slice(i, i + key.length), hit: true });
      at = i + key.length;
    }
    if (at < text.length) parts.push({ text: text.slice(at), hit: false });
    return parts;
  }

  window.SandboxPortal = {
    pageSize: pageSize,
    STATUS: STATUS,
    STATUS_TYPE: STATUS_TYPE,
    LABELS: LABELS,
    parseRoute: parseRoute,
    highlight: highlight,
    orders: function (page, size) {
      return getJson('/portal/api/orders?page=' + page + '&pageSize=' + (size || pageSize));
    },
    order: function (orderNo) {
      return getJson('/portal/api/orders/' + encodeURIComponent(orderNo));
    },
    passengerNames: function (o, lang) {
      return o.passengers.map(function (p) { return p.name; }).join(lang === 'en' ? ', ' : '、');
    },
    /** A related order on the detail page, shown with the quirks copied text brings along. */
    neighbour: function (orderNo) {
      var last = orderNo.slice(-3);
      var next = String((parseInt(last, 10) + 1) % 1000);
      return orderNo.slice(0, -3) + '000'.slice(next.length) + next;
    },
  };
})();
