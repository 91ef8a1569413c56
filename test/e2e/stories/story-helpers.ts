import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { DriverLaunchOptions, DriverPage, ExtensionDriver } from '../driver';
import { checkScreenshot } from '../helpers';
import { launchDriver } from '../launch';

/**
 * One extension for the enclosing describe block, in the browser of this run's project: launched
 * before its tests (handed to `use`), closed after them.
 */
export function launchForBlock(use: (driver: ExtensionDriver) => void, options?: DriverLaunchOptions) {
  let driver: ExtensionDriver | undefined;
  beforeAll(async () => {
    driver = await launchDriver(inject('e2eBrowser'), options);
    use(driver);
  });
  afterAll(() => driver?.close());
}

/** Stops tracking every order, so that a case starts from untracked orders. */
export async function forgetAllOrders(driver: ExtensionDriver) {
  for (const { orderNo } of await driver.records()) await driver.send({ type: 'remove', orderNo });
}

/**
 * `UPDATE_SCREENSHOTS=1` writes docs/screenshots/firefox-<name>.png from the Firefox run (the
 * Chromium-only tests keep Chromium's); otherwise the screenshot is taken and checked only.
 */
export async function keepScreenshot(driver: ExtensionDriver, page: DriverPage, name: string) {
  checkScreenshot(await page.screenshot(), `firefox-${name}`, { keep: driver.browserName === 'firefox' });
}

/** No uncaught error of the extension's own scripts reached the browser's log (where the harness reads it). */
export async function expectNoExtensionErrors(driver: ExtensionDriver) {
  const errors = (driver as { extensionErrors?: string[] }).extensionErrors;
  if (errors) expect(errors).toEqual([]);
}

/** `UPDATE_SCREENSHOTS=1` writes docs/screenshots/<name>.png from the Chromium run; otherwise the screenshot is taken and checked only. */
export async function keepChromiumScreenshot(driver: ExtensionDriver, page: DriverPage, name: string) {
  if (driver.browserName !== 'chromium') return;
  checkScreenshot(await page.screenshot(), name);
}
