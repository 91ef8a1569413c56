import { browser } from 'wxt/browser';
import { uiLanguage } from '../shared/i18n';
import { loadSettings } from '../shared/settings';
import { findOrderTab, orderDetailUrl, originOf, type TabInfo } from './logic/order-tab';
import { originsOfPatterns, portalGrants, portalOriginsFor } from './logic/sender';

/**
 * Brings the agent to an order (a notification click, the popup's Open): the open tab already on
 * its detail page if there is one, focused with its window; else its detail page, opened on the
 * portal where it was stopped, in the agent's language. Needs no `tabs` permission: tab URLs are
 * read on the portals' origins only, where the extension has host access anyway.
 */
export async function showOrder(orderNo: string, stoppedOn: string | undefined): Promise<void> {
  const [settings, granted, tabs] = await Promise.all([
    loadSettings(),
    browser.permissions.getAll().then((all) => all.origins ?? []),
    browser.tabs.query({}) as Promise<TabInfo[]>,
  ]);
  const home = stoppedOn ? originOf(stoppedOn) : null;
  const extra = [...settings.portalOrigins, ...originsOfPatterns(portalGrants(granted, settings)), ...(home ? [home] : [])];
  const isPortal = (origin: string, url: string) => portalOriginsFor(extra, import.meta.env.MODE, url).includes(origin);
  const open = findOrderTab(tabs, orderNo, isPortal, stoppedOn);
  if (open) {
    await browser.tabs.update(open.id!, { active: true });
    if (open.windowId !== undefined) await browser.windows.update(open.windowId, { focused: true });
    return;
  }
  const created = await browser.tabs.create({ url: orderDetailUrl(orderNo, stoppedOn, uiLanguage()), active: true });
  if (created.windowId !== undefined) await browser.windows.update(created.windowId, { focused: true });
}
