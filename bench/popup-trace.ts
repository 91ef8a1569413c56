/**
 * Where the popup's first render goes: a Chromium trace of popup.html opening (the e2e build, as
 * `npm run bench` measures it), broken down into the fetch, compile and evaluation of each chunk,
 * the storage calls, the scripts' tasks and the first screen's rows. A diagnostic, not a figure of
 * the bench: run it under the exclusive browser lock after `npm run build:e2e`.
 *
 *   flock /tmp/atrip-browsers.lock npx tsx bench/popup-trace.ts [--orders 1000] [--opens 3] [--forget]
 *
 * `--forget`: without the view hint (first open). Prints each open's timeline (ms since navigation
 * start) and the medians over the opens.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SourceMapConsumer } from 'source-map-js';
import { EXTENSION_DIR, Harness } from '../test/e2e/harness';
import { HINT_KEY } from '../utils/popup/logic/view-hint';
import { firstScreenRows, openPopupOnce, replaceOrders, seedRecords } from './popup';
import { median, until } from './lib/stats';
import type { TraceEvent } from './lib/trace-event';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ORDERS = option('--orders', 1000);
const OPENS = option('--opens', 3);
const FORGET = args.includes('--forget');

/** In the page, before its scripts: every storage and i18n call dated (ms since navigation start). */
function installCallProbe(hintKey: string, rowTarget: number, forget: boolean) {
  const w = window as unknown as { __calls: { what: string; start: number; end?: number; keys?: number }[]; __rowsAt?: number };
  if (forget) localStorage.removeItem(hintKey);
  w.__calls = [];
  const wrap = (target: Record<string, unknown>, method: string, what: string) => {
    const original = target[method] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') return;
    target[method] = function (this: unknown, ...a: unknown[]) {
      const call: { what: string; start: number; end?: number; keys?: number } = { what, start: performance.now() };
      if (Array.isArray(a[0])) call.keys = (a[0] as unknown[]).length;
      w.__calls.push(call);
      const result = original.apply(this, a);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        void (result as Promise<unknown>).then(
          () => (call.end = performance.now()),
          () => (call.end = performance.now()),
        );
      } else call.end = performance.now();
      return result;
    };
  };
  const c = (globalThis as unknown as { chrome: { storage: Record<string, Record<string, unknown>> } }).chrome;
  for (const area of ['local', 'managed', 'sync']) {
    for (const method of ['get', 'getKeys']) if (c.storage[area]) wrap(c.storage[area], method, `storage.${area}.${method}`);
  }
  const observer = new MutationObserver(() => {
    const done = rowTarget > 0 ? document.querySelectorAll('[data-order-no]').length >= rowTarget : !!document.getElementById('app')?.firstElementChild;
    if (done) {
      w.__rowsAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

interface Breakdown {
  rowsAt: number;
  /** CPU samples before the first screen's rows, ms by source (a package, or our file where the build has source maps). */
  cpu: Record<string, number>;
  marks: Record<string, number>;
  resources: { url: string; start: number; end: number }[];
  compile: { url: string; start: number; ms: number }[];
  evaluate: { url: string; start: number; ms: number }[];
  tasks: { start: number; ms: number; what: string }[];
  calls: { what: string; start: number; end?: number; keys?: number }[];
  busyBeforeRows: number;
}

const short = (url: unknown) => String(url ?? '').replace(/^chrome-extension:\/\/[^/]+/, '');

function analyse(events: TraceEvent[], rowsAt: number, calls: Breakdown['calls']): Breakdown {
  const nav = events.find((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').includes('popup.html'));
  if (!nav) throw new Error('no navigationStart of popup.html in the trace');
  const { pid } = nav;
  const t0 = nav.ts;
  const rel = (ts: number) => (ts - t0) / 1000;
  const main = events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tid = main?.tid ?? nav.tid;
  const mine = events.filter((e) => e.pid === pid && e.ts >= t0);
  const marks: Record<string, number> = {};
  for (const e of mine) {
    // The last of each: the initial about:blank document of the tab dates its own marks first.
    // And the popup's own performance marks (utils/popup/logic/marks.ts): its early reads left, its app started.
    const named = ['domInteractive', 'domContentLoadedEventEnd', 'domComplete', 'loadEventEnd', 'firstContentfulPaint', 'firstPaint'].includes(e.name) || e.name.startsWith('atrip-popup:');
    if (named && rel(e.ts) <= rowsAt + 1000) marks[e.name] = rel(e.ts);
  }
  const sends = new Map<string, { url: string; start: number }>();
  const resources: Breakdown['resources'] = [];
  for (const e of events.filter((e) => e.ts >= t0)) {
    const data = e.args?.data;
    if (!data) continue;
    if (e.name === 'ResourceSendRequest' && String(data.url).includes('chrome-extension://')) sends.set(String(data.requestId), { url: short(data.url), start: rel(e.ts) });
    if (e.name === 'ResourceFinish') {
      const sent = sends.get(String(data.requestId));
      if (sent) resources.push({ ...sent, end: rel(e.ts) });
    }
  }
  const onMain = mine.filter((e) => e.tid === tid && e.ph === 'X');
  const compile = onMain
    .filter((e) => e.name === 'v8.compileModule' || e.name === 'v8.compile')
    .map((e) => ({ url: short(e.args?.fileName ?? e.args?.data?.url), start: rel(e.ts), ms: (e.dur ?? 0) / 1000 }));
  const evaluate = onMain
    .filter((e) => e.name === 'v8.evaluateModule' || e.name === 'EvaluateScript')
    .map((e) => ({ url: short(e.args?.fileName ?? e.args?.data?.url), start: rel(e.ts), ms: (e.dur ?? 0) / 1000 }));
  const top = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const tasks = top
    .filter((t) => (t.dur ?? 0) >= 1000 && rel(t.ts) < rowsAt + 50)
    .map((t) => {
      const inner = onMain
        .filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0) && !['RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name) && (e.dur ?? 0) >= 300)
        .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
        .slice(0, 3)
        .map((e) => `${e.name}${e.args?.data?.url ? ` ${short(e.args.data.url)}` : ''}${e.args?.fileName ? ` ${short(e.args.fileName)}` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`);
      return { start: rel(t.ts), ms: (t.dur ?? 0) / 1000, what: inner.join('; ') };
    });
  const busyBeforeRows = top.filter((t) => rel(t.ts) < rowsAt).reduce((sum, t) => sum + Math.min((t.dur ?? 0) / 1000, rowsAt - rel(t.ts)), 0);
  return { rowsAt, cpu: cpuBySource(events, pid, tid, t0, rowsAt), marks, resources, compile, evaluate, tasks, calls, busyBeforeRows };
}

const maps = new Map<string, SourceMapConsumer | null>();
function sourceOf(url: string, line: number, column: number): string {
  const file = short(url);
  if (!file) return '(native / V8)';
  if (!maps.has(file)) {
    const mapFile = path.join(EXTENSION_DIR, `${file}.map`);
    maps.set(file, existsSync(mapFile) ? new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
  }
  const map = maps.get(file);
  if (!map) return file;
  const source = map.originalPositionFor({ line: line + 1, column }).source ?? file;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return pkg ? pkg[1]! : source.replace(/^(\.\.\/)+/, '');
}

/** Self time of the main thread's CPU samples (trace category disabled-by-default-v8.cpu_profiler) before `until`, by source. */
function cpuBySource(events: TraceEvent[], pid: number, tid: number, t0: number, until: number): Record<string, number> {
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } };
  type Chunk = { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] };
  const out: Record<string, number> = {};
  // One profile per thread (its id), starting at its Profile event's startTime; samples as time deltas.
  for (const profile of events.filter((e) => e.pid === pid && e.tid === tid && e.name === 'Profile')) {
    const id = (profile as unknown as { id: string }).id;
    const nodes = new Map<number, Node>();
    let ts = Number((profile.args?.data as { startTime?: number } | undefined)?.startTime ?? profile.ts);
    for (const e of events) {
      if (e.pid !== pid || e.name !== 'ProfileChunk' || (e as unknown as { id: string }).id !== id) continue;
      const data = e.args?.data as Chunk | undefined;
      for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
      const samples = data?.cpuProfile?.samples ?? [];
      const deltas = data?.timeDeltas ?? [];
      for (let i = 0; i < samples.length; i++) {
        ts += deltas[i] ?? 0;
        const at = (ts - t0) / 1000;
        const step = Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
        if (at < 0 || at > until) continue;
        const frame = nodes.get(samples[i]!)?.callFrame;
        if (!frame) continue;
        const key = frame.functionName.startsWith('(') ? frame.functionName : sourceOf(frame.url, frame.lineNumber, frame.columnNumber);
        out[key] = (out[key] ?? 0) + step;
      }
    }
  }
  return out;
}

async function tracedOpen(h: Harness, rows: number): Promise<Breakdown> {
  const browser = h.context.browser()!;
  const page: Page = await h.context.newPage();
  try {
    await page.addInitScript(`(() => { const __name = (f) => f; (${installCallProbe.toString()})(${JSON.stringify(HINT_KEY)}, ${rows}, ${FORGET}); })();`);
    await browser.startTracing(undefined, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading', 'v8', 'v8.execute', '__metadata', 'disabled-by-default-v8.cpu_profiler'],
    });
    await page.goto(`${h.extensionOrigin}/popup.html`);
    const rowsAt = await until(() => page.evaluate(() => (window as unknown as { __rowsAt?: number }).__rowsAt), 60_000, 'popup rows', 50);
    await page.waitForTimeout(300);
    const calls = await page.evaluate(() => (window as unknown as { __calls: Breakdown['calls'] }).__calls);
    const buffer = await browser.stopTracing();
    const { traceEvents } = JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] };
    return analyse(traceEvents, rowsAt, calls);
  } finally {
    await page.close();
  }
}

const f = (n: number | undefined) => (n === undefined ? '   -  ' : n.toFixed(1).padStart(6));

function print(b: Breakdown, i: number) {
  console.log(`\n— open ${i + 1}: first screen's rows at ${f(b.rowsAt)} ms; main thread busy ${f(b.busyBeforeRows)} ms before that`);
  console.log(`  marks: ${Object.entries(b.marks).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  for (const r of b.resources) console.log(`  fetch   ${f(r.start)} → ${f(r.end)}  ${r.url}`);
  for (const c of b.compile) console.log(`  compile ${f(c.start)} +${f(c.ms)}  ${c.url}`);
  for (const e of b.evaluate) console.log(`  eval    ${f(e.start)} +${f(e.ms)}  ${e.url}`);
  for (const c of b.calls) console.log(`  call    ${f(c.start)} → ${f(c.end)}  ${c.what}${c.keys !== undefined ? ` (${c.keys} keys)` : ''}`);
  for (const t of b.tasks) console.log(`  task    ${f(t.start)} +${f(t.ms)}  ${t.what}`);
  const cpu = Object.entries(b.cpu).filter(([k]) => k !== '(idle)').sort((x, y) => y[1] - x[1]);
  console.log(`  cpu before the rows: ${cpu.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
}

const h = await Harness.launch();
try {
  console.log(`Chromium ${h.context.browser()?.version()}; ${ORDERS} orders${FORGET ? ', no view hint' : ''}; ${OPENS} traced opens after a warm-up`);
  await replaceOrders(h, seedRecords(ORDERS));
  await openPopupOnce(h, ORDERS, { forget: FORGET }); // warm-up (leaves the view hint)
  const rows = ORDERS === 0 ? 0 : firstScreenRows(ORDERS);
  const results: Breakdown[] = [];
  for (let i = 0; i < OPENS; i++) {
    const b = await tracedOpen(h, rows);
    print(b, i);
    results.push(b);
  }
  console.log(`\nmedian first screen: ${median(results.map((b) => b.rowsAt)).toFixed(1)} ms; domInteractive ${median(results.map((b) => b.marks.domInteractive ?? NaN)).toFixed(1)} ms; busy before rows ${median(results.map((b) => b.busyBeforeRows)).toFixed(1)} ms`);
} finally {
  await h.close();
}
