/**
 * `npx tsx bench/trace-paging.ts [--pagings 6] [--only-slow] [--swap]`: the timeline of Element UI's in-place
 * paging (a trusted click on page 2; Vue 2 rewrites the same rows), or with `--swap` of the hand-written
 * list's paging swap (200 rows replaced after a click on 下一页), traced on the page's main thread
 * from the click to every number in view having its control: each task (its kind, what ran in it, our
 * code marked OURS), each frame, and `performance.mark`s whose name starts with `atrip` (none in the
 * sources: add them while investigating; times count from a mark `atrip-mo:c,…` at the start of the
 * scanner's MutationObserver callback, else from the first call of ours of 5 ms or more). A diagnostic
 * beside `npm run bench` (the in-place paging figure); measures what is built (`E2E_EXTENSION_DIR`
 * or `.output/chrome-mv3-e2e`). Take the browsers lock: `flock /tmp/atrip-browsers.lock npx tsx …`.
 */
import { Harness } from '../test/e2e/harness';
import { preparePageProbe } from './page-cost';
import type { ProbeState } from './lib/page-probe';
import { sleep, until } from './lib/stats';
import type { TraceEvent } from './lib/trace-event';

const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const pagings = process.argv.includes('--pagings') ? Number(arg('--pagings')) : 6;
const onlySlow = process.argv.includes('--only-slow');
const swap = process.argv.includes('--swap');
const PATH = swap ? '/portal/?pageSize=200#/order/list' : '/portals/element-ui/#/order/list';

const h = await Harness.launch();
try {
  await preparePageProbe(h.context);
  for (let i = 0; i <= pagings; i++) {
    const page = await h.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const probe = () => page.evaluate(() => (window as unknown as { __bench: ProbeState }).__bench);
    await page.goto(`${h.sandbox.url}${PATH}`, { waitUntil: 'load' });
    await until(async () => (await probe()).inView[0]?.t, 60_000, 'page 1', 100);
    await sleep(1000);
    const cdp = await h.context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'toplevel', 'v8.execute', 'blink'] },
    });
    await (swap ? page.locator('button.next') : page.locator('.el-pager li', { hasText: /^2$/ })).click();
    const done = await until(async () => (await probe()).inView[1]?.t, 60_000, 'page 2', 100);
    await sleep(300);
    const p = await probe();
    await cdp.send('Tracing.end');
    await complete;
    await page.close();
    const rewrite = p.rewrites[0]!;
    const follow = done - rewrite;
    if (i === 0 || (onlySlow && follow < 60)) {
      console.log(`paging ${i}${i === 0 ? ' (warm-up)' : ''}: follow ${follow.toFixed(1)} ms`);
      continue;
    }
    // The page's main thread: the renderer whose thread CrRendererMain ran our marks.
    const ours = (e: TraceEvent) => JSON.stringify(e.args?.data ?? {}).includes('content-scripts/content.js');
    const mark = events.find((e) => e.name === 'FunctionCall' && ours(e));
    const main = events.find((e) => e.pid === mark?.pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    // Times from the content script's callback of the rewrite: a mark `atrip-mo…` there (a marked
    // build), else the first task of ours after the click.
    const named = events.filter((e) => e.pid === mark?.pid && e.cat.includes('user_timing') && e.name.startsWith('atrip'));
    const anchor = named.find((e) => e.name.startsWith('atrip-mo:c,'));
    const base = anchor?.ts ?? events.find((e) => e.pid === mark?.pid && e.name === 'FunctionCall' && ours(e) && (e.dur ?? 0) >= 5000)?.ts ?? 0;
    const at = (ts: number) => ((ts - base) / 1000).toFixed(1).padStart(7);
    const from = base - 30_000;
    const to = base + (follow + 40) * 1000;
    const onMain = events.filter((e) => e.pid === mark?.pid && e.tid === main?.tid && e.ts >= from && e.ts <= to && e.ph === 'X').sort((a, b) => a.ts - b.ts);
    const lines: string[] = [];
    const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
    for (const task of tasks) {
      const end = task.ts + (task.dur ?? 0);
      const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) >= 300);
      const what = inside
        .filter((e) => ['FunctionCall', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'v8.run', 'RunMicrotasks', 'V8.GC_SCAVENGER', 'MinorGC', 'MajorGC', 'BlinkGC.AtomicPhase', 'ParseHTML', 'HitTest', 'IntersectionObserverController::computeIntersections', 'ScheduledAction::execute', 'BeginMainFrame', 'ProxyMain::BeginMainFrame', 'PageAnimator::serviceScriptedAnimations'].includes(e.name))
        .map((e) => {
          const data = e.args?.data as Record<string, unknown> | undefined;
          const src = ours(e) ? 'OURS' : String(data?.url ?? '').split('/').pop() ?? '';
          return `${e.name}${src ? `[${src}]` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
        });
      if ((task.dur ?? 0) < 500 && what.length === 0) continue;
      const posted = (task.args as { src_func?: string; src_file?: string } | undefined);
      lines.push(`${at(task.ts)} ${((task.dur ?? 0) / 1000).toFixed(1).padStart(6)} task ${posted?.src_func ?? ''} | ${what.join(', ')}`);
    }
    // Inside the page's task that delivered the rewrite: what ran from our callback on.
    const rewriteTask = events.find((e) => e.pid === mark?.pid && e.tid === main?.tid && e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask') && e.ts <= base && e.ts + (e.dur ?? 0) >= base);
    if (rewriteTask) {
      lines.push(`${at(rewriteTask.ts)} ${((rewriteTask.dur ?? 0) / 1000).toFixed(1).padStart(6)} REWRITE TASK`);
      for (const e of events.filter((e) => e.pid === mark?.pid && e.tid === main?.tid && e.ph === 'X' && e !== rewriteTask && e.ts >= base - 3000 && e.ts <= rewriteTask.ts + (rewriteTask.dur ?? 0) && (e.dur ?? 0) >= 300)) {
        const data = e.args?.data as Record<string, unknown> | undefined;
        const src = ours(e) ? 'OURS' : String(data?.url ?? '').split('/').pop() ?? '';
        lines.push(`${at(e.ts)} ${((e.dur ?? 0) / 1000).toFixed(1).padStart(6)}   in: ${e.name}${src ? `[${src}]` : ''}`);
      }
    }
    for (const e of named.filter((e) => e.ts >= from && e.ts <= to)) lines.push(`${at(e.ts)}        MARK ${e.name.slice(0, 60)}`);
    console.log(`\npaging ${i}: follow ${follow.toFixed(1)} ms (rewrite ${(rewrite - p.clicks.at(-1)!).toFixed(0)} ms after the click); times from our callback of the rewrite (ms)`);
    console.log(lines.sort((a, b) => parseFloat(a) - parseFloat(b)).join('\n'));
  }
} finally {
  await h.close();
}
