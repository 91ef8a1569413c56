/**
 * The fake ATRIP portal: one HTML page, a single-page app with hash routing.
 *
 *   #/order/list[?page=N]            Chinese order list (table.order-table), paged in place
 *   #/order/detail/<orderNo>/<lang>  order details in `en` or `zh`, with the portal's own
 *                                    停止出票 / Stop Ticket Issuance button (does nothing useful)
 *
 * Data comes from the sandbox's own JSON (`/portal/api/orders`, `/portal/api/orders/<no>`),
 * rendered ~100 ms after the reply to imitate a slow XHR-driven portal.
 * `?pageSize=N` in the page URL's query string overrides the default page size of 30.
 * `?spy=1` plays a hostile page that listens before any content script runs: every window
 * message it receives is kept in `window.__pageMessages` (for the security tests).
 * No external resources: the page works offline.
 *
 * One file, one job: this page's script, style and markup, served as one document.
 */

// The client script is plain ES5-ish JS in a string: no template literals, no backslashes.
const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var app = document.getElementById('app');
  var params = new URLSearchParams(location.search);
  if (params.get('spy') === '1') {
    window.__pageMessages = [];
    window.addEventListener('message', function (event) { window.__pageMessages.push(event.data); }, true);
  }
  var pageSize = parseInt(params.get('pageSize') || '30', 10);
  if (!(pageSize > 0)) pageSize = 30;
  var RENDER_DELAY = 100;
  var STATUS_ZH = { '0': '待支付', '1': '待出票', '2': '已出票', '-3': '已取消' };
  var STATUS_EN = { '0': 'Unpaid', '1': 'Awaiting ticketing', '2': 'Ticketed', '-3': 'Cancelled' };
  var LABELS = {
    zh: { title: '订单详情', orderNo: '订单号', status: '订单状态', route: '航程', flight: '航班',
          date: '出发日期', passengers: '乘客', pnr: '航司编码', created: '创建时间',
          stop: '停止出票', back: '返回订单列表', notFound: '订单不存在', contact: '请联系客服' },
    en: { title: 'Booking Details', orderNo: 'Order No.', status: 'Status', route: 'Route', flight: 'Flight',
          date: 'Departure', passengers: 'Passengers', pnr: 'PNR', created: 'Created',
          stop: 'Stop Ticket Issuance', back: 'Back to list', notFound: 'Order not found',
          contact: '请联系客服 (please contact customer service)' }
  };
  var generation = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'className') node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function getJson(url) {
    return fetch(url, { headers: { accept: 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (data) {
      // Imitate the real portal: content appears a little after the request.
      return new Promise(function (resolve) { setTimeout(function () { resolve(data); }, RENDER_DELAY); });
    });
  }

  function loading() {
    app.textContent = '';
    app.appendChild(el('p', { className: 'loading', text: '加载中…' }));
  }

  function failed(err) {
    app.textContent = '';
    app.appendChild(el('p', { className: 'error', text: '加载失败：' + err.message }));
  }

  /* ---------- order list ---------- */

  var list = null; // { table, tbody, pager, info, page, totalPages }

  function rowFor(o) {
    var link = el('a', { href: '#/order/detail/' + o.orderNo + '/zh', text: o.orderNo });
    var detail = el('a', { href: '#/order/detail/' + o.orderNo + '/zh', className: 'op-detail', text: '详情' });
    return el('tr', null, [
      el('td', null, [link]),
      el('td', { text: o.route }),
      el('td', { text: o.passengers.map(function (p) { return p.name; }).join('、') }),
      el('td', { className: 'status status-' + o.orderStatus, text: STATUS_ZH[o.orderStatus] || o.orderStatus }),
      el('td', { text: o.createdAt }),
      el('td', null, [detail])
    ]);
  }

  function renderPager() {
    var pager = list.pager;
    pager.textContent = '';
    var prev = el('button', { type: 'button', className: 'prev', text: '上一页' });
    prev.disabled = list.page <= 1;
    prev.addEventListener('click', function () { goPage(list.page - 1); });
    pager.appendChild(prev);
    var first = Math.max(1, list.page - 3);
    var last = Math.min(list.totalPages, first + 6);
    first = Math.max(1, last - 6);
    for (var p = first; p <= last; p++) {
      (function (n) {
        var b = el('button', { type: 'button', className: n === list.page ? 'page current' : 'page', text: String(n) });
        b.addEventListener('click', function () { goPage(n); });
        pager.appendChild(b);
      })(p);
    }
    var next = el('button', { type: 'button', className: 'next', text: '下一页' });
    next.disabled = list.page >= list.totalPages;
    next.addEventListener('click', function () { goPage(list.page + 1); });
    pager.appendChild(next);
    pager.appendChild(el('span', { className: 'page-info', text: '第 ' + list.page + ' / ' + list.totalPages + ' 页' }));
  }

  function fillRows(data) {
    list.page = data.page;
    list.totalPages = data.totalPages;
    var rows = document.createDocumentFragment();
    data.orders.forEach(function (o) { rows.appendChild(rowFor(o)); });
    list.tbody.textContent = '';
    list.tbody.appendChild(rows);
    list.total.textContent = '共 ' + data.total + ' 条';
    renderPager();
  }

  function fetchPage(page) {
    return getJson('/portal/api/orders?page=' + page + '&pageSize=' + pageSize);
  }

  function goPage(page) {
    if (!list || page < 1 || page > list.totalPages || page === list.page) return;
    var gen = generation;
    fetchPage(page).then(function (data) {
      if (gen !== generation) return;
      fillRows(data);
      // Keep the page in the hash without triggering a route change.
      history.replaceState(null, '', location.pathname + location.search + '#/order/list?page=' + data.page);
    }, failed);
  }

  function showList(page) {
    var gen = generation;
    loading();
    fetchPage(page).then(function (data) {
      if (gen !== generation) return;
      var tbody = el('tbody');
      var thead = el('thead', null, [el('tr', null, ['订单号', '航程', '乘客', '状态', '创建时间', '操作'].map(function (h) {
        return el('th', { text: h });
      }))]);
      var table = el('table', { className: 'order-table' }, [thead, tbody]);
      var pager = el('div', { className: 'pager' });
      var total = el('span', { className: 'total' });
      app.textContent = '';
      app.appendChild(el('div', { className: 'crumbs', text: '订单中心 / 我的订单' }));
      app.appendChild(el('h1', { text: '我的订单' }));
      app.appendChild(table);
      app.appendChild(el('div', { className: 'pager-bar' }, [total, pager]));
      list = { table: table, tbody: tbody, pager: pager, total: total, page: 0, totalPages: 1 };
      fillRows(data);
    }, failed);
  }

  /* ---------- order detail ---------- */

  function showDetail(orderNo, lang) {
    var L = LABELS[lang] || LABELS.zh;
    var statusNames = lang === 'en' ? STATUS_EN : STATUS_ZH;
    var gen = generation;
    loading();
    fetch('/portal/api/orders/' + encodeURIComponent(orderNo)).then(function (r) {
      if (r.status === 404) return null;
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (o) {
      return new Promise(function (resolve) { setTimeout(function () { resolve(o); }, RENDER_DELAY); });
    }).then(function (o) {
      if (gen !== generation) return;
      app.textContent = '';
      var back = el('a', { href: '#/order/list', className: 'back', text: L.back });
      if (!o) {
        app.appendChild(el('h1', { text: L.title }));
        app.appendChild(el('p', { className: 'error', text: L.notFound + ': ' + orderNo }));
        app.appendChild(back);
        return;
      }
      function row(label, valueNode) {
        return el('tr', null, [el('th', { text: label }), el('td', null, [valueNode])]);
      }
      var text = function (t) { return document.createTextNode(t); };
      var table = el('table', { className: 'detail-table' }, [el('tbody', null, [
        row(L.orderNo, el('span', { className: 'order-no', text: o.orderNo })),
        row(L.status, el('span', { className: 'status status-' + o.orderStatus, text: statusNames[o.orderStatus] || o.orderStatus })),
        row(L.route, text(o.route)),
        row(L.flight, text(o.flightNo)),
        row(L.date, text(o.departureDate)),
        row(L.passengers, text(o.passengers.map(function (p) { return p.name; }).join(lang === 'en' ? ', ' : '、'))),
        row(L.pnr, text(o.pnr)),
        row(L.created, text(o.createdAt))
      ])]);
      var message = el('span', { className: 'stop-message' });
      var stop = el('button', { type: 'button', className: 'btn-stop', text: L.stop });
      stop.addEventListener('click', function () { message.textContent = L.contact; });
      app.appendChild(el('div', { className: 'crumbs', text: lang === 'en' ? 'Bookings / My Bookings / Booking Details' : '订单中心 / 我的订单 / 订单详情' }));
      app.appendChild(el('h1', { text: L.title }));
      app.appendChild(table);
      app.appendChild(el('div', { className: 'actions' }, [stop, message]));
      app.appendChild(el('p', null, [back]));
    }).catch(failed);
  }

  /* ---------- router ---------- */

  function route() {
    generation++;
    list = null;
    var hash = location.hash.replace(/^#/, '');
    var m = /^[/]order[/]detail[/]([^/?]+)(?:[/]([a-zA-Z-]+))?/.exec(hash);
    if (m) {
      var lang = (m[2] || 'zh').toLowerCase().indexOf('en') === 0 ? 'en' : 'zh';
      document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
      showDetail(decodeURIComponent(m[1]), lang);
      return;
    }
    document.documentElement.lang = 'zh-CN';
    var pm = /[?&]page=(\d+)/.exec(hash);
    showList(pm ? Math.max(1, parseInt(pm[1], 10)) : 1);
  }

  window.addEventListener('hashchange', route);
  route();
})();
`;

const CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", Arial, sans-serif; color: #222; background: #f4f5f7; }
header.topbar { display: flex; align-items: center; gap: 24px; background: #1f3b63; color: #fff; padding: 0 20px; height: 48px; }
header.topbar .brand { font-weight: bold; font-size: 18px; letter-spacing: 1px; }
header.topbar nav a { color: #dbe6f5; text-decoration: none; margin-right: 16px; }
header.topbar nav a.active { color: #fff; border-bottom: 2px solid #fff; padding-bottom: 12px; }
main#app { margin: 16px 20px; padding: 16px 20px; background: #fff; border: 1px solid #dcdfe6; min-height: 300px; }
h1 { font-size: 18px; margin: 4px 0 12px; }
.crumbs { color: #888; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #dcdfe6; padding: 6px 10px; text-align: left; }
thead th { background: #f0f2f5; }
table.detail-table { width: auto; min-width: 480px; }
table.detail-table th { background: #f0f2f5; width: 140px; }
.status-2 { color: #2e7d32; } .status--3 { color: #999; } .status-0 { color: #c77700; } .status-1 { color: #1565c0; }
.pager-bar { display: flex; justify-content: space-between; align-items: center; margin-top: 12px; }
.pager button { margin: 0 2px; padding: 2px 10px; border: 1px solid #dcdfe6; background: #fff; cursor: pointer; }
.pager button.current { background: #1f3b63; color: #fff; }
.pager button:disabled { color: #bbb; cursor: default; }
.pager .page-info { margin-left: 10px; color: #666; }
.actions { margin: 16px 0; }
.btn-stop { padding: 6px 16px; background: #d32f2f; color: #fff; border: 0; cursor: pointer; }
.stop-message { margin-left: 12px; color: #d32f2f; }
.error { color: #d32f2f; }
a { color: #1565c0; }
`;

export const PORTAL_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ATRIP 订单中心</title>
<style>${CSS}</style>
</head>
<body>
<header class="topbar">
  <span class="brand">ATRIP</span>
  <nav><a href="#/order/list">订单中心</a><a href="#/order/list" class="active">我的订单</a></nav>
</header>
<main id="app"></main>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
