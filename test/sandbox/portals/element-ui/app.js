/*
 * The sandbox's Element UI 2.15 portal (Vue 2.7), the most ATRIP-like: an admin layout, 我的订单 in
 * an el-table whose first column is fixed (Element UI renders it twice and hides one copy with
 * `visibility: hidden`), clipped with show-overflow-tooltip (tooltips appended to body), order
 * numbers as el-link, and el-pagination that patches the same rows in place (no row-key: Vue 2
 * reuses every <tr> and rewrites its text nodes). A search box filters the page and highlights
 * with <em>; the 详情 buttons have tooltips naming the order (appended to body on hover). The detail page shows related orders as copied text brings them: with <wbr> and a
 * zero-width space inside the number.
 */
(function () {
  'use strict';
  var P = window.SandboxPortal;

  var OrderList = {
    mixins: [P.mixins.pagedList, P.mixins.listRow],
    methods: {
      // This portal's search also finds passengers.
      matches: function (o, key) {
        return o.orderNo.toLowerCase().indexOf(key) >= 0 || P.passengerNames(o, 'zh').toLowerCase().indexOf(key) >= 0;
      },
      detail: function (o) { location.hash = '#/order/detail/' + o.orderNo + '/zh'; },
    },
    template:
      '<div class="page list">' +
      P.element.listHeading +
      '  <div class="toolbar">' +
      '    <el-input v-model="keyword" size="small" clearable placeholder="订单号 / 乘客（当前页）" prefix-icon="el-icon-search" class="search"></el-input>' +
      '    <span class="count">共 {{ total }} 条</span>' +
      '  </div>' +
      '  <el-table :data="orders" border stripe size="small" v-loading="loading" class="order-table" style="width: 100%">' +
      '    <el-table-column label="订单号" fixed width="200" show-overflow-tooltip>' +
      '      <template slot-scope="scope">' +
      P.element.orderLink +
      '      </template>' +
      '    </el-table-column>' +
      '    <el-table-column prop="route" label="航程" width="150"></el-table-column>' +
      '    <el-table-column prop="flightNo" label="航班" width="90"></el-table-column>' +
      '    <el-table-column prop="departureDate" label="出发日期" width="110"></el-table-column>' +
      '    <el-table-column label="乘客" width="130" show-overflow-tooltip>' +
      '      <template slot-scope="scope">{{ names(scope.row) }}</template>' +
      '    </el-table-column>' +
      '    <el-table-column prop="pnr" label="航司编码" width="90"></el-table-column>' +
      '    <el-table-column label="订单状态" width="100">' +
      '      <template slot-scope="scope"><el-tag size="mini" :type="statusType(scope.row)">{{ statusText(scope.row) }}</el-tag></template>' +
      '    </el-table-column>' +
      '    <el-table-column prop="createdAt" label="创建时间" width="160"></el-table-column>' +
      '    <el-table-column label="操作" fixed="right" width="90">' +
      '      <template slot-scope="scope"><el-tooltip :content="\'查看订单 \' + scope.row.orderNo" placement="top" :open-delay="100">' +
      '        <el-button type="text" size="small" class="op-detail" @click="detail(scope.row)">详情</el-button></el-tooltip></template>' +
      '    </el-table-column>' +
      '  </el-table>' +
      P.element.pager +
      '</div>',
  };

  var OrderDetail = {
    mixins: [P.mixins.orderDetail],
    computed: {
      related: function () { return P.neighbour(this.orderNo); },
    },
    methods: {
      stop: function () { this.$alert(this.L.contact, this.L.stop, { type: 'warning' }); },
      // A number broken for line wrapping (<wbr>), and one pasted from a chat with a zero-width space.
      wbr: function (no) { return no.slice(0, 5) + '<wbr>' + no.slice(5, 13) + '<wbr>' + no.slice(13); },
      zeroWidth: function (no) { return no.slice(0, 13) + '\u200b' + no.slice(13); },
    },
    template:
      '<div class="page detail" v-loading="loading">' +
      P.element.detailHeading +
      '  <template v-if="!loading && !order"><el-alert type="error" :closable="false" :title="L.notFound + \': \' + orderNo"></el-alert></template>' +
      '  <template v-if="order">' +
      '    <el-descriptions :column="2" border size="medium">' +
      P.element.orderItems +
      '      <el-descriptions-item :label="L.related"><span class="related-wbr" v-html="wbr(related)"></span></el-descriptions-item>' +
      '      <el-descriptions-item :label="L.remark"><span class="remark">客户来电核对 {{ zeroWidth(related) }} 的出票情况</span></el-descriptions-item>' +
      '    </el-descriptions>' +
      '    <div class="actions">' +
      '      <el-button type="danger" size="small" class="btn-stop" @click="stop">{{ L.stop }}</el-button>' +
      '      <el-link href="#/order/list" class="back">{{ L.back }}</el-link>' +
      '    </div>' +
      '  </template>' +
      '</div>',
  };

  new Vue({
    el: '#app',
    mixins: [P.mixins.hashRoute],
    components: { OrderList: OrderList, OrderDetail: OrderDetail },
    template:
      '<el-container class="layout">' +
      '  <el-aside width="200px">' +
      P.element.menuStart +
      '      <el-submenu index="center"><template slot="title"><i class="el-icon-tickets"></i><span>订单中心</span></template>' +
      '        <el-menu-item index="orders"><a href="#/order/list" style="color: inherit; text-decoration: none">我的订单</a></el-menu-item>' +
      '        <el-menu-item index="changes">退改签</el-menu-item>' +
      '      </el-submenu>' +
      '      <el-menu-item index="finance"><i class="el-icon-wallet"></i><span>财务中心</span></el-menu-item>' +
      '    </el-menu>' +
      '  </el-aside>' +
      '  <el-container>' +
      '    <el-header height="56px"><span>分销商工作台</span><el-dropdown><span class="el-dropdown-link">agent01<i class="el-icon-arrow-down el-icon--right"></i></span>' +
      '      <el-dropdown-menu slot="dropdown"><el-dropdown-item>个人设置</el-dropdown-item><el-dropdown-item>退出</el-dropdown-item></el-dropdown-menu></el-dropdown></el-header>' +
      '    <el-main>' +
      '      <order-detail v-if="route.name === \'detail\'" :key="\'d\' + seq" :order-no="route.orderNo" :lang="route.lang"></order-detail>' +
      '      <order-list v-else :key="\'l\' + seq" :page0="route.page"></order-list>' +
      '    </el-main>' +
      '  </el-container>' +
      '</el-container>',
  });
  document.documentElement.lang = 'zh-CN';
})();
