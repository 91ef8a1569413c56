/**
 * The in-page control on the hand-written portal as a whole, in each browser (one launch per block):
 * controls, stops and states beside each order, unconfigured, and in a Chinese browser. (Its
 * 2,000-row case reads a CDP CPU profile: it stays Chromium-only in test/e2e/content-long-list.test.ts.)
 */
import { describe, expect, inject, it } from 'vitest';
import { ORDERS, SCENARIOS } from '../../sandbox/catalogue';
import {
  clickButton,
  clickElement,
  controlCount,
  controlHost,
  controlState,
  eventually,
  sleep,
  waitForControlState,
  type DriverPage,
  type ExtensionDriver,
} from '../driver';
import { expectNoExtensionErrors, keepChromiumScreenshot, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const HOST = 'atrip-stop-control';

/** Each order link of the list table, with the controls that follow it in its cell. */
function rowsWithControls(page: DriverPage) {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('table.order-table tbody tr td:first-child')].map((cell) => ({
        orderNo: cell.querySelector('a')?.textContent ?? '',
        controls: [...cell.querySelectorAll('atrip-stop-control')].map((h) => h.getAttribute('data-atrip-order')),
        // The control sits right after the link, in the same cell.
        afterLink: cell.querySelector('a')?.nextElementSibling?.tagName.toLowerCase() ?? '',
      })),
    undefined,
  );
}

/**
 * The list page with its 30 controls. The viewport (Playwright's default unless told) holds the 30
 * rows within the control's one-viewport look-ahead: Firefox's taller rows leave the last ones
 * beyond it in a 600 px viewport (they get theirs as they come near, as the contract allows).
 */
async function openList(h: ExtensionDriver, viewport = { width: 1280, height: 720 }) {
  const page = await h.openPage();
  await page.setViewport(viewport.width, viewport.height);
  await page.goto(`${h.sandbox.url}/portal/#/order/list`);
  await eventually(() => page.evaluate((tag) => document.querySelectorAll(`table.order-table ${tag}`).length, HOST), (n) => n === 30, '30 controls in the list');
  return page;
}

/**
 * How many elements of the element `host`'s shadow root say the text, as a text query counts them:
 * the innermost elements whose (whitespace-normalised) text contains it, or with `exact`, is it.
 */
function textCount(page: DriverPage, host: string, text: string, exact = false): Promise<number> {
  return page.evaluate(
    ({ host, text, exact }) => {
      const root = document.querySelector(host)?.shadowRoot;
      if (!root) return 0;
      const norm = (e: Element) => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
      const says = (e: Element) => norm(e).includes(text);
      return [...root.querySelectorAll('*')].filter((e) => says(e) && ![...e.children].some(says) && (!exact || norm(e) === text)).length;
    },
    { host, text, exact },
  );
}

/** Buttons on show in the page and in every control, whose accessible name contains the text (any case). */
function buttonsNamed(page: DriverPage, text: string): Promise<number> {
  return page.evaluate((t) => {
    const roots: ParentNode[] = [document, ...[...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []))];
    return roots
      .flatMap((root) => [...root.querySelectorAll('button')])
      .filter((b) => (b.getAttribute('aria-label') || b.textContent || '').toLowerCase().includes(t.toLowerCase()) && b.checkVisibility({ visibilityProperty: true })).length;
  }, text);
}

/** A trusted click on the element matching `selector` inside the `host` element's shadow root. */
async function clickInShadow(page: DriverPage, host: string, selector: string) {
  const at = await eventually(
    () =>
      page.evaluate(
        ({ host, selector }) => {
          const element = document.querySelector(host)?.shadowRoot?.querySelector(selector);
          if (!element || element.getClientRects().length === 0) return null;
          element.scrollIntoView({ block: 'nearest' });
          const r = element.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        },
        { host, selector },
      ),
    (p) => p !== null,
    `${selector} in ${host}`,
  );
  await page.clickAt(at!.x, at!.y);
}

describe(`[${browserName}] in-page control on ATRIP portal pages`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver));

  it('puts one compact control beside each order number of the list page', async () => {
    const page = await openList(h, { width: 1280, height: 900 });
    const rows = await rowsWithControls(page);
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      expect(row.orderNo).toMatch(/^[A-Z]{5}\d{17}$/);
      expect(row.controls).toEqual([row.orderNo]);
      expect(row.afterLink).toBe(HOST);
    }
    expect(await page.evaluate((tag) => document.querySelectorAll(`${tag}[data-state="idle"]`).length, HOST)).toBe(30);
    expect(await buttonsNamed(page, 'Stop ticketing')).toBe(30);
    // Inline: on the same line as the number, right of it, and no taller than the row's text line.
    const first = rows[0]!.orderNo;
    const { link, control, mode } = await page.evaluate(
      ({ no, host }) => {
        const box = (e: Element) => {
          const r = e.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        const a = [...document.querySelectorAll('a')].find((e) => e.textContent === no)!;
        const control = document.querySelector(host)!;
        return { link: box(a), control: box(control), mode: control.shadowRoot?.mode };
      },
      { no: first, host: controlHost(first) },
    );
    expect(control.x).toBeGreaterThanOrEqual(link.x + link.width);
    expect(Math.abs(control.y + control.height / 2 - (link.y + link.height / 2))).toBeLessThan(4);
    expect(control.height).toBeLessThanOrEqual(24);
    // The shadow root is open and holds the UI (contract).
    expect(mode).toBe('open');
    await keepChromiumScreenshot(h, page, 'list-controls');
    expect(page.errors()).toEqual([]);
    await expectNoExtensionErrors(h);
    await page.close();
  });

  it('puts a control beside the number on an order detail page reached by hash navigation', async () => {
    const page = await openList(h);
    await page.setViewport(900, 600);
    const orderNo = SCENARIOS.issue;
    // SPA navigation: the list is replaced by the detail page without a reload.
    await page.evaluate((no) => (location.hash = `#/order/detail/${no}/en`), orderNo);
    await eventually(() => controlState(page, orderNo), (s) => s !== null, `a control for ${orderNo}`);
    await eventually(() => page.evaluate(() => document.querySelector('.order-no') !== null, undefined), Boolean, 'the order number');
    expect(await controlCount(page)).toBe(1);
    expect(await page.evaluate(() => document.querySelector('.order-no')!.nextElementSibling?.getAttribute('data-atrip-order'), undefined)).toBe(orderNo);
    await keepChromiumScreenshot(h, page, 'detail-control');
    expect(page.errors()).toEqual([]);
    await expectNoExtensionErrors(h);
    await page.close();
  });

  it('ignores an untrusted click from page script: nothing is sent', async () => {
    const orderNo = SCENARIOS.intercept;
    const page = await h.openPage(`${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
    await eventually(() => controlState(page, orderNo), (s) => s !== null, `a control for ${orderNo}`);
    h.sandbox.clearRequests();
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
    await sleep(1500);
    expect(h.sandbox.callsFor(orderNo)).toEqual([]);
    expect(await controlState(page, orderNo)).toBe('idle');
    expect(await h.record(orderNo)).toBeUndefined();
    await page.close();
  });

  it('stops an order after a click and a confirmation, then follows it to intercepted without a reload', async () => {
    const orderNo = SCENARIOS.intercept;
    const host = controlHost(orderNo);
    const page = await h.openPage(`${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
    await eventually(() => controlState(page, orderNo), (s) => s !== null, `a control for ${orderNo}`);
    // Keyboard: the button is reachable and Escape cancels the confirmation.
    await page.evaluate((selector) => {
      const button = [...document.querySelector(selector)!.shadowRoot!.querySelectorAll('button')].find((b) => /Stop ticketing/.test(b.getAttribute('aria-label') ?? ''))!;
      button.focus();
    }, host);
    await page.press('Enter');
    await eventually(() => buttonsNamed(page, 'Confirm'), (n) => n === 1, 'the confirmation');
    await page.press('Escape');
    await eventually(() => buttonsNamed(page, 'Confirm'), (n) => n === 0, 'the confirmation closed by Escape', 5_000);
    expect(h.sandbox.callsFor(orderNo)).toEqual([]);

    await clickButton(page, { host, name: /Stop ticketing/ });
    await eventually(() => buttonsNamed(page, 'Confirm'), (n) => n === 1, 'the confirmation');
    // The UI is in the shadow root, not the light DOM.
    expect(await page.evaluate((selector) => document.querySelector(selector)!.textContent, host)).toBe('');
    expect(await textCount(page, host, `Stop ticketing of order ${orderNo}?`)).toBe(1);
    await clickButton(page, { host, name: /Confirm/ });
    await waitForControlState(page, orderNo, 'intercepting');
    const status = await page.evaluate((selector) => document.querySelector(selector)!.shadowRoot!.querySelector('.status')?.textContent ?? '', host);
    expect(status).toMatch(/Intercepting… (next check in \d:\d\d|checking now)/);
    await waitForControlState(page, orderNo, 'intercepted');
    expect(await textCount(page, host, 'Stopped: no ticket issued', true)).toBe(1);
    expect(h.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(1);
    expect((await h.record(orderNo))?.state).toBe('intercepted');
    await keepChromiumScreenshot(h, page, 'detail-intercepted');
    expect(page.errors()).toEqual([]);
    await expectNoExtensionErrors(h);
    await page.close();
  });

  it('gets controls on the new rows after paging, none duplicated', async () => {
    const page = await openList(h);
    const firstPage = (await rowsWithControls(page)).map((r) => r.orderNo);
    const firstLink = () => page.evaluate(() => document.querySelector('table.order-table a')?.textContent ?? '', undefined);
    const controlsInTable = () => page.evaluate((tag) => document.querySelectorAll(`table.order-table ${tag}`).length, HOST);
    await clickElement(page, { selector: 'button', text: /^下一页$/ });
    await eventually(firstLink, (no) => no !== firstPage[0], 'the second page');
    await eventually(controlsInTable, (n) => n === 30, '30 controls in the list');
    await sleep(300); // any late duplicate would show up by now
    const secondPage = await rowsWithControls(page);
    expect(secondPage.map((r) => r.orderNo)).toEqual(ORDERS.slice(30, 60).map((o) => o.orderNo));
    for (const row of secondPage) expect(row.controls).toEqual([row.orderNo]);
    expect(await controlCount(page)).toBe(30);
    // And back: the old rows are gone with their controls, the new ones have exactly one each.
    await clickElement(page, { selector: 'button', text: /^上一页$/ });
    await eventually(firstLink, (no) => no === firstPage[0], 'the first page');
    await eventually(controlsInTable, (n) => n === 30, '30 controls in the list');
    expect(await controlCount(page)).toBe(30);
    await page.close();
  });

  it('follows a number rewritten under a control at once, and stops only the number shown', async () => {
    const page = await openList(h);
    const [first, second] = [ORDERS[14]!.orderNo, ORDERS[15]!.orderNo];
    h.sandbox.clearRequests();
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
    await page.evaluate(
      ([from, to]) => {
        const link = [...document.querySelectorAll('table.order-table a')].find((a) => a.textContent === from)!;
        link.textContent = to!;
      },
      [first, second] as const,
    );
    // Both rows now show `second`, each with its own one control; `first` has none left.
    expect(await eventually(() => cellOf(second), (c) => c.join('|') === `${second}|${second}`, `two controls for ${second}`, 10_000).catch(() => cellOf(second))).toEqual([second, second]);
    expect(await controlCount(page, first)).toBe(0);
    for (const row of await rowsWithControls(page)) expect(row.controls).toEqual([row.orderNo]);

    await page.evaluate(
      ([from, to]) => {
        const link = [...document.querySelectorAll('table.order-table a')].filter((a) => a.textContent === from)[1]!;
        (link.firstChild as Text).data = to!;
      },
      [second, first] as const,
    );
    expect(await eventually(() => cellOf(first), (c) => c.join('|') === first, `a control for ${first}`, 10_000).catch(() => cellOf(first))).toEqual([first]);
    for (const row of await rowsWithControls(page)) expect(row.controls).toEqual([row.orderNo]);
    expect(h.sandbox.requests).toEqual([]);

    // Rewritten once more, then stopped from that row: the number shown is the one stopped.
    await page.evaluate(
      ([from, to]) => {
        const link = [...document.querySelectorAll('table.order-table a')].find((a) => a.textContent === from)!;
        (link.firstChild as Text).data = to!;
      },
      [first, ORDERS[20]!.orderNo] as const,
    );
    const shown = ORDERS[20]!.orderNo;
    expect(await eventually(() => cellOf(shown), (c) => c.join('|') === `${shown}|${shown}`, `two controls for ${shown}`, 10_000).catch(() => cellOf(shown))).toEqual([shown, shown]);
    const control = `table.order-table tbody tr:nth-child(16) ${HOST}`; // ORDERS[15]'s own row
    expect(await page.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-atrip-order'), control)).toBe(shown);
    await clickButton(page, { host: control, name: /Stop ticketing/ });
    expect(await eventually(() => textCount(page, control, `Stop ticketing of order ${shown}?`), (n) => n > 0, 'the question').catch(() => 0)).toBe(1);
    await clickButton(page, { host: control, name: /Confirm/ });
    await eventually(() => Promise.resolve(h.sandbox.requests.length), (n) => n > 0, 'a stop request', 15_000);
    expect(h.sandbox.requests.map((r) => (r.body as { orderNo: string }).orderNo)).toEqual([shown]);
    await page.close();
  });

  it('follows every number a page rewrites in place while the page keeps its main thread busy right after', async () => {
    const page = await openList(h);
    const before = (await rowsWithControls(page)).map((row) => row.orderNo);
    const after = ORDERS.map((o) => o.orderNo).filter((no) => !before.includes(no)).slice(0, before.length);
    h.sandbox.clearRequests(); // (the request log only: an order stopped before stays tracked)
    // One task of the page: every number rewritten in place (a framework paging by patching its
    // rows), then its own long tasks right behind it and a long frame (issue 12: a follow that
    // waited for a task of its own came after them).
    await page.evaluate((next) => {
      const busy = (ms: number) => {
        const end = performance.now() + ms;
        while (performance.now() < end);
      };
      document.querySelectorAll('table.order-table tbody tr td:first-child a').forEach((a, i) => ((a.firstChild as Text).data = next[i]!));
      for (let i = 0; i < 4; i++) setTimeout(() => busy(120), 0);
      requestAnimationFrame(() => busy(120));
    }, after);
    // Every row: exactly one control, the number now shown; none left for the numbers before.
    const rows = await eventually(
      () => rowsWithControls(page),
      (all) => all.every((row, i) => row.orderNo === after[i] && row.controls.join(',') === row.orderNo),
      'every control following its rewritten number',
    ).catch(() => rowsWithControls(page));
    expect(rows.map((row) => row.controls)).toEqual(after.map((no) => [no]));
    for (const no of before) expect(await controlCount(page, no)).toBe(0);
    expect(await controlCount(page)).toBe(after.length);
    // Nothing stopped by the rewrite (the order an earlier test stopped may still be checked).
    expect(h.sandbox.requests.filter((r) => r.path.endsWith('/stopTicket.do'))).toEqual([]);
    await page.close();
  });

  it('stops two selected orders with one confirmation', async () => {
    const page = await openList(h, { width: 1280, height: 900 });
    // An ordinary order that ends intercepted and one that ends issued.
    const ordinary = ORDERS.slice(0, 30).filter((o) => o.scenario === null);
    const one = ordinary.find((o) => o.outcome === '-3')!.orderNo;
    const two = ordinary.find((o) => o.outcome === '2')!.orderNo;
    h.sandbox.clearRequests();
    for (const orderNo of [one, two]) {
      await clickInShadow(page, controlHost(orderNo), 'input[type="checkbox"]');
      const checked = () => page.evaluate((selector) => document.querySelector(selector)!.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!.checked, controlHost(orderNo));
      await eventually(checked, Boolean, `${orderNo} selected`, 5_000);
    }
    const bar = 'atrip-stop-bar';
    await clickButton(page, { host: bar, name: /Stop 2 selected/i });
    const listed = await eventually(
      () => page.evaluate((selector) => [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('li') ?? [])].map((li) => li.textContent), bar),
      (items) => items.length > 0,
      'the orders listed in the confirmation',
    );
    expect(listed).toEqual([one, two]);
    await keepChromiumScreenshot(h, page, 'list-multi-select');
    await clickButton(page, { host: bar, name: /Confirm/ });
    await waitForControlState(page, one, 'intercepting');
    await waitForControlState(page, two, 'intercepting');
    await h.waitForState(one, 'intercepted');
    await h.waitForState(two, 'issued');
    await waitForControlState(page, one, 'intercepted');
    await waitForControlState(page, two, 'issued');
    expect(h.sandbox.callsFor(one, '/stopTicket.do')).toHaveLength(1);
    expect(h.sandbox.callsFor(two, '/stopTicket.do')).toHaveLength(1);
    expect(h.sandbox.requests.filter((r) => r.path.endsWith('/stopTicket.do'))).toHaveLength(2);
    await page.close();
  });
});

describe(`[${browserName}] in-page control when the extension is not configured`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver), { settings: false });

  it('says so and opens the options page instead of stopping', async () => {
    const orderNo = SCENARIOS.intercept;
    const host = controlHost(orderNo);
    const page = await h.openPage(`${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
    const label = () =>
      page.evaluate(
        (selector) =>
          [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => /Stop ticketing/.test(b.getAttribute('aria-label') || b.textContent || ''))
            ?.textContent ?? '',
        host,
      );
    expect(await eventually(label, (text) => text === 'Stop ticketing: set up first', 'the set-up button').catch(label)).toBe('Stop ticketing: set up first');
    const options = `${h.extensionOrigin}/options.html`;
    expect(await h.tabAddresses()).not.toContain(options);
    await clickButton(page, { host, name: /Stop ticketing/ });
    await eventually(() => h.tabAddresses(), (urls) => urls.includes(options), 'the options page in a tab');
    expect(await buttonsNamed(page, 'Confirm')).toBe(0);
    expect(h.sandbox.requests).toEqual([]);
    await page.close();
  });
});

describe(`[${browserName}] in-page control in a Chinese browser`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver), { locale: 'zh-CN' });

  it('labels the control in Chinese and stops after 确认', async () => {
    const orderNo = SCENARIOS.issue;
    const host = controlHost(orderNo);
    const page = await h.openPage();
    await page.setViewport(1280, 900);
    await page.goto(`${h.sandbox.url}/portal/#/order/list`);
    await clickButton(page, { host, name: /停止出票/ });
    await clickButton(page, { host, name: /确认/ });
    await waitForControlState(page, orderNo, 'issued');
    expect(await textCount(page, host, '拦截失败：已出票', true)).toBe(1);
    expect(h.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(1);
    await keepChromiumScreenshot(h, page, 'list-controls-zh');
    await page.close();
  });
});
