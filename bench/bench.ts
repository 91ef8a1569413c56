/**
 * The measurements of `npm run bench` (started by bench/run.ts, which builds first and points
 * E2E_EXTENSION_DIR / BENCH_PROD_DIR at what it built before this module loads the harness).
 * Prints a table (one line of method per figure) and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness, EXTENSION_DIR } from '../test/e2e/harness';
import { launchPlain } from './lib/browsers';
import { compare, measureBundles, readBudget, type Bundle } from './lib/size';
import { max, median, min, ms, ratio, round, kb } from './lib/stats';
import { measureLoad, measurePaging, preparePageProbe, type LoadSample, type PagingSample } from './page-cost';
import { deadlineRun, latencyRun, type DeadlineRun, type LatencyRun } from './outcome';
import { clearOrders, coldPopupRun, emptyPopupRun, firstScreenRows, popupRun } from './popup';
import { badgeChangeRun, popupChangeRun, type ChangeSample } from './change-cost';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const REPEATS = option('--repeats', 5);
const LIST_ROWS = 2000;
const PAGE_ROWS = 200;
const LATENCY_ORDERS = 20;
const FIRST_CHECK_SECONDS = 3;
const INTERCEPT_SECONDS = 2;
const DEADLINE = { firstCheckSeconds: FIRST_CHECK_SECONDS, recheckSeconds: 10, deadlineMinutes: 1 };
const POPUP_SIZES = [100, 1000];
const PROD_DIR = path.resolve(process.env.BENCH_PROD_DIR ?? '.output/chrome-mv3');
const PROD_LABEL = process.env.BENCH_PROD_LABEL ?? shownPath(PROD_DIR);
const RESULTS_FILE = path.resolve(import.meta.dirname, 'results.json');

interface Figure {
  section: string;
  label: string;
  /** Milliseconds, bytes or a count, as `unit` says. */
  value: number;
  unit: 'ms' | 'bytes' | 'calls';
  baseline?: number;
  baselineLabel?: string;
  /** How the value compares with the baseline, as printed (ratio, difference, share of budget). */
  comparison: string;
  method: string;
}

const figures: Figure[] = [];
const started = Number(process.env.BENCH_STARTED) || Date.now();
const log = (message: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

// ---------------------------------------------------------------- 1. page cost

/** The pages measured: the hand-written list with 2,000 orders and the Element UI (Vue 2) list. */
const PAGES = {
  list: { path: `/portal/?pageSize=${LIST_ROWS}#/order/list`, section: `Page cost (${LIST_ROWS.toLocaleString('en-US')} orders)` },
  elementUi: { path: '/portals/element-ui/#/order/list', section: 'Page cost (Element UI, 30 orders)' },
} as const;

type Pair<T> = { ext: T[]; base: T[] };

/** 1 warm-up (not counted), then the two browsers in turn, so that drift hits both. */
async function inTurn<T>(what: string, run: (withExtension: boolean) => Promise<T>, describe: (ext: T, base: T) => string): Promise<Pair<T>> {
  const pair: Pair<T> = { ext: [], base: [] };
  // One more try for a sample that times out (a page stuck on this busy machine); then it fails.
  const once = async (withExtension: boolean) => {
    try {
      return await run(withExtension);
    } catch (error) {
      log(`${what}: ${error instanceof Error ? error.message : String(error)}; trying that sample again`);
      return run(withExtension);
    }
  };
  for (let i = 0; i <= REPEATS; i++) {
    const ext = await once(true);
    const base = await once(false);
    if (i > 0) {
      pair.ext.push(ext);
      pair.base.push(base);
    }
    log(`${what} ${i === 0 ? 'warm-up' : `${i}/${REPEATS}`}: ${describe(ext, base)}`);
  }
  return pair;
}

async function pageCost() {
  const h = await Harness.launch();
  const plain = await launchPlain();
  try {
    await preparePageProbe(h.context);
    await preparePageProbe(plain.context);
    const contextOf = (withExtension: boolean) => (withExtension ? h.context : plain.context);
    const url = (path: string) => `${h.sandbox.url}${path}`;
    const loads = {} as Record<keyof typeof PAGES, Pair<LoadSample>>;
    for (const key of Object.keys(PAGES) as (keyof typeof PAGES)[]) {
      loads[key] = await inTurn(
        `${key} load`,
        (ext) => measureLoad(contextOf(ext), url(PAGES[key].path), ext),
        (ext, base) => `in view ${ms(ext.inViewMs!)} vs rows ${ms(base.rowsMs)}; after the scroll ${ms(ext.scrollMs!)}`,
      );
    }
    const swap = await inTurn(
      'paging swap',
      (ext) => measurePaging(contextOf(ext), url(`/portal/?pageSize=${PAGE_ROWS}#/order/list`), (page) => page.locator('button.next').click(), ext),
      (ext, base) => `controls ${ms(ext.controlsMs!)} vs rows ${ms(base.rewriteMs)}`,
    );
    const inPlace = await inTurn(
      'in-place paging',
      (ext) => measurePaging(contextOf(ext), url(PAGES.elementUi.path), (page) => page.locator('.el-pager li', { hasText: /^2$/ }).click(), ext),
      (ext, base) => `follow ${ms(ext.followMs!)} after the rewrite (${ms(ext.rewriteMs)}; ${ms(base.rewriteMs)} without)`,
    );
    const version = h.context.browser()?.version() ?? 'unknown';
    return { loads, swap, inPlace, chromium: version, harness: h };
  } catch (error) {
    await h.close();
    throw error;
  } finally {
    await plain.close();
  }
}

function pageFigures(loads: Record<keyof typeof PAGES, Pair<LoadSample>>, swap: Pair<PagingSample>, inPlace: Pair<PagingSample>) {
  const m = <T>(list: T[], pick: (s: T) => number) => median(list.map(pick));
  const add = (section: string, label: string, value: number, baseline: number, baselineLabel: string, method: string, comparison = ratio(value, baseline)) =>
    figures.push({ section, label, value, unit: 'ms', baseline, baselineLabel, comparison, method });
  /**
   * Long tasks and long frames are only reported from 50 ms: a baseline of 0 means "none over
   * 50 ms", so the ratio is only bounded from below.
   */
  const addLong = (section: string, label: string, value: number, baseline: number, baselineLabel: string, method: string) => {
    if (baseline > 0) return add(section, label, value, baseline, baselineLabel, method);
    figures.push({
      section,
      label,
      value,
      unit: 'ms',
      baseline: 0,
      baselineLabel: `${baselineLabel}: none ≥ 50 ms`,
      comparison: value > 0 ? `> ${(value / 50).toFixed(2)}× (baseline < 50 ms)` : 'same (none ≥ 50 ms)',
      method,
    });
  };
  const plus = (value: number, baseline: number, goal: number) => `${value - baseline >= 0 ? '+' : ''}${ms(value - baseline)} (goal ≤ +${goal} ms)`;
  const medianN = `median of ${REPEATS} loads per browser (after 1 warm-up), the two browsers in turn, viewport 1280×900`;

  for (const key of Object.keys(PAGES) as (keyof typeof PAGES)[]) {
    const { ext, base } = loads[key];
    const { section, path } = PAGES[key];
    const rows = m(base, (s) => s.rowsMs);
    add(section, 'load event', m(ext, (s) => s.loadMs), m(base, (s) => s.loadMs), 'no extension', `loadEventEnd of ${path} (ms since navigation start); ${medianN}`);
    add(section, 'table rows rendered', m(ext, (s) => s.rowsMs), rows, 'no extension', `end of the page task that put all the rows in the DOM (MutationObserver from an init script); ${medianN}`);
    const inView = m(ext, (s) => s.inViewMs!);
    add(
      section,
      'controls for the orders in view',
      inView,
      rows,
      "page's own load (rows, no extension)",
      `every order number in the viewport (not hidden by the page) has its control in its cell: checked after each painted frame, dated by the MutationObserver record that inserted the last one; vs rows rendered without the extension, when the agent could start before; ${medianN}`,
      plus(inView, rows, 50),
    );
    const scroll = m(ext, (s) => s.scrollMs!);
    add(
      section,
      'controls after scrolling to the bottom',
      scroll,
      100,
      'goal',
      `window.scrollTo(bottom) in the page → every number then in view has its control, dated as above (0 ms: they were made before the rows came in, by the look-ahead); ${medianN}`,
      scroll <= 100 ? 'within the goal' : 'over the goal',
    );
    figures.push({
      section,
      label: 'controls made (of the orders on the page)',
      value: m(ext, (s) => s.controls!),
      unit: 'calls',
      comparison: 'visible first: the rest as they come near the viewport',
      method: `<atrip-stop-control> hosts in the page 1 s after those in view (before any scroll), hidden copies included; ${medianN}`,
    });
    const script = m(ext, (s) => s.longestScriptMs!);
    add(
      section,
      'longest stretch of content-script code',
      script,
      50,
      'a long task',
      `CPU profile (CDP Profiler, 200 µs sampling) from the navigation to 1 s after the scroll: consecutive samples with content.js on the stack × the median sampling interval (the content script's slices; style and layout the browser does after them are the page's frame, below); ${medianN}`,
      script < 50 ? 'below' : 'AT OR OVER',
    );
    addLong(
      section,
      'longest task after the rows',
      m(ext, (s) => Math.max(s.longestAfterRowsMs, s.longestAfterScrollMs)),
      m(base, (s) => Math.max(s.longestAfterRowsMs, s.longestAfterScrollMs)),
      'no extension, same windows',
      `Long Tasks API (init script), from the rows rendered to 1 s after the controls in view and in the second after the scroll — the page's own layout of its new rows included, with and without the extension; content script start-up (DOMContentLoaded→load end) median ${ms(m(ext, (s) => s.startupTaskMs))}, without the extension ${ms(m(base, (s) => s.startupTaskMs))}; ${medianN}`,
    );
    addLong(
      section,
      'longest frame after the rows (LoAF)',
      m(ext, (s) => s.longestFrameAfterRowsMs),
      m(base, (s) => s.longestFrameMs),
      "page's own longest",
      `long-animation-frame entries, rows → 1 s after the controls in view, vs the longest frame of the whole load without the extension; of which style+layout (median) ${ms(m(ext, (s) => s.longestFrameAfterRowsStyleLayoutMs))}; ${medianN}`,
    );
    add(
      section,
      'main-thread blocking after the rows',
      m(ext, (s) => s.blockingAfterRowsMs),
      0,
      'page idle',
      `sum of (long task − 50 ms) in that window; without the extension (median) ${ms(m(base, (s) => s.blockingAfterRowsMs))}; ${medianN}`,
      `+${ms(m(ext, (s) => s.blockingAfterRowsMs))}`,
    );
  }

  const swapSection = `Paging swap (${PAGE_ROWS} rows, 下一页)`;
  const medianP = `median of ${REPEATS} swaps per browser (after 1 warm-up), in turn; page 1 settled for 1 s first`;
  const swapRows = m(swap.base, (s) => s.rewriteMs);
  add(swapSection, 'controls for the new rows in view', m(swap.ext, (s) => s.controlsMs!), swapRows, 'rows, no extension',
    `click (event.timeStamp, Playwright trusted click on button.next) → every number in view has its control (dated as above), vs click → new rows in the DOM without the extension (the portal replaces the rows); ${medianP}`);
  add(swapSection, 'new rows rendered', m(swap.ext, (s) => s.rewriteMs), swapRows, 'no extension', `click → the page's own rows in the DOM (includes the portal's fetch + 100 ms render delay); ${medianP}`);
  addLong(swapSection, 'longest task during the swap', m(swap.ext, (s) => s.longestTaskMs), m(swap.base, (s) => s.longestTaskMs), 'no extension',
    `Long Tasks API, click → 1 s after the swap completed (0 = no task over 50 ms); ${medianP}`);

  const inPlaceSection = 'In-place paging (Element UI, page 2)';
  const follow = m(inPlace.ext, (s) => s.followMs!);
  add(inPlaceSection, 'controls follow the rewritten numbers', follow, 100, 'goal',
    `Vue 2 patches the same rows: from the page's first rewrite of a number (MutationObserver) to every number in view having its own control (dated as above); ${medianP}`, follow <= 100 ? 'within the goal' : 'over the goal');
  add(inPlaceSection, "page's own rewrite after the click", m(inPlace.ext, (s) => s.rewriteMs), m(inPlace.base, (s) => s.rewriteMs), 'no extension',
    `click on el-pager "2" (trusted) → the page rewrote the numbers (includes the portal's fetch + 100 ms render delay); ${medianP}`);
  addLong(inPlaceSection, 'longest task during the paging', m(inPlace.ext, (s) => s.longestTaskMs), m(inPlace.base, (s) => s.longestTaskMs), 'no extension',
    `Long Tasks API, click → 1 s after the controls followed; ${medianP}`);
}

// ---------------------------------------------------------------- 4. popup

async function popup(h: Harness) {
  const empty = await emptyPopupRun(h, REPEATS);
  log(`popup 0 orders: ${empty.map((v) => ms(v)).join(', ')}`);
  const bySize: Record<number, number[]> = {};
  for (const size of POPUP_SIZES) {
    bySize[size] = await popupRun(h, size, REPEATS);
    log(`popup ${size} orders: ${bySize[size]!.map((v) => ms(v)).join(', ')}`);
  }
  const coldSize = POPUP_SIZES.at(-1)!;
  const cold = await coldPopupRun(h, coldSize, REPEATS);
  log(`popup ${coldSize} orders, first open: ${cold.map((v) => ms(v)).join(', ')}`);
  await clearOrders(h);
  const base = median(empty);
  const firstScreen = (size: number) =>
    `ms since navigation start until the first screen's rows are in the DOM: ${firstScreenRows(size)} [data-order-no] rows (every order in progress, the newest finished ones; the rest behind "Show more"), and all ${size} orders counted once read`;
  figures.push({
    section: 'Popup',
    label: 'first render, no orders',
    value: base,
    unit: 'ms',
    comparison: 'baseline',
    method: `popup.html opened in a tab; ms since navigation start until #app has its first element; median of ${REPEATS} opens after 1 warm-up`,
  });
  for (const size of POPUP_SIZES) {
    const value = median(bySize[size]!);
    figures.push({
      section: 'Popup',
      label: `first render, ${size.toLocaleString('en-US')} tracked orders`,
      value,
      unit: 'ms',
      baseline: base,
      baselineLabel: 'no orders',
      comparison: ratio(value, base),
      method: `popup.html opened in a tab with its view hint from the previous open (as every open after the first); ${firstScreen(size)}; ${size} valid records seeded into chrome.storage.local (1 in 10 intercepting); median of ${REPEATS} opens after 1 warm-up`,
    });
  }
  const coldValue = median(cold);
  figures.push({
    section: 'Popup',
    label: `first render, ${coldSize.toLocaleString('en-US')} tracked orders, first open (no view hint)`,
    value: coldValue,
    unit: 'ms',
    baseline: base,
    baselineLabel: 'no orders',
    comparison: ratio(coldValue, base),
    method: `as above, but the view hint removed before each open (first open after install, or after the extension's storage was cleared): every record is read before the first render; median of ${REPEATS} opens after 1 warm-up`,
  });
  return { emptyMs: empty, bySize, coldMs: cold };
}

// ---------------------------------------------------------------- 4b. one change with 1,000 records

const CHANGE_RECORDS = 1000;

async function changes(h: Harness) {
  const badge = await badgeChangeRun(h, CHANGE_RECORDS, REPEATS);
  log(`badge per change: ${badge.samples.map((s) => `${ms(s.ms)} / ${s.reads} reads / ${kb(s.readBytes)}`).join(', ')}`);
  log(`full read: ${badge.fullRead.map((s) => `${ms(s.ms)} / ${kb(s.readBytes)}`).join(', ')}`);
  const popupSamples = await popupChangeRun(h, CHANGE_RECORDS, REPEATS);
  log(`popup per change: ${popupSamples.map((s) => `${ms(s.ms)} / ${s.reads} reads`).join(', ')}`);
  await clearOrders(h);
  const section = `Per change (${CHANGE_RECORDS.toLocaleString('en-US')} stored records)`;
  const full = badge.fullRead;
  const fullMs = median(full.map((s) => s.ms));
  const fullBytes = median(full.map((s) => s.readBytes));
  const readsOf = (samples: ChangeSample[]) =>
    `${median(samples.map((s) => s.reads))} storage.local.get calls, ${kb(median(samples.map((s) => s.readBytes)))} read${samples.some((s) => s.readAll) ? ', WITH a read of the whole store' : ', none of the whole store'}`;
  const badgeMs = median(badge.samples.map((s) => s.ms));
  figures.push({
    section,
    label: 'badge updated after a change (background)',
    value: badgeMs,
    unit: 'ms',
    baseline: fullMs,
    baselineLabel: 'one read of every record',
    comparison: `${ratio(badgeMs, fullMs)}; ${readsOf(badge.samples)}; ${ms(median(badge.samples.map((s) => s.messageMs!)))} from the message sent`,
    method: `${CHANGE_RECORDS} records seeded (1 in 10 in progress), then a fresh service worker (its reconcile re-derives the in-progress index); a "remove" message for an order in progress from an extension page; ms from the worker's read of that record (the change's read-modify-write) to its setBadgeText call, the worker's storage.local.get calls counted from that read; baseline: chrome.storage.local.get(null) timed in the same worker (${kb(fullBytes)}), what every change cost before the index (refreshBadge read every record); median of ${REPEATS} changes after 1 warm-up`,
  });
  figures.push({
    section,
    label: 'storage reads per change (background)',
    value: median(badge.samples.map((s) => s.reads)),
    unit: 'calls',
    comparison: `${kb(median(badge.samples.map((s) => s.readBytes)))} in all; none of every record`,
    method: 'as above: the record (read-modify-write), the in-progress index (read when the order enters or leaves progress, and by the badge)',
  });
  const popupMs = median(popupSamples.map((s) => s.ms));
  figures.push({
    section,
    label: 'lists updated (open popup)',
    value: popupMs,
    unit: 'ms',
    comparison: readsOf(popupSamples),
    method: `popup.html open with all ${CHANGE_RECORDS} records read; one record rewritten from that page (an order in progress becomes intercepted) → both section counts moved (MutationObserver, performance.now()); the popup's storage.local.get calls counted meanwhile (the change arrives in storage.onChanged with the new value); median of ${REPEATS} changes after 1 warm-up`,
  });
  return { badge, popup: popupSamples };
}

// ---------------------------------------------------------------- 2 + 3. outcome latency, API economy

function expectedDeadlineQueries(s: typeof DEADLINE): number {
  const deadline = s.deadlineMinutes * 60;
  let count = 0;
  for (let t = s.firstCheckSeconds; ; t = Math.min(t + s.recheckSeconds, deadline)) {
    count++;
    if (t >= deadline) break;
  }
  return count;
}

async function outcome() {
  const h = await Harness.launch({
    settings: { firstCheckSeconds: FIRST_CHECK_SECONDS, recheckSeconds: FIRST_CHECK_SECONDS, deadlineMinutes: 1 },
    sandbox: { interceptSeconds: INTERCEPT_SECONDS },
  });
  log(`deadline run started (${DEADLINE.deadlineMinutes} min, beside the latency runs)`);
  const deadlinePromise = deadlineRun(DEADLINE);
  let runs: LatencyRun[];
  try {
    const plainRun = await latencyRun(h, 1, LATENCY_ORDERS, INTERCEPT_SECONDS, false);
    log(`latency: ${LATENCY_ORDERS} orders notified`);
    const killedRun = await latencyRun(h, LATENCY_ORDERS + 1, LATENCY_ORDERS, INTERCEPT_SECONDS, true);
    log(`latency with the worker killed: ${LATENCY_ORDERS} orders notified`);
    runs = [plainRun, killedRun];
  } finally {
    await h.close();
  }
  const deadline = await deadlinePromise;
  log(`deadline run: ${deadline.state} after ${deadline.stopCalls} stop + ${deadline.queryCalls} query calls`);

  const floor = (FIRST_CHECK_SECONDS - INTERCEPT_SECONDS) * 1000;
  const settingsText = `firstCheckSeconds ${FIRST_CHECK_SECONDS}, sandbox interceptSeconds ${INTERCEPT_SECONDS}`;
  for (const run of runs) {
    const latencies = run.orders.map((o) => o.latencyMs);
    const what = run.killed ? 'worker killed' : 'worker alive';
    const how = `${LATENCY_ORDERS} ordinary TESTB orders stopped at once (${settingsText}): sandbox decision (its stopTicket log entry "at" + ${INTERCEPT_SECONDS} s) → the record's notified flag written (chrome.storage.onChanged in an extension page)${run.killed ? `; killWorker() once all were intercepting (${run.finalBeforeKill} already final then)` : ''}; baseline: the schedule's floor, firstCheck − intercept`;
    figures.push({ section: 'Outcome latency', label: `median, ${what}`, value: median(latencies), unit: 'ms', baseline: floor, baselineLabel: 'schedule floor', comparison: `+${ms(median(latencies) - floor)}`, method: how });
    const alarmDelay = median(run.orders.map((o) => o.firstQueryAt - (o.acceptedAt + FIRST_CHECK_SECONDS * 1000)));
    const acceptDelay = median(run.orders.map((o) => o.acceptedAt - (o.decidedAt - INTERCEPT_SECONDS * 1000)));
    const afterQuery = median(run.orders.map((o) => o.notifiedAt - o.firstQueryAt));
    figures.push({
      section: 'Outcome latency',
      label: `max, ${what}`,
      value: max(latencies),
      unit: 'ms',
      baseline: floor,
      baselineLabel: 'schedule floor',
      comparison: `+${ms(max(latencies) - floor)}`,
      method: `same ${LATENCY_ORDERS} orders, the slowest; where the time goes (medians): stop at the sandbox → acceptedAt written ${ms(acceptDelay)}, acceptedAt + ${FIRST_CHECK_SECONDS} s → status query at the sandbox ${ms(alarmDelay)}, query → notified ${ms(afterQuery)}`,
    });
  }
  const all = runs.flatMap((r) => r.orders);
  const calls = all.map((o) => o.stopCalls + o.queryCalls);
  const exactlyTwo = calls.filter((c) => c === 2).length;
  figures.push({
    section: 'API economy',
    label: 'calls per stopped order (first check decides)',
    value: median(calls),
    unit: 'calls',
    baseline: 2,
    baselineLabel: 'goal',
    comparison: `${exactlyTwo}/${calls.length} at 2 (min ${min(calls)}, max ${max(calls)})`,
    method: `sandbox request log (callsFor: stopTicket.do + queryOrderDetails.do) of the ${calls.length} latency orders, worker alive and killed; median`,
  });
  const expected = 1 + expectedDeadlineQueries(DEADLINE);
  figures.push({
    section: 'API economy',
    label: `calls per order, full deadline run (ends ${deadline.state})`,
    value: deadline.stopCalls + deadline.queryCalls,
    unit: 'calls',
    baseline: expected,
    baselineLabel: 'by the schedule',
    comparison: `${deadline.stopCalls} stop + ${deadline.queryCalls} query; ended ${ms(deadline.finishedAfterDeadlineMs)} after the deadline`,
    method: `the pending scenario (never decided), firstCheckSeconds ${DEADLINE.firstCheckSeconds}, recheckSeconds ${DEADLINE.recheckSeconds}, deadlineMinutes ${DEADLINE.deadlineMinutes}; sandbox request log; schedule = 1 stop + a check at first-check, every re-check and at the deadline`,
  });
  return { runs, deadline };
}

// ---------------------------------------------------------------- 5. size

function size(): Bundle[] {
  const bundles = measureBundles(PROD_DIR);
  const lines = compare(bundles, readBudget());
  for (const line of lines) {
    if (line.verdict === 'absent') continue;
    const bundle = bundles.find((b) => b.name === line.name)!;
    figures.push({
      section: 'Size (production build)',
      label: `${line.name} (${bundle.files.length} file${bundle.files.length === 1 ? '' : 's'})`,
      value: line.bytes,
      unit: 'bytes',
      ...(line.budget !== undefined && { baseline: line.budget }),
      baselineLabel: 'budget',
      comparison: line.budget ? `${Math.round((line.bytes / line.budget) * 100)}% of budget${line.verdict === 'over' ? ' (OVER)' : ''}` : 'no budget',
      method: `minified bytes of ${bundle.entry === bundle.files[0]?.file ? bundle.entry : `the JS/CSS ${bundle.entry} loads (${bundle.files.map((f) => f.file).join(', ')})`} in ${PROD_LABEL}; gzip -9 ${kb(line.gzipBytes)}; budget from bench/budget.json`,
    });
  }
  return bundles;
}

// ---------------------------------------------------------------- output

function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

function show(figure: Figure): string {
  const format = (v: number) => (figure.unit === 'ms' ? ms(v) : figure.unit === 'bytes' ? kb(v) : String(round(v, 1)));
  return format(figure.value);
}

function printTable(header: string) {
  const showBase = (f: Figure) =>
    f.baseline === undefined ? '' : `${f.unit === 'ms' ? ms(f.baseline) : f.unit === 'bytes' ? kb(f.baseline) : String(f.baseline)} ${f.baselineLabel ?? ''}`.trim();
  console.log(`\n${header}\n`);
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      console.log(`${section}`);
    }
    console.log(`  ${f.label.padEnd(52)} ${show(f).padStart(10)}   ${showBase(f).padEnd(28)} ${f.comparison}`);
    console.log(`      how: ${f.method}`);
  }
}

function markdownTable(): string {
  const rows = figures.map((f) => {
    const base = f.baseline === undefined ? '' : `${f.unit === 'ms' ? ms(f.baseline) : f.unit === 'bytes' ? kb(f.baseline) : f.baseline} (${f.baselineLabel})`;
    return `| ${f.section} | ${f.label} | ${show(f)} | ${base} | ${f.comparison} |`;
  });
  return ['| Section | Figure | Value | Baseline | vs baseline |', '|---|---|---|---|---|', ...rows].join('\n');
}

const notMeasured: { section: string; reason: string }[] = [];

/** Runs one section; a failure is reported as "not measured" and the other sections still run. */
async function section<T>(name: string, run: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    notMeasured.push({ section: name, reason });
    log(`${name}: NOT MEASURED: ${reason}`);
    return undefined;
  }
}

export async function main(loadStart: number) {
  log(`measuring the e2e build ${EXTENSION_DIR} and the production build ${PROD_DIR}`);

  const bundles = await section('Size', () => size());
  log('sizes read');
  let chromium = 'unknown';
  const page = await section('Page cost', async () => {
    const result = await pageCost();
    chromium = result.chromium;
    try {
      pageFigures(result.loads, result.swap, result.inPlace);
    } catch (error) {
      await result.harness.close();
      throw error;
    }
    return result;
  });
  const popupResult = await section('Popup', async () => {
    const h = page?.harness ?? (await Harness.launch());
    try {
      return await popup(h);
    } finally {
      await h.close();
    }
  });
  const changeResult = await section('Per change', async () => {
    const h = await Harness.launch();
    try {
      return await changes(h);
    } finally {
      await h.close();
    }
  });
  const outcomeResult = await section('Outcome latency and API economy', () => outcome());
  // The order of the issue.
  const order = ['Page cost', 'Paging swap', 'In-place paging', 'Outcome latency', 'API economy', 'Popup', 'Per change', 'Size'];
  figures.sort((a, b) => order.findIndex((o) => a.section.startsWith(o)) - order.findIndex((o) => b.section.startsWith(o)));

  const loadEnd = os.loadavg()[0]!;
  const environment = {
    date: new Date().toISOString(),
    chromium,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: round(loadStart, 2),
    loadAverageAtEnd: round(loadEnd, 2),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    repeats: REPEATS,
  };
  const header = `ATRIP Stop-Ticket benchmarks — ${environment.date}, headless Chromium ${environment.chromium}, ${environment.cpus} CPUs, load average ${environment.loadAverageAtStart} → ${environment.loadAverageAtEnd}, ${environment.durationSeconds} s`;
  printTable(header);
  for (const miss of notMeasured) console.log(`\nNOT MEASURED — ${miss.section}: ${miss.reason}`);
  if (Math.max(loadStart, loadEnd) > environment.cpus) {
    console.log(`\nNote: the machine was busy (load average ${environment.loadAverageAtStart} → ${environment.loadAverageAtEnd} on ${environment.cpus} CPUs): page and popup timings are noisy.`);
  }

  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        environment,
        figures,
        notMeasured,
        markdown: markdownTable(),
        raw: {
          pageLoads: page?.loads,
          pagingSwap: page?.swap,
          inPlacePaging: page?.inPlace,
          popup: popupResult,
          changes: changeResult,
          latency: outcomeResult?.runs,
          deadline: outcomeResult?.deadline satisfies DeadlineRun | undefined,
          bundles,
        },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nWrote ${shownPath(RESULTS_FILE)} (figures, a Markdown table, raw samples).`);
  if (notMeasured.length > 0) process.exitCode = 1;
}
