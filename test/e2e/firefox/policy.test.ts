/**
 * Firefox only: roll-out by browser policy, end to end. A `policies.json` (`3rdparty` →
 * `Extensions` → the add-on id) configures the extension; the agent types nothing, stops an order
 * from the portal page, and finds the options locked. (Chromium's: test/e2e/policy.test.ts.)
 *
 * Firefox reads its policies once, at start: the file is written before the launch and removed
 * (an earlier file of the machine put back) when the block ends, also on failure. Debian's Firefox
 * ESR reads `distribution/policies.json` in its install directory (not `/etc/firefox-esr/policies`:
 * tried, not read); while the file exists it applies to every Firefox ESR here, and Firefox's test
 * files run one at a time.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../sandbox/catalogue';
import { eventually, openPortalPage, stopFromPage, waitForControlState, type DriverPage } from '../driver';
import { expectNoExtensionErrors, keepScreenshot } from '../stories/story-helpers';
import { FirefoxHarness, GECKO_ID } from '../firefox-harness';

const POLICY_FILE = '/usr/lib/firefox-esr/distribution/policies.json';
const CLIENT_ID = 'org-e2e-client';
const STOP = '/stopTicket.do';

/** Writes the machine's policies.json for this add-on; returns what puts the machine back. */
function writePolicy(values: Record<string, unknown>): () => void {
  const before = existsSync(POLICY_FILE) ? readFileSync(POLICY_FILE) : null;
  mkdirSync(path.dirname(POLICY_FILE), { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify({ policies: { '3rdparty': { Extensions: { [GECKO_ID]: values } } } }, null, 2));
  return () => (before ? writeFileSync(POLICY_FILE, before) : rmSync(POLICY_FILE, { force: true }));
}

/** A port free on loopback now (the sandbox takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Each options field as the page shows it: value, read-only, and the note beside it. */
function readFields(page: DriverPage) {
  return page.evaluate(
    (names) =>
      Object.fromEntries(
        names.map((name) => {
          const input = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)!;
          return [name, { value: input.value, readOnly: input.readOnly, note: document.getElementById(`${name}-policy`)?.textContent?.trim() ?? null }];
        }),
      ),
    ['clientId', 'clientSecret', 'apiBaseUrl', 'portalOrigins', 'firstCheckSeconds', 'recheckSeconds', 'deadlineMinutes', 'retentionDays'],
  );
}

describe('[firefox] browser policy (policies.json, storage.managed)', () => {
  let h: FirefoxHarness;
  let restore: (() => void) | undefined;
  const policy = {
    clientId: CLIENT_ID,
    clientSecret: 'sandbox-secret',
    apiBaseUrl: '',
    firstCheckSeconds: 2,
    recheckSeconds: 2,
    deadlineMinutes: 1,
    retentionDays: 14,
    // An array of strings, as a policy may hold; not an http(s) origin: ignored, and said so.
    portalOrigins: ['ftp://files.corp.example'],
  };

  beforeAll(async () => {
    // Firefox reads the policy at start, before the sandbox could tell its port: choose the port first.
    const port = await freePort();
    policy.apiBaseUrl = `http://127.0.0.1:${port}/`;
    restore = writePolicy(policy);
    // Nothing typed, nothing stored: the sandbox knows only the policy's client id.
    h = await FirefoxHarness.launch({ settings: false, sandbox: { port, clientId: CLIENT_ID, interceptSeconds: 2 } });
  });
  afterAll(async () => {
    restore?.();
    await h?.close();
  });

  it('stops an order from the page with the policy’s settings, and shows them locked in the options', async () => {
    const probe = await h.openExtensionPage('popup.html');
    const managed = await probe.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.storage.managed.get(), null);
    expect(managed).toEqual(policy);
    await probe.close();

    // The agent stops an order on the portal page: click, confirm. Nothing was typed anywhere.
    const orderNo = SCENARIOS.intercept;
    const page = await openPortalPage(h, `${h.sandbox.url}/portal/#/order/detail/${orderNo}/en`, orderNo);
    await stopFromPage(page, orderNo);
    await waitForControlState(page, orderNo, 'intercepted');
    const calls = h.sandbox.callsFor(orderNo, STOP);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['x-atlas-client-id']).toBe(CLIENT_ID);
    expect(calls[0]!.headers['x-atlas-client-secret']).toBe('sandbox-secret');
    await page.close();

    // The options page: the policy's values, read-only, each with its note; the bad one ignored.
    const options = await h.openExtensionPage('options.html');
    await eventually(() => options.evaluate(() => !!document.querySelector('form:not([aria-busy])'), null), Boolean, 'the options form loaded');
    const locked = 'Set by your organisation (browser policy).';
    const fields = await readFields(options);
    expect(fields).toMatchObject({
      clientId: { value: CLIENT_ID, readOnly: true, note: locked },
      clientSecret: { value: 'sandbox-secret', readOnly: true, note: locked },
      apiBaseUrl: { value: h.sandbox.url, readOnly: true, note: locked },
      firstCheckSeconds: { value: '2', readOnly: true, note: locked },
      recheckSeconds: { value: '2', readOnly: true, note: locked },
      deadlineMinutes: { value: '1', readOnly: true, note: locked },
      retentionDays: { value: '14', readOnly: true, note: locked },
      portalOrigins: { value: '', readOnly: false },
    });
    expect(fields.portalOrigins!.note).toContain('not valid and is ignored: Not an http(s) origin: ftp://files.corp.example');
    await options.setViewport(900, 1300);
    await keepScreenshot(h, options, 'options-policy');
    await options.close();
    await expectNoExtensionErrors(h);
  });
});
