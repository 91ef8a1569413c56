import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Every screenshot is checked (not blank); with `UPDATE_SCREENSHOTS=1` (and `keep`) it is also
 * written to docs/screenshots/<name>.png.
 */
export function checkScreenshot(png: Uint8Array, name: string, { keep = true } = {}) {
  expect(png.length).toBeGreaterThan(1000);
  if (process.env.UPDATE_SCREENSHOTS !== '1' || !keep) return;
  const dir = path.resolve('docs/screenshots');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.png`), png);
}

/** A Playwright page's screenshot, checked and kept as `checkScreenshot` says. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  checkScreenshot(await page.screenshot({ fullPage }), name);
}

/** Reads until the value is ok or the time is up; returns the last value read. */
export async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
