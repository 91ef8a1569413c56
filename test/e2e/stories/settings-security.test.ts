/**
 * The settings cases of issue 13, in each browser: no client secret over http to anything but this
 * computer; no call to an API origin the extension has no access to (said before anything is sent);
 * the API's origin is not a portal. Each failed on the code before issue 13.
 */
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import {
  clickButton,
  controlCount,
  controlHost,
  eventually,
  fillOptions,
  openOptions,
  openPortalPage,
  saveOptions,
  SECOND_PORTAL_HOST,
  sleep,
  stopFromPage,
  waitForControlState,
  waitForPopupRow,
  type DriverPage,
  type ExtensionDriver,
} from '../driver';
import { launchForBlock } from './story-helpers';

const browserName = inject('e2eBrowser');

/** Loopback by name (RFC 6761), so http is allowed; but not one of the e2e build's own hosts. */
const API_HOST = 'api.localhost';

/** The match pattern that grants the API origin (Firefox's patterns cannot hold a port). */
const apiPattern = (port: number) => (browserName === 'firefox' ? `http://${API_HOST}/*` : `http://${API_HOST}:${port}/*`);

/** What the control says beside the order (its shadow root is open in the e2e build). */
function controlText(page: DriverPage, orderNo: string): Promise<string> {
  return page.evaluate((selector) => document.querySelector(selector)?.shadowRoot?.textContent ?? '', controlHost(orderNo));
}

describe(`[${browserName}] settings that would leak the secret or send blind`, () => {
  let h: ExtensionDriver;
  launchForBlock((driver) => (h = driver));
  beforeEach(async () => {
    h.sandbox.reset();
    await h.configure(h.defaultSettings());
  });

  it('the options form refuses an http API base URL other than this computer, with a clear error', async () => {
    const page = await openOptions(h);
    await fillOptions(page, { apiBaseUrl: `http://${SECOND_PORTAL_HOST}:${h.sandbox.port}` });
    await clickButton(page, { name: /^(Save|保存)$/ });
    const error = await eventually(
      () => page.evaluate(() => document.querySelector<HTMLElement>('#apiBaseUrl-error')?.textContent ?? '', undefined),
      (text) => text !== '',
      'the API base URL error',
    );
    expect(error).toContain('https://');
    expect(error).toMatch(/clear text/);
    const stored = await page.evaluate(() => chrome.storage.local.get('settings'), undefined);
    expect((stored.settings as { apiBaseUrl: string }).apiBaseUrl).toBe(h.sandbox.url);
    await page.close();
  });

  it('an http API base URL stored before (not this computer) is never called: error, saying why', async () => {
    const insecure = `http://${SECOND_PORTAL_HOST}:${h.sandbox.port}`; // resolves to the sandbox
    await h.configure({ ...h.defaultSettings(), apiBaseUrl: insecure });
    const orderNo = SCENARIOS.intercept;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'error', 15_000);
    expect(await controlText(page, orderNo)).toContain(insecure);
    expect(h.sandbox.requests).toEqual([]);
    expect((await h.record(orderNo))?.failure).toMatchObject({ kind: 'blocked', reason: 'insecure' });
    await page.close();
  });

  it('without access to the API origin nothing is sent: error naming the origin to allow, in page and popup', async () => {
    const api = `http://${API_HOST}:${h.sandbox.port}`;
    await h.configure({ ...h.defaultSettings(), apiBaseUrl: api });
    // Withdrawn, as the agent can in the browser's own settings (a no-op when it was never granted).
    const options = await h.openExtensionPage('options.html');
    await options.evaluate((pattern) => chrome.permissions.remove({ origins: [pattern] }).catch(() => false), apiPattern(h.sandbox.port));
    expect(await options.evaluate((pattern) => chrome.permissions.contains({ origins: [pattern] }), apiPattern(h.sandbox.port))).toBe(false);
    await options.close();
    const popup = await h.openExtensionPage('popup.html');
    const orderNo = SCENARIOS.issue;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'error', 15_000);
    const said = await controlText(page, orderNo);
    expect(said).toContain(api);
    expect(said).toMatch(/options/);
    expect((await waitForPopupRow(popup, orderNo, 'error')).text).toContain(api);
    const record = await h.record(orderNo);
    expect(record).toMatchObject({ state: 'error', stopAttempts: 1, failure: { kind: 'blocked', reason: 'no-permission', message: api } });
    await sleep(1000);
    expect(h.sandbox.requests).toEqual([]);
    await page.close();
    await popup.close();
  });

  it("the API origin granted for a proxy gets no control and is no portal", async () => {
    const api = `http://${API_HOST}:${h.sandbox.port}`;
    await h.preApproveOrigin(api);
    const options = await openOptions(h);
    await fillOptions(options, { apiBaseUrl: api });
    expect(await saveOptions(options)).toContain('Settings saved.');
    expect(await options.evaluate((pattern) => chrome.permissions.contains({ origins: [pattern] }), apiPattern(h.sandbox.port))).toBe(true);
    await options.close();
    // Granted and used: a stop from the portal goes through the proxy origin.
    const orderNo = SCENARIOS.pending;
    const portal = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    await stopFromPage(portal, orderNo);
    await waitForControlState(portal, orderNo, 'intercepting');
    expect(h.sandbox.callsFor(orderNo, '/stopTicket.do')[0]?.headers.host).toBe(`${API_HOST}:${h.sandbox.port}`);
    await h.send({ type: 'remove', orderNo });
    await portal.close();
    // The same pages served from the API's origin: no control there.
    const page = await h.openPage(`${api}/portal/#/order/list`);
    await eventually(() => page.evaluate(() => document.querySelectorAll('table tbody tr').length, undefined), (n) => n > 0, 'the order list');
    await sleep(2000);
    expect(await controlCount(page)).toBe(0);
    await page.close();
  });
});
