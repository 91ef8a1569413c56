/*
 * The sandbox's vxe-table 4 portal (Vue 3): all orders in one vxe-table with virtual scroll
 * (only the rows in view exist; scrolling re-renders the same row elements with other orders),
 * a fixed first column and `show-overflow` (ellipsis, the full text as a title).
 */
(function () {
  'use strict';
  var P = window.SandboxPortal;

  var OrderList = {
    mixins: [P.mixins.allOrders, P.mixins.listRow],
    template:
      '<div class="page list">' +
      '  <div class="crumbs">订单中心 / 我的订单</div>' +
      '  <h1>我的订单（{{ orders.length }} 条）</h1>' +
      '  <vxe-table class="order-table" border stripe show-overflow="title" height="600" :data="orders"' +
      '    :row-config="{ isHover: true, keyField: \'orderNo\' }" :virtual-y-config="{ enabled: true, gt: 0 }">' +
      '    <vxe-column type="seq" title="#" width="60" fixed="left"></vxe-column>' +
      '    <vxe-column field="orderNo" title="订单号" width="220" fixed="left">' +
      '      <template #default="{ row }"><a class="order-link" :href="\'#/order/detail/\' + row.orderNo + \'/zh\'">{{ row.orderNo }}</a></template>' +
      '    </vxe-column>' +
      '    <vxe-column field="route" title="航程" width="150"></vxe-column>' +
      '    <vxe-column field="flightNo" title="航班" width="100"></vxe-column>' +
      '    <vxe-column field="departureDate" title="出发日期" width="120"></vxe-column>' +
      '    <vxe-column title="乘客" width="130"><template #default="{ row }">{{ names(row) }}</template></vxe-column>' +
      '    <vxe-column field="pnr" title="航司编码" width="100"></vxe-column>' +
      '    <vxe-column title="订单状态" width="100"><template #default="{ row }">{{ statusText(row) }}</template></vxe-column>' +
      '    <vxe-column field="createdAt" title="创建时间" width="170"></vxe-column>' +
      '  </vxe-table>' +
      '</div>',
  };

  var OrderDetail = {
    mixins: [P.mixins.orderDetail],
    data: function () { return { message: '' }; },
    template:
      '<div class="page detail">' +
      '  <div class="crumbs">{{ L.crumbs }}</div>' +
      '  <h1>{{ L.title }}</h1>' +
      '  <p v-if="loading">加载中…</p>' +
      '  <p v-else-if="!order" class="error">{{ L.notFound }}: {{ orderNo }}</p>' +
      '  <template v-else>' +
      '    <table><tbody>' +
      '      <tr><th>{{ L.orderNo }}</th><td><span class="order-no">{{ order.orderNo }}</span></td></tr>' +
      '      <tr><th>{{ L.status }}</th><td>{{ statusText(order) }}</td></tr>' +
      '      <tr><th>{{ L.route }}</th><td>{{ order.route }}</td></tr>' +
      '      <tr><th>{{ L.flight }}</th><td>{{ order.flightNo }}</td></tr>' +
      '      <tr><th>{{ L.passengers }}</th><td>{{ names(order) }}</td></tr>' +
      '      <tr><th>{{ L.pnr }}</th><td>{{ order.pnr }}</td></tr>' +
      '    </tbody></table>' +
      '    <div class="actions"><button type="button" class="btn-stop" @click="message = L.contact">{{ L.stop }}</button>' +
      '      <span class="stop-message">{{ message }}</span></div>' +
      '    <p><a href="#/order/list">{{ L.back }}</a></p>' +
      '  </template>' +
      '</div>',
  };

  var app = Vue.createApp({
    mixins: [P.mixins.hashRoute],
    components: { OrderList: OrderList, OrderDetail: OrderDetail },
    template:
      '<div>' +
      '  <header class="topbar"><span class="brand">ATRIP</span><a href="#/order/list" class="active">我的订单</a><a href="#/order/list">退改签</a></header>' +
      '  <order-detail v-if="route.name === \'detail\'" :key="\'d\' + seq" :order-no="route.orderNo" :lang="route.lang"></order-detail>' +
      '  <order-list v-else :key="\'l\' + seq"></order-list>' +
      '</div>',
  });
  app.use(VxeUI);
  app.use(VxeUITable);
  app.mount('#app');
})();
