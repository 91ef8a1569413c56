/*
 * The sandbox's Element Plus portal (Vue 3): 我的订单 in an el-table with a fixed first column
 * (Element Plus keeps one copy, `position: sticky`), an overflow tooltip on the passengers, and
 * el-pagination patching the rows in place (no row-key); all orders at #/order/virtual in the
 * virtualized el-table-v2, which renders only the rows in view and recycles them as it scrolls.
 */
(function () {
  'use strict';
  var P = window.SandboxPortal;
  var h = Vue.h;

  var OrderList = {
    mixins: [P.mixins.pagedList, P.mixins.listRow],
    template:
      '<div class="page list">' +
      P.element.listHeading +
      '  <div class="toolbar">' +
      '    <el-input v-model="keyword" clearable placeholder="订单号（当前页）" class="search"></el-input>' +
      '    <a href="#/order/virtual" class="to-virtual">全部订单（虚拟列表）</a>' +
      '  </div>' +
      '  <el-table :data="orders" border stripe v-loading="loading" class="order-table" style="width: 100%">' +
      '    <el-table-column label="订单号" fixed width="220">' +
      '      <template #default="scope">' +
      P.element.orderLink +
      '      </template>' +
      '    </el-table-column>' +
      '    <el-table-column prop="route" label="航程" width="150"></el-table-column>' +
      '    <el-table-column prop="flightNo" label="航班" width="100"></el-table-column>' +
      '    <el-table-column prop="departureDate" label="出发日期" width="120"></el-table-column>' +
      '    <el-table-column label="乘客" width="130" show-overflow-tooltip>' +
      '      <template #default="scope">{{ names(scope.row) }}</template>' +
      '    </el-table-column>' +
      '    <el-table-column prop="pnr" label="航司编码" width="100"></el-table-column>' +
      '    <el-table-column label="订单状态" width="110">' +
      '      <template #default="scope"><el-tag size="small" :type="statusType(scope.row)">{{ statusText(scope.row) }}</el-tag></template>' +
      '    </el-table-column>' +
      '    <el-table-column prop="createdAt" label="创建时间" width="170"></el-table-column>' +
      '    <el-table-column label="操作" fixed="right" width="90">' +
      '      <template #default="scope"><el-link type="primary" :href="\'#/order/detail/\' + scope.row.orderNo + \'/zh\'" class="op-detail">详情</el-link></template>' +
      '    </el-table-column>' +
      '  </el-table>' +
      P.element.pager +
      '</div>',
  };

  var VirtualList = {
    mixins: [P.mixins.allOrders],
    computed: {
      columns: function () {
        var status = P.STATUS.zh;
        return [
          {
            key: 'orderNo', dataKey: 'orderNo', title: '订单号', width: 220, fixed: true,
            cellRenderer: function (p) {
              return h(ElementPlus.ElLink, { type: 'primary', underline: false, href: '#/order/detail/' + p.rowData.orderNo + '/zh' },
                function () { return p.rowData.orderNo; });
            },
          },
          { key: 'route', dataKey: 'route', title: '航程', width: 150 },
          { key: 'flightNo', dataKey: 'flightNo', title: '航班', width: 100 },
          { key: 'departureDate', dataKey: 'departureDate', title: '出发日期', width: 120 },
          { key: 'pnr', dataKey: 'pnr', title: '航司编码', width: 100 },
          {
            key: 'status', dataKey: 'orderStatus', title: '订单状态', width: 110,
            cellRenderer: function (p) { return h(ElementPlus.ElTag, { size: 'small', type: P.STATUS_TYPE[p.rowData.orderStatus] || 'info' }, function () { return status[p.rowData.orderStatus]; }); },
          },
          { key: 'createdAt', dataKey: 'createdAt', title: '创建时间', width: 170 },
        ];
      },
    },
    template:
      '<div class="page virtual">' +
      '  <el-breadcrumb separator="/"><el-breadcrumb-item>订单中心</el-breadcrumb-item><el-breadcrumb-item>全部订单</el-breadcrumb-item></el-breadcrumb>' +
      '  <h1>我的订单（全部 {{ orders.length }} 条）</h1>' +
      '  <div class="toolbar"><a href="#/order/list" class="to-list">分页列表</a></div>' +
      '  <div v-loading="loading" style="height: 560px">' +
      '    <el-auto-resizer><template #default="{ height, width }">' +
      '      <el-table-v2 class="order-table-v2" :columns="columns" :data="orders" row-key="orderNo" :width="width" :height="height" :row-height="40" fixed></el-table-v2>' +
      '    </template></el-auto-resizer>' +
      '  </div>' +
      '</div>',
  };

  var OrderDetail = {
    mixins: [P.mixins.orderDetail],
    methods: {
      stop: function () { ElementPlus.ElMessageBox.alert(this.L.contact, this.L.stop, { type: 'warning' }); },
    },
    template:
      '<div class="page detail" v-loading="loading">' +
      P.element.detailHeading +
      '  <el-alert v-if="!loading && !order" type="error" :closable="false" :title="L.notFound + \': \' + orderNo"></el-alert>' +
      '  <template v-if="order">' +
      '    <el-descriptions :column="2" border>' +
      P.element.orderItems +
      '    </el-descriptions>' +
      '    <div class="actions">' +
      '      <el-button type="danger" class="btn-stop" @click="stop">{{ L.stop }}</el-button>' +
      '      <el-link href="#/order/list" class="back">{{ L.back }}</el-link>' +
      '    </div>' +
      '  </template>' +
      '</div>',
  };

  var app = Vue.createApp({
    mixins: [P.mixins.hashRoute],
    components: { OrderList: OrderList, OrderDetail: OrderDetail, VirtualList: VirtualList },
    template:
      '<el-container class="layout">' +
      '  <el-aside width="200px">' +
      P.element.menuStart +
      '      <el-sub-menu index="center"><template #title><span>订单中心</span></template>' +
      '        <el-menu-item index="orders"><a href="#/order/list" style="color: inherit; text-decoration: none">我的订单</a></el-menu-item>' +
      '        <el-menu-item index="all"><a href="#/order/virtual" style="color: inherit; text-decoration: none">全部订单</a></el-menu-item>' +
      '      </el-sub-menu>' +
      '      <el-menu-item index="finance"><span>财务中心</span></el-menu-item>' +
      '    </el-menu>' +
      '  </el-aside>' +
      '  <el-container>' +
      '    <el-header height="56px"><span>分销商工作台</span><span>agent01</span></el-header>' +
      '    <el-main>' +
      '      <order-detail v-if="route.name === \'detail\'" :key="\'d\' + seq" :order-no="route.orderNo" :lang="route.lang"></order-detail>' +
      '      <virtual-list v-else-if="route.name === \'virtual\'" :key="\'v\' + seq"></virtual-list>' +
      '      <order-list v-else :key="\'l\' + seq" :page0="route.page"></order-list>' +
      '    </el-main>' +
      '  </el-container>' +
      '</el-container>',
  });
  app.use(ElementPlus);
  app.mount('#app');
  document.documentElement.lang = 'zh-CN';
})();
