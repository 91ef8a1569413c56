/**
 * Bundle sizes of a built extension, read from its manifest: each entry point plus every JS/CSS
 * file it loads (HTML `<script src>`, `<link rel=stylesheet|modulepreload>`, and static `import`s
 * of the JS chunks, followed recursively). Shared chunks count in every bundle that loads them,
 * since each page pays for them. Pure file reads: the same build always gives the same figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFile {
  /** Path inside the build, with forward slashes. */
  file: string;
  bytes: number;
}

export interface Bundle {
  name: string;
  /** What the bundle is, e.g. "content-scripts/content.js" or "popup.html". */
  entry: string;
  files: BundleFile[];
  /** Minified bytes of all its JS and CSS. */
  bytes: number;
  /** gzip -9 of each file, summed (for information; the budget is on `bytes`). */
  gzipBytes: number;
}

interface Manifest {
  background?: { service_worker?: string; scripts?: string[] };
  content_scripts?: { js?: string[]; css?: string[] }[];
  action?: { default_popup?: string };
  browser_action?: { default_popup?: string };
  options_ui?: { page?: string };
  options_page?: string;
}

const STATIC_IMPORT = /(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["']([^"']+\.(?:m?js|css))["']/g;

function normalise(dir: string, from: string, ref: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return null; // absolute URL: not part of the build
  const relative = ref.startsWith('/') ? ref.slice(1) : path.posix.join(path.posix.dirname(from), ref);
  const clean = path.posix.normalize(relative);
  return existsSync(path.join(dir, clean)) ? clean : null;
}

function htmlRefs(html: string): string[] {
  const refs: string[] = [];
  for (const match of html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>/gi)) refs.push(match[1]!);
  for (const match of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = match[0];
    const rel = /\brel\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1]?.toLowerCase() ?? '';
    const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (href && /\b(stylesheet|modulepreload)\b/.test(rel)) refs.push(href);
  }
  return refs;
}

/** The JS/CSS an entry (a script, a stylesheet or an HTML page) loads, itself included for scripts/styles. */
function collect(dir: string, entry: string): string[] {
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (from: string, ref: string) => {
    const file = normalise(dir, from, ref);
    if (file && !seen.has(file) && /\.(m?js|css)$/.test(file)) {
      seen.add(file);
      queue.push(file);
    }
  };
  if (entry.endsWith('.html')) {
    for (const ref of htmlRefs(readFileSync(path.join(dir, entry), 'utf8'))) add(entry, ref);
  } else {
    add('', entry);
  }
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!/\.m?js$/.test(file)) continue;
    const code = readFileSync(path.join(dir, file), 'utf8');
    for (const match of code.matchAll(STATIC_IMPORT)) add(file, match[1]!);
  }
  return [...seen].sort();
}

function bundle(dir: string, name: string, entry: string, files: string[]): Bundle {
  const list = files.map((file) => ({ file, bytes: readFileSync(path.join(dir, file)).length }));
  return {
    name,
    entry,
    files: list,
    bytes: list.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length, 0),
  };
}

/** content, background, popup, options (whichever the manifest declares), in that order. */
export function measureBundles(dir: string): Bundle[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No build at ${dir} (no manifest.json): run \`npx wxt build\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const bundles: Bundle[] = [];

  const contentEntries = (manifest.content_scripts ?? []).flatMap((cs) => [...(cs.js ?? []), ...(cs.css ?? [])]);
  const contentFiles = [...new Set(contentEntries.flatMap((entry) => collect(dir, entry)))].sort();
  if (contentFiles.length > 0) bundles.push(bundle(dir, 'content', contentEntries.join(' + '), contentFiles));

  const background = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  if (background) bundles.push(bundle(dir, 'background', background, collect(dir, background)));

  const popup = manifest.action?.default_popup ?? manifest.browser_action?.default_popup;
  if (popup) bundles.push(bundle(dir, 'popup', popup, collect(dir, popup)));

  const options = manifest.options_ui?.page ?? manifest.options_page;
  if (options) bundles.push(bundle(dir, 'options', options, collect(dir, options)));
  return bundles;
}

export interface Budget {
  /** Bundle name → largest allowed `bytes`. */
  bundles: Record<string, number>;
}

export const BUDGET_FILE = path.resolve(import.meta.dirname, '..', 'budget.json');

export function readBudget(file = BUDGET_FILE): Budget {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { bundles?: unknown };
  if (typeof raw.bundles !== 'object' || raw.bundles === null) throw new Error(`${file}: no "bundles" object`);
  const bundles: Record<string, number> = {};
  for (const [name, value] of Object.entries(raw.bundles)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new Error(`${file}: budget of ${name} is not a positive whole number of bytes`);
    bundles[name] = value;
  }
  return { bundles };
}

export interface BudgetLine {
  name: string;
  bytes: number;
  gzipBytes: number;
  budget: number | undefined;
  /** over = grew past its budget; missing = built but no budget; absent = budgeted but not built. */
  verdict: 'ok' | 'over' | 'missing' | 'absent';
}

export function compare(bundles: Bundle[], budget: Budget): BudgetLine[] {
  const lines: BudgetLine[] = bundles.map((b) => {
    const limit = budget.bundles[b.name];
    return {
      name: b.name,
      bytes: b.bytes,
      gzipBytes: b.gzipBytes,
      budget: limit,
      verdict: limit === undefined ? 'missing' : b.bytes > limit ? 'over' : 'ok',
    };
  });
  for (const name of Object.keys(budget.bundles).sort()) {
    if (!bundles.some((b) => b.name === name)) lines.push({ name, bytes: 0, gzipBytes: 0, budget: budget.bundles[name], verdict: 'absent' });
  }
  return lines;
}
