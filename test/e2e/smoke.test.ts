import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, Harness } from './harness';

describe('the built extension in headless Chromium', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await Harness.launch();
  });
  afterAll(() => harness?.close());

  it('loads with a running service worker', async () => {
    expect(harness.extensionId).toMatch(/^[a-p]{32}$/);
    const worker = await harness.worker();
    expect(await worker.evaluate(() => chrome.runtime.getManifest().manifest_version)).toBe(3);
  });

  it.each(['popup.html', 'options.html'])('opens %s without console errors', async (file) => {
    const page = await harness.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${harness.extensionOrigin}/${file}`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#app').innerHTML()).not.toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });
});
