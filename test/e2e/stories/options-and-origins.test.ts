/**
 * The options page in each browser: what the agent saves is what the next call uses, and a portal
 * origin added there (granted at run time) gets the in-page control, in tabs already open too.
 */
import { describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import {
  SECOND_PORTAL_HOST,
  controlState,
  eventually,
  fillOptions,
  openOptions,
  openPortalPage,
  saveOptions,
  stopFromPage,
  waitForControlState,
  type ExtensionDriver,
} from '../driver';
import { expectNoExtensionErrors, keepScreenshot, launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');
const STOP = '/stopTicket.do';

describe(`[${browserName}] options`, () => {
  let h: ExtensionDriver;
  // A client id only this test knows: a stop can carry it only from the form.
  launchForBlock((driver) => (h = driver), { settings: false, sandbox: { clientId: 'agent-e2e-7' } });

  it('saves what the agent types; the next stop carries it and follows the new timing', async () => {
    const page = await openOptions(h);
    await fillOptions(page, {
      clientId: 'agent-e2e-7',
      clientSecret: 'sandbox-secret',
      apiBaseUrl: `${h.sandbox.url}/`,
      firstCheckSeconds: '2',
      recheckSeconds: '2',
      deadlineMinutes: '1',
    });
    expect(await saveOptions(page)).toContain('Settings saved.');
    const stored = await page.evaluate(() => chrome.storage.local.get(null), undefined);
    expect(stored.settings).toEqual({
      clientId: 'agent-e2e-7',
      clientSecret: '',
      apiBaseUrl: h.sandbox.url,
      portalOrigins: [],
      firstCheckSeconds: 2,
      recheckSeconds: 2,
      deadlineMinutes: 1,
      retentionDays: 30, // not typed: the form's default
    });
    // The secret stays in the extension's IndexedDB: content scripts can read storage.local.
    expect(JSON.stringify(stored)).not.toContain('sandbox-secret');
    await keepScreenshot(h, page, 'options');
    await page.close();

    const orderNo = SCENARIOS.intercept;
    expect((await h.send({ type: 'stop', orderNo })).ok).toBe(true);
    const calls = await eventually(async () => h.sandbox.callsFor(orderNo, STOP), (c) => c.length > 0, 'the stop call');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['x-atlas-client-id']).toBe('agent-e2e-7');
    expect(calls[0]!.headers['x-atlas-client-secret']).toBe('sandbox-secret');
    expect(calls[0]!.body).toMatchObject({ cid: 'agent-e2e-7', orderNo });
    // Checks every 2 s: the outcome arrives within seconds, not 8 minutes.
    await h.waitForState(orderNo, 'intercepted', 30_000);
  });

  it('a portal origin added in the options gets the control, in a tab already open and in new ones', async () => {
    // Not loopback by name: the build's own content script does not run there.
    const origin = `http://${SECOND_PORTAL_HOST}:${h.sandbox.port}`;
    const orderNo = SCENARIOS.issue;
    const url = `${origin}/portal/#/order/detail/${orderNo}/en`;
    const before = await h.openPage(url);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await controlState(before, orderNo)).toBeNull();

    await h.preApproveOrigin(origin);
    const page = await openOptions(h);
    await fillOptions(page, { portalOrigins: origin });
    expect(await saveOptions(page)).toContain('Settings saved.');
    // The page lists the access it now has (Firefox: the host on every port, its patterns cannot hold one).
    const granted = await page.evaluate(() => document.querySelector<HTMLElement>('#granted-origins')?.textContent ?? '', undefined);
    expect(granted).toContain(browserName === 'firefox' ? `http://${SECOND_PORTAL_HOST}` : origin);
    await page.close();
    await eventually(() => h.registeredScripts(), (s) => s.some((x) => x.matches?.some((m) => m.includes(SECOND_PORTAL_HOST))), 'a registered content script');

    // The tab already open gets its control without a reload; a new tab gets it as it loads.
    await waitForControlState(before, orderNo, 'idle', 15_000);
    const fresh = await openPortalPage(h, url, orderNo);
    await stopFromPage(fresh, orderNo);
    await waitForControlState(fresh, orderNo, 'issued');
    await waitForControlState(before, orderNo, 'issued');
    expect(h.sandbox.callsFor(orderNo, STOP)).toHaveLength(1);
    // The notification opens the page the stop came from.
    expect((await h.record(orderNo))?.pageUrl).toBe(url);
    await before.close();
    await fresh.close();
    await expectNoExtensionErrors(h);
  });
});
