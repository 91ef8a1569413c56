/**
 * The in-page control on portal pages built with the real Vue table libraries (test/sandbox/portals),
 * in each browser: Element UI 2.15 on Vue 2.7, Element Plus (el-table, el-table-v2), vxe-table 4.
 * The in-page checks are page-checks.ts; every input is trusted (real mouse clicks, hovers, keys).
 */
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { ORDERS, SCENARIOS } from '../../sandbox/catalogue';
import {
  clickElement,
  controlCount,
  countElements,
  eventually,
  hoverElement,
  sleep,
  type DriverPage,
  type ExtensionDriver,
} from '../driver';
import { armFollowProbe, buttonCenter, checkControls, hitTest, openConfirmation, readFollowProbe, type ControlCheck } from '../page-checks';
import { expectNoExtensionErrors, keepChromiumScreenshot, launchForBlock } from './story-helpers';
import { seedRecords } from '../../../bench/popup';

const browserName = inject('e2eBrowser');
const HOST = 'atrip-stop-control';
const page1 = ORDERS.slice(0, 30).map((o) => o.orderNo);
const page2 = ORDERS.slice(30, 60).map((o) => o.orderNo);

/** Where each page shows its order numbers, and the cell a control must be in. */
const ELEMENT_UI = { numbers: '.order-table a.el-link', cell: 'td' };
const ELEMENT_PLUS = { numbers: '.order-table a.el-link:not(.op-detail)', cell: 'td' };
const TABLE_V2 = { numbers: '.order-table-v2 a.el-link', cell: '.el-table-v2__row-cell' };
const VXE = { numbers: '.order-table a.order-link', cell: 'td' };

/** Polls the page until every visible number has its one visible control and `ok` holds. */
async function controlsRight(page: DriverPage, where: { numbers: string; cell: string }, ok: (check: ControlCheck) => boolean = () => true) {
  let check: ControlCheck | undefined;
  try {
    check = await eventually(() => page.evaluate(checkControls, where), (c) => c.problems.length === 0 && c.seen.length > 0 && ok(c), 'the controls', 30_000);
  } catch {
    check = await page.evaluate(checkControls, where); // the assertion below says what is wrong
  }
  expect(check.problems, JSON.stringify(check)).toEqual([]);
  return check;
}

/** Stores `orderNo` as the background leaves an order whose outcome stayed unknown at the deadline. */
async function seedUnknown(h: ExtensionDriver, orderNo: string) {
  const seeded = Object.values(seedRecords(4)).find((r) => r.state === 'unknown')!;
  const seeding = await h.openExtensionPage('options.html');
  await seeding.evaluate((items) => chrome.storage.local.set(items), { [`order:${orderNo}`]: { ...seeded, orderNo } });
  await seeding.close();
}

/** Where an unknown order's control and its actions are in its cell (`cell`, inside `within`), once it shows the state. */
async function unknownFits(page: DriverPage, orderNo: string, within: string, cell: string) {
  await eventually(
    () => page.evaluate(({ no, within }) => document.querySelector(`${within} [data-atrip-order="${no}"]`)?.getAttribute('data-state') ?? null, { no: orderNo, within }),
    (state) => state === 'unknown',
    `${orderNo} shown as unknown`,
  );
  return page.evaluate(
    ({ no, within, cell }) => {
      const host = document.querySelector(`${within} [data-atrip-order="${no}"]`)!;
      const box = host.closest(cell)!.getBoundingClientRect();
      const actions = [...host.shadowRoot!.querySelectorAll('input, button, a')].map((e) => {
        const r = e.getBoundingClientRect();
        return { name: e.getAttribute('aria-label') ?? e.textContent, inside: r.left >= box.left && r.right <= box.right, center: { x: r.left + r.width / 2, y: r.top + r.height / 2 } };
      });
      const control = host.shadowRoot!.querySelector('.control')!.getBoundingClientRect();
      return { actions, numberInSight: Math.round(box.right - control.right) };
    },
    { no: orderNo, within, cell },
  );
}

/**
 * An unknown order's actions — select, Check again, Retry stop, the order's page — each inside its
 * cell, and a click at its centre reaches the control (nothing of the page clips or covers it).
 */
async function expectActionsReachable(page: DriverPage, orderNo: string, actions: Awaited<ReturnType<typeof unknownFits>>['actions']) {
  expect(actions.map((a) => a.name)).toEqual([
    expect.stringMatching(/^Select order/),
    expect.stringMatching(/^Check order .* again/),
    expect.stringMatching(/^Stop ticketing of order .* again/),
    'open the order',
  ]);
  expect(actions.filter((a) => !a.inside)).toEqual([]);
  for (const action of actions) expect(await page.evaluate(hitTest, action.center)).toBe(orderNo);
}

/** The width of the compact control drawn over the start of `orderNo` in Element UI's fixed (clipping) column. */
function compactWidth(orderNo: string): number | null {
  const host = document.querySelector(`.el-table__fixed [data-atrip-order="${orderNo}"]`);
  const control = host?.shadowRoot?.querySelector('.control.compact');
  return control ? control.getBoundingClientRect().width : null;
}

const stopCalls = (h: ExtensionDriver) =>
  h.sandbox.requests.filter((r) => r.path.endsWith('/stopTicket.do')).map((r) => (r.body as { orderNo: string }).orderNo);

/** Stops an order with real mouse clicks on its visible control (Stop, then Confirm). */
async function stopWithMouse(page: DriverPage, h: ExtensionDriver, orderNo: string, within: string) {
  const at = await page.evaluate(buttonCenter, { orderNo, within });
  expect(at, `a visible Stop for ${orderNo}`).not.toBeNull();
  // Nothing of the page covers it: a click there lands on the control.
  expect(await page.evaluate(hitTest, at!)).toBe(orderNo);
  await page.clickAt(at!.x, at!.y);
  await eventually(() => page.evaluate(openConfirmation, { orderNo, within }), (c) => c !== null, `the confirmation of ${orderNo}`);
  // It takes input once on show for a moment (disabled until then, as browsers' permission prompts).
  const confirmation = (await eventually(() => page.evaluate(openConfirmation, { orderNo, within }), (c) => c?.enabled === true, 'Confirm enabled', 5_000))!;
  // The confirmation names the order, in the top layer (nothing of the page clips or covers it).
  expect(confirmation.naming).toBe(1);
  expect(confirmation.inTopLayer).toBe(true);
  expect(await page.evaluate(hitTest, confirmation.center)).toBe(orderNo);
  await page.clickAt(confirmation.center.x, confirmation.center.y);
  await eventually(() => Promise.resolve(stopCalls(h)), (calls) => calls.includes(orderNo), `a stop of ${orderNo}`, 30_000);
}

/** A portal page in a fresh tab of that viewport size. */
async function openPortal(h: ExtensionDriver, path: string, height: number) {
  const page = await h.openPage();
  await page.setViewport(1280, height);
  await page.goto(`${h.sandbox.url}${path}`);
  return page;
}

describe(`[${browserName}] in-page control on portals built with real Vue table libraries`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver));
  beforeEach(() => h.sandbox.clearRequests());

  describe('Element UI 2.15 (Vue 2.7)', () => {
    it('gives every visible order one visible, focusable control, and the hidden copies of the fixed column none', async () => {
      const page = await openPortal(h, '/portals/element-ui/#/order/list', 1800);
      const check = await controlsRight(page, ELEMENT_UI, (c) => c.seen.length === 30);
      expect(check.seen).toEqual(page1);
      // The library really renders the fixed column twice and hides a copy with `visibility: hidden`.
      const copies = await page.evaluate((tag) => {
        const hiddenCells = [...document.querySelectorAll('.order-table td.is-hidden')].filter((td) => td.querySelector('a.el-link'));
        const visibleIn = (cells: Element[]) =>
          cells.flatMap((td) => [...td.querySelectorAll(tag)]).filter((h) => h.shadowRoot?.querySelector('button')?.checkVisibility({ visibilityProperty: true })).length;
        return { hiddenCells: hiddenCells.length, hiddenStyle: getComputedStyle(hiddenCells[0]!.querySelector('.cell')!).visibility, visibleControls: visibleIn(hiddenCells) };
      }, HOST);
      expect(copies.hiddenCells).toBeGreaterThanOrEqual(30);
      expect(copies.hiddenStyle).toBe('hidden');
      expect(copies.visibleControls).toBe(0);

      // The keyboard reaches each order's Stop exactly once, never one in a hidden copy.
      await page.evaluate((tag) => {
        const reached: string[] = [];
        (window as unknown as { __reached: string[] }).__reached = reached;
        // After each Tab (focus moving inside one control sends no focusin out of its shadow root).
        addEventListener(
          'keyup',
          (event) => {
            const host = document.activeElement;
            const inner = host?.shadowRoot?.activeElement;
            if (event.key !== 'Tab' || host?.localName !== tag || inner?.localName !== 'button') return;
            reached.push(`${host.getAttribute('data-atrip-order')}${inner.checkVisibility({ visibilityProperty: true }) ? '' : ' (hidden)'}`);
          },
          true,
        );
        document.querySelector<HTMLInputElement>('.search input')!.focus();
      }, HOST);
      for (let i = 0; i < 100; i++) await page.press('Tab'); // the rows' links, checkboxes and Stops
      const reached = await page.evaluate(() => (window as unknown as { __reached: string[] }).__reached, undefined);
      expect(reached).toEqual(page1);
      await keepChromiumScreenshot(h, page, 'portal-element-ui');
      expect(page.errors()).toEqual([]);
      await expectNoExtensionErrors(h);
      await page.close();
    });

    it('follows paging that patches the same rows in place, and stops the number shown', async () => {
      const page = await openPortal(h, '/portals/element-ui/#/order/list', 1800);
      await controlsRight(page, ELEMENT_UI, (c) => c.seen.length === 30);
      await page.evaluate(() => {
        document.querySelectorAll('.el-table__fixed .el-table__row').forEach((tr, i) => Object.assign(tr, { __row: i }));
        const text = document.querySelector('.el-table__fixed a.el-link span')!.firstChild!;
        Object.assign(text, { __first: true });
      }, undefined);
      await page.evaluate(armFollowProbe, { numbers: 'a.el-link' });
      await clickElement(page, { selector: '.el-pager li', text: /^2$/ });
      const check = await controlsRight(page, ELEMENT_UI, (c) => c.seen[0] === page2[0]);
      expect(check.seen).toEqual(page2);
      // Vue 2 really patched in place: the same rows, the same text node, new text.
      const reused = await page.evaluate(
        () => ({
          rows: [...document.querySelectorAll('.el-table__fixed .el-table__row')].every((tr, i) => (tr as unknown as { __row: number }).__row === i),
          text: (document.querySelector('.el-table__fixed a.el-link span')!.firstChild as unknown as { __first?: boolean }).__first === true,
        }),
        undefined,
      );
      expect(reused).toEqual({ rows: true, text: true });
      const follow = await page.evaluate(readFollowProbe, undefined);
      console.log(`[${browserName}] Element UI paging: last control ${Math.round(follow.lastControlAt - follow.rewrittenAt)} ms after the first number was rewritten`);

      h.sandbox.clearRequests();
      await stopWithMouse(page, h, page2[2]!, '.el-table__fixed');
      expect(stopCalls(h)).toEqual([page2[2]]);
      expect(h.sandbox.callsFor(page1[2]!)).toEqual([]); // the number that was in that row before
      await page.close();
    });

    it('gives a clipped cell a Stop and a Confirm that real mouse clicks reach', async () => {
      const page = await openPortal(h, '/portals/element-ui/#/order/list', 900);
      await controlsRight(page, ELEMENT_UI);
      const orderNo = SCENARIOS.intercept;
      const cell = await page.evaluate((no) => {
        const link = [...document.querySelectorAll('.el-table__fixed a.el-link')].find((a) => a.textContent === no)!;
        const style = getComputedStyle(link.closest('.cell')!);
        return { overflowX: style.overflowX, whiteSpace: style.whiteSpace };
      }, orderNo);
      expect(cell).toEqual({ overflowX: 'hidden', whiteSpace: 'nowrap' }); // show-overflow-tooltip: it clips
      const idleWidth = await page.evaluate(compactWidth, orderNo);
      expect(idleWidth).toBeGreaterThan(0);
      h.sandbox.clearRequests();
      const at = await page.evaluate(buttonCenter, { orderNo, within: '.el-table__fixed' });
      await page.clickAt(at!.x, at!.y);
      await eventually(() => page.evaluate(openConfirmation, { orderNo, within: '.el-table__fixed' }), (c) => c !== null, `the confirmation of ${orderNo}`);
      await keepChromiumScreenshot(h, page, 'portal-element-ui-confirm');
      await page.press('Escape');
      await stopWithMouse(page, h, orderNo, '.el-table__fixed');
      expect(stopCalls(h)).toEqual([orderNo]);
      // The focus given back to the control (its state, once sent) scrolled nothing of the page: the
      // fixed column's clipped body and cells would stay scrolled, every row's control cut off.
      await eventually(
        () => page.evaluate((no) => document.querySelector(`.el-table__fixed [data-atrip-order="${no}"]`)?.getAttribute('data-state') ?? null, orderNo),
        (state) => state !== null && state !== 'idle' && state !== 'sending',
        `the state of ${orderNo} after the stop`,
        30_000,
      );
      // Drawn over the start of the number, it covers as much of it in every state as when idle: no
      // sliver of covered letters shows beside a narrower state.
      expect(await page.evaluate(compactWidth, orderNo)).toBeGreaterThanOrEqual(idleWidth! - 0.5);
      const scrolled = await page.evaluate(
        (selector) => [...document.querySelectorAll(selector)].filter((e) => e.scrollLeft !== 0 || e.scrollTop !== 0).map((e) => e.className),
        '.el-table__fixed, .el-table__fixed *',
      );
      expect(scrolled).toEqual([]);
      expect(page.errors()).toEqual([]);
      await expectNoExtensionErrors(h);
      await page.close();
    });

    it('fits an unknown order\'s actions in its clipped cell, the end of its number still in sight', async () => {
      const orderNo = page1[5]!;
      await seedUnknown(h, orderNo);
      try {
        const page = await openPortal(h, '/portals/element-ui/#/order/list', 900);
        await controlsRight(page, ELEMENT_UI);
        const fit = await unknownFits(page, orderNo, '.el-table__fixed', '.cell');
        // Check again, Retry stop and the order's page (marks here): each inside the cell and reachable.
        await expectActionsReachable(page, orderNo, fit.actions);
        // The number's end (the digits that tell orders apart) is not all covered: ~8 digits here.
        expect(fit.numberInSight).toBeGreaterThanOrEqual(50);
        await page.close();
      } finally {
        await h.send({ type: 'remove', orderNo });
      }
    });

    it('puts no control in the tooltips it appends to body', async () => {
      const page = await openPortal(h, '/portals/element-ui/#/order/list', 900);
      await controlsRight(page, ELEMENT_UI);
      await hoverElement(page, { selector: '.el-table__fixed-right .op-detail' });
      const tooltip = { selector: 'body > .el-tooltip__popper', text: `查看订单 ${page1[0]}` };
      await eventually(
        () =>
          page.evaluate(
            ({ selector, text }) =>
              [...document.querySelectorAll(selector)].some((e) => (e.textContent ?? '').includes(text) && e.checkVisibility({ visibilityProperty: true, opacityProperty: true })),
            tooltip,
          ),
        Boolean,
        'the tooltip on show',
      );
      await sleep(300); // a control, if any, would be there by now (next frame)
      const inTooltip = await page.evaluate(
        ({ selector, text, tag }) =>
          [...document.querySelectorAll(selector)].filter((e) => (e.textContent ?? '').includes(text)).reduce((n, e) => n + e.querySelectorAll(tag).length, 0),
        { ...tooltip, tag: HOST },
      );
      expect(inTooltip).toBe(0);
      await page.close();
    });

    it('finds numbers split by search highlighting, <wbr> and zero-width spaces', async () => {
      const page = await openPortal(h, '/portals/element-ui/#/order/list', 900);
      await controlsRight(page, ELEMENT_UI);
      await clickElement(page, { selector: '.search input' });
      await page.type('25100000');
      const check = await controlsRight(page, ELEMENT_UI, (c) => c.seen.every((n) => n.includes('25100000')));
      expect(await countElements(page, '.el-table__fixed a.el-link em.hl')).toBeGreaterThan(0);
      h.sandbox.clearRequests();
      await stopWithMouse(page, h, check.seen[0]!, '.el-table__fixed');
      expect(stopCalls(h)).toEqual([check.seen[0]]);

      // The detail page: a related order broken with <wbr>, and one pasted with a zero-width space.
      const orderNo = SCENARIOS.issue;
      const related = SCENARIOS.alreadyIssued; // the sandbox portal's neighbour of `issue`
      await page.evaluate((no) => (location.hash = `#/order/detail/${no}/zh`), orderNo);
      await eventually(() => countElements(page, '.related-wbr'), (n) => n > 0, 'the related order');
      const read = () =>
        page.evaluate((tag) => {
          const next = (selector: string) => {
            const element = document.querySelector(selector)!;
            return `${element.nextElementSibling?.localName === tag ? element.nextElementSibling.getAttribute('data-atrip-order') : 'none'}/${element.parentElement!.querySelectorAll(tag).length}`;
          };
          return { order: next('.order-no'), wbr: next('.related-wbr'), zeroWidth: next('.remark') };
        }, HOST);
      const beside = await eventually(read, (v) => !Object.values(v).some((s) => s.startsWith('none')), 'a control beside each number', 30_000).catch(read);
      expect(beside).toEqual({ order: `${orderNo}/1`, wbr: `${related}/1`, zeroWidth: `${related}/1` });
      expect(await countElements(page, '.related-wbr wbr')).toBe(2);
      await page.close();
    });
  });

  describe('Element Plus (Vue 3)', () => {
    it('wraps an unknown order\'s actions inside its narrow cell, each reachable', async () => {
      const orderNo = page1[5]!;
      await seedUnknown(h, orderNo);
      try {
        const page = await openPortal(h, '/portals/element-plus/#/order/list', 1200);
        await controlsRight(page, ELEMENT_PLUS); // a control that ran past the cell's edge would be cut off: "no control"
        const fit = await unknownFits(page, orderNo, '.order-table', 'td');
        await expectActionsReachable(page, orderNo, fit.actions);
        await page.close();
      } finally {
        await h.send({ type: 'remove', orderNo });
      }
    });

    it('el-table: one control per order (its fixed column is a single sticky copy), following in-place paging', async () => {
      const page = await openPortal(h, '/portals/element-plus/#/order/list', 2600);
      const check = await controlsRight(page, ELEMENT_PLUS, (c) => c.seen.length === 30);
      expect(check.seen).toEqual(page1);
      expect(await controlCount(page)).toBe(30);
      await clickElement(page, { selector: '.el-pager li', text: /^2$/ });
      const next = await controlsRight(page, ELEMENT_PLUS, (c) => c.seen[0] === page2[0]);
      expect(next.seen).toEqual(page2);
      expect(await controlCount(page)).toBe(30);
      h.sandbox.clearRequests();
      await stopWithMouse(page, h, page2[4]!, '.order-table');
      expect(stopCalls(h)).toEqual([page2[4]]);
      expect(page.errors()).toEqual([]);
      await expectNoExtensionErrors(h);
      await page.close();
    });

    it('el-table-v2: rows rendered as the virtual list scrolls get their controls, and a stop acts on the number shown', async () => {
      const page = await openPortal(h, '/portals/element-plus/#/order/virtual', 900);
      const first = await controlsRight(page, TABLE_V2);
      expect(first.seen[0]).toBe(page1[0]);
      const rendered = await countElements(page, '.order-table-v2 a.el-link');
      expect(rendered).toBeLessThan(60); // virtual: only the rows around the view exist
      await page.evaluate(armFollowProbe, { numbers: '.order-table-v2 a.el-link' });
      await page.evaluate(() => {
        const scroller = [...document.querySelectorAll('.order-table-v2 *')].find((e) => e.scrollHeight > e.clientHeight + 1000)!;
        scroller.scrollTop = 40 * 1000;
      }, undefined);
      const middle = await controlsRight(page, TABLE_V2, (c) => c.seen.some((n) => n === ORDERS[1003]!.orderNo));
      const follow = await page.evaluate(readFollowProbe, undefined);
      console.log(`[${browserName}] el-table-v2 scroll: last control ${Math.round(follow.lastControlAt - follow.rewrittenAt)} ms after the rows changed`);
      h.sandbox.clearRequests();
      const orderNo = middle.seen[2]!;
      await stopWithMouse(page, h, orderNo, '.order-table-v2');
      expect(stopCalls(h)).toEqual([orderNo]);
      await keepChromiumScreenshot(h, page, 'portal-element-plus-v2');
      expect(page.errors()).toEqual([]);
      await expectNoExtensionErrors(h);
      await page.close();
    });
  });

  describe('vxe-table 4 (Vue 3)', () => {
    it('virtual scroll: rows re-rendered with other orders get the right controls, and a stop acts on the number shown', async () => {
      const page = await openPortal(h, '/portals/vxe-table/#/order/list', 900);
      const first = await controlsRight(page, VXE);
      expect(first.seen.slice(0, 3)).toEqual(page1.slice(0, 3));
      expect(await countElements(page, '.order-table a.order-link')).toBeLessThan(60);
      await page.evaluate(armFollowProbe, { numbers: 'a.order-link' });
      await page.evaluate(() => {
        const scroller = [...document.querySelectorAll('.order-table *')].find((e) => e.scrollHeight > e.clientHeight + 1000)!;
        scroller.scrollTop = 48 * 1500;
      }, undefined);
      const moved = await controlsRight(page, VXE, (c) => c.seen.includes(ORDERS[1502]!.orderNo));
      const follow = await page.evaluate(readFollowProbe, undefined);
      console.log(`[${browserName}] vxe-table scroll: last control ${Math.round(follow.lastControlAt - follow.rewrittenAt)} ms after the rows changed`);
      h.sandbox.clearRequests();
      const orderNo = moved.seen[1]!;
      await stopWithMouse(page, h, orderNo, '.order-table');
      expect(stopCalls(h)).toEqual([orderNo]);
      await keepChromiumScreenshot(h, page, 'portal-vxe-table');
      expect(page.errors()).toEqual([]);
      await expectNoExtensionErrors(h);
      await page.close();
    });
  });
});
