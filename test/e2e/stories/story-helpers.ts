import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { DriverPage, ExtensionDriver } from '../driver';

/**
 * `UPDATE_SCREENSHOTS=1` writes docs/screenshots/firefox-<name>.png from the Firefox run (the
 * Chromium-only tests keep Chromium's); otherwise the screenshot is taken and checked only.
 */
export async function keepScreenshot(driver: ExtensionDriver, page: DriverPage, name: string) {
  const png = await page.screenshot();
  expect(png.length).toBeGreaterThan(1000);
  if (process.env.UPDATE_SCREENSHOTS !== '1' || driver.browserName !== 'firefox') return;
  const dir = path.resolve('docs/screenshots');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `firefox-${name}.png`), png);
}

/** No uncaught error of the extension's own scripts reached the browser's log (where the harness reads it). */
export async function expectNoExtensionErrors(driver: ExtensionDriver) {
  const errors = (driver as { extensionErrors?: string[] }).extensionErrors;
  if (errors) expect(errors).toEqual([]);
}

/** `UPDATE_SCREENSHOTS=1` writes docs/screenshots/<name>.png from the Chromium run; otherwise the screenshot is taken and checked only. */
export async function keepChromiumScreenshot(driver: ExtensionDriver, page: DriverPage, name: string) {
  if (driver.browserName !== 'chromium') return;
  const png = await page.screenshot();
  expect(png.length).toBeGreaterThan(1000);
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.resolve('docs/screenshots');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.png`), png);
}
