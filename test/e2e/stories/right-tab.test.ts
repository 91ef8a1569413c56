/**
 * The right tab, in each browser: a notification click (and the popup's Open) brings forward the
 * tab already on the order's detail page, with no new tab; with none, it opens the order's detail
 * page on the portal where it was stopped. (The UI language of that URL: history.test.ts.)
 */
import { describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { eventually, openPortalPage, stopFromPage, waitForPopupRow, type ExtensionDriver } from '../driver';
import { expectNoExtensionErrors, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');

describe(`[${browserName}] the right tab for an order`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver));

  const activeUrl = async () => (await h.tabs()).find((t) => t.active)?.url;

  it('a notification click focuses the tab already showing the order: no new tab', async () => {
    const orderNo = SCENARIOS.intercept;
    const detail = `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`;
    const page = await openPortalPage(h, detail, orderNo);
    await stopFromPage(page, orderNo);
    await h.waitFor(orderNo, (r) => r.state === 'intercepted' && r.notified === true, 30_000, 'intercepted and notified');
    // The agent went on to other work in another tab.
    const other = await h.openPage(`${h.sandbox.url}/portal/#/order/list`);
    await eventually(activeUrl, (url) => url === `${h.sandbox.url}/portal/#/order/list`, 'the list tab in front');
    const before = await h.tabs();
    await h.clickNotification(orderNo);
    await eventually(activeUrl, (url) => url === detail, `the order's tab (${detail}) in front`);
    expect(await h.tabs()).toHaveLength(before.length);
    await eventually(() => h.notificationIds(), (ids) => !ids.includes(orderNo), 'the notification cleared');
    await other.close();
    await page.close();
  });

  it('with no tab on the order, opens its detail page on the portal where it was stopped', async () => {
    const orderNo = SCENARIOS.issue;
    const list = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/list`, orderNo);
    await stopFromPage(list, orderNo);
    await h.waitFor(orderNo, (r) => r.state === 'issued' && r.notified === true, 30_000, 'issued and notified');
    const before = await h.tabs();
    await h.clickNotification(orderNo);
    const detail = `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`;
    await eventually(activeUrl, (url) => url === detail, `a new tab on ${detail} in front`);
    const after = await h.tabs();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((t) => t.url === detail)).toHaveLength(1);
    await list.close();
  });

  it("the popup's Open follows the same rule: the order's open tab comes forward", async () => {
    const orderNo = SCENARIOS.issue; // its detail tab was opened by the click above
    const detail = `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`;
    const popup = await h.openExtensionPage('popup.html');
    await waitForPopupRow(popup, orderNo, 'issued');
    const before = await h.tabs();
    expect(before.filter((t) => t.url === detail)).toHaveLength(1);
    await eventually(activeUrl, (url) => url !== detail, 'the popup in front');
    // A trusted click on that row's Open.
    const at = await popup.evaluate((no) => {
      const button = [...document.querySelectorAll<HTMLButtonElement>(`[data-order-no="${no}"] button`)].find((b) => b.textContent === 'Open order')!;
      button.scrollIntoView({ block: 'center' });
      const rect = button.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, orderNo);
    await popup.clickAt(at.x, at.y);
    await eventually(activeUrl, (url) => url === detail, `the order's tab (${detail}) in front`);
    expect(await h.tabs()).toHaveLength(before.length);
    await popup.close();
    await expectNoExtensionErrors(h);
  });
});
