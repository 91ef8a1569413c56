/**
 * Page cost: the sandbox portal's order list with and without the extension, in turn, in two
 * browsers launched with the same flags (one with the e2e build, one without any extension).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { installPageProbe, type ProbeFrame, type ProbeState, type ProbeTask } from './lib/page-probe';
import { sleep, until } from './lib/stats';

export interface LoadSample {
  /** `loadEventEnd` of the navigation. */
  loadMs: number;
  /** The table's rows in the DOM (end of the task that inserted them). */
  rowsMs: number;
  /** Every row has a control (with the extension only). */
  controlsMs?: number;
  /** Longest long task of the whole load. */
  longestTaskMs: number;
  /**
   * Longest long task starting between DOMContentLoaded and the end of the load event: where the
   * content script is injected (document_idle) and evaluated.
   */
  startupTaskMs: number;
  /** Longest long task after the rows were rendered, up to 1 s after the controls were complete. */
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
}

export interface PagingSample {
  /** Click on 下一页 → the 200 new rows in the DOM. */
  rowsMs: number;
  /** Click → every new row has a control (with the extension only). */
  controlsMs?: number;
  /** Longest long task from the click until 1 s after the swap was complete. */
  longestTaskMs: number;
  /** Longest long animation frame in the same window. */
  longestFrameMs: number;
}

type Probe = ProbeState;

async function probeOf(page: Page): Promise<Probe> {
  return page.evaluate(() => (window as unknown as { __bench: ProbeState }).__bench);
}

function tasksIn<T extends ProbeTask>(tasks: T[], from: number, to: number): T[] {
  return tasks.filter((t) => t.start >= from && t.start <= to);
}

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

/** One load of `${origin}/portal/?pageSize=<rows>#/order/list`. */
export async function measureLoad(context: BrowserContext, origin: string, rows: number, withExtension: boolean): Promise<LoadSample> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/portal/?pageSize=${rows}#/order/list`, { waitUntil: 'load' });
    const done = await until(
      async () => {
        const p = await probeOf(page);
        const mark = withExtension ? p.controlled[0] : p.renders[0];
        return mark?.t;
      },
      60_000,
      withExtension ? `a control on each of ${rows} rows` : `${rows} rows`,
      250,
    );
    await sleep(1000); // trailing long tasks
    const p = await probeOf(page);
    const nav = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoaded: entry.domContentLoadedEventStart, loadEnd: entry.loadEventEnd };
    });
    const rowsMs = p.renders[0]!.t;
    const after = tasksIn(p.longTasks, rowsMs, done + 1000);
    const longestAfter = after.reduce<ProbeTask | undefined>((a, b) => (!a || b.duration > a.duration ? b : a), undefined);
    const framesAfter = tasksIn(p.frames, rowsMs, done + 1000);
    const frame = framesAfter.reduce<ProbeFrame | undefined>((a, b) => (!a || b.duration > a.duration ? b : a), undefined);
    const verified = await page.evaluate(() => document.querySelectorAll('[data-atrip-order]').length);
    if (withExtension && verified < rows) throw new Error(`only ${verified} controls for ${rows} rows`);
    return {
      loadMs: nav.loadEnd,
      rowsMs,
      ...(withExtension && { controlsMs: done }),
      longestTaskMs: Math.max(0, ...p.longTasks.map((t) => t.duration)),
      startupTaskMs: Math.max(0, ...tasksIn(p.longTasks, nav.domContentLoaded, nav.loadEnd).map((t) => t.duration)),
      longestAfterRowsMs: longestAfter?.duration ?? 0,
      blockingAfterRowsMs: after.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      longTasksAfterRows: after.length,
      longestFrameMs: Math.max(0, ...p.frames.map((f) => f.duration)),
      longestFrameAfterRowsMs: frame?.duration ?? 0,
      longestFrameAfterRowsStyleLayoutMs: frame?.styleLayout ?? 0,
    };
  } finally {
    await page.close();
  }
}

/** Page size `rows`; once page 1 is settled, a click on 下一页 and the time until page 2 is complete. */
export async function measurePaging(context: BrowserContext, origin: string, rows: number, withExtension: boolean): Promise<PagingSample> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/portal/?pageSize=${rows}#/order/list`, { waitUntil: 'load' });
    const ready = (n: number) => async () => {
      const p = await probeOf(page);
      const marks = withExtension ? p.controlled : p.renders;
      return marks.length >= n ? marks[n - 1]!.t : undefined;
    };
    await until(ready(1), 60_000, 'page 1', 100);
    await sleep(1000); // let page 1 settle: the swap is measured from a quiet page
    await page.locator('button.next').click();
    const done = await until(ready(2), 60_000, 'page 2', 100);
    await sleep(1000);
    const p = await probeOf(page);
    const clickAt = p.clicks.at(-1);
    if (clickAt === undefined) throw new Error('the click on 下一页 was not seen');
    const rendered = p.renders[1]!;
    const controlled = p.controlled[1];
    if (withExtension && controlled?.first !== rendered.first) throw new Error('page 2 controls do not match page 2 rows');
    return {
      rowsMs: rendered.t - clickAt,
      ...(withExtension && { controlsMs: done - clickAt }),
      longestTaskMs: Math.max(0, ...tasksIn(p.longTasks, clickAt, done + 1000).map((t) => t.duration)),
      longestFrameMs: Math.max(0, ...tasksIn(p.frames, clickAt, done + 1000).map((f) => f.duration)),
    };
  } finally {
    await page.close();
  }
}
