/**
 * The two browsers of a side-by-side run: the e2e build in the test harness, and the same
 * Chromium with the same flags but no extension (the baseline).
 */
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../test/e2e/harness';

/** The harness's flags, without `--load-extension` / `--disable-extensions-except`. */
export const COMMON_FLAGS = CHROMIUM_FLAGS;

export interface PlainBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium as the harness launches it, without the extension. */
export async function launchPlain(): Promise<PlainBrowser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'atrip-bench-plain-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    headless: true,
    executablePath: CHROMIUM_PATH,
    args: COMMON_FLAGS,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
