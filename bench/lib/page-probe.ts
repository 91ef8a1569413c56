/**
 * Injected with `addInitScript` into every portal page (main world, before the page's scripts):
 * long tasks and long animation frames (buffered), the moment the order table's rows are in the
 * DOM, the moment every row has a control, and clicks on the pager's 下一页.
 *
 * Timestamps are `performance.now()` of the page: milliseconds since its navigation started.
 * A MutationObserver (microtask after the task that changed the DOM) gives "rows rendered" and
 * "every row has a control" without polling; the hosts are counted incrementally from the records
 * and confirmed with one query, so the probe adds the same few milliseconds with or without the
 * extension.
 */

export interface ProbeMark {
  t: number;
  /** Order number of the first row (tells the pages of a paging run apart). */
  first: string;
}

export interface ProbeTask {
  start: number;
  duration: number;
}

export interface ProbeFrame extends ProbeTask {
  /** Style and layout of the frame (LoAF `styleAndLayoutStart` to its end); 0 when not reported. */
  styleLayout: number;
  /** Sum of the scripts LoAF attributes to the frame (only scripts over 5 ms are listed). */
  scripts: number;
}

export interface ProbeState {
  longTasks: ProbeTask[];
  frames: ProbeFrame[];
  /** Each time the table holds the expected rows with a new first order. */
  renders: ProbeMark[];
  /** Each time every row of the table has a `[data-atrip-order]` control. */
  controlled: ProbeMark[];
  /** `event.timeStamp` of each click on the pager's next-page button. */
  clicks: number[];
  errors: string[];
}

export function installPageProbe(): void {
  const w = window as unknown as { __bench?: ProbeState };
  if (w.__bench) return;
  const probe: ProbeState = { longTasks: [], frames: [], renders: [], controlled: [], clicks: [], errors: [] };
  w.__bench = probe;
  // Rows expected on a page: the portal's ?pageSize (both runs use sizes below the order count).
  const target = Number(new URLSearchParams(location.search).get('pageSize')) || 30;
  const HOST = '[data-atrip-order]';

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    probe.errors.push(`longtask: ${String(error)}`);
  }
  try {
    new PerformanceObserver((list) => {
      for (const raw of list.getEntries()) {
        const e = raw as PerformanceEntry & { styleAndLayoutStart?: number; scripts?: { duration: number }[] };
        const end = e.startTime + e.duration;
        probe.frames.push({
          start: e.startTime,
          duration: e.duration,
          styleLayout: e.styleAndLayoutStart ? Math.max(0, end - e.styleAndLayoutStart) : 0,
          scripts: (e.scripts ?? []).reduce((sum, s) => sum + s.duration, 0),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Long Animation Frames are a diagnostic only.
  }

  const countHosts = (node: Node): number => {
    if (node.nodeType !== 1) return 0;
    const el = node as Element;
    return (el.matches(HOST) ? 1 : 0) + (el.firstElementChild ? el.querySelectorAll(HOST).length : 0);
  };
  let hosts = 0;
  let lastRendered = '';
  let lastControlled = '';
  new MutationObserver((records) => {
    const t = performance.now();
    for (const record of records) {
      record.addedNodes.forEach((n) => (hosts += countHosts(n)));
      record.removedNodes.forEach((n) => (hosts -= countHosts(n)));
    }
    const tbody = document.querySelector('table.order-table tbody') as HTMLTableSectionElement | null;
    if (!tbody || tbody.rows.length < target) return;
    const first = tbody.rows[0]?.querySelector('a')?.textContent ?? '';
    if (first !== lastRendered) {
      lastRendered = first;
      probe.renders.push({ t, first });
    }
    if (first !== lastControlled && hosts >= target && tbody.querySelectorAll(HOST).length >= tbody.rows.length) {
      lastControlled = first;
      probe.controlled.push({ t, first });
    }
  }).observe(document, { childList: true, subtree: true });

  document.addEventListener(
    'click',
    (event) => {
      const target = event.target as Element | null;
      if (target?.closest?.('button.next')) probe.clicks.push(event.timeStamp);
    },
    true,
  );
}
