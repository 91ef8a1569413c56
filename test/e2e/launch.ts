import type { BrowserName, DriverLaunchOptions, ExtensionDriver } from './driver';
import { FirefoxHarness } from './firefox-harness';
import { Harness } from './harness';

/** The extension in the named browser, with a fresh sandbox and profile (see driver.ts). */
export function launchDriver(browser: BrowserName, options: DriverLaunchOptions = {}): Promise<ExtensionDriver> {
  if (browser === 'firefox') return FirefoxHarness.launch(options);
  if (options.backgroundIdleMs !== undefined) throw new Error('backgroundIdleMs is a Firefox event-page setting');
  return Harness.launch({ sandbox: options.sandbox, settings: options.settings, locale: options.locale });
}
