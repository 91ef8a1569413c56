/** The popup in Chromium as a whole (one file: each block shares its launch): its rows, actions and screenshots in English and 中文, without a client id, and with 1,000 tracked orders. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../sandbox/catalogue';
import { collectErrors, Harness } from './harness';
import { screenshot, until } from './helpers';
import { seededOrder, seedRecords } from '../../bench/popup';

/** The popup as Chrome sizes it (420 px wide), opened in a tab. */
async function openPopup(harness: Harness): Promise<{ page: Page; errors: string[] }> {
  const page = await harness.context.newPage();
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 420, height: 600 });
  await page.goto(`${harness.extensionOrigin}/popup.html`);
  await page.locator('main.popup').waitFor();
  return { page, errors };
}

const row = (page: Page, orderNo: string) => page.locator(`[data-order-no="${orderNo}"]`);
const rowState = (page: Page, orderNo: string) => row(page, orderNo).getAttribute('data-state', { timeout: 15_000 });

async function waitForRowState(page: Page, orderNo: string, state: string, timeoutMs = 30_000) {
  await page.locator(`[data-order-no="${orderNo}"][data-state="${state}"]`).waitFor({ timeout: timeoutMs });
}

/** Fast checks for orders that should finish; slow ones for orders that must wait for the agent. */
const FAST = { firstCheckSeconds: 2, recheckSeconds: 2, deadlineMinutes: 1 };
const SLOW = { firstCheckSeconds: 600, recheckSeconds: 600, deadlineMinutes: 30 };

describe('popup (English)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ locale: 'en-US', settings: FAST });
  });
  afterAll(() => harness?.close());

  it('says how to start when nothing is tracked', async () => {
    const { page, errors } = await openPopup(harness);
    await page.getByText('No orders tracked yet').waitFor();
    expect(await page.locator('[data-order-no]').count()).toBe(0);
    expect(await page.getByText('Set your ATRIP client ID').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists orders stopped through the background, live, with their state', async () => {
    const { page, errors } = await openPopup(harness);
    for (const orderNo of [SCENARIOS.intercept, SCENARIOS.issue, SCENARIOS.unpaid, SCENARIOS.garbage]) {
      expect((await harness.send({ type: 'stop', orderNo })).ok).toBe(true);
    }
    // The open popup follows storage: no reload.
    await waitForRowState(page, SCENARIOS.unpaid, 'refused');
    expect(await row(page, SCENARIOS.unpaid).innerText()).toContain('Order is unpaid: ticket issuance cannot be stopped');
    await waitForRowState(page, SCENARIOS.intercept, 'intercepted');
    await waitForRowState(page, SCENARIOS.issue, 'issued');
    expect(await row(page, SCENARIOS.intercept).innerText()).toContain('Intercepted');
    expect(await row(page, SCENARIOS.issue).innerText()).toContain('Ticket issued');
    expect(await row(page, SCENARIOS.intercept).innerText()).toMatch(/Decided \d\d:\d\d:\d\d/);
    // An API that answers garbage: the stop may have arrived, so the end is unknown (never "error"),
    // with the reason in words, Check again and a (confirmed) retry.
    await waitForRowState(page, SCENARIOS.garbage, 'unknown', 100_000);
    expect(await row(page, SCENARIOS.garbage).innerText()).toContain('The stop request may have reached ATRIP');
    expect(await row(page, SCENARIOS.garbage).getByRole('button', { name: 'Check again' }).count()).toBe(1);
    expect(await row(page, SCENARIOS.garbage).getByRole('button', { name: 'Retry stop' }).count()).toBe(1);
    expect(await page.locator('.popup-header').innerText()).toContain('0 in progress');
    expect(errors).toEqual([]);
    await page.close();

    // A popup opened afterwards reads the same from storage.
    const fresh = await openPopup(harness);
    expect(await rowState(fresh.page, SCENARIOS.intercept)).toBe('intercepted');
    expect(await rowState(fresh.page, SCENARIOS.issue)).toBe('issued');
    expect(await rowState(fresh.page, SCENARIOS.unpaid)).toBe('refused');
    await fresh.page.close();
  }, 150_000);

  it('stops an order typed into the field, after confirmation', async () => {
    const { page } = await openPopup(harness);
    const orderNo = SCENARIOS.alreadyIssued;
    await page.getByLabel('Stop an order').fill('TESTA2026');
    await page.getByText('Not an ATRIP order number').waitFor();
    await page.getByLabel('Stop an order').fill(orderNo);
    await page.getByRole('button', { name: 'Stop ticketing' }).click();
    await page.getByText(`Stop ticket issuance of order ${orderNo}?`).waitFor();
    expect(harness.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(0);
    await page.getByRole('button', { name: 'Confirm stop' }).click();
    await waitForRowState(page, orderNo, 'issued');
    expect(harness.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(1);
    await page.close();
  });

  it('"check now" makes exactly one status query; "remove" removes the row and its alarm', async () => {
    await harness.configure(SLOW);
    const orderNo = SCENARIOS.pending;
    expect((await harness.send({ type: 'stop', orderNo })).ok).toBe(true);
    await harness.waitForState(orderNo, 'intercepting');
    const { page, errors } = await openPopup(harness);
    await waitForRowState(page, orderNo, 'intercepting');
    // The countdown to the next check, ten minutes out, ticks.
    const countdown = row(page, orderNo).locator('.countdown');
    const first = await countdown.innerText();
    expect(first).toMatch(/^Next check in (10:00|9:5\d)$/);
    await until(() => countdown.innerText(), (text) => text !== first, 3000);
    expect(await countdown.innerText()).not.toBe(first);
    expect(await page.locator('.popup-header').innerText()).toContain('1 in progress');

    harness.sandbox.clearRequests();
    await row(page, orderNo).getByRole('button', { name: 'Check now' }).click();
    await until(() => harness.sandbox.callsFor(orderNo, '/queryOrderDetails.do').length, (n) => n > 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(harness.sandbox.callsFor(orderNo, '/queryOrderDetails.do')).toHaveLength(1);
    expect(harness.sandbox.callsFor(orderNo, '/stopTicket.do')).toHaveLength(0);
    await waitForRowState(page, orderNo, 'intercepting'); // "1": still undecided

    expect((await harness.alarms()).map((a) => a.name)).toContain(`check:${orderNo}`);
    await row(page, orderNo).getByRole('button', { name: 'Remove' }).click();
    await row(page, orderNo).waitFor({ state: 'detached' });
    expect((await harness.alarms()).map((a) => a.name)).not.toContain(`check:${orderNo}`);
    expect(await harness.record(orderNo)).toBeUndefined();
    expect(await page.locator('.popup-header').innerText()).toContain('0 in progress');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a few orders in different states (screenshot)', async () => {
    await harness.configure(SLOW);
    expect((await harness.send({ type: 'stop', orderNo: SCENARIOS.pending })).ok).toBe(true);
    await harness.waitForState(SCENARIOS.pending, 'intercepting');
    const { page } = await openPopup(harness);
    await waitForRowState(page, SCENARIOS.pending, 'intercepting');
    const states = await page.locator('[data-order-no]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.state));
    expect(states).toEqual(['intercepting', 'issued', 'unknown', 'refused', 'issued', 'intercepted']);
    await screenshot(page, 'popup-en');
    await page.close();
  });
});

describe('popup without a client id', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ locale: 'en-US', settings: false });
  });
  afterAll(() => harness?.close());

  it('calls for the client id and opens the options page', async () => {
    const { page } = await openPopup(harness);
    await page.getByText('Set your ATRIP client ID before you stop orders.').waitFor();
    const opened = harness.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Open settings' }).click();
    const options = await opened;
    await options.waitForURL(/options\.html$/);
    await screenshot(page, 'popup-unconfigured-en');
    await page.close();
  });
});

describe('popup (中文)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ locale: 'zh-CN', settings: FAST });
  });
  afterAll(() => harness?.close());

  it('is in Chinese, from _locales/zh_CN, ATRIP’s messages as given', async () => {
    for (const orderNo of [SCENARIOS.intercept, SCENARIOS.issue, SCENARIOS.unpaid]) {
      expect((await harness.send({ type: 'stop', orderNo })).ok).toBe(true);
    }
    for (const [orderNo, state] of [
      [SCENARIOS.intercept, 'intercepted'],
      [SCENARIOS.issue, 'issued'],
      [SCENARIOS.unpaid, 'refused'],
    ] as const) {
      await harness.waitForState(orderNo, state);
    }
    await harness.configure(SLOW);
    await harness.send({ type: 'stop', orderNo: SCENARIOS.pending });
    await harness.waitForState(SCENARIOS.pending, 'intercepting');

    const { page, errors } = await openPopup(harness);
    await waitForRowState(page, SCENARIOS.pending, 'intercepting');
    expect(await page.title()).toBe('ATRIP 停止出票');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('.popup-header').innerText()).toContain('1 个处理中');
    expect(await row(page, SCENARIOS.intercept).innerText()).toContain('拦截成功');
    expect(await row(page, SCENARIOS.issue).innerText()).toContain('已出票');
    expect(await row(page, SCENARIOS.unpaid).innerText()).toContain('被拒绝');
    expect(await row(page, SCENARIOS.pending).locator('.countdown').innerText()).toMatch(/后查询结果$/);
    // ATRIP's own words are not translated.
    expect(await row(page, SCENARIOS.unpaid).innerText()).toContain('Order is unpaid: ticket issuance cannot be stopped');
    expect(await page.getByRole('button', { name: '立即查询' }).count()).toBe(1);
    await screenshot(page, 'popup-zh');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('popup with 1,000 tracked orders', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch({ locale: 'en-US', settings: SLOW });
    const page = await harness.extensionPage('options.html');
    await page.evaluate((items) => chrome.storage.local.set(items), seedRecords(1000));
    await page.close();
  });
  afterAll(() => harness?.close());

  const sectionRows = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(name) }).locator('[data-order-no]');
  const counts = (page: Page) => page.locator('.orders h2 .count').allInnerTexts();

  it('shows every order in progress and the newest finished ones, the rest on demand', async () => {
    for (const open of ['first open (no view hint)', 'next open (view hint)']) {
      const { page, errors } = await openPopup(harness);
      await until(() => counts(page), (c) => c.join(' ') === '(100) (900)', 15_000);
      expect(await sectionRows(page, 'In progress').count(), open).toBe(100);
      expect(await page.locator('[data-order-no][data-state="intercepting"]').count(), open).toBe(100);
      expect(await sectionRows(page, 'Finished').count(), open).toBe(20);
      // Newest first: seeded order 1 is the newest, 11 the newest still in progress after it.
      expect(await sectionRows(page, 'In progress').first().getAttribute('data-order-no')).toBe(seededOrder(1));
      expect(await sectionRows(page, 'Finished').first().getAttribute('data-order-no')).toBe(seededOrder(2));
      // Every row ends up drawn in full (a countdown for each order in progress).
      await until(() => page.locator('.countdown').count(), (n) => n === 100, 15_000);
      if (open.startsWith('next')) await screenshot(page, 'popup-1000-en', { fullPage: false });
      const more = page.getByRole('button', { name: 'Show 50 more (880 not shown)' });
      await more.click();
      expect(await until(() => sectionRows(page, 'Finished').count(), (n) => n === 70)).toBe(70);
      expect(await page.getByRole('button', { name: 'Show 50 more (830 not shown)' }).count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('follows a change without reading every record again', async () => {
    const { page } = await openPopup(harness);
    await until(() => counts(page), (c) => c.join(' ') === '(100) (900)', 15_000);
    // The first screen comes from the view hint; the rest of the records are read after it.
    await page.locator('main.popup[aria-busy="false"]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => {
      const area = chrome.storage.local as unknown as { get: (...a: unknown[]) => Promise<unknown>; __reads?: number };
      const get = area.get.bind(area);
      area.__reads = 0;
      area.get = (...a: unknown[]) => ((area.__reads! += 1), get(...a));
    });
    const orderNo = seededOrder(11);
    const other = await harness.extensionPage('options.html');
    await other.evaluate(async (key) => {
      const record = ((await chrome.storage.local.get(key)) as Record<string, Record<string, unknown>>)[key]!;
      await chrome.storage.local.set({ [key]: { ...record, state: 'intercepted', finishedAt: Date.now(), nextCheckAt: undefined } });
    }, `order:${orderNo}`);
    await other.close();
    await waitForRowState(page, orderNo, 'intercepted');
    expect(await counts(page)).toEqual(['(99)', '(901)']);
    expect(await page.evaluate(() => (chrome.storage.local as unknown as { __reads: number }).__reads)).toBe(0);
    await page.close();
  });

  it('sends its first reads from the early script and loses no change made before the store listens', async () => {
    // The newest order in progress: the first row, in the early script's first read.
    const orderNo = seededOrder(1);
    const key = `order:${orderNo}`;
    const other = await harness.extensionPage('options.html');
    const stored = await other.evaluate((key) => chrome.storage.local.get(key).then((items) => items[key] as Record<string, unknown>), key);
    await other.close();
    const changed = { ...stored, state: 'intercepted', finishedAt: Date.now(), orderStatus: '-3', nextCheckAt: undefined };
    const page = await harness.context.newPage();
    const errors = collectErrors(page);
    // Before the page's scripts: right after the early read of this record leaves, the page rewrites it
    // (a check deciding the order), before the popup's module graph (and its store's listener) exists.
    await page.addInitScript(
      ({ key, changed }) => {
        const area = chrome.storage.local as unknown as { get: (keys: unknown) => Promise<unknown>; set: (items: unknown) => Promise<void> };
        const get = area.get.bind(area);
        const w = window as unknown as { __earlyCaller?: string | null; __rewritten?: boolean };
        area.get = (keys: unknown) => {
          const reply = get(keys);
          if (!w.__rewritten && Array.isArray(keys) && keys.includes(key)) {
            w.__rewritten = true;
            w.__earlyCaller = document.currentScript?.getAttribute('src') ?? null;
            void area.set({ [key]: changed });
          }
          return reply;
        };
      },
      { key, changed },
    );
    await page.setViewportSize({ width: 420, height: 600 });
    await page.goto(`${harness.extensionOrigin}/popup.html`);
    await page.locator('main.popup[aria-busy="false"]').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { __earlyCaller?: string | null }).__earlyCaller)).toBe('/popup-early.js');
    // The early read answered the record as it was; the change (seen by the early script's listener,
    // or by the store's if it came later) is what shows.
    await waitForRowState(page, orderNo, 'intercepted', 15_000);
    const inProgress = await page.evaluate(async () => Object.values(await chrome.storage.local.get(null)).filter((r) => (r as { state?: string })?.state === 'intercepting').length);
    expect(await counts(page)).toEqual([`(${inProgress})`, `(${1000 - inProgress})`]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
