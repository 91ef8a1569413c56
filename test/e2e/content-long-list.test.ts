/**
 * Chromium only: the in-page control on a 2,000-row list of the hand-written portal. It reads a CPU
 * profile over CDP (how long the content script's code ran at a stretch), which Firefox does not
 * offer to tests. Every other case of the portal as a whole runs in both browsers:
 * stories/content.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS } from '../sandbox/catalogue';
import { Harness } from './harness';
import { until } from './helpers';
import { checkControls } from './page-checks';

const HOST = 'atrip-stop-control';

describe('in-page control on a long ATRIP portal list (Chromium: CPU profile)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch();
  });
  afterAll(() => harness?.close());

  it('on a 2,000-row list gives the rows in view their controls first, the rest as they scroll in, in short slices', async () => {
    const page = await harness.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.addInitScript(() => {
      const w = window as unknown as { __long: number[][]; __tableAt: number };
      w.__long = [];
      w.__tableAt = Infinity;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push([e.startTime, e.duration]))).observe({
        type: 'longtask',
        buffered: true,
      });
      // When the page's own script has put the 2,000 rows in; the named busy loop marks that moment
      // in the CPU profile below.
      const observer = new MutationObserver(() => {
        if (document.querySelectorAll('table.order-table tbody tr').length < 2000) return;
        observer.disconnect();
        w.__tableAt = performance.now();
        const until = performance.now() + 3;
        (function rowsArrivedMarker() {
          while (performance.now() < until);
        })();
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    const cdp = await harness.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.goto(`${harness.sandbox.url}/portal/?pageSize=2000#/order/list`);
    const where = { numbers: 'table.order-table td:first-child a', cell: 'td' };
    const top = await until(() => page.evaluate(checkControls, where), (c) => c.problems.length === 0 && c.seen.length > 10, 60_000);
    expect(top.problems, JSON.stringify(top)).toEqual([]);
    expect(top.seen.slice(0, 3)).toEqual(ORDERS.slice(0, 3).map((o) => o.orderNo));
    // Visible first: nowhere near all 2,000 are made for a page showing ~20.
    await page.waitForTimeout(500);
    expect(await page.locator(HOST).count()).toBeLessThan(400);
    // The agent jumps to the bottom: the rows there get theirs.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const bottom = await until(() => page.evaluate(checkControls, where), (c) => c.problems.length === 0 && c.seen.includes(ORDERS[1999]!.orderNo), 30_000);
    expect(bottom.problems, JSON.stringify(bottom)).toEqual([]);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    const { long, tableAt } = await page.evaluate(() => {
      const w = window as unknown as { __long: number[][]; __tableAt: number };
      return { long: w.__long, tableAt: w.__tableAt };
    });

    // Longest stretch the content script's code ran without giving the event loop back, after the
    // rows arrived: consecutive CPU samples with content.js on the stack. Measured in samples times
    // the usual sampling interval, not in wall-clock between samples: on a busy machine the sampler
    // itself gets starved. Garbage collection neither ends nor lengthens a stretch.
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const kindOf = (id: number): 'ours' | 'gc' | 'marker' | 'other' => {
      if (nodes.get(id)!.callFrame.functionName === '(garbage collector)') return 'gc';
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = nodes.get(at)!.callFrame;
        if (frame.functionName === 'rowsArrivedMarker') return 'marker';
        if (frame.url.includes('/content-scripts/content.js')) return 'ours';
      }
      return 'other';
    };
    const deltas = [...profile.timeDeltas!].sort((a, b) => a - b);
    const interval = deltas[Math.floor(deltas.length / 2)]! / 1000; // ms
    let markerSeen = false;
    let run = 0;
    let longestSamples = 0;
    let oursAfterMarker = 0;
    for (const id of profile.samples!) {
      const kind = kindOf(id);
      if (kind === 'marker') markerSeen = true;
      if (!markerSeen || kind === 'gc') continue;
      if (kind === 'ours') {
        oursAfterMarker++;
        longestSamples = Math.max(longestSamples, ++run);
      } else {
        run = 0;
      }
    }
    expect(markerSeen).toBe(true);
    expect(oursAfterMarker).toBeGreaterThan(10); // the scan was sampled at all
    // Slices of ~10 ms: no stretch of ours comes near a 50 ms long task.
    expect(longestSamples * interval, `${longestSamples} samples of ${interval} ms`).toBeLessThan(50);
    // Long tasks after the rows arrived: the page's own layout of its 2,000-row table, and a few
    // relayouts as controls come in — never one per slice.
    expect(long.filter(([startTime]) => startTime! >= tableAt).length, JSON.stringify({ long, tableAt })).toBeLessThanOrEqual(6);
    await page.close();
  });
});
