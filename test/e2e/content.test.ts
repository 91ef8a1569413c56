/** The in-page control in Chromium on the hand-written portal as a whole (one launch per block): controls, stops and states beside each order, unconfigured, and in a Chinese browser. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { SCENARIOS, ORDERS } from '../sandbox/catalogue';
import { collectErrors, Harness } from './harness';
import { screenshot, until } from './helpers';
import { checkControls } from './page-checks';

const HOST = 'atrip-stop-control';

const host = (page: Page, orderNo: string): Locator => page.locator(`${HOST}[data-atrip-order="${orderNo}"]`);

async function waitForState(page: Page, orderNo: string, state: string, timeout = 30_000) {
  await page.waitForFunction(
    ([tag, no, s]) => document.querySelector(`${tag}[data-atrip-order="${no}"]`)?.getAttribute('data-state') === s,
    [HOST, orderNo, state] as const,
    { timeout },
  );
}

/** Each order link of the list table, with the controls that follow it in its cell. */
async function rowsWithControls(page: Page) {
  return page.$$eval('table.order-table tbody tr td:first-child', (cells) =>
    cells.map((cell) => ({
      orderNo: cell.querySelector('a')?.textContent ?? '',
      controls: [...cell.querySelectorAll('atrip-stop-control')].map((h) => h.getAttribute('data-atrip-order')),
      // The control sits right after the link, in the same cell.
      afterLink: cell.querySelector('a')?.nextElementSibling?.tagName.toLowerCase() ?? '',
    })),
  );
}

async function openList(page: Page, url: string) {
  await page.goto(url);
  await page.waitForFunction((tag) => document.querySelectorAll(`table.order-table ${tag}`).length === 30, HOST);
}

describe('in-page control on ATRIP portal pages', () => {
  let harness: Harness;
  let listUrl: string;
  beforeAll(async () => {
    harness = await Harness.launch();
    listUrl = `${harness.sandbox.url}/portal/#/order/list`;
  });
  afterAll(() => harness?.close());

  it('puts one compact control beside each order number of the list page', async () => {
    const page = await harness.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await openList(page, listUrl);
    const rows = await rowsWithControls(page);
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      expect(row.orderNo).toMatch(/^[A-Z]{5}\d{17}$/);
      expect(row.controls).toEqual([row.orderNo]);
      expect(row.afterLink).toBe(HOST);
    }
    expect(await page.locator(`${HOST}[data-state="idle"]`).count()).toBe(30);
    expect(await page.getByRole('button', { name: 'Stop ticketing' }).count()).toBe(30);
    // Inline: on the same line as the number, right of it, and no taller than the row's text line.
    const first = rows[0]!.orderNo;
    const link = (await page.locator(`a:text-is("${first}")`).boundingBox())!;
    const control = (await host(page, first).boundingBox())!;
    expect(control.x).toBeGreaterThanOrEqual(link.x + link.width);
    expect(Math.abs(control.y + control.height / 2 - (link.y + link.height / 2))).toBeLessThan(4);
    expect(control.height).toBeLessThanOrEqual(24);
    // The shadow root is open and holds the UI (contract).
    expect(await host(page, first).evaluate((h) => h.shadowRoot?.mode)).toBe('open');
    await screenshot(page, 'list-controls', { fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('puts a control beside the number on an order detail page reached by hash navigation', async () => {
    const page = await harness.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 900, height: 600 });
    await openList(page, listUrl);
    const orderNo = SCENARIOS.issue;
    // SPA navigation: the list is replaced by the detail page without a reload.
    await page.evaluate((no) => (location.hash = `#/order/detail/${no}/en`), orderNo);
    await page.waitForSelector('.order-no');
    await host(page, orderNo).waitFor();
    expect(await page.locator(HOST).count()).toBe(1);
    expect(await page.$eval('.order-no', (span) => span.nextElementSibling?.getAttribute('data-atrip-order'))).toBe(orderNo);
    await screenshot(page, 'detail-control', { fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ignores an untrusted click from page script: nothing is sent', async () => {
    const page = await harness.context.newPage();
    const orderNo = SCENARIOS.intercept;
    await page.goto(`${harness.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
    await host(page, orderNo).waitFor();
    harness.sandbox.clearRequests();
    const found = await page.evaluate((no) => {
      const root = document.querySelector(`atrip-stop-control[data-atrip-order="${no}"]`)!.shadowRoot!;
      const buttons = () => [...root.querySelectorAll('button')];
      buttons()[0]!.click();
      // Whatever appeared, click it too (a confirmation must not have appeared).
      buttons().forEach((b) => b.click());
      root.querySelector('input')?.click();
      return buttons().map((b) => b.textContent);
    }, orderNo);
    expect(found).toEqual(['Stop ticketing']);
    await page.waitForTimeout(1500);
    expect(harness.sandbox.callsFor(orderNo)).toEqual([]);
    expect(await host(page, orderNo).getAttribute('data-state')).toBe('idle');
    expect(await harness.record(orderNo)).toBeUndefined();
    await page.close();
  });

  it('stops an order after a click and a confirmation, then follows it to intercepted without a reload', async () => {
    const page = await harness.context.newPage();
    const errors = collectErrors(page);
    const orderNo = SCENARIOS.intercept;
    await page.goto(`${harness.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
    const control = host(page, orderNo);
    await control.waitFor();
    // Keyboard: the button is reachable and Escape cancels the confirmation.
    await control.getByRole('button', { name: /Stop ticketing/ }).focus();
    await page.keyboard.press('Enter');
    await control.getByRole('button', { name: /Confirm/ }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => control.getByRole('button', { name: /Confirm/ }).count()).toBe(0);
    expect(harness.sandbox.callsFor(orderNo)).toEqual([]);

    await control.getByRole('button', { name: /Stop ticketing/ }).click();
    expect(await control.textContent()).toBe(''); // the UI is in the shadow root, not the light DOM
    expect(await control.getByText(`Stop ticketing of order ${orderNo}?`).count()).toBe(1);
    await control.getByRole('button', { name: /Confirm/ }).click();
    await waitForState(page, orderNo, 'intercepting');
    expect(await control.locator('.status').textContent()).toMatch(/Intercepting… (next check in \d:\d\d|checking now)/);
    await waitForState(page, orderNo, 'intercepted');
    expect(await control.getByText('Stopped: no ticket issued', { exact: true }).count()).toBe(1);
    expect(harness.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(1);
    expect((await harness.record(orderNo))?.state).toBe('intercepted');
    await screenshot(page, 'detail-intercepted', { fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('gets controls on the new rows after paging, none duplicated', async () => {
    const page = await harness.context.newPage();
    await openList(page, listUrl);
    const firstPage = (await rowsWithControls(page)).map((r) => r.orderNo);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.waitForFunction((no) => document.querySelector('table.order-table a')?.textContent !== no, firstPage[0]);
    await page.waitForFunction((tag) => document.querySelectorAll(`table.order-table ${tag}`).length === 30, HOST);
    await page.waitForTimeout(300); // any late duplicate would show up by now
    const secondPage = await rowsWithControls(page);
    expect(secondPage.map((r) => r.orderNo)).toEqual(ORDERS.slice(30, 60).map((o) => o.orderNo));
    for (const row of secondPage) expect(row.controls).toEqual([row.orderNo]);
    expect(await page.locator(HOST).count()).toBe(30);
    // And back: the old rows are gone with their controls, the new ones have exactly one each.
    await page.getByRole('button', { name: '上一页' }).click();
    await page.waitForFunction((no) => document.querySelector('table.order-table a')?.textContent === no, firstPage[0]);
    await page.waitForFunction((tag) => document.querySelectorAll(`table.order-table ${tag}`).length === 30, HOST);
    expect(await page.locator(HOST).count()).toBe(30);
    await page.close();
  });

  it('follows a number rewritten under a control at once, and stops only the number shown', async () => {
    const page = await harness.context.newPage();
    await openList(page, listUrl);
    const [first, second] = [ORDERS[14]!.orderNo, ORDERS[15]!.orderNo];
    harness.sandbox.clearRequests();
    const cellOf = (no: string) =>
      page.evaluate(
        ([n, tag]) => {
          const cells = [...document.querySelectorAll('table.order-table tbody tr td:first-child')];
          return cells
            .filter((td) => td.querySelector('a')?.textContent === n)
            .map((td) => [...td.querySelectorAll(tag)].map((h) => h.getAttribute('data-atrip-order')).join(','));
        },
        [no, HOST] as const,
      );
    // The page reuses a row for another order, as frameworks patching rows in place do: same <a>,
    // new text — once by replacing the text node, once by changing its data.
    await page.evaluate(([from, to]) => {
      const link = [...document.querySelectorAll('table.order-table a')].find((a) => a.textContent === from)!;
      link.textContent = to!;
    }, [first, second] as const);
    // Both rows now show `second`, each with its own one control; `first` has none left.
    await expect.poll(() => cellOf(second), { timeout: 10_000 }).toEqual([second, second]);
    expect(await host(page, first).count()).toBe(0);
    for (const row of await rowsWithControls(page)) expect(row.controls).toEqual([row.orderNo]);

    await page.evaluate(([from, to]) => {
      const link = [...document.querySelectorAll('table.order-table a')].filter((a) => a.textContent === from)[1]!;
      (link.firstChild as Text).data = to!;
    }, [second, first] as const);
    await expect.poll(() => cellOf(first), { timeout: 10_000 }).toEqual([first]);
    for (const row of await rowsWithControls(page)) expect(row.controls).toEqual([row.orderNo]);
    expect(harness.sandbox.requests).toEqual([]);

    // Rewritten once more, then stopped from that row: the number shown is the one stopped.
    await page.evaluate(([from, to]) => {
      const link = [...document.querySelectorAll('table.order-table a')].find((a) => a.textContent === from)!;
      (link.firstChild as Text).data = to!;
    }, [first, ORDERS[20]!.orderNo] as const);
    const shown = ORDERS[20]!.orderNo;
    await expect.poll(() => cellOf(shown), { timeout: 10_000 }).toEqual([shown, shown]);
    const control = page.locator(`table.order-table tbody tr:nth-child(16) ${HOST}`); // ORDERS[15]'s own row
    expect(await control.getAttribute('data-atrip-order')).toBe(shown);
    await control.getByRole('button', { name: /Stop ticketing/ }).click();
    expect(await control.getByText(`Stop ticketing of order ${shown}?`).count()).toBe(1);
    await control.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(() => harness.sandbox.requests.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(harness.sandbox.requests.map((r) => (r.body as { orderNo: string }).orderNo)).toEqual([shown]);
    await page.close();
  });

  it('stops two selected orders with one confirmation', async () => {
    const page = await harness.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await openList(page, listUrl);
    // An ordinary order that ends intercepted and one that ends issued.
    const ordinary = ORDERS.slice(0, 30).filter((o) => o.scenario === null);
    const one = ordinary.find((o) => o.outcome === '-3')!.orderNo;
    const two = ordinary.find((o) => o.outcome === '2')!.orderNo;
    harness.sandbox.clearRequests();
    await host(page, one).getByRole('checkbox').check();
    await host(page, two).getByRole('checkbox').check();
    const bar = page.locator('atrip-stop-bar');
    await bar.getByRole('button', { name: 'Stop 2 selected' }).click();
    expect(await bar.getByRole('listitem').allTextContents()).toEqual([one, two]);
    await screenshot(page, 'list-multi-select', { fullPage: false });
    await bar.getByRole('button', { name: /Confirm/ }).click();
    await waitForState(page, one, 'intercepting');
    await waitForState(page, two, 'intercepting');
    await harness.waitForState(one, 'intercepted');
    await harness.waitForState(two, 'issued');
    await waitForState(page, one, 'intercepted');
    await waitForState(page, two, 'issued');
    expect(harness.sandbox.callsFor(one, '/stopTicket.do')).toHaveLength(1);
    expect(harness.sandbox.callsFor(two, '/stopTicket.do')).toHaveLength(1);
    expect(harness.sandbox.requests.filter((r) => r.path.endsWith('/stopTicket.do'))).toHaveLength(2);
    await page.close();
  });

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

describe('in-page control when the extension is not configured', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ settings: false });
  });
  afterAll(() => harness?.close());

  it('says so and opens the options page instead of stopping', async () => {
    const page = await harness.context.newPage();
    const orderNo = SCENARIOS.intercept;
    await page.goto(`${harness.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
    const button = host(page, orderNo).getByRole('button', { name: /Stop ticketing/ });
    await expect.poll(() => button.textContent()).toBe('Stop ticketing: set up first');
    const opened = harness.context.waitForEvent('page');
    await button.click();
    const options = await opened;
    await options.waitForLoadState();
    expect(options.url()).toBe(`${harness.extensionOrigin}/options.html`);
    expect(await host(page, orderNo).getByRole('button', { name: /Confirm/ }).count()).toBe(0);
    expect(harness.sandbox.requests).toEqual([]);
    await page.close();
  });
});

describe('in-page control in a Chinese browser', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ locale: 'zh-CN' });
  });
  afterAll(() => harness?.close());

  it('labels the control in Chinese and stops after 确认', async () => {
    const page = await harness.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const orderNo = SCENARIOS.issue;
    await page.goto(`${harness.sandbox.url}/portal/#/order/list`);
    const control = host(page, orderNo);
    await control.getByRole('button', { name: /停止出票/ }).click();
    await control.getByRole('button', { name: /确认/ }).click();
    await waitForState(page, orderNo, 'issued');
    expect(await control.getByText('拦截失败：已出票', { exact: true }).count()).toBe(1);
    expect(harness.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(1);
    await screenshot(page, 'list-controls-zh', { fullPage: false });
    await page.close();
  });
});
