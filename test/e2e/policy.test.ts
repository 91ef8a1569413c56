/**
 * Roll-out by browser policy, end to end in Chromium: a policy file under
 * /etc/chromium/policies/managed configures the extension (`3rdparty` → `extensions` → its id);
 * the agent types nothing, stops an order from the portal page, and finds the options locked.
 *
 * The policy file applies to every Chromium on this machine while it exists: its name is unique,
 * it names only this build's extension id (from the path of the build, so other checkouts' tests
 * see other ids), and it is removed as soon as the test no longer needs it, also on failure.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../sandbox/catalogue';
import { collectErrors, Harness } from './harness';
import { screenshot, until } from './helpers';

const POLICY_DIR = '/etc/chromium/policies/managed';

/** Writes the policy for one extension; returns the file to remove. */
function writePolicy(extensionId: string, values: Record<string, unknown>): string {
  mkdirSync(POLICY_DIR, { recursive: true });
  const file = path.join(POLICY_DIR, `atrip-stop-ticket-e2e-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: values } } }, null, 2));
  return file;
}

/** chrome://policy → "Reload policies": Chromium reads the policy files again at once. */
async function reloadPolicies(harness: Harness) {
  const page = await harness.context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.locator('#reload-policies').click();
    await page.waitForTimeout(300);
  } finally {
    await page.close();
  }
}

/** What the extension reads from `storage.managed`, once it satisfies `ok` (it arrives a moment later). */
async function managedValues(harness: Harness, ok: (values: Record<string, unknown>) => boolean) {
  const page = await harness.extensionPage('popup.html');
  try {
    return await until(() => page.evaluate(() => chrome.storage.managed.get() as Promise<Record<string, unknown>>), ok, 20_000);
  } finally {
    await page.close();
  }
}

async function openOptions(harness: Harness): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
  const page = await harness.context.newPage();
  const errors = collectErrors(page);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.setViewportSize({ width: 900, height: 1300 });
  await page.goto(`${harness.extensionOrigin}/options.html`);
  await page.locator('form:not([aria-busy])').waitFor();
  return { page, errors, warnings };
}

const CLIENT_ID = 'org-e2e-client';

/** Stops an order from its portal detail page (click, confirm) and waits for its outcome there. */
async function stopFromPage(harness: Harness, orderNo: string, outcome: string) {
  const page = await harness.context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${harness.sandbox.url}/portal/#/order/detail/${orderNo}/en`);
  const control = page.locator(`atrip-stop-control[data-atrip-order="${orderNo}"]`);
  await control.getByRole('button', { name: /Stop ticketing/ }).click();
  await control.getByRole('button', { name: /Confirm/ }).click();
  await page.locator(`atrip-stop-control[data-atrip-order="${orderNo}"][data-state="${outcome}"]`).waitFor({ timeout: 30_000 });
  const calls = harness.sandbox.callsFor(orderNo, '/stopTicket.do');
  expect(calls).toHaveLength(1);
  expect(calls[0]!.headers['x-atlas-client-id']).toBe(CLIENT_ID);
  expect(calls[0]!.headers['x-atlas-client-secret']).toBe('sandbox-secret');
  expect(calls[0]!.body).toMatchObject({ cid: CLIENT_ID, orderNo });
  expect(errors).toEqual([]);
  await page.close();
}

describe('browser policy (Chromium, storage.managed)', () => {
  let harness: Harness;
  let policyFile: string | undefined;
  const removePolicy = () => {
    if (policyFile && existsSync(policyFile)) rmSync(policyFile, { force: true });
    policyFile = undefined;
  };

  beforeAll(async () => {
    // Nothing typed, nothing stored: every setting comes from the policy. The sandbox knows only
    // the policy's client id, so a stop that gets through can only have taken it from the policy.
    harness = await Harness.launch({ settings: false, locale: 'en-US', sandbox: { clientId: CLIENT_ID, interceptSeconds: 2 } });
  });
  afterAll(async () => {
    removePolicy();
    await harness?.close();
  });

  it('stops an order from the page with the policy’s settings, and shows them locked in the options', async () => {
    const policy = {
      clientId: CLIENT_ID,
      clientSecret: 'sandbox-secret',
      apiBaseUrl: `${harness.sandbox.url}/`,
      firstCheckSeconds: 2,
      recheckSeconds: 2,
      deadlineMinutes: 1,
      retentionDays: 14,
      // Passes Chrome's schema (an array of strings), not the extension's rule: ignored, and said so.
      portalOrigins: ['ftp://files.corp.example'],
    };
    try {
      policyFile = writePolicy(harness.extensionId, policy);
      await reloadPolicies(harness);
      const managed = await managedValues(harness, (v) => v.clientId === CLIENT_ID);
      expect(managed).toEqual(policy);

      // The agent stops an order on the portal page: click, confirm. Nothing was typed anywhere.
      await stopFromPage(harness, SCENARIOS.intercept, 'intercepted');

      // The options page shows the policy's values, read-only, with a note; the bad one is ignored.
      const { page: options, errors, warnings } = await openOptions(harness);
      for (const [name, value] of [
        ['clientId', CLIENT_ID],
        ['clientSecret', 'sandbox-secret'],
        ['apiBaseUrl', harness.sandbox.url],
        ['firstCheckSeconds', '2'],
        ['recheckSeconds', '2'],
        ['deadlineMinutes', '1'],
        ['retentionDays', '14'],
      ] as const) {
        const input = options.locator(`[name="${name}"]`);
        expect(await input.inputValue(), name).toBe(value);
        expect(await input.getAttribute('readonly'), name).not.toBeNull();
        expect(await options.locator(`#${name}-policy`).innerText(), name).toBe('Set by your organisation (browser policy).');
      }
      const origins = options.locator('[name="portalOrigins"]');
      expect(await origins.getAttribute('readonly')).toBeNull();
      expect(await origins.inputValue()).toBe('');
      expect(await options.locator('#portalOrigins-policy').innerText()).toContain(
        'not valid and is ignored: Not an http(s) origin: ftp://files.corp.example',
      );
      expect(warnings.join('\n')).toContain("the browser policy's portalOrigins");
      expect(await options.getByRole('note').first().innerText()).toContain('Your organisation sets some of these settings');
      // Typing into a locked field changes nothing.
      await options.locator('[name="clientId"]').pressSequentially('x', { timeout: 1000 }).catch(() => undefined);
      expect(await options.locator('[name="clientId"]').inputValue()).toBe(CLIENT_ID);

      // Saving stores the agent's own fields only: no policy value, and no secret in IndexedDB.
      await options.fill('[name="portalOrigins"]', '');
      await options.getByRole('button', { name: 'Save' }).click();
      await until(() => options.getByRole('status').innerText(), (t) => t.includes('Settings saved.'));
      const stored = (await options.evaluate(() => chrome.storage.local.get('settings'))) as { settings: Record<string, unknown> };
      expect(stored.settings).toMatchObject({ clientId: '', clientSecret: '', apiBaseUrl: 'https://sandbox.atriptech.com', firstCheckSeconds: 480 });
      const secretStored = await options.evaluate(
        () =>
          new Promise<unknown>((resolve) => {
            const open = indexedDB.open('atrip-stop-ticket');
            open.onerror = () => resolve(undefined);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('credentials')) return resolve(undefined);
              const get = db.transaction('credentials').objectStore('credentials').get('clientSecret');
              get.onsuccess = () => resolve(get.result);
              get.onerror = () => resolve(undefined);
            };
          }),
      );
      expect(secretStored).toBeUndefined();
      await screenshot(options, 'options-policy-en');
      expect(errors).toEqual([]);
      await options.close();

      // A browser restart: right after it Chrome answers for the policy only ~2 s later; a stop
      // clicked at once waits for it and still carries the policy's credentials.
      await harness.restart();
      await stopFromPage(harness, SCENARIOS.issue, 'issued');

      // The organisation withdraws the policy: an open options page follows, the fields are the agent's again.
      const reopened = await openOptions(harness);
      const fields = reopened.page;
      await fields.locator('[name="clientId"][readonly]').waitFor();
      removePolicy();
      await reloadPolicies(harness);
      await managedValues(harness, (v) => Object.keys(v).length === 0);
      await fields.locator('[name="clientId"]:not([readonly])').waitFor({ timeout: 20_000 });
      expect(await fields.locator('[name="clientId"]').inputValue()).toBe('');
      expect(await fields.locator('[name="apiBaseUrl"]').inputValue()).toBe('https://sandbox.atriptech.com');
      expect(await fields.locator('.policy').count()).toBe(0);
      expect(reopened.errors).toEqual([]);
      await fields.close();
    } finally {
      removePolicy();
    }
  });
});
