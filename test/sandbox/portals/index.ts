/**
 * Portal pages built with the real Vue table libraries agents' portals use, for the local ATRIP
 * sandbox. Each is an order list (我的订单) and a detail page under hash routes like ATRIP's
 * (`#/order/list`, `#/order/detail/<orderNo>/<lang>`), fed by the sandbox's `/portal/api/orders`.
 *
 *   /portals/                  an index of the pages below
 *   /portals/element-ui/       Element UI 2.15 on Vue 2.7 (the most ATRIP-like: the demo's portal)
 *   /portals/element-plus/     Element Plus on Vue 3 (`el-table`, and `el-table-v2` at #/order/virtual)
 *   /portals/vxe-table/        vxe-table 4 on Vue 3, virtual scroll
 *   /portals/vendor/<path>     the libraries' prebuilt browser bundles, read from node_modules
 *
 * The libraries are devDependencies only (never part of the extension), served as they ship: no
 * bundler, works offline. `?pageSize=N` in a page's query string sets the list's page size.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type http from 'node:http';

export interface PortalPage {
  /** Path segment under /portals/. */
  name: string;
  title: string;
  libraries: string;
  /** The page's stylesheets: its library's, then the portal's own. */
  styles: readonly string[];
  /** Its scripts, in order (a `boot.js` is loaded as an ES module). */
  scripts: readonly string[];
}

const ELEMENT_ADMIN_CSS = '/portals/shared/element-admin.css';
const SHARED_JS = '/portals/shared/portal.js';
const ELEMENT_JS = '/portals/shared/element.js';

export const PORTAL_PAGES: readonly PortalPage[] = [
  {
    name: 'element-ui',
    title: 'Element UI 2.15 · Vue 2.7',
    libraries: 'el-table (fixed column, overflow tooltips), el-pagination',
    styles: ['/portals/vendor/element-ui/theme-chalk/index.css', ELEMENT_ADMIN_CSS],
    scripts: ['/portals/vendor/vue2/vue.min.js', '/portals/vendor/element-ui/index.js', SHARED_JS, ELEMENT_JS, '/portals/element-ui/app.js'],
  },
  {
    name: 'element-plus',
    title: 'Element Plus · Vue 3',
    libraries: 'el-table (fixed column), el-table-v2 (virtualized)',
    styles: ['/portals/vendor/element-plus/index.css', ELEMENT_ADMIN_CSS],
    scripts: ['/portals/vendor/vue3/vue.global.prod.js', '/portals/vendor/element-plus/index.full.min.js', SHARED_JS, ELEMENT_JS, '/portals/element-plus/app.js'],
  },
  {
    name: 'vxe-table',
    title: 'vxe-table 4 · Vue 3',
    libraries: 'vxe-table with virtual scroll',
    styles: ['/portals/vendor/vxe-table/style.min.css', '/portals/vxe-table/app.css'],
    // vxe's bundles need xe-utils, an ES module only: boot.js loads it, then the rest in order.
    scripts: ['/portals/vxe-table/boot.js'],
  },
];

/** The html every portal page shares; only its stylesheets and scripts differ. */
function shellHtml(page: PortalPage): string {
  const styles = page.styles.map((href) => `<link rel="stylesheet" href="${href}">`);
  const scripts = page.scripts.map((src) =>
    src.endsWith('/boot.js') ? `<script type="module" src="${src}"></script>` : `<script src="${src}"></script>`,
  );
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ATRIP 订单中心</title>
${styles.join('\n')}
</head>
<body>
<div id="app"></div>
${scripts.join('\n')}
</body>
</html>
`;
}

const HERE = import.meta.dirname;
const require = createRequire(import.meta.url);

/** Package directories (npm aliases included: `vue2` is Vue 2.7, `vue` is Vue 3). */
function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** What the pages may load from node_modules: package → the folder of its browser builds. */
const VENDOR: Record<string, { pkg: string; dir: string }> = {
  vue2: { pkg: 'vue2', dir: 'dist' },
  vue3: { pkg: 'vue', dir: 'dist' },
  'element-ui': { pkg: 'element-ui', dir: 'lib' },
  'element-plus': { pkg: 'element-plus', dir: 'dist' },
  'vxe-table': { pkg: 'vxe-table', dir: 'lib' },
  'vxe-core': { pkg: '@vxe-ui/core', dir: 'lib' },
  'xe-utils': { pkg: 'xe-utils', dir: 'dist' },
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** A file under `base`, or null when the relative path leaves it or is not a file. */
function fileUnder(base: string, relative: string): string | null {
  const file = path.resolve(base, relative);
  if (!file.startsWith(base + path.sep)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  return file;
}

function reply(res: http.ServerResponse, status: number, body: string | Buffer, type: string, cache: boolean) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    // The libraries are big and never change during a run; the pages themselves are always fresh.
    'cache-control': cache ? 'public, max-age=3600' : 'no-store',
  });
  res.end(body);
}

function indexHtml(): string {
  const items = PORTAL_PAGES.map(
    (p) => `<li><a href="/portals/${p.name}/#/order/list">${p.title}</a> — ${p.libraries}</li>`,
  ).join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>ATRIP sandbox portals</title></head>
<body style="font:14px/1.6 system-ui, sans-serif; margin: 24px">
<h1>ATRIP sandbox portals</h1>
<ul>
<li><a href="/portal/#/order/list">Hand-written portal</a> — plain DOM, rows replaced on paging</li>
${items}
</ul></body></html>`;
}

/**
 * Serves a `/portals/…` GET; false when the path is not one of ours (the caller answers 404).
 * Page: `/portals/<name>/` (the shell html with its styles and scripts); its own files:
 * `/portals/<name>/<file>`; what they share: `/portals/shared/<file>`.
 */
export function servePortals(urlPath: string, res: http.ServerResponse): boolean {
  if (urlPath === '/portals' || urlPath === '/portals/') {
    reply(res, 200, indexHtml(), TYPES['.html']!, false);
    return true;
  }
  const vendor = /^\/portals\/vendor\/([^/]+)\/(.+)$/.exec(urlPath);
  if (vendor) {
    const entry = VENDOR[vendor[1]!];
    const file = entry && fileUnder(path.join(packageDir(entry.pkg), entry.dir), decodeURIComponent(vendor[2]!));
    if (!file) return false;
    reply(res, 200, readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream', true);
    return true;
  }
  const own = /^\/portals\/([a-z0-9-]+)(\/.*)?$/.exec(urlPath);
  if (!own || !PORTAL_PAGES.some((p) => p.name === own[1]) && own[1] !== 'shared') return false;
  if (own[2] === undefined) {
    res.writeHead(302, { location: `/portals/${own[1]}/` });
    res.end();
    return true;
  }
  const page = PORTAL_PAGES.find((p) => p.name === own[1]);
  if (page && (own[2] === '/' || own[2] === '/index.html')) {
    reply(res, 200, shellHtml(page), TYPES['.html']!, false);
    return true;
  }
  const relative = own[2].slice(1);
  const file = fileUnder(path.join(HERE, own[1]!), decodeURIComponent(relative));
  if (!file) return false;
  reply(res, 200, readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream', false);
  return true;
}
