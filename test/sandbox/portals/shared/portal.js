/*
 * What the sandbox's library-built portals share: the hash routes, the data from the sandbox's
 * /portal/api/orders, labels, the search highlighting, and the components' behaviour as Vue
 * mixins (the same in Vue 2 and 3). Each portal's app.js keeps only its library's markup. Plain
 * browser JS (no build step): it is served as is, like the libraries' own prebuilt bundles.
 * Exposes `window.SandboxPortal`.
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

  function statusText(o, lang) { return (STATUS[lang] || STATUS.zh)[o.orderStatus] || o.orderStatus; }
  function statusType(o) { return STATUS_TYPE[o.orderStatus] || 'info'; }
  function passengerNames(o, lang) {
    return o.passengers.map(function (p) { return p.name; }).join(lang === 'en' ? ', ' : '、');
  }
  function orders(page, size) {
    return getJson('/portal/api/orders?page=' + page + '&pageSize=' + (size || pageSize));
  }

  /** How many orders a virtual-scrolled table loads at once (all of them). */
  var ALL = 2000;

  /*
   * The components' Vue options that do not depend on the library: the same object works as a
   * mixin in Vue 2 and Vue 3. Each portal adds its template (and what its library needs).
   */
  var mixins = {
    /** The root: the current route, and a counter that remounts the page on every hash change. */
    hashRoute: {
      data: function () { return { route: parseRoute(location.hash), seq: 0 }; },
      created: function () {
        var self = this;
        window.addEventListener('hashchange', function () {
          self.route = parseRoute(location.hash);
          self.seq++;
        });
      },
    },
    /** Texts of a list row (always in Chinese, as the portal's list is). */
    listRow: {
      methods: {
        statusText: function (o) { return statusText(o, 'zh'); },
        statusType: statusType,
        names: function (o) { return passengerNames(o, 'zh'); },
      },
    },
    /**
     * 我的订单, one page at a time (`page0` from the route), and a search box filtering the page
     * shown (`matches`: the order number; a portal may search more).
     */
    pagedList: {
      props: ['page0'],
      data: function () {
        return { all: [], page: this.page0 || 1, pageSize: pageSize, total: 0, loading: true, keyword: '' };
      },
      computed: {
        orders: function () {
          var key = this.keyword.trim().toLowerCase();
          if (!key) return this.all;
          var self = this;
          return this.all.filter(function (o) { return self.matches(o, key); });
        },
      },
      created: function () { this.load(this.page); },
      methods: {
        matches: function (o, key) { return o.orderNo.toLowerCase().indexOf(key) >= 0; },
        load: function (page) {
          var self = this;
          self.loading = true;
          orders(page).then(function (data) {
            self.all = data.orders;
            self.total = data.total;
            self.page = data.page;
            self.loading = false;
            // The page goes into the hash without a route change, as the portal's router does.
            history.replaceState(null, '', location.pathname + location.search + '#/order/list?page=' + data.page);
          });
        },
        parts: function (text) { return highlight(text, this.keyword.trim()); },
      },
    },
    /** Every order at once, for a virtual-scrolled table. */
    allOrders: {
      data: function () { return { orders: [], loading: true }; },
      created: function () {
        var self = this;
        orders(1, ALL).then(function (data) {
          self.orders = data.orders;
          self.loading = false;
        });
      },
    },
    /** The detail page of `orderNo`, its labels in `lang`. */
    orderDetail: {
      props: ['orderNo', 'lang'],
      data: function () { return { order: null, loading: true }; },
      computed: { L: function () { return LABELS[this.lang] || LABELS.zh; } },
      created: function () {
        var self = this;
        getJson('/portal/api/orders/' + encodeURIComponent(this.orderNo)).then(function (o) {
          self.order = o;
          self.loading = false;
        });
      },
      methods: {
        statusText: function (o) { return statusText(o, this.lang); },
        statusType: statusType,
        names: function (o) { return passengerNames(o, this.lang); },
      },
    },
  };

  window.SandboxPortal = {
    mixins: mixins,
    STATUS: STATUS,
    STATUS_TYPE: STATUS_TYPE,
    passengerNames: passengerNames,
    /** A related order on the detail page, shown with the quirks copied text brings along. */
    neighbour: function (orderNo) {
      var last = orderNo.slice(-3);
      var next = String((parseInt(last, 10) + 1) % 1000);
      return orderNo.slice(0, -3) + '000'.slice(next.length) + next;
    },
  };
})();
