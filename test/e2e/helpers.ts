import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** `UPDATE_SCREENSHOTS=1` rewrites docs/screenshots; otherwise they are taken but not kept. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  const buffer = await page.screenshot({ fullPage });
  expect(buffer.length).toBeGreaterThan(1000);
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.resolve('docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ fullPage, path: path.join(dir, `${name}.png`) });
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
