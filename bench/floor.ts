/**
 * What this machine allows an extension page before any code of ours: a bare MV3 extension
 * (`bench/floor/`, not the product: one `storage` permission, a fixed key so its id is known) in the
 * same Chromium with the same flags as the harness, its pages opened in a tab and timed with the
 * popup's own probe (`openTimed`, until `#app` has its first element), the same repeats, medians.
 * - `static.html`: the element is in the HTML (the page itself: navigation, parse, commit);
 * - `read.html`: one module script that does one `chrome.storage.local.get`, then appends the
 *   element: the least a popup that shows stored data must do. Its storage holds the popup's
 *   1,000 seeded records too (the same store size).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../test/e2e/harness';
import { openTimed, seedRecords, type PopupOpen } from './popup';

export const FLOOR_DIR = path.resolve(import.meta.dirname, 'floor');

/** Chrome's id of an extension with this manifest `key`: SHA-256 of the public key, 32 hex digits written a–p. */
export function extensionIdOfKey(key: string): string {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

export interface FloorBrowser {
  /** One open of a bare page (`static.html`, `read.html`): ms since navigation start until `#app` has its first element, and its first paint. */
  open(file: 'static.html' | 'read.html'): Promise<PopupOpen>;
  close(): Promise<void>;
}

/** The bare extension in its own Chromium, its storage holding `storedRecords` of the popup's seeded records. */
export async function launchFloor(storedRecords = 1000): Promise<FloorBrowser> {
  const { key } = JSON.parse(readFileSync(path.join(FLOOR_DIR, 'manifest.json'), 'utf8')) as { key: string };
  const origin = `chrome-extension://${extensionIdOfKey(key)}`;
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'atrip-bench-floor-'));
  // As the harness launches the product (test/e2e/harness.ts, launchArgs), with this extension instead.
  const context = await chromium.launchPersistentContext(userDataDir, {
    headless: true,
    executablePath: CHROMIUM_PATH,
    args: [`--disable-extensions-except=${FLOOR_DIR}`, `--load-extension=${FLOOR_DIR}`, ...CHROMIUM_FLAGS],
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    // Stays open: it keeps the extension's renderer process alive between the opens, as the product's
    // service worker keeps its own (extension pages and worker share one process). Without it each
    // open would also start a process, which the popup does not.
    const keeper = await context.newPage();
    await keeper.goto(`${origin}/static.html`);
    await keeper.evaluate((items) => chrome.storage.local.set(items), { ...seedRecords(storedRecords), floor: 'floor' });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    async open(file) {
      const { at, paintAt, page } = await openTimed(context, `${origin}/${file}`, 0);
      await page.close();
      return { at, paintAt };
    },
    close,
  };
}
