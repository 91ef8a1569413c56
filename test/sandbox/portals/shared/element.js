/*
 * Markup the two Element portals write alike: Element UI (Vue 2) and Element Plus (Vue 3) name
 * these components and props the same. Loaded after portal.js, by those two pages only.
 */
(function () {
  'use strict';
  window.SandboxPortal.element = {
    /** The aside's brand and the start of its menu (the items differ). */
    menuStart:
      '    <div class="brand">ATRIP</div>' +
      '    <el-menu default-active="orders" background-color="#304156" text-color="#bfcbd9" active-text-color="#409EFF">',
    /** 我的订单's breadcrumb and title. */
    listHeading:
      '  <el-breadcrumb separator="/"><el-breadcrumb-item>订单中心</el-breadcrumb-item><el-breadcrumb-item>我的订单</el-breadcrumb-item></el-breadcrumb>' +
      '  <h1>我的订单</h1>',
    /** The pager under a paged list (`pagedList`'s total, page and load). */
    pager:
      '  <div class="pager">' +
      '    <el-pagination background layout="total, prev, pager, next, jumper" :total="total" :page-size="pageSize" :current-page="page" @current-change="load"></el-pagination>' +
      '  </div>',
    /** A list row's order number: a link to its detail page, the search hits in <em>. */
    orderLink:
      '        <el-link type="primary" :underline="false" :href="\'#/order/detail/\' + scope.row.orderNo + \'/zh\'">' +
      '<template v-for="part in parts(scope.row.orderNo)"><em v-if="part.hit" class="hl">{{ part.text }}</em><template v-else>{{ part.text }}</template></template>' +
      '</el-link>',
    /** The detail page's breadcrumb and title. */
    detailHeading:
      '  <el-breadcrumb separator="/"><el-breadcrumb-item v-for="c in L.crumbs.split(\' / \')" :key="c">{{ c }}</el-breadcrumb-item></el-breadcrumb>' +
      '  <h1>{{ L.title }}</h1>',
    /** The order's fields on the detail page, inside its el-descriptions. */
    orderItems:
      '      <el-descriptions-item :label="L.orderNo"><span class="order-no">{{ order.orderNo }}</span></el-descriptions-item>' +
      '      <el-descriptions-item :label="L.status"><el-tag size="small" :type="statusType(order)">{{ statusText(order) }}</el-tag></el-descriptions-item>' +
      '      <el-descriptions-item :label="L.route">{{ order.route }}</el-descriptions-item>' +
      '      <el-descriptions-item :label="L.flight">{{ order.flightNo }}</el-descriptions-item>' +
      '      <el-descriptions-item :label="L.date">{{ order.departureDate }}</el-descriptions-item>' +
      '      <el-descriptions-item :label="L.passengers">{{ names(order) }}</el-descriptions-item>' +
      '      <el-descriptions-item :label="L.pnr">{{ order.pnr }}</el-descriptions-item>' +
      '      <el-descriptions-item :label="L.created">{{ order.createdAt }}</el-descriptions-item>',
  };
})();
