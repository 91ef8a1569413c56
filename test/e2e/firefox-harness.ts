/**
 * The built extension in Debian's Firefox ESR, headless, driven by puppeteer-core over WebDriver
 * BiDi, beside a fresh local ATRIP sandbox. The recipe and its pitfalls: shared/notes/firefox.md.
 *
 * The extension is installed permanently (an unsigned .xpi, allowed by ESR with
 * `xpinstall.signatures.required: false`), not as a temporary add-on: a temporary add-on is gone
 * after a browser restart, and the restart story needs the same installed extension on the same
 * profile, started by the browser itself (`runtime.onStartup`).
 *
 * One class, one job: every method drives the same Firefox, its profile and its probe page; the
 * page adapter is in puppeteer-page.ts, what both harnesses share in harness-base.ts.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import JSZip from 'jszip';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sandbox } from '../sandbox/server';
import { callExpression } from './background-probes';
import type { Alarm, Capabilities, DriverLaunchOptions, DriverPage, ExtensionDriver, StoredRecord, TestSettings } from './driver';
import { readRecords, writeSettingsInPage } from './extension-storage';
import { freshSandboxAndProfile, HarnessBase } from './harness-base';
import { PuppeteerDriverPage } from './puppeteer-page';
import { eventually, sleep } from './wait';

// E2E_FIREFOX_EXTENSION_DIR: test a copy of the build while the tree is rebuilt (parallel work).
export const FIREFOX_EXTENSION_DIR = path.resolve(process.env.E2E_FIREFOX_EXTENSION_DIR ?? '.output/firefox-mv3-e2e');
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The manifest's `browser_specific_settings.gecko.id` (wxt.config.ts). */
export const GECKO_ID = 'stop-ticket@atrip-agents';
/** Any fixed UUID: pinned with `extensions.webextensions.uuids`, so extension pages have a known origin. */
export const FIREFOX_EXTENSION_UUID = '3f2a6c1e-8b7d-4e5f-9a0b-1c2d3e4f5a6b';

/** Firefox prefs of every test profile, each for a reason. */
function firefoxPrefs(backgroundIdleMs?: number): Record<string, unknown> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
    // ESR (unlike release) honours this: the unsigned test build installs permanently.
    'xpinstall.signatures.required': false,
    // Headless Firefox never answers the optional-permission prompt; this grants without one.
    'extensions.webextOptionalPermissionPrompts': false,
    // Headless has no system notification service: with it, every notification closes at once.
    // Firefox's own alert windows show them (and `notifications.getAll()` lists them) instead;
    // each takes the focus as it opens (PuppeteerDriverPage brings its page in front before key presses).
    'alerts.useSystemBackend': false,
    // SECOND_PORTAL_HOST (and any name) resolves to the sandbox's address; there is no network anyway.
    'network.dns.forceResolve': '127.0.0.1',
    // The sandbox speaks plain http: no https-first detour on portal.test.
    'dom.security.https_first': false,
    // Extension errors reach the browser's stdout, where the harness collects them.
    'devtools.console.stdout.chrome': true,
    'devtools.console.stdout.content': true,
    ...(backgroundIdleMs !== undefined && { 'extensions.background.idle.timeout': backgroundIdleMs }),
  };
}

/** The build folder as an .xpi (a zip with the manifest at its root), for a permanent install. */
async function packXpi(dir: string): Promise<string> {
  const zip = new JSZip();
  const add = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) add(full);
      else zip.file(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full));
    }
  };
  add(dir);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'atrip-xpi-')), 'extension.xpi');
  writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return file;
}

/** Whether dotted version `a` (e.g. `140.12.0esr`) is older than `b`, by their leading numbers. */
function isOlderVersion(a: string, b: string): boolean {
  const parts = (v: string) => v.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}

/** A WebDriver BiDi command through puppeteer's own connection (puppeteer has no API for these). */
async function bidi(browser: Browser, method: string, params: Record<string, unknown>): Promise<any> {
  const connection = (browser as unknown as { connection: { send(method: string, params: unknown): Promise<{ result: any }> } }).connection;
  return (await connection.send(method, params)).result;
}

export class FirefoxHarness extends HarnessBase implements ExtensionDriver {
  readonly browserName = 'firefox' as const;
  readonly capabilities: Capabilities = { lastingNotifications: false };
  readonly extensionOrigin = `moz-extension://${FIREFOX_EXTENSION_UUID}`;
  browser!: Browser;
  /** `JavaScript error:` lines of the extension (not of Firefox's own code) since launch. */
  readonly extensionErrors: string[] = [];
  /** An open extension page for reading storage and sending messages (opening one per call is slow). */
  private probe: PuppeteerDriverPage | null = null;

  private constructor(
    sandbox: Sandbox,
    userDataDir: string,
    private readonly backgroundIdleMs: number | undefined,
  ) {
    super(sandbox, userDataDir);
  }

  static async launch(options: DriverLaunchOptions = {}): Promise<FirefoxHarness> {
    const build = { dir: FIREFOX_EXTENSION_DIR, what: 'Firefox e2e build', command: 'npm run build:e2e:firefox' };
    const { sandbox, userDataDir } = await freshSandboxAndProfile(build, 'atrip-e2e-firefox-', options.sandbox);
    const harness = new FirefoxHarness(sandbox, userDataDir, options.backgroundIdleMs);
    try {
      await harness.start();
      if (options.locale) await harness.setAppLocale(options.locale);
      await harness.install();
      if (options.settings !== false) await harness.configure(options.settings ?? {});
    } catch (error) {
      await harness.close();
      throw error;
    }
    return harness;
  }

  /** Installs the build permanently; over an installed one, that is an update (`onInstalled` reason 'update'). */
  private async install() {
    await this.requireSupportedFirefox();
    const xpi = await packXpi(FIREFOX_EXTENSION_DIR);
    try {
      await bidi(this.browser, 'webExtension.install', { extensionData: { type: 'archivePath', path: xpi }, 'moz:permanent': true });
    } finally {
      rmSync(path.dirname(xpi), { recursive: true, force: true });
    }
  }

  /**
   * A Firefox older than the build's `strict_min_version` never answers a permanent install (seen
   * with ESR 140 from a stale apt list): every test would wait out its hook. Said at once instead.
   */
  private async requireSupportedFirefox() {
    const manifest = JSON.parse(readFileSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'utf8'));
    const minimum: string | undefined = manifest.browser_specific_settings?.gecko?.strict_min_version;
    const version = (await this.browser.version()).replace(/^firefox\//i, '');
    if (minimum && isOlderVersion(version, minimum)) {
      throw new Error(`Firefox ${version} (${FIREFOX_PATH}) is older than the build's strict_min_version ${minimum}: run \`apt-get update && apt-get install firefox-esr\``);
    }
  }

  /** Installs the build again over the running one, as Firefox applies an update. */
  async updateExtension() {
    await this.install();
    this.probe = null; // the old extension's pages close with it
  }

  private async start() {
    this.browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir: this.userDataDir,
      // Without it Firefox refuses to navigate a tab to moz-extension://.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: firefoxPrefs(this.backgroundIdleMs),
      dumpio: process.env.E2E_FIREFOX_DUMPIO === '1',
      // A busy two-core machine has taken 19 s to start it: puppeteer's 30 s default is too close.
      timeout: 90_000,
    });
    this.probe = null;
    const output = this.browser.process();
    for (const stream of [output?.stdout, output?.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          // Only the extension's own scripts: Firefox's (resource://, chrome://, or none, as its
          // messaging's "Actor 'Conduits' destroyed" when a tab closes) log errors of their own.
          if (!line.startsWith(`JavaScript error: ${this.extensionOrigin}/`)) continue;
          this.extensionErrors.push(line);
          // Said at once too: a test that does not check may be the one that met it (CI's log shows which).
          process.stderr.write(`[firefox] ${line}\n`);
        }
      });
    }
  }

  private async probePage(): Promise<PuppeteerDriverPage> {
    if (this.probe && !this.probe.page.isClosed()) return this.probe;
    this.probe = (await this.openExtensionPage('popup.html')) as PuppeteerDriverPage;
    return this.probe;
  }

  /** Runs a function in an extension page (`chrome.*` is the promise-based API in Firefox MV3). */
  async inExtension<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return (await this.probePage()).evaluate(fn, arg);
  }

  async configure(settings: TestSettings) {
    await writeSettingsInPage(await this.probePage(), { ...this.defaultSettings(), ...settings });
  }

  send(request: Record<string, unknown>): Promise<any> {
    return this.inExtension((r) => chrome.runtime.sendMessage(r), request);
  }

  async records(): Promise<StoredRecord[]> {
    return readRecords(await this.probePage());
  }

  async inBackground<A, R>(fn: (background: any, arg: A) => R | Promise<R>, arg: A): Promise<R> {
    const probe = await this.probePage();
    // The event page's window, from an extension page of the same process; Firefox starts it if stopped.
    const expression = `(async () => { const background = await chrome.runtime.getBackgroundPage(); return ${callExpression(fn, 'background', arg)}; })()`;
    return probe.page.evaluate(expression) as Promise<R>;
  }

  async notificationIds(): Promise<string[]> {
    return Object.keys(await this.inExtension(() => chrome.notifications.getAll(), undefined));
  }

  /** What Firefox lists for each notification: unlike Chrome, its title and message too. */
  notifications(): Promise<Record<string, { title?: string; message?: string }>> {
    // @types/chrome says ids only (Chrome's answer); Firefox answers each notification's options.
    return this.inExtension(() => chrome.notifications.getAll() as Promise<unknown> as Promise<Record<string, { title?: string; message?: string }>>, undefined);
  }

  alarms(): Promise<Alarm[]> {
    return this.inExtension(() => chrome.alarms.getAll(), undefined);
  }

  registeredScripts() {
    return this.inExtension(() => chrome.scripting.getRegisteredContentScripts(), undefined);
  }

  /** Privileged script in the browser window (allowed by --remote-allow-system-access). */
  private async chromeEvaluate(expression: string): Promise<unknown> {
    const tree = await bidi(this.browser, 'browsingContext.getTree', { 'moz:scope': 'chrome' });
    const context = tree.contexts[0]?.context;
    if (!context) throw new Error('No browser window to run privileged script in');
    const reply = await bidi(this.browser, 'script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' });
    if (reply.type !== 'success') throw new Error(`Privileged script failed: ${JSON.stringify(reply.exceptionDetails ?? reply)}`);
    return reply.result?.value;
  }

  /**
   * Firefox's UI language for this run, without a language pack: the locale is made available and
   * requested. An extension installed afterwards reads its `_locales` in it (a restart forgets it).
   */
  private async setAppLocale(locale: string) {
    const applied = await this.chromeEvaluate(
      `(() => { Services.locale.availableLocales = ['en-US', ${JSON.stringify(locale)}]; Services.locale.requestedLocales = [${JSON.stringify(locale)}]; return Services.locale.appLocaleAsBCP47; })()`,
    );
    if (applied !== locale) throw new Error(`Firefox took the locale ${String(applied)}, not ${locale}`);
  }

  /** Every tab's address, from the browser windows themselves (puppeteer may not see an extension page's). */
  async tabAddresses(): Promise<string[]> {
    const urls = await this.chromeEvaluate(
      `JSON.stringify([...Services.wm.getEnumerator('navigator:browser')].flatMap((w) => w.gBrowser.browsers.map((b) => b.currentURI.spec)))`,
    );
    return JSON.parse(String(urls)) as string[];
  }

  /** Clicks the notification's alert window (the profile shows Firefox's own alerts, whose text holds the order number). */
  async clickNotification(id: string) {
    const clicked = await eventually(
      () =>
        this.chromeEvaluate(
          `(() => { for (const w of Services.wm.getEnumerator('alert:alert')) { const text = (w.document.getElementById('alertTitleLabel')?.value ?? '') + ' ' + (w.document.getElementById('alertTextLabel')?.textContent ?? ''); if (text.includes(${JSON.stringify(id)})) { w.onAlertClick(); return true; } } return false; })()`,
        ),
      Boolean,
      `the alert of notification ${id}`,
      10_000,
    );
    if (!clicked) throw new Error(`No alert for notification ${id}`);
  }

  /** The event page's state as Firefox keeps it: 'running', 'suspending', 'stopped', 'starting'. */
  async backgroundState(): Promise<string> {
    return String(await this.chromeEvaluate(`WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension.backgroundState`));
  }

  /**
   * Terminates the event page as Firefox does when it idles out (about:debugging's "Terminate
   * background script" does the same): globals gone; storage, alarms and listeners' wake-ups stay.
   */
  async stopBackground() {
    // A page that just messaged the background may have it 'starting', and Firefox ignores a
    // termination then: ask again until it is stopped.
    await eventually(
      async () => {
        await this.chromeEvaluate(
          `ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs').ExtensionParent.DebugUtils` +
            `.terminateBackgroundScript(${JSON.stringify(GECKO_ID)}).then(() => true)`,
        );
        await sleep(300);
        return this.backgroundState();
      },
      (s) => s === 'stopped',
      'the event page to stop',
      15_000,
    );
  }

  async preApproveOrigin() {
    // extensions.webextOptionalPermissionPrompts=false: the options page's request is granted as asked.
  }

  private async newTab(): Promise<PuppeteerDriverPage> {
    const page = await this.browser.newPage();
    page.setDefaultTimeout(60_000);
    return new PuppeteerDriverPage(page);
  }

  async openPage(url?: string): Promise<DriverPage> {
    const page = await this.newTab();
    if (url) await page.goto(url);
    return page;
  }

  async openExtensionPage(file: string): Promise<DriverPage> {
    const page = await this.newTab();
    await page.gotoExtensionPage(`${this.extensionOrigin}/${file}`);
    return page;
  }

  /** Closes Firefox and starts it again on the same profile, where the extension stays installed. */
  async restart() {
    await this.browser.close();
    await this.start();
    // The extension starts with the browser; its pages load once it is up.
    await this.probePage();
  }

  protected async closeBrowser() {
    await this.browser?.close().catch(() => undefined);
  }
}
