import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../sandbox/catalogue';
import { collectErrors, Harness } from './harness';
import { screenshot, until } from './helpers';

/** The options page once it shows the stored values (typing before would be overwritten). */
async function openOptions(harness: Harness): Promise<{ page: Page; errors: string[] }> {
  const page = await harness.context.newPage();
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 900, height: 1100 });
  await page.goto(`${harness.extensionOrigin}/options.html`);
  await page.locator('form:not([aria-busy])').waitFor();
  return { page, errors };
}

async function fillForm(page: Page, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) await page.fill(`[name="${name}"]`, value);
}

const statusText = (page: Page) => page.getByRole('status').innerText();

async function storedSettings(page: Page) {
  return ((await page.evaluate(() => chrome.storage.local.get('settings'))) as { settings?: Record<string, unknown> }).settings;
}

describe('options page (English)', () => {
  let harness: Harness;
  beforeAll(async () => {
    // A client id only this test knows: the stop below can carry it only from the form.
    harness = await Harness.launch({ settings: false, locale: 'en-US', sandbox: { clientId: 'agent-e2e-7' } });
  });
  afterAll(() => harness?.close());

  it('starts from the defaults when nothing is set', async () => {
    const { page, errors } = await openOptions(harness);
    expect(await page.title()).toBe('ATRIP Stop-Ticket settings');
    expect(await page.inputValue('[name="clientId"]')).toBe('');
    expect(await page.inputValue('[name="apiBaseUrl"]')).toBe('https://sandbox.atriptech.com');
    expect(await page.inputValue('[name="firstCheckSeconds"]')).toBe('480');
    expect(await page.getAttribute('[name="clientSecret"]', 'type')).toBe('password');
    // The sites granted with the extension are listed.
    expect(await page.locator('#granted-origins').innerText()).toContain('https://www.atriptech.com');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names each invalid field in the status, beside the field, and saves nothing', async () => {
    const { page } = await openOptions(harness);
    await fillForm(page, { clientId: 'agent-e2e-7', apiBaseUrl: 'not a url', recheckSeconds: '0' });
    await page.getByRole('button', { name: 'Save' }).click();
    const text = await until(() => statusText(page), (t) => t.includes('Not saved'));
    expect(text).toContain('API base URL');
    expect(text).toContain('Check again every (seconds)');
    expect(text).not.toContain('Client ID');
    expect(await page.getAttribute('[name="apiBaseUrl"]', 'aria-invalid')).toBe('true');
    expect(await page.locator('#recheckSeconds-error').innerText()).toContain('Enter a whole number, 1 or more.');
    expect(await storedSettings(page)).toBeUndefined();
    await page.close();
  });

  it('tests the connection with the form values: success, then ATRIP’s refusal of a wrong client id', async () => {
    const { page } = await openOptions(harness);
    await fillForm(page, { clientId: 'agent-e2e-7', clientSecret: 'sandbox-secret', apiBaseUrl: harness.sandbox.url });
    harness.sandbox.clearRequests();
    await page.getByRole('button', { name: 'Test connection' }).click();
    let text = await until(() => statusText(page), (t) => t.includes('Connection works') || t.includes('Connection failed'));
    expect(text).toContain('Connection works');
    expect(text).toContain('credentials accepted');

    await fillForm(page, { clientId: 'wrong-id' });
    await page.getByRole('button', { name: 'Test connection' }).click();
    text = await until(() => statusText(page), (t) => t.includes('Connection failed'));
    expect(text).toContain('status 900');
    expect(text).toContain('Unauthorised: invalid client id');

    // It queried twice and stopped nothing; nothing was saved.
    expect(harness.sandbox.requests.map((r) => r.path)).toEqual(['/queryOrderDetails.do', '/queryOrderDetails.do']);
    expect(harness.sandbox.requests[1]!.headers['x-atlas-client-id']).toBe('wrong-id');
    expect(await storedSettings(page)).toBeUndefined();
    await page.close();
  });

  it('saves what the agent types, and a stop sent afterwards carries the new client id', async () => {
    const { page, errors } = await openOptions(harness);
    await fillForm(page, {
      clientId: 'agent-e2e-7',
      clientSecret: 'sandbox-secret',
      apiBaseUrl: `${harness.sandbox.url}/`,
      portalOrigins: '',
      firstCheckSeconds: '2',
      recheckSeconds: '2',
      deadlineMinutes: '1',
      retentionDays: '10',
    });
    await page.getByRole('button', { name: 'Save' }).click();
    const text = await until(() => statusText(page), (t) => t.includes('saved') || t.includes('Not saved'));
    expect(text).toContain('Settings saved.');
    // The secret is kept in the extension's IndexedDB, not in storage.local (content scripts can read that).
    expect(JSON.stringify(await page.evaluate(() => chrome.storage.local.get(null)))).not.toContain('sandbox-secret');
    expect(await storedSettings(page)).toEqual({
      clientId: 'agent-e2e-7',
      clientSecret: '',
      apiBaseUrl: harness.sandbox.url,
      portalOrigins: [],
      firstCheckSeconds: 2,
      recheckSeconds: 2,
      deadlineMinutes: 1,
      retentionDays: 10,
    });
    // No policy here: every field is the agent's to edit.
    expect(await page.locator('[readonly]').count()).toBe(0);
    await screenshot(page, 'options-en');
    expect(errors).toEqual([]);
    await page.close();

    const orderNo = SCENARIOS.intercept;
    harness.sandbox.clearRequests();
    const reply = await harness.send({ type: 'stop', orderNo });
    expect(reply.ok).toBe(true);
    const calls = await until(() => harness.sandbox.callsFor(orderNo, '/stopTicket.do'), (c) => c.length > 0);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['x-atlas-client-id']).toBe('agent-e2e-7');
    expect(calls[0]!.headers['x-atlas-client-secret']).toBe('sandbox-secret');
    expect(calls[0]!.body).toMatchObject({ cid: 'agent-e2e-7', orderNo });
    // The new timing applies too: the outcome arrives within seconds.
    await harness.waitForState(orderNo, 'intercepted', 30_000);
  });

  it('loads the saved values when opened again', async () => {
    const { page } = await openOptions(harness);
    expect(await page.inputValue('[name="clientId"]')).toBe('agent-e2e-7');
    expect(await page.inputValue('[name="apiBaseUrl"]')).toBe(harness.sandbox.url);
    expect(await page.inputValue('[name="recheckSeconds"]')).toBe('2');
    expect(await page.inputValue('[name="retentionDays"]')).toBe('10');
    await page.close();
  });
});

describe('options page (中文)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ locale: 'zh-CN' });
  });
  afterAll(() => harness?.close());

  it('is in Chinese, from _locales/zh_CN', async () => {
    const { page, errors } = await openOptions(harness);
    expect(await page.title()).toBe('ATRIP 停止出票 设置');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByLabel('客户端 ID（Client ID）').getAttribute('name')).toBe('clientId');
    expect(await page.getByRole('button', { name: '保存' }).count()).toBe(1);
    await page.fill('[name="deadlineMinutes"]', '0');
    await page.getByRole('button', { name: '保存' }).click();
    const text = await until(() => statusText(page), (t) => t.includes('未保存'));
    expect(text).toContain('放弃等待时间（分钟）');
    await screenshot(page, 'options-zh');
    expect(errors).toEqual([]);
    await page.close();
  });
});
