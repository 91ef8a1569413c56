/** Sections 4 and 4b: the popup's first render by number of tracked orders, and the cost of one change among 1,000 records. */
import type { Harness } from '../../test/e2e/harness';
import { badgeChangeRun, popupChangeRun, type ChangeSample } from '../change-cost';
import { figures, log, REPEATS } from '../lib/report';
import { kb, median, ms, ratio } from '../lib/stats';
import { launchFloor } from '../floor';
import { clearOrders, coldPopupRun, firstScreenRows, fullListRows, openPopupOnce, popupRun, type PopupOpen } from '../popup';
import { FIRST_FINISHED } from '../../utils/popup/logic/view-hint';

const POPUP_SIZES = [100, 1000];

/**
 * The bare pages of the floor (bench/floor.ts) and the empty popup, their opens taken in turn (static,
 * one read, popup; after a warm-up of each), so that the three medians are of the same minutes.
 */
async function floorAndEmpty(h: Harness): Promise<{ floor: { staticMs: PopupOpen[]; readMs: PopupOpen[] }; empty: PopupOpen[] }> {
  const bare = await launchFloor();
  try {
    await clearOrders(h);
    const floor = { staticMs: [] as PopupOpen[], readMs: [] as PopupOpen[] };
    const empty: PopupOpen[] = [];
    for (let i = 0; i <= REPEATS; i++) {
      const samples = [await bare.open('static.html'), await bare.open('read.html'), await openPopupOnce(h, 0)] as const;
      if (i === 0) continue; // the warm-up
      floor.staticMs.push(samples[0]);
      floor.readMs.push(samples[1]);
      empty.push(samples[2]);
    }
    return { floor, empty };
  } finally {
    await bare.close();
  }
}

/** `rows / paint` of each open, for the log. */
const opens = (samples: PopupOpen[]) => samples.map((s) => `${ms(s.at)} / ${ms(s.paintAt)}`).join(', ');
const dom = (samples: PopupOpen[]) => samples.map((s) => s.at);
const paint = (samples: PopupOpen[]) => samples.map((s) => s.paintAt);

export async function popup(h: Harness) {
  const { floor, empty } = await floorAndEmpty(h);
  log(`floor, bare page (static), element / first paint: ${opens(floor.staticMs)}`);
  log(`floor, bare page (one read), element / first paint: ${opens(floor.readMs)}`);
  log(`popup 0 orders, first element / first paint: ${opens(empty)}`);
  const bySize: Record<number, PopupOpen[]> = {};
  for (const size of POPUP_SIZES) {
    bySize[size] = await popupRun(h, size, REPEATS);
    log(`popup ${size} orders, rows / first paint: ${opens(bySize[size]!)}`);
  }
  const coldSize = POPUP_SIZES.at(-1)!;
  const cold = await coldPopupRun(h, coldSize, REPEATS);
  log(`popup ${coldSize} orders, first open, rows / first paint: ${opens(cold)}`);
  await clearOrders(h);
  const base = median(dom(empty));
  const staticFloor = median(dom(floor.staticMs));
  const readFloor = median(dom(floor.readMs));
  const overFloor = (value: number) => `${value >= readFloor ? '+' : '−'}${Math.abs(Math.round(value - readFloor))} ms from the floor (one read)`;
  const firstScreen = (size: number) =>
    `ms since navigation start until the first screen's rows are in the DOM: the ${firstScreenRows(size)} [data-order-no] rows the agent sees first, checked to be the right ones (the orders in progress newest first, then the newest finished; more than a 600 px popup shows), then all ${size} orders counted and the ${fullListRows(size)} rows of the whole first page (every order in progress, the newest ${FIRST_FINISHED} finished; the rest behind "Show more") drawn once every record is read`;
  const bare = `a bare MV3 extension (bench/floor/: not the product, one storage permission) in its own Chromium with the harness's flags, its page opened in a tab and timed with the popup's probe; ms since navigation start until #app has its first element; median of ${REPEATS} opens after 1 warm-up, taken in turn with the empty popup's`;
  figures.push({
    section: 'Popup',
    label: 'floor: bare extension page, element in its HTML',
    value: staticFloor,
    unit: 'ms',
    comparison: 'what the machine allows a page',
    method: `${bare}: the element is in the page's HTML (navigation, parse, commit: no script)`,
  });
  figures.push({
    section: 'Popup',
    label: 'floor: bare extension page, one storage read then the element',
    value: readFloor,
    unit: 'ms',
    baseline: staticFloor,
    baselineLabel: 'element in its HTML',
    comparison: `+${Math.round(readFloor - staticFloor)} ms`,
    method: `${bare}: one module script does one chrome.storage.local.get (the store holds the 1,000 seeded records), then appends the element: what a popup that shows stored data cannot go below`,
  });
  figures.push({
    section: 'Popup',
    label: 'first render, no orders',
    value: base,
    unit: 'ms',
    baseline: readFloor,
    baselineLabel: 'floor (one read)',
    comparison: `baseline; ${overFloor(base)}`,
    method: `popup.html opened in a tab; ms since navigation start until #app has its first element (the popup's frame, drawn before any storage read answers: it can come before the floor with one read); median of ${REPEATS} opens after 1 warm-up, taken in turn with the floor's`,
  });
  for (const size of POPUP_SIZES) {
    const value = median(dom(bySize[size]!));
    figures.push({
      section: 'Popup',
      label: `first render, ${size.toLocaleString('en-US')} tracked orders`,
      value,
      unit: 'ms',
      baseline: base,
      baselineLabel: 'no orders',
      comparison: `${ratio(value, base)}; ${overFloor(value)}`,
      method: `popup.html opened in a tab with its view hint from the previous open (as every open after the first); ${firstScreen(size)}; ${size} valid records seeded into chrome.storage.local (1 in 10 intercepting); median of ${REPEATS} opens after 1 warm-up`,
    });
  }
  const coldValue = median(dom(cold));
  figures.push({
    section: 'Popup',
    label: `first render, ${coldSize.toLocaleString('en-US')} tracked orders, first open (no view hint)`,
    value: coldValue,
    unit: 'ms',
    baseline: base,
    baselineLabel: 'no orders',
    comparison: `${ratio(coldValue, base)}; ${overFloor(coldValue)}`,
    method: `as above, but the view hint removed before each open (first open after install, or after the extension's storage was cleared): every record is read before the first render; median of ${REPEATS} opens after 1 warm-up`,
  });
  paintFigures(floor, empty, bySize);
  return { floor, emptyMs: empty, bySize, coldMs: cold };
}

/**
 * What the agent sees: the first paint of each page, beside the DOM times above. The DOM times say
 * when our code is done; the browser paints its next frame after that, when it gets to it (the
 * page's first paint waits for its load and a frame).
 */
function paintFigures(floor: { staticMs: PopupOpen[]; readMs: PopupOpen[] }, empty: PopupOpen[], bySize: Record<number, PopupOpen[]>) {
  const readFloor = median(paint(floor.readMs));
  const method = (what: string) =>
    `${what}; ms since navigation start until the page's first contentful paint (Paint Timing), or until the DOM time when that paint came before it (a lower bound: a paint before the rows); median of ${REPEATS} opens, the same opens as the DOM figure above`;
  const add = (label: string, samples: PopupOpen[], what: string, baseline?: number) => {
    const value = median(paint(samples));
    const after = median(samples.map((s) => s.paintAt - s.at));
    figures.push({
      section: 'Popup',
      label,
      value,
      unit: 'ms',
      ...(baseline !== undefined && { baseline, baselineLabel: 'floor (one read), first paint' }),
      comparison: `${baseline !== undefined ? `${value >= baseline ? '+' : '−'}${Math.abs(Math.round(value - baseline))} ms from the floor's paint; ` : ''}paint ${Math.round(after)} ms after the DOM (median per open)`,
      method: method(what),
    });
  };
  add('first paint: floor, element in its HTML', floor.staticMs, 'the bare page with its element in the HTML');
  add('first paint: floor, one storage read then the element', floor.readMs, 'the bare page that reads storage once, then appends its element');
  add('first paint, no orders', empty, 'the empty popup', readFloor);
  for (const size of POPUP_SIZES) add(`first paint, ${size.toLocaleString('en-US')} tracked orders`, bySize[size]!, `the popup with ${size} orders (its first screen's rows in the DOM first, as above)`, readFloor);
}

const CHANGE_RECORDS = 1000;

export async function changes(h: Harness) {
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
