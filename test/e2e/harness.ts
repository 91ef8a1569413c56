import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server';
import { SECRET_DB, SECRET_STORE } from '../../utils/secret-store';
import type { HistoryEntry } from '../../utils/tracker/record';

// E2E_EXTENSION_DIR: test a copy of the build while the tree is rebuilt (parallel work).
export const EXTENSION_DIR = path.resolve(process.env.E2E_EXTENSION_DIR ?? '.output/chrome-mv3-e2e');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Settings the tests give the extension: the sandbox's credentials and seconds-long checks. */
export interface TestSettings {
  clientId?: string;
  clientSecret?: string;
  apiBaseUrl?: string;
  portalOrigins?: string[];
  firstCheckSeconds?: number;
  recheckSeconds?: number;
  deadlineMinutes?: number;
}

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

export interface StoredRecord {
  orderNo: string;
  state: string;
  stopAttempts: number;
  checks: number;
  history: HistoryEntry[];
  [key: string]: unknown;
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
export class Harness {
  context!: BrowserContext;
  extensionId = '';
  private constructor(
    readonly sandbox: Sandbox,
    readonly userDataDir: string,
    private readonly locale: string | undefined,
    private readonly headed = false,
    private readonly updatable = false,
  ) {}

  static async launch(options: LaunchOptions = {}): Promise<Harness> {
    if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
      throw new Error(`No e2e build at ${EXTENSION_DIR}: run \`npm run build:e2e\``);
    }
    const sandbox = await startSandbox({ interceptSeconds: 2, ...options.sandbox });
    const harness = new Harness(sandbox, mkdtempSync(path.join(tmpdir(), 'atrip-e2e-')), options.locale, options.headed, options.updatable);
    await harness.start();
    if (options.settings !== false) await harness.configure(options.settings ?? {});
    return harness;
  }

  get extensionOrigin() {
    return `chrome-extension://${this.extensionId}`;
  }

  /** The sandbox's credentials, checks every 2 s, and a 1-minute deadline, unless overridden. */
  defaultSettings(): Required<TestSettings> {
    return {
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      apiBaseUrl: this.sandbox.url,
      portalOrigins: [],
      firstCheckSeconds: 2,
      recheckSeconds: 2,
      deadlineMinutes: 1,
    };
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
    const { clientSecret, ...value } = { ...this.defaultSettings(), ...settings };
    const page = await this.extensionPage('popup.html');
    await page.evaluate(
      ({ secret, db, store }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(db);
          open.onupgradeneeded = () => open.result.createObjectStore(store);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction(store, 'readwrite');
            if (secret) tx.objectStore(store).put(secret, 'clientSecret');
            else tx.objectStore(store).delete('clientSecret');
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
      { secret: clientSecret, db: SECRET_DB, store: SECRET_STORE },
    );
    await page.evaluate((v) => chrome.storage.local.set({ settings: { ...v, clientSecret: '' } }), value);
    await page.close();
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

  async record(orderNo: string): Promise<StoredRecord | undefined> {
    return (await this.records()).find((r) => r.orderNo === orderNo);
  }

  /** Polls storage until the order's record satisfies the condition; fails with the last record seen. */
  async waitFor(orderNo: string, condition: (record: StoredRecord) => boolean, timeoutMs = 30_000, what = 'the condition'): Promise<StoredRecord> {
    const deadline = Date.now() + timeoutMs;
    let last: StoredRecord | undefined;
    while (Date.now() < deadline) {
      last = await this.record(orderNo);
      if (last && condition(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${orderNo} did not reach ${what}; last record: ${JSON.stringify(last)}`);
  }

  waitForState(orderNo: string, state: string, timeoutMs = 30_000): Promise<StoredRecord> {
    return this.waitFor(orderNo, (r) => r.state === state, timeoutMs, state);
  }

  /** Ids of the notifications the agent can see now (Chrome lists ids only). */
  async notificationIds(): Promise<string[]> {
    const worker = await this.worker();
    return Object.keys(await worker.evaluate(() => chrome.notifications.getAll()));
  }

  /** Records every notification the current worker creates (lost when the worker dies). */
  async spyOnNotifications() {
    const worker = await this.worker();
    await worker.evaluate(() => {
      const g = globalThis as unknown as { __created?: unknown[] };
      if (g.__created) return;
      g.__created = [];
      const original = chrome.notifications.create.bind(chrome.notifications) as (...a: unknown[]) => unknown;
      (chrome.notifications as unknown as { create: unknown }).create = (...args: unknown[]) => {
        g.__created!.push(args);
        return original(...args);
      };
    });
  }

  async createdNotifications(): Promise<{ id: string; options: chrome.notifications.NotificationCreateOptions }[]> {
    const worker = await this.worker();
    const calls = await worker.evaluate(() => (globalThis as unknown as { __created?: unknown[][] }).__created ?? []);
    return calls.map(([id, options]) => ({ id: id as string, options: options as chrome.notifications.NotificationCreateOptions }));
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

  /** Closes the browser and launches it again on the same profile. */
  async restart() {
    await this.context.close();
    await this.start();
  }

  async close() {
    await this.context?.close().catch(() => undefined);
    await this.sandbox.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
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
