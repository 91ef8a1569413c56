/**
 * The built extension in Debian's headless Chromium (Playwright), beside a fresh local ATRIP
 * sandbox: the Chromium `ExtensionDriver` (driver.ts), also used directly by the Chromium-only
 * tests, the demo and the bench. One class, one job: every method drives the same persistent
 * context and its service worker; the page adapter is in playwright-page.ts, what both harnesses
 * share in harness-base.ts.
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import path from 'node:path';
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import { callExpression } from './background-probes';
import type { Capabilities, DriverPage, ExtensionDriver, StoredRecord, TestSettings } from './driver';
import { writeSettingsInPage } from './extension-storage';
import { freshSandboxAndProfile, HarnessBase } from './harness-base';
import { PlaywrightDriverPage } from './playwright-page';

export type { StoredRecord, TestSettings } from './driver';

// E2E_EXTENSION_DIR: test a copy of the build while the tree is rebuilt (parallel work).
export const EXTENSION_DIR = path.resolve(process.env.E2E_EXTENSION_DIR ?? '.output/chrome-mv3-e2e');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchOptions {
  sandbox?: SandboxOptions;
  /** Written to storage before the test; `false` leaves the extension unconfigured. */
  settings?: TestSettings | false;
  /** Browser UI language, e.g. 'zh-CN'. */
  locale?: string;
  /** A visible window (the demo, where there is a display). */
  headed?: boolean;
  /**
   * Load the extension through CDP instead of --load-extension, so that `updateExtension()` can
   * load it again as an update: Chromium unloads a --load-extension extension on reload.
   */
  updatable?: boolean;
}

/** Headless Chromium as root on a machine without network: no sandbox, no calls home. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A second portal origin for the stories, outside the build's loopback matches (see SECOND_PORTAL_HOST).
  '--host-resolver-rules=MAP portal.test 127.0.0.1',
];

function launchArgs(locale?: string) {
  return [
    // Playwright's `locale` sets navigator.language but not the language of chrome.i18n.getMessage:
    // that follows the browser's own UI language, set by --lang.
    ...(locale ? [`--lang=${locale}`] : []),
    `--disable-extensions-except=${EXTENSION_DIR}`,
    `--load-extension=${EXTENSION_DIR}`,
    ...CHROMIUM_FLAGS,
  ];
}

/** The built extension in Debian's headless Chromium, beside a fresh local ATRIP sandbox. */
export class Harness extends HarnessBase implements ExtensionDriver {
  readonly browserName = 'chromium' as const;
  readonly capabilities: Capabilities = { lastingNotifications: true };
  context!: BrowserContext;
  extensionId = '';
  private constructor(
    sandbox: Sandbox,
    userDataDir: string,
    private readonly locale: string | undefined,
    private readonly headed = false,
    private readonly updatable = false,
  ) {
    super(sandbox, userDataDir);
  }

  static async launch(options: LaunchOptions = {}): Promise<Harness> {
    const build = { dir: EXTENSION_DIR, what: 'e2e build', command: 'npm run build:e2e' };
    const { sandbox, userDataDir } = await freshSandboxAndProfile(build, 'atrip-e2e-', options.sandbox);
    const harness = new Harness(sandbox, userDataDir, options.locale, options.headed, options.updatable);
    await harness.start();
    if (options.settings !== false) await harness.configure(options.settings ?? {});
    return harness;
  }

  get extensionOrigin() {
    return `chrome-extension://${this.extensionId}`;
  }

  private async start() {
    this.context = await chromium.launchPersistentContext(this.userDataDir, {
      headless: !this.headed,
      executablePath: CHROMIUM_PATH,
      ...(this.updatable
        ? {
            ignoreDefaultArgs: ['--disable-extensions'],
            args: [...(this.locale ? [`--lang=${this.locale}`] : []), '--enable-unsafe-extension-debugging', ...CHROMIUM_FLAGS],
          }
        : { args: launchArgs(this.locale) }),
      ...(this.locale && { locale: this.locale }),
    });
    if (this.updatable) {
      this.extensionId = await this.loadUnpacked();
      await this.worker();
      return;
    }
    const worker = this.context.serviceWorkers()[0] ?? (await this.context.waitForEvent('serviceworker'));
    this.extensionId = worker.url().split('/')[2]!;
  }

  private async loadUnpacked(): Promise<string> {
    const cdp = await this.context.browser()!.newBrowserCDPSession();
    try {
      const { id } = (await cdp.send('Extensions.loadUnpacked' as never, { path: EXTENSION_DIR } as never)) as { id: string };
      return id;
    } finally {
      await cdp.detach();
    }
  }

  /** Loads the build again over the running one, as Chrome applies an update (needs `updatable`). */
  async updateExtension() {
    if (!this.updatable) throw new Error('Launch with { updatable: true } to update the extension');
    const id = await this.loadUnpacked();
    if (id !== this.extensionId) throw new Error(`The update changed the extension id: ${id}`);
  }

  /** The extension's service worker; wakes it first when it was killed. */
  async worker(): Promise<Worker> {
    const existing = this.context.serviceWorkers().find((w) => w.url().startsWith(this.extensionOrigin));
    if (existing) return existing;
    const waiting = this.context.waitForEvent('serviceworker', { timeout: 20_000 });
    const page = await this.context.newPage();
    await page.goto(`${this.extensionOrigin}/popup.html`).catch(() => undefined);
    const worker = await waiting;
    await page.close();
    return worker;
  }

  /** Stores settings as the options page does: the secret in the extension's IndexedDB, the rest in storage.local. */
  async configure(settings: TestSettings) {
    const page = new PlaywrightDriverPage(await this.extensionPage('popup.html'));
    try {
      await writeSettingsInPage(page, { ...this.defaultSettings(), ...settings });
    } finally {
      await page.close();
    }
  }

  /** Opens an extension page; waits while the extension is reloading (its pages are blocked then). */
  async extensionPage(file: string): Promise<Page> {
    const page = await this.context.newPage();
    for (let attempt = 0; ; attempt++) {
      try {
        await page.goto(`${this.extensionOrigin}/${file}`);
        return page;
      } catch (error) {
        if (attempt >= 20 || !/ERR_BLOCKED_BY_CLIENT|ERR_FILE_NOT_FOUND/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Sends a message to the background from an extension page, as the popup would. */
  async send(request: Record<string, unknown>): Promise<any> {
    const page = await this.extensionPage('popup.html');
    try {
      return await page.evaluate((r) => chrome.runtime.sendMessage(r), request);
    } finally {
      await page.close();
    }
  }

  async records(): Promise<StoredRecord[]> {
    const page = await this.extensionPage('popup.html');
    try {
      const all = (await page.evaluate(() => chrome.storage.local.get(null))) as Record<string, unknown>;
      return Object.entries(all)
        .filter(([key]) => key.startsWith('order:') && !key.endsWith('$'))
        .map(([, value]) => value as StoredRecord);
    } finally {
      await page.close();
    }
  }

  /** Ids of the notifications the agent can see now (Chrome lists ids only). */
  async notificationIds(): Promise<string[]> {
    const worker = await this.worker();
    return Object.keys(await worker.evaluate(() => chrome.notifications.getAll()));
  }

  /** Records every notification the current worker creates (lost when the worker dies). */
  async inBackground<A, R>(fn: (background: any, arg: A) => R | Promise<R>, arg: A): Promise<R> {
    const worker = await this.worker();
    return worker.evaluate(callExpression(fn, 'globalThis', arg)) as Promise<R>;
  }

  /** Headless Chromium has no notification UI: the worker dispatches the click event to the extension's listener. */
  async clickNotification(id: string) {
    const shown = await this.notificationIds();
    if (!shown.includes(id)) throw new Error(`No notification ${id} to click (shown: ${shown.join(', ') || 'none'})`);
    await this.inBackground((bg, notificationId) => bg.chrome.notifications.onClicked.dispatch(notificationId), id);
  }

  async alarms(): Promise<chrome.alarms.Alarm[]> {
    const worker = await this.worker();
    return worker.evaluate(() => chrome.alarms.getAll());
  }

  /** Stops the service worker as Chrome does when it idles out: globals gone, storage kept. */
  async killWorker() {
    const cdp = await this.context.browser()!.newBrowserCDPSession();
    try {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(this.extensionOrigin));
      if (!target) throw new Error('No service worker to kill');
      await cdp.send('Target.closeTarget', { targetId: target.targetId });
    } finally {
      await cdp.detach();
    }
    const deadline = Date.now() + 5000;
    while (this.context.serviceWorkers().some((w) => w.url().startsWith(this.extensionOrigin)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stopBackground() {
    return this.killWorker();
  }

  async registeredScripts(): Promise<{ id: string; matches?: string[] }[]> {
    const worker = await this.worker();
    return worker.evaluate(() => chrome.scripting.getRegisteredContentScripts());
  }

  /**
   * Headless Chromium shows the options page's permission prompt to no one. Allowing the origin
   * first in the extension's site access (chrome://extensions, as the agent can) makes Chrome grant
   * the options page's request at once, without a prompt.
   */
  async preApproveOrigin(origin: string) {
    const page = await this.context.newPage();
    try {
      await page.goto('chrome://extensions');
      await page.evaluate(
        ([id, pattern]) => (chrome as unknown as { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } }).developerPrivate.addHostPermission(id, pattern),
        [this.extensionId, `${origin}/*`] as const,
      );
    } finally {
      await page.close();
    }
  }

  async openPage(url?: string): Promise<DriverPage> {
    const page = new PlaywrightDriverPage(await this.context.newPage());
    if (url) await page.goto(url);
    return page;
  }

  async openExtensionPage(file: string): Promise<DriverPage> {
    return new PlaywrightDriverPage(await this.extensionPage(file));
  }

  async tabAddresses(): Promise<string[]> {
    return this.context.pages().map((page) => page.url());
  }

  /** Closes the browser and launches it again on the same profile. */
  async restart() {
    await this.context.close();
    await this.start();
  }

  protected async closeBrowser() {
    await this.context?.close().catch(() => undefined);
  }
}

/** Collects console errors and uncaught exceptions of a page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
