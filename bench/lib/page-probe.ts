/**
 * Injected with `addInitScript` into every portal page (main world, before the page's scripts):
 * long tasks and long animation frames (buffered), the moment the order table's rows are in the
 * DOM, the moment every order number in view has its control, clicks on the pager, the page's own
 * rewrite of the numbers after a click, and scrolls made by the bench.
 *
 * Timestamps are `performance.now()` of the page: milliseconds since its navigation started.
 * "Rows in the DOM" comes from a MutationObserver (no polling, the same cost with or without the
 * extension). "Controls in view" is checked after each painted frame (never forcing a layout of
 * the page's fresh rows) and dated by the MutationObserver records of the controls it needed: the
 * latest moment one of them went in (or got its number), not the moment we looked.
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
  /** After each render, rewrite or scroll: when every order number in view had its control. */
  inView: ProbeMark[];
  /** `event.timeStamp` of each click on the pager. */
  clicks: number[];
  /** After each click: when the page rewrote (or replaced) the first number of the table. */
  rewrites: number[];
  /** Each `__benchScroll()`: when it scrolled. */
  scrolls: number[];
  /** Order-number controls in the page (shown or not) at the last look. */
  controls: number;
  errors: string[];
}

export function installPageProbe(): void {
  const w = window as unknown as { __bench?: ProbeState; __benchScroll?: () => void };
  if (w.__bench) return;
  const probe: ProbeState = { longTasks: [], frames: [], renders: [], inView: [], clicks: [], rewrites: [], scrolls: [], controls: 0, errors: [] };
  w.__bench = probe;
  const HOST = 'atrip-stop-control';
  // The kinds of portal pages measured: where their rows, order numbers and pager are.
  const kinds = [
    { path: '/portals/element-ui/', rows: '.el-table__fixed .el-table__body tr', numbers: '.order-table a.el-link', cell: 'td', pager: '.el-pager li' },
    // Element Plus renders its fixed column once (sticky cells): its rows are the body's.
    { path: '/portals/element-plus/', rows: '.order-table .el-table__body tr', numbers: '.order-table a.el-link:not(.op-detail)', cell: 'td', pager: '.el-pager li' },
    { path: '/portal/', rows: 'table.order-table tbody tr', numbers: 'table.order-table td:first-child a', cell: 'td', pager: 'button.next' },
  ];
  const kind = kinds.find((k) => location.pathname.startsWith(k.path));
  if (!kind) return;
  // Rows expected on a page: the portal's ?pageSize (all runs use sizes below the order count).
  const target = Number(new URLSearchParams(location.search).get('pageSize')) || 30;

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

  const firstNumber = () => document.querySelector(kind.numbers)?.textContent ?? '';
  /** When each control got its current number (inserted, or retargeted to a rewritten number). */
  const controlAt = new WeakMap<Element, number>();
  /**
   * Whether every order number in the viewport (and not hidden by the page) has a control for it
   * in its cell; if so, the latest moment one of those controls got its number (-1 if not).
   */
  const inViewCoveredAt = () => {
    let seen = 0;
    let latest = 0;
    for (const element of document.querySelectorAll(kind.numbers)) {
      const r = element.getBoundingClientRect();
      if (r.height === 0 || r.bottom <= 0 || r.top >= innerHeight || !element.checkVisibility({ visibilityProperty: true })) continue;
      seen++;
      const number = element.textContent;
      const host = [...(element.closest(kind.cell)?.querySelectorAll(HOST) ?? [])].find((h) => h.getAttribute('data-atrip-order') === number);
      if (!host) return -1;
      latest = Math.max(latest, controlAt.get(host) ?? 0);
    }
    return seen > 0 ? latest : -1;
  };

  let lastRendered = '';
  /** Waiting for the controls in view (after a render, a rewrite or a scroll), since when. */
  let waitingSince = -1;
  let checkScheduled = false;
  let awaitingRewrite = false;

  const checkAfterPaint = () => {
    if (checkScheduled || waitingSince < 0) return;
    checkScheduled = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        checkScheduled = false;
        if (waitingSince < 0) return;
        probe.controls = document.querySelectorAll(HOST).length;
        const coveredAt = inViewCoveredAt();
        if (coveredAt < 0) return;
        probe.inView.push({ t: Math.max(coveredAt, waitingSince), first: firstNumber() });
        waitingSince = -1;
      }, 0),
    );
  };

  const wait = (since: number) => {
    waitingSince = since;
    checkAfterPaint();
  };

  const hostsIn = (node: Node): Element[] =>
    node.nodeType !== 1 ? [] : (node as Element).localName === HOST ? [node as Element] : [...(node as Element).querySelectorAll(HOST)];
  new MutationObserver((records) => {
    const t = performance.now();
    let numbersChanged = false;
    for (const record of records) {
      for (const node of record.addedNodes) for (const host of hostsIn(node)) if (!controlAt.has(host)) controlAt.set(host, t);
      if (record.type === 'attributes') controlAt.set(record.target as Element, t); // retargeted to another number
      const target = record.target.nodeType === 3 ? record.target.parentElement : (record.target as Element);
      if (target?.closest(kind.numbers) || [...record.addedNodes].some((n) => n.nodeType === 1 && (n as Element).querySelector?.(kind.numbers))) numbersChanged = true;
    }
    if (awaitingRewrite && numbersChanged) {
      awaitingRewrite = false;
      probe.rewrites.push(t);
      wait(t);
    }
    const rows = document.querySelectorAll(kind.rows).length;
    const first = firstNumber();
    if (rows >= target && first && first !== lastRendered) {
      lastRendered = first;
      probe.renders.push({ t, first });
      if (probe.renders.length === 1) wait(t);
    }
    checkAfterPaint();
  }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-atrip-order'] });

  document.addEventListener(
    'click',
    (event) => {
      const target = event.target as Element | null;
      if (!target?.closest?.(kind.pager)) return;
      probe.clicks.push(event.timeStamp);
      awaitingRewrite = true;
    },
    true,
  );

  w.__benchScroll = () => {
    const t = performance.now();
    probe.scrolls.push(t);
    scrollTo(0, document.documentElement.scrollHeight);
    wait(t);
  };
}
