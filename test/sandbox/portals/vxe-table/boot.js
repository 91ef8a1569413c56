// xe-utils ships only as an ES module; vxe's UMD bundles expect it as the global XEUtils, so this
// module sets it, then loads the page's classic scripts in order.
import XEUtils from '/portals/vendor/xe-utils/all.esm.js';
window.XEUtils = XEUtils;
const scripts = ['/portals/vendor/vue3/vue.global.prod.js', '/portals/vendor/vxe-core/index.umd.min.js',
  '/portals/vendor/vxe-table/index.umd.min.js', '/portals/shared/portal.js', '/portals/vxe-table/app.js'];
for (const src of scripts) {
  await new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error('could not load ' + src));
    document.head.append(script);
  });
}
