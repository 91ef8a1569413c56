/**
 * The in-page control on portal pages built with the real Vue table libraries (test/sandbox/portals):
 * Element UI 2.15 on Vue 2.7, Element Plus (el-table, el-table-v2), vxe-table 4. Chromium for now;
 * the in-page checks (page-checks.ts) are plain functions any driver can run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ORDERS, SCENARIOS } from '../sandbox/catalogue';
import { collectErrors, Harness } from './harness';
import { screenshot, until } from './helpers';
import { armFollowProbe, buttonCenter, checkControls, hitTest, readFollowProbe, type ControlCheck } from './page-checks';

const HOST = 'atrip-stop-control';
const page1 = ORDERS.slice(0, 30).map((o) => o.orderNo);
const page2 = ORDERS.slice(30, 60).map((o) => o.orderNo);

/** Where each page shows its order numbers, and the cell a control must be in. */
const ELEMENT_UI = { numbers: '.order-table a.el-link', cell: 'td' };
const ELEMENT_PLUS = { numbers: '.order-table a.el-link:not(.op-detail)', cell: 'td' };
const TABLE_V2 = { numbers: '.order-table-v2 a.el-link', cell: '.el-table-v2__row-cell' };
const VXE = { numbers: '.order-table a.order-link', cell: 'td' };

/** Polls the page until every visible number has its one visible control and `ok` holds. */
async function controlsRight(page: Page, where: { numbers: string; cell: string }, ok: (check: ControlCheck) => boolean = () => true) {
  const check = await until(
    () => page.evaluate(checkControls, where),
    (c) => c.problems.length === 0 && c.seen.length > 0 && ok(c),
    30_000,
  );
  expect(check.problems, JSON.stringify(check)).toEqual([]);
  return check;
}

const stopCalls = (harness: Harness) =>
  harness.sandbox.requests.filter((r) => r.path.endsWith('/stopTicket.do')).map((r) => (r.body as { orderNo: string }).orderNo);

/** Stops an order with real mouse clicks on its visible control (Stop, then Confirm). */
async function stopWithMouse(page: Page, harness: Harness, orderNo: string, within: string) {
  const at = await page.evaluate(buttonCenter, { orderNo, within });
  expect(at, `a visible Stop for ${orderNo}`).not.toBeNull();
  // Nothing of the page covers it: a click there lands on the control.
  expect(await page.evaluate(hitTest, at!)).toBe(orderNo);
  await page.mouse.click(at!.x, at!.y);
  const control = page.locator(`${within} ${HOST}[data-atrip-order="${orderNo}"]`).filter({ has: page.getByRole('button', { name: /Confirm/ }) });
  const confirm = control.getByRole('button', { name: /Confirm/ });
  await confirm.waitFor();
  // It takes input once on show for a moment (disabled until then, as browsers' permission prompts).
  await expect.poll(() => confirm.isEnabled(), { timeout: 5_000 }).toBe(true);
  // The confirmation names the order, in the top layer (nothing of the page clips or covers it).
  expect(await control.getByText(`Stop ticketing of order ${orderNo}?`).count()).toBe(1);
  expect(await control.locator('.confirm').evaluate((el) => el.matches(':popover-open'))).toBe(true);
  const box = (await confirm.boundingBox())!;
  const center = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  expect(await page.evaluate(hitTest, center)).toBe(orderNo);
  await page.mouse.click(center.x, center.y);
  await until(() => stopCalls(harness), (calls) => calls.includes(orderNo), 30_000);
}

describe('in-page control on portals built with real Vue table libraries', () => {
  let harness: Harness;
  let base: string;
  beforeAll(async () => {
    harness = await Harness.launch();
    base = harness.sandbox.url;
  });
  afterAll(() => harness?.close());

  describe('Element UI 2.15 (Vue 2.7)', () => {
    it('gives every visible order one visible, focusable control, and the hidden copies of the fixed column none', async () => {
      const page = await harness.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width: 1280, height: 1800 });
      await page.goto(`${base}/portals/element-ui/#/order/list`);
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
      }, HOST);
      await page.locator('.search input').focus();
      for (let i = 0; i < 100; i++) await page.keyboard.press('Tab'); // the rows' links, checkboxes and Stops
      const reached = await page.evaluate(() => (window as unknown as { __reached: string[] }).__reached);
      expect(reached).toEqual(page1);
      await screenshot(page, 'portal-element-ui', { fullPage: false });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('follows paging that patches the same rows in place, and stops the number shown', async () => {
      const page = await harness.context.newPage();
      await page.setViewportSize({ width: 1280, height: 1800 });
      await page.goto(`${base}/portals/element-ui/#/order/list`);
      await controlsRight(page, ELEMENT_UI, (c) => c.seen.length === 30);
      await page.evaluate(() => {
        document.querySelectorAll('.el-table__fixed .el-table__row').forEach((tr, i) => Object.assign(tr, { __row: i }));
        const text = document.querySelector('.el-table__fixed a.el-link span')!.firstChild!;
        Object.assign(text, { __first: true });
      });
      await page.evaluate(armFollowProbe, { numbers: 'a.el-link' });
      await page.locator('.el-pager li', { hasText: /^2$/ }).click();
      const check = await controlsRight(page, ELEMENT_UI, (c) => c.seen[0] === page2[0]);
      expect(check.seen).toEqual(page2);
      // Vue 2 really patched in place: the same rows, the same text node, new text.
      const reused = await page.evaluate(() => ({
        rows: [...document.querySelectorAll('.el-table__fixed .el-table__row')].every((tr, i) => (tr as unknown as { __row: number }).__row === i),
        text: (document.querySelector('.el-table__fixed a.el-link span')!.firstChild as unknown as { __first?: boolean }).__first === true,
      }));
      expect(reused).toEqual({ rows: true, text: true });
      const follow = await page.evaluate(readFollowProbe);
      console.log(`Element UI paging: last control ${Math.round(follow.lastControlAt - follow.rewrittenAt)} ms after the first number was rewritten`);

      harness.sandbox.clearRequests();
      await stopWithMouse(page, harness, page2[2]!, '.el-table__fixed');
      expect(stopCalls(harness)).toEqual([page2[2]]);
      expect(harness.sandbox.callsFor(page1[2]!)).toEqual([]); // the number that was in that row before
      await page.close();
    });

    it('gives a clipped cell a Stop and a Confirm that real mouse clicks reach', async () => {
      const page = await harness.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/portals/element-ui/#/order/list`);
      await controlsRight(page, ELEMENT_UI);
      const orderNo = SCENARIOS.intercept;
      const cell = await page.evaluate((no) => {
        const link = [...document.querySelectorAll('.el-table__fixed a.el-link')].find((a) => a.textContent === no)!;
        const style = getComputedStyle(link.closest('.cell')!);
        return { overflowX: style.overflowX, whiteSpace: style.whiteSpace };
      }, orderNo);
      expect(cell).toEqual({ overflowX: 'hidden', whiteSpace: 'nowrap' }); // show-overflow-tooltip: it clips
      harness.sandbox.clearRequests();
      const at = await page.evaluate(buttonCenter, { orderNo, within: '.el-table__fixed' });
      await page.mouse.click(at!.x, at!.y);
      await page.locator(`.el-table__fixed ${HOST}[data-atrip-order="${orderNo}"]`).getByRole('button', { name: /Confirm/ }).waitFor();
      await screenshot(page, 'portal-element-ui-confirm', { fullPage: false });
      await page.keyboard.press('Escape');
      await stopWithMouse(page, harness, orderNo, '.el-table__fixed');
      expect(stopCalls(harness)).toEqual([orderNo]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('puts no control in the tooltips it appends to body', async () => {
      const page = await harness.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/portals/element-ui/#/order/list`);
      await controlsRight(page, ELEMENT_UI);
      await page.locator('.el-table__fixed-right .op-detail').first().hover();
      const tooltip = page.locator('body > .el-tooltip__popper', { hasText: `查看订单 ${page1[0]}` });
      await tooltip.waitFor({ state: 'visible' });
      await page.waitForTimeout(300); // a control, if any, would be there by now (next frame)
      expect(await tooltip.locator(HOST).count()).toBe(0);
      await page.close();
    });

    it('finds numbers split by search highlighting, <wbr> and zero-width spaces', async () => {
      const page = await harness.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/portals/element-ui/#/order/list`);
      await controlsRight(page, ELEMENT_UI);
      await page.locator('.search input').fill('25100000');
      const check = await controlsRight(page, ELEMENT_UI, (c) => c.seen.every((n) => n.includes('25100000')));
      expect(await page.locator('.el-table__fixed a.el-link em.hl').count()).toBeGreaterThan(0);
      harness.sandbox.clearRequests();
      await stopWithMouse(page, harness, check.seen[0]!, '.el-table__fixed');
      expect(stopCalls(harness)).toEqual([check.seen[0]]);

      // The detail page: a related order broken with <wbr>, and one pasted with a zero-width space.
      const orderNo = SCENARIOS.issue;
      const related = SCENARIOS.alreadyIssued; // the sandbox portal's neighbour of `issue`
      await page.evaluate((no) => (location.hash = `#/order/detail/${no}/zh`), orderNo);
      await page.locator('.related-wbr').waitFor();
      const beside = await until(
        () =>
          page.evaluate((tag) => {
            const next = (selector: string) => {
              const element = document.querySelector(selector)!;
              return `${element.nextElementSibling?.localName === tag ? element.nextElementSibling.getAttribute('data-atrip-order') : 'none'}/${element.parentElement!.querySelectorAll(tag).length}`;
            };
            return { order: next('.order-no'), wbr: next('.related-wbr'), zeroWidth: next('.remark') };
          }, HOST),
        (v) => !Object.values(v).some((s) => s.startsWith('none')),
        30_000,
      );
      expect(beside).toEqual({ order: `${orderNo}/1`, wbr: `${related}/1`, zeroWidth: `${related}/1` });
      expect(await page.locator('.related-wbr wbr').count()).toBe(2);
      await page.close();
    });
  });

  describe('Element Plus (Vue 3)', () => {
    it('el-table: one control per order (its fixed column is a single sticky copy), following in-place paging', async () => {
      const page = await harness.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width: 1280, height: 2600 });
      await page.goto(`${base}/portals/element-plus/#/order/list`);
      const check = await controlsRight(page, ELEMENT_PLUS, (c) => c.seen.length === 30);
      expect(check.seen).toEqual(page1);
      expect(await page.locator(HOST).count()).toBe(30);
      await page.locator('.el-pager li', { hasText: /^2$/ }).click();
      const next = await controlsRight(page, ELEMENT_PLUS, (c) => c.seen[0] === page2[0]);
      expect(next.seen).toEqual(page2);
      expect(await page.locator(HOST).count()).toBe(30);
      harness.sandbox.clearRequests();
      await stopWithMouse(page, harness, page2[4]!, '.order-table');
      expect(stopCalls(harness)).toEqual([page2[4]]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('el-table-v2: rows rendered as the virtual list scrolls get their controls, and a stop acts on the number shown', async () => {
      const page = await harness.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/portals/element-plus/#/order/virtual`);
      const first = await controlsRight(page, TABLE_V2);
      expect(first.seen[0]).toBe(page1[0]);
      const rendered = await page.locator('.order-table-v2 a.el-link').count();
      expect(rendered).toBeLessThan(60); // virtual: only the rows around the view exist
      await page.evaluate(armFollowProbe, { numbers: '.order-table-v2 a.el-link' });
      await page.evaluate(() => {
        const scroller = [...document.querySelectorAll('.order-table-v2 *')].find((e) => e.scrollHeight > e.clientHeight + 1000)!;
        scroller.scrollTop = 40 * 1000;
      });
      const middle = await controlsRight(page, TABLE_V2, (c) => c.seen.some((n) => n === ORDERS[1003]!.orderNo));
      const follow = await page.evaluate(readFollowProbe);
      console.log(`el-table-v2 scroll: last control ${Math.round(follow.lastControlAt - follow.rewrittenAt)} ms after the rows changed`);
      harness.sandbox.clearRequests();
      const orderNo = middle.seen[2]!;
      await stopWithMouse(page, harness, orderNo, '.order-table-v2');
      expect(stopCalls(harness)).toEqual([orderNo]);
      await screenshot(page, 'portal-element-plus-v2', { fullPage: false });
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe('vxe-table 4 (Vue 3)', () => {
    it('virtual scroll: rows re-rendered with other orders get the right controls, and a stop acts on the number shown', async () => {
      const page = await harness.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/portals/vxe-table/#/order/list`);
      const first = await controlsRight(page, VXE);
      expect(first.seen.slice(0, 3)).toEqual(page1.slice(0, 3));
      expect(await page.locator('.order-table a.order-link').count()).toBeLessThan(60);
      await page.evaluate(armFollowProbe, { numbers: 'a.order-link' });
      await page.evaluate(() => {
        const scroller = [...document.querySelectorAll('.order-table *')].find((e) => e.scrollHeight > e.clientHeight + 1000)!;
        scroller.scrollTop = 48 * 1500;
      });
      const moved = await controlsRight(page, VXE, (c) => c.seen.includes(ORDERS[1502]!.orderNo));
      const follow = await page.evaluate(readFollowProbe);
      console.log(`vxe-table scroll: last control ${Math.round(follow.lastControlAt - follow.rewrittenAt)} ms after the rows changed`);
      harness.sandbox.clearRequests();
      const orderNo = moved.seen[1]!;
      await stopWithMouse(page, harness, orderNo, '.order-table');
      expect(stopCalls(harness)).toEqual([orderNo]);
      await screenshot(page, 'portal-vxe-table', { fullPage: false });
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
