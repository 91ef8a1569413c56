import type { BrowserName, DriverLaunchOptions, ExtensionDriver } from './driver';
import { FirefoxHarness } from './firefox-harness';
import { Harness } from './harness';

/** Long enough for any story: the event page is then stopped only on purpose (`stopBackground`). */
const STAYS_UP_MS = 30 * 60_000;

/** The extension in the named browser, with a fresh sandbox and profile (see driver.ts). */
export function launchDriver(browser: BrowserName, options: DriverLaunchOptions = {}): Promise<ExtensionDriver> {
  if (browser === 'firefox') {
    const { backgroundStaysUp, updatable: _always, ...rest } = options;
    return FirefoxHarness.launch({ ...rest, backgroundIdleMs: rest.backgroundIdleMs ?? (backgroundStaysUp ? STAYS_UP_MS : undefined) });
  }
  if (options.backgroundIdleMs !== undefined) throw new Error('backgroundIdleMs is a Firefox event-page setting');
  // backgroundStaysUp: Chromium never stops a worker Playwright is attached to (shared/notes/chromium.md).
  return Harness.launch({ sandbox: options.sandbox, settings: options.settings, locale: options.locale, updatable: options.updatable });
}
