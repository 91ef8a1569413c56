/**
 * `npx tsx bench/trace-load.ts [list|element-ui] [--no-extension]`: the timeline of ONE load of a
 * portal page (CDP trace of the page's main thread), to see where the time to the controls in view
 * goes: when the content script runs, each of its tasks, each style/layout and paint, the
 * IntersectionObserver reports, and when each control in view went in. A diagnostic beside
 * `npm run bench` (which gives the figures); measures what is built (`E2E_EXTENSION_DIR` or
 * `.output/chrome-mv3-e2e`). Take the browsers lock: `flock /tmp/atrip-browsers.lock npx tsx …`.
 */
import { Harness } from '../test/e2e/harness';
import { launchPlain } from './lib/browsers';
import { asInitScript, preparePageProbe } from './page-cost';
import type { ProbeState } from './lib/page-probe';
import { sleep, until } from './lib/stats';
import type { TraceEvent } from './lib/trace-event';

const PATHS = { list: '/portal/?pageSize=2000#/order/list', 'element-ui': '/portals/element-ui/#/order/list' } as const;
const which = (process.argv[2] ?? 'list') as keyof typeof PATHS;
const withExtension = !process.argv.includes('--no-extension');

/** Main world: when each control host went in, and where it was then (in view or not) at the end. */
function recordHosts() {
  const w = window as unknown as { __hosts: { t: number; order: string; host: Element }[]; __hostsReport: () => unknown };
  w.__hosts = [];
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records)
      for (const n of r.addedNodes) if (n.nodeType === 1 && (n as Element).localName === 'atrip-stop-control') w.__hosts.push({ t, order: (n as Element).getAttribute('data-atrip-order') ?? '', host: n as Element });
  }).observe(document, { childList: true, subtree: true });
  w.__hostsReport = () =>
    w.__hosts.map(({ t, order, host }) => {
      const r = host.getBoundingClientRect();
      return { t, order, inView: host.isConnected && r.bottom > 0 && r.top < innerHeight && host.checkVisibility({ visibilityProperty: true }) };
    });
}

// The harness's sandbox serves the page in both cases; without the extension, a plain Chromium loads it.
const h = await Harness.launch();
const plain = withExtension ? null : await launchPlain();
const context = plain?.context ?? h.context;
const sandboxUrl = h.sandbox.url;
try {
  await preparePageProbe(context);
  await context.addInitScript(asInitScript(recordHosts));
  // A warm-up load (caches, compiled code), as the bench does.
  const warm = await context.newPage();
  await warm.setViewportSize({ width: 1280, height: 900 });
  await warm.goto(`${sandboxUrl}${PATHS[which]}`, { waitUntil: 'load' });
  await sleep(1500);
  await warm.close();

  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'loading', 'blink'],
    },
  });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(`${sandboxUrl}${PATHS[which]}`, { waitUntil: 'load' });
  const probe = () => page.evaluate(() => (window as unknown as { __bench: ProbeState }).__bench);
  await until(async () => (withExtension ? (await probe()).inView[0] : (await probe()).renders[0])?.t, 60_000, 'done', 100);
  await sleep(800);
  const p = await probe();
  const hosts = (await page.evaluate(() => (window as unknown as { __hostsReport: () => unknown }).__hostsReport())) as { t: number; order: string; inView: boolean }[];
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  await cdp.send('Tracing.end');
  await complete;

  const nav = events.find((e) => e.name === 'navigationStart' && (e.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL?.includes(PATHS[which].split('#')[0]!));
  if (!nav) throw new Error('no navigationStart in the trace');
  const main = events.find((e) => e.pid === nav.pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const t0 = nav.ts;
  const at = (ts: number) => ((ts - t0) / 1000).toFixed(1).padStart(7);
  const ours = (e: TraceEvent) => JSON.stringify(e.args?.data ?? {}).includes('content-scripts/content.js');
  const lines: string[] = [];
  const KEEP = new Set(['EvaluateScript', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'Paint', 'FireAnimationFrame', 'TimerFire', 'ParseHTML', 'RunTask', 'MarkDOMContent', 'MarkLoad', 'IntersectionObserverController::computeIntersections', 'v8.compile', 'Commit', 'PrePaint', 'Layerize']);
  const onMain = events.filter((e) => e.pid === nav.pid && e.tid === main?.tid && e.ts >= t0).sort((a, b) => a.ts - b.ts);
  for (const e of onMain) {
    if (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || (e.ph === 'b' && e.cat.includes('user_timing'))) {
      if (e.cat.includes('user_timing') || e.name.startsWith('Mark')) lines.push(`${at(e.ts)}          mark ${e.name}`);
      continue;
    }
    if (e.ph !== 'X' || !KEEP.has(e.name)) continue;
    const d = (e.dur ?? 0) / 1000;
    if (e.name === 'RunTask' && d < 8) continue;
    if ((e.name === 'FunctionCall' || e.name === 'EvaluateScript') && !ours(e) && d < 3) continue;
    if ((e.name === 'Paint' || e.name === 'PrePaint' || e.name === 'Layerize' || e.name === 'Commit') && d < 2) continue;
    if ((e.name === 'UpdateLayoutTree' || e.name === 'Layout') && d < 1) continue;
    const data = e.args?.data as Record<string, unknown> | undefined;
    const detail = ours(e) ? `OURS ${String(data?.functionName ?? '')}` : e.name === 'Layout' ? `${(data as { dirtyObjects?: number } | undefined)?.dirtyObjects ?? ''}` : e.name === 'UpdateLayoutTree' ? `${data?.elementCount ?? ''}` : String(data?.functionName ?? data?.url ?? '').slice(-60);
    lines.push(`${at(e.ts)} ${d.toFixed(1).padStart(7)} ${e.name} ${detail}`);
  }
  // User timing marks from any thread of the page (the content script's marks).
  for (const e of events.filter((e) => e.cat.includes('user_timing') && e.pid === nav.pid && e.ts >= t0 && e.name.startsWith('atrip'))) lines.push(`${at(e.ts)}          MARK ${e.name}`);
  // Self time by function in the content script's first slice (from the first run with work to its first slice end), if marked.
  const marks = events.filter((e) => e.cat.includes('user_timing') && e.name.startsWith('atrip:'));
  const from = marks.find((e) => e.name.startsWith('atrip:run') && !e.name.includes('q=1 ') && !e.name.includes('end'));
  const to = from && marks.find((e) => e.ts > from.ts && e.name.startsWith('atrip:slice end'));
  if (from && to) selfTimes(profile, from.ts - 40_000, to.ts);
  // The page's longest task after DOMContentLoaded (its render task, on both pages): what runs inside
  // it, by trace event and by profile function, to compare a load with and without the extension.
  const dcl = onMain.find((e) => e.name === 'MarkDOMContent')?.ts ?? t0;
  const longest = onMain.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.ts >= dcl).sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))[0];
  if (longest) {
    const end = longest.ts + (longest.dur ?? 0);
    const inside = events.filter((e) => e.pid === nav.pid && e.tid === main?.tid && e.ph === 'X' && e.ts >= longest.ts && e.ts + (e.dur ?? 0) <= end && e !== longest);
    const byName = new Map<string, [number, number]>();
    for (const e of inside) {
      const key = ours(e) ? `${e.name} (ours)` : e.name;
      const [n, d] = byName.get(key) ?? [0, 0];
      byName.set(key, [n + 1, d + (e.dur ?? 0) / 1000]);
    }
    const rows = [...byName].sort((a, b) => b[1][1] - a[1][1]).slice(0, 30);
    console.log(`\nlongest task after DOMContentLoaded: ${at(longest.ts)} ms, ${((longest.dur ?? 0) / 1000).toFixed(1)} ms; events inside (count, summed duration, nested ones counted twice):`);
    console.log(rows.map(([k, [n, d]]) => `  ${d.toFixed(1).padStart(7)} ms ×${String(n).padEnd(5)} ${k}`).join('\n'));
    selfTimes(profile, longest.ts, end, true);
  }
  // Each task of ours of 5 ms or more: where its time goes (profile, top functions).
  if (process.argv.includes('--ours')) {
    for (const e of onMain.filter((e) => e.ph === 'X' && ours(e) && (e.name === 'FunctionCall' || e.name === 'EvaluateScript') && (e.dur ?? 0) >= 5000)) {
      console.log(`\n== ours at ${at(e.ts)} ms: ${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)} ms`);
      selfTimes(profile, e.ts, e.ts + (e.dur ?? 0), false, 12);
    }
  }
  const inView = hosts.filter((x) => x.inView);
  const sorted = lines.sort((a, b) => parseFloat(a) - parseFloat(b));
  console.log(sorted.join('\n'));
  console.log(`\nrows rendered ${p.renders[0]?.t.toFixed(1)} ms; controls in view (probe) ${p.inView[0]?.t.toFixed(1)} ms; hosts made ${hosts.length}, in view ${inView.length}`);
  const groups = new Map<string, number>();
  for (const x of inView) groups.set(x.t.toFixed(1), (groups.get(x.t.toFixed(1)) ?? 0) + 1);
  console.log(`in-view hosts inserted at: ${[...groups].map(([t, n]) => `${t} ms ×${n}`).join(', ')}`);
} finally {
  await plain?.close();
  // (profile helpers below)
  await h.close();
}

interface Profile {
  nodes: { id: number; callFrame: { url: string; functionName: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** Prints self time (and time with the content script on the stack) per function, in [from, to] (trace µs). */
function selfTimes(profile: Profile, from: number, to: number, byFile = false, count = 40) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < from || t > to) continue;
    const dt = (profile.timeDeltas[i + 1] ?? 100) / 1000;
    const leaf = nodes.get(profile.samples[i]!)!;
    const name = (n: typeof leaf) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = leaf.id; at !== undefined; at = parent.get(at)) {
      const key = name(nodes.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  }
  if (byFile) {
    // (time by script file: the page's libraries, ours, and the engine's own entries: GC, program)
    const files = new Map<string, number>();
    for (const [k, v] of self) {
      const file = k.split(' ').pop()!.replace(/:\d+$/, '') || k;
      const key = / :-1$/.test(k) ? `${k.replace(/ :-1$/, '')} (engine/DOM)` : file;
      files.set(key, (files.get(key) ?? 0) + v);
    }
    for (const [k, v] of files) self.set(`[file] ${k}`, v);
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `  ${v.toFixed(1).padStart(6)} ms  ${k}`).join('\n');
  console.log(`\nself time, ${((to - from) / 1000).toFixed(1)} ms window:\n${top(self)}\n\ntotal time:\n${top(total)}`);
}
