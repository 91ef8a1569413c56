/**
 * Page cost: portal pages of the sandbox with and without the extension, in turn, in two browsers
 * launched with the same flags (one with the e2e build, one without any extension): the
 * hand-written 2,000-order list and the Element UI (Vue 2) list of 30 orders.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { installPageProbe, type ProbeFrame, type ProbeState, type ProbeTask } from './lib/page-probe';
import { sleep, until } from './lib/stats';

export interface LoadSample {
  /** `loadEventEnd` of the navigation. */
  loadMs: number;
  /** The table's rows in the DOM (end of the task that inserted them). */
  rowsMs: number;
  /** Every order number in view has its control (with the extension only). */
  inViewMs?: number;
  /** Controls in the page 1 s after those in view (with the extension only): visible first. */
  controls?: number;
  /** After `scrollTo(bottom)`: every number then in view has its control (0: they were there before). */
  scrollMs?: number;
  /** Longest long task of the whole load. */
  longestTaskMs: number;
  /**
   * Longest long task starting between DOMContentLoaded and the end of the load event: where the
   * content script is injected (document_idle) and evaluated.
   */
  startupTaskMs: number;
  /** Longest long task after the rows were rendered, up to 1 s after the controls in view. */
  longestAfterRowsMs: number;
  /** Sum of (duration - 50 ms) of those tasks: main-thread blocking the agent can feel. */
  blockingAfterRowsMs: number;
  longTasksAfterRows: number;
  /** Longest long animation frame (LoAF) of the whole load: script + style + layout + paint of one frame. */
  longestFrameMs: number;
  /** Longest long animation frame after the rows were rendered (same window as the tasks). */
  longestFrameAfterRowsMs: number;
  /** Style + layout part of that frame. */
  longestFrameAfterRowsStyleLayoutMs: number;
  /** Longest long task from the scroll to 1 s after. */
  longestAfterScrollMs: number;
  /**
   * Longest stretch the content script's code ran without giving the event loop back, from the
   * navigation to 1 s after the scroll (with the extension only): consecutive CPU-profile samples
   * with content.js on the stack, times the sampling interval.
   */
  longestScriptMs?: number;
}

export interface PagingSample {
  /** Click on the pager → the page's own new numbers in the DOM (rows replaced, or rewritten in place). */
  rewriteMs: number;
  /** Rewrite → every number in view has its control (with the extension only). */
  followMs?: number;
  /** Click → every number in view has its control (with the extension only). */
  controlsMs?: number;
  /** Longest long task from the click until 1 s after the swap was complete. */
  longestTaskMs: number;
  /** Longest long animation frame in the same window. */
  longestFrameMs: number;
}

async function probeOf(page: Page): Promise<ProbeState> {
  return page.evaluate(() => (window as unknown as { __bench: ProbeState }).__bench);
}

function tasksIn<T extends ProbeTask>(tasks: T[], from: number, to: number): T[] {
  return tasks.filter((t) => t.start >= from && t.start <= to);
}

const longest = (tasks: ProbeTask[]) => Math.max(0, ...tasks.map((t) => t.duration));

/**
 * tsx (esbuild `keepNames`) wraps named inner functions in `__name(...)`, which the page does not
 * have: the probe goes in as source text with a no-op `__name`.
 */
export function asInitScript(fn: () => void): { content: string } {
  return { content: `(() => { const __name = (f) => f; (${fn.toString()})(); })();` };
}

export async function preparePageProbe(context: BrowserContext) {
  await context.addInitScript(asInitScript(installPageProbe));
}

/** One load of `url` (a viewport of 1280×900): rows, controls in view, then a scroll to the bottom. */
export async function measureLoad(context: BrowserContext, url: string, withExtension: boolean): Promise<LoadSample> {
  const page = await context.newPage();
  // The CPU profile (for the longest stretch of content-script code) runs in both browsers: sampling
  // every 200 µs slows the page's own scripts (measured: its rows ~25 ms later on the list, ~80 ms
  // on Element UI, `bench/rows-floor.ts`), and the baseline must pay that too.
  const cdp = await context.newCDPSession(page);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(url, { waitUntil: 'load' });
    const done = await until(
      async () => {
        const p = await probeOf(page);
        return (withExtension ? p.inView[0] : p.renders[0])?.t;
      },
      60_000,
      withExtension ? 'the controls in view' : 'the rows',
      100,
    );
    await sleep(1000); // trailing long tasks, and the controls made after those in view
    const p = await probeOf(page);
    const nav = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoaded: entry.domContentLoadedEventStart, loadEnd: entry.loadEventEnd };
    });
    const rowsMs = p.renders[0]!.t;
    const after = tasksIn(p.longTasks, rowsMs, done + 1000);
    const framesAfter = tasksIn(p.frames, rowsMs, done + 1000);
    const frame = framesAfter.reduce<ProbeFrame | undefined>((a, b) => (!a || b.duration > a.duration ? b : a), undefined);

    await page.evaluate(() => (window as unknown as { __benchScroll: () => void }).__benchScroll());
    const scrolled = withExtension
      ? await until(async () => (await probeOf(page)).inView[1]?.t, 30_000, 'the controls in view after the scroll', 100)
      : undefined;
    await sleep(1000);
    const q = await probeOf(page);
    const scrollAt = q.scrolls[0]!;
    const { profile } = await cdp.send('Profiler.stop');
    return {
      ...(withExtension && { longestScriptMs: longestScriptStretch(profile) }),
      loadMs: nav.loadEnd,
      rowsMs,
      ...(withExtension && { inViewMs: done, controls: p.controls, scrollMs: scrolled! - scrollAt }),
      longestTaskMs: longest(p.longTasks),
      startupTaskMs: longest(tasksIn(p.longTasks, nav.domContentLoaded, nav.loadEnd)),
      longestAfterRowsMs: longest(after),
      blockingAfterRowsMs: after.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      longTasksAfterRows: after.length,
      longestFrameMs: Math.max(0, ...p.frames.map((f) => f.duration)),
      longestFrameAfterRowsMs: frame?.duration ?? 0,
      longestFrameAfterRowsStyleLayoutMs: frame?.styleLayout ?? 0,
      longestAfterScrollMs: longest(tasksIn(q.longTasks, scrollAt, scrollAt + 1000)),
    };
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Consecutive samples with the content script on the stack (garbage collection neither ends nor
 * lengthens a stretch), times the median sampling interval: on a busy machine the sampler itself
 * is starved, so wall-clock between samples would overstate it.
 */
function longestScriptStretch(profile: CpuProfile): number {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const ours = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (nodes.get(at)!.callFrame.url.includes('/content-scripts/content.js')) return true;
    return false;
  };
  const deltas = [...(profile.timeDeltas ?? [])].sort((a, b) => a - b);
  const interval = (deltas[Math.floor(deltas.length / 2)] ?? 0) / 1000;
  let run = 0;
  let longestRun = 0;
  for (const id of profile.samples ?? []) {
    if (nodes.get(id)!.callFrame.functionName === '(garbage collector)') continue;
    run = ours(id) ? run + 1 : 0;
    longestRun = Math.max(longestRun, run);
  }
  return longestRun * interval;
}

/** Once the first page is settled, a trusted click on the pager (`clickOn`) and the time until the next page is complete. */
export async function measurePaging(
  context: BrowserContext,
  url: string,
  clickOn: (page: Page) => Promise<void>,
  withExtension: boolean,
): Promise<PagingSample> {
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    await until(async () => {
      const p = await probeOf(page);
      return (withExtension ? p.inView[0] : p.renders[0])?.t;
    }, 60_000, 'page 1', 100);
    await sleep(1000); // let page 1 settle: the swap is measured from a quiet page
    await clickOn(page);
    const done = await until(
      async () => {
        const p = await probeOf(page);
        return withExtension ? p.inView[1]?.t : p.rewrites[0];
      },
      60_000,
      'page 2',
      100,
    );
    await sleep(1000);
    const p = await probeOf(page);
    const clickAt = p.clicks.at(-1);
    if (clickAt === undefined) throw new Error('the click on the pager was not seen');
    const rewriteAt = p.rewrites[0]!;
    return {
      rewriteMs: rewriteAt - clickAt,
      ...(withExtension && { followMs: done - rewriteAt, controlsMs: done - clickAt }),
      longestTaskMs: longest(tasksIn(p.longTasks, clickAt, done + 1000)),
      longestFrameMs: Math.max(0, ...tasksIn(p.frames, clickAt, done + 1000).map((f) => f.duration)),
    };
  } finally {
    await page.close();
  }
}
