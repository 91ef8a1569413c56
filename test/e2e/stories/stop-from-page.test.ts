/**
 * The agent's core story, written once and run in each browser (vitest projects `e2e` and
 * `e2e-firefox`): a trusted click on a portal page stops an order; the outcome shows in the page,
 * in the popup and (where the browser can) in a notification.
 */
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ORDERS, SCENARIOS } from '../../sandbox/catalogue';
import {
  clickButton,
  controlCount,
  controlHost,
  controlState,
  eventually,
  hasButton,
  openPortalPage,
  popupRows,
  stopFromPage,
  waitForControlState,
  waitForPopupRow,
  type DriverPage,
  type ExtensionDriver,
} from '../driver';
import { expectNoExtensionErrors, keepScreenshot, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';

describe(`[${browserName}] stopping an order from the portal page`, () => {
  let h: ExtensionDriver;
  let popup: DriverPage;
  launchForBlock((driver) => (h = driver));
  beforeAll(async () => {
    // Opened before any stop: it must follow storage live, without a reload.
    popup = await h.openExtensionPage('popup.html');
    await popup.setViewport(420, 600);
  });
  beforeEach(() => h.sandbox.clearRequests());

  it('a trusted click and a confirmation send exactly one stop; the order ends intercepted in page, popup and notification', async () => {
    const orderNo = SCENARIOS.intercept;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    expect(await controlState(page, orderNo)).toBe('idle');
    await h.spyOnNotifications();
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'intercepting');
    await waitForControlState(page, orderNo, 'intercepted');
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    expect(h.sandbox.callsFor(orderNo, STOP)[0]!.headers['x-atlas-client-id']).toBe('sandbox-client');
    expect((await waitForPopupRow(popup, orderNo, 'intercepted')).text).toContain('Intercepted');
    const record = await h.waitFor(orderNo, (r) => r.notified === true, 30_000, 'notified');
    expect(record.state).toBe('intercepted');
    // One notification, id = the order. Chrome keeps it until dismissed (`requireInteraction`);
    // Firefox rejects that option and cannot make it stay, but shows and lists it meanwhile.
    const created = (await h.createdNotifications()).filter((n) => n.id === orderNo);
    expect(created).toHaveLength(1);
    expect(created[0]!.options.message).toContain(orderNo);
    expect(created[0]!.options.requireInteraction).toBe(h.capabilities.lastingNotifications ? true : undefined);
    expect(await h.notificationIds()).toContain(orderNo);
    expect((await h.alarms()).map((a) => a.name)).not.toContain(`check:${orderNo}`);
    await keepScreenshot(h, page, 'detail-intercepted');
    await page.close();
  });

  it('every order of the list page has one control; a stop there ends issued, in page and popup', async () => {
    const orderNo = SCENARIOS.issue;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, orderNo);
    const listed = ORDERS.slice(0, 30).map((o) => o.orderNo);
    await eventually(() => controlCount(page), (n) => n === 30, '30 controls on the list page');
    for (const no of listed) expect(await controlCount(page, no)).toBe(1);
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'issued');
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    expect((await waitForPopupRow(popup, orderNo, 'issued')).text).toContain('Ticket issued');
    expect((await h.waitFor(orderNo, (r) => r.notified === true)).state).toBe('issued');
    expect(await h.notificationIds()).toContain(orderNo);
    await keepScreenshot(h, page, 'list-issued');
    await page.close();
  });

  it("a refusal ends refused, with ATRIP's msg in the popup and no retry", async () => {
    const orderNo = SCENARIOS.unpaid;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'refused');
    const row = await waitForPopupRow(popup, orderNo, 'refused');
    expect(row.text).toContain('Order is unpaid: ticket issuance cannot be stopped');
    const record = await h.waitFor(orderNo, (r) => r.notified === true);
    expect(record).toMatchObject({ state: 'refused', lastStatus: 801, lastMessage: 'Order is unpaid: ticket issuance cannot be stopped' });
    expect(await h.notificationIds()).toContain(orderNo);
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.sandbox.callsFor(orderNo)).toHaveLength(1);
    await page.close();
  });

  it('a double click on Confirm, then more stops of the same order, make one API call', async () => {
    const orderNo = SCENARIOS.pending; // never decided: it stays in progress
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    const host = controlHost(orderNo);
    await clickButton(page, { host, name: /Stop ticketing/ });
    // Confirm takes input once it has been on show for a moment (it is disabled until then).
    await eventually(() => hasButton(page, { host, name: /Confirm/ }), Boolean, 'Confirm enabled');
    // Two trusted clicks on Confirm at once, as a hurried double click.
    const at = await page.evaluate((selector) => {
      const confirm = [...document.querySelector(selector)!.shadowRoot!.querySelectorAll('button')].find((b) =>
        /Confirm/.test(b.getAttribute('aria-label') || b.textContent || ''),
      )!;
      const rect = confirm.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, host);
    await Promise.all([page.clickAt(at.x, at.y), page.clickAt(at.x, at.y)]);
    await waitForControlState(page, orderNo, 'intercepting');
    const [first, second] = await Promise.all([h.send({ type: 'stop', orderNo }), h.send({ type: 'stop', orderNo })]);
    expect(first).toMatchObject({ ok: true, record: { state: 'intercepting' } });
    expect(second).toMatchObject({ ok: true, record: { state: 'intercepting' } });
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    expect((await h.record(orderNo))?.stopAttempts).toBe(1);
    await h.send({ type: 'remove', orderNo });
    await page.close();
  });

  it('the popup lists every order with its state, newest outcomes included', async () => {
    const rows = await popupRows(popup);
    const states = Object.fromEntries(rows.map((r) => [r.orderNo, r.state]));
    expect(states).toEqual({
      [SCENARIOS.intercept]: 'intercepted',
      [SCENARIOS.issue]: 'issued',
      [SCENARIOS.unpaid]: 'refused',
    });
    await keepScreenshot(h, popup, 'popup');
    await expectNoExtensionErrors(h);
  });
});
