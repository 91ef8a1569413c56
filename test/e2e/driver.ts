/**
 * A small browser-neutral driver for the end-to-end stories: the same story runs against the built
 * extension in headless Chromium (Playwright, `harness.ts`) and in Firefox ESR (puppeteer-core
 * over WebDriver BiDi, `firefox-harness.ts`). Method names and meanings follow the Chromium
 * `Harness` (`send`, `records`, `record`, `waitFor`, `waitForState`, `notificationIds`, `alarms`,
 * `restart`, `sandbox`, `configure`, `close`), so tests written against it port mechanically.
 *
 * Pages are driven through a handful of primitives (`DriverPage`) that both automation libraries
 * provide; everything a story does on a page (stop from a control, read the popup's rows, fill the
 * options form) is written once below on top of them, against the hooks of shared/contract.md.
 *
 * Porting a Chromium-only test: `Harness.launch(o)` → `launchDriver(inject('e2eBrowser'), o)`;
 * `killWorker()` → `stopBackground()`; `(await h.worker()).evaluate(fn)` → `h.inBackground((bg) => …)`
 * with `bg.chrome` for `chrome` (spies and faults that patch the background's APIs or `fetch` are
 * written once below: `traceBackgroundCalls`, `breakToolbarAndNotifications`); `h.context.newPage()`
 * + `goto` → `h.openPage(url)`; a popup or options page → `h.openExtensionPage(file)`; Playwright
 * locators → the helpers below (`clickButton` with `host` for a control's shadow root, `within` for
 * a popup row). A notification spy must see the whole test: launch with `backgroundStaysUp`.
 */
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import { SECRET_DB, SECRET_STORE } from '../../utils/secret-store';
import type { HistoryEntry } from '../../utils/tracker/record';

export type BrowserName = 'chromium' | 'firefox';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser a vitest e2e project runs its stories in (vitest.config.ts). */
    e2eBrowser: BrowserName;
  }
}

/** Settings the tests give the extension: the sandbox's credentials and seconds-long checks. */
export interface TestSettings {
  clientId?: string;
  clientSecret?: string;
  apiBaseUrl?: string;
  portalOrigins?: string[];
  firstCheckSeconds?: number;
  recheckSeconds?: number;
  deadlineMinutes?: number;
  retentionDays?: number;
}

/** The sandbox's credentials, checks every 2 s, and a 1-minute deadline: what each harness starts with. */
export function sandboxSettings(sandboxUrl: string): Required<TestSettings> {
  return {
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-secret',
    apiBaseUrl: sandboxUrl,
    portalOrigins: [],
    firstCheckSeconds: 2,
    recheckSeconds: 2,
    deadlineMinutes: 1,
    retentionDays: 30,
  };
}

export interface StoredRecord {
  orderNo: string;
  state: string;
  stopAttempts: number;
  checks: number;
  history: HistoryEntry[];
  [key: string]: unknown;
}

export interface Alarm {
  name: string;
  scheduledTime: number;
}

export interface DriverLaunchOptions {
  sandbox?: SandboxOptions;
  /** Written to storage before the test; `false` leaves the extension unconfigured. */
  settings?: TestSettings | false;
  /** Firefox only: `extensions.background.idle.timeout`, how long the idle event page lives (default 30 s). */
  backgroundIdleMs?: number;
  /**
   * The background is never stopped for idling during the test, so that a spy installed with
   * `inBackground` sees all of it. Chromium: already so while Playwright is attached to the worker;
   * Firefox: a long `extensions.background.idle.timeout`. `stopBackground()` still stops it.
   */
  backgroundStaysUp?: boolean;
  /** Chromium: load the build so that `updateExtension()` can load it again (Firefox can always). */
  updatable?: boolean;
  /**
   * The browser's UI language, e.g. 'zh-CN' (the extension's texts follow it): Chromium's `--lang`;
   * in Firefox the app locale, set before the extension is installed (kept for this launch only).
   */
  locale?: string;
}

export interface TabState {
  id: number;
  windowId: number;
  /** Only for tabs the extension has host access to (portals, the sandbox), as the extension sees them. */
  url?: string;
  active: boolean;
}

/** What a browser can do that the stories must not assume everywhere. */
export interface Capabilities {
  /** A notification can be made to stay until dismissed (`requireInteraction`); Firefox's cannot. */
  lastingNotifications: boolean;
}

/**
 * A host that resolves to 127.0.0.1 in both test browsers (Chromium `--host-resolver-rules`,
 * Firefox `network.dns.forceResolve`) but is not loopback by name: the e2e builds' content script
 * does not match it, so the control gets there only through an origin granted at run time.
 */
export const SECOND_PORTAL_HOST = 'portal.test';

/** The few page operations both Playwright and puppeteer provide; all input is trusted. */
export interface DriverPage {
  /** Loads a web page (http) and waits for its load event. */
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  /** Runs a function in the page (a content page's own world; an extension page with `chrome.*`). */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** A trusted mouse click at viewport coordinates. */
  clickAt(x: number, y: number): Promise<void>;
  /** Trusted key presses typing the text into the focused element. */
  type(text: string): Promise<void>;
  /** One trusted key press, e.g. 'Enter', 'Escape', 'Backspace'. */
  press(key: string): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** The extension under test in one browser, beside its own local ATRIP sandbox. */
export interface ExtensionDriver {
  readonly browserName: BrowserName;
  readonly capabilities: Capabilities;
  readonly sandbox: Sandbox;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
  defaultSettings(): Required<TestSettings>;
  /** Stores settings as the options page does (the secret in the extension's IndexedDB). */
  configure(settings: TestSettings): Promise<void>;
  /** Sends a message to the background from an extension page, as the popup would. */
  send(request: Record<string, unknown>): Promise<any>;
  records(): Promise<StoredRecord[]>;
  record(orderNo: string): Promise<StoredRecord | undefined>;
  /** Polls storage until the order's record satisfies the condition; fails with the last record seen. */
  waitFor(orderNo: string, condition: (record: StoredRecord) => boolean, timeoutMs?: number, what?: string): Promise<StoredRecord>;
  waitForState(orderNo: string, state: string, timeoutMs?: number): Promise<StoredRecord>;
  /** Ids of the notifications the agent can see now. */
  notificationIds(): Promise<string[]>;
  alarms(): Promise<Alarm[]>;
  /**
   * Runs `fn(background, arg)` with the background's global object: Chrome's service worker, or
   * Firefox's event page (reached from an extension page with `runtime.getBackgroundPage()`, which
   * starts it when stopped). For spies and fault injection. `fn` travels as source text: it may use
   * its arguments only. A spy installed there dies with the background, in both browsers.
   */
  inBackground<A, R>(fn: (background: any, arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Records every notification the current background creates (see `inBackground`). */
  spyOnNotifications(): Promise<void>;
  createdNotifications(): Promise<CreatedNotification[]>;
  /**
   * The agent clicks the notification of that id. Firefox: a real click on its alert window (the
   * test profile shows Firefox's own alerts). Headless Chromium shows notifications to no one, so
   * its service worker dispatches `notifications.onClicked` itself: the extension's own listener
   * runs, as on a click.
   */
  clickNotification(id: string): Promise<void>;
  /** Every tab, as the background's `tabs.query({})` sees it (no `tabs` permission). */
  tabs(): Promise<TabState[]>;
  /** Content scripts registered at run time (on origins granted by the agent). */
  registeredScripts(): Promise<{ id: string; matches?: string[] }[]>;
  /**
   * Stops the background as the browser does when it idles: Chrome's service worker killed,
   * Firefox's event page terminated. Globals are gone; storage and alarms stay.
   */
  stopBackground(): Promise<void>;
  /**
   * Answers "Allow" in advance to the permission prompt the options page will raise for the origin.
   * Headless Chromium never answers that prompt, so the origin is allowed the way the agent can in
   * Chrome's own UI (the extension's site access); Firefox grants it without a prompt in tests.
   */
  preApproveOrigin(origin: string): Promise<void>;
  /** A new tab; `openPage(url)` loads a web page in it. */
  openPage(url?: string): Promise<DriverPage>;
  /** A new tab on one of the extension's pages (popup.html, options.html), loaded. */
  openExtensionPage(file: string): Promise<DriverPage>;
  /** Installs the build again over the running one, as the browser applies an update (Chromium: launch `updatable`). */
  updateExtension(): Promise<void>;
  /** Closes the browser and starts it again on the same profile. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface CreatedNotification {
  id: string;
  options: { type?: string; title?: string; message?: string; requireInteraction?: boolean; iconUrl?: string };
}

/** The source of `fn(globalThis-like, arg)` as one expression, for a realm a function cannot be passed to. */
export function callExpression(fn: (...args: never[]) => unknown, target: string, arg: unknown): string {
  return `(${fn.toString()})(${target}, ${JSON.stringify(arg ?? null)})`;
}

/** Wraps `notifications.create` of a background (run through `inBackground`). */
export function installNotificationSpy(background: any) {
  if (background.__created) return;
  const created: unknown[][] = (background.__created = []);
  // Firefox's `browser.notifications` and `chrome.notifications` may be one object: wrap each once.
  const apis = [...new Set([background.chrome?.notifications, background.browser?.notifications].filter(Boolean))];
  for (const api of apis) {
    const original = api.create.bind(api);
    api.create = (...args: unknown[]) => {
      created.push(JSON.parse(JSON.stringify(args)));
      return original(...args);
    };
  }
}

/** The tabs the background sees (run through `inBackground`). */
export async function queryTabs(background: any): Promise<TabState[]> {
  const tabs: { id: number; windowId: number; url?: string; active: boolean }[] = await background.chrome.tabs.query({});
  return tabs.map(({ id, windowId, url, active }) => ({ id, windowId, ...(url !== undefined && { url }), active }));
}

export function readNotificationSpy(background: any): CreatedNotification[] {
  return ((background.__created ?? []) as [string, CreatedNotification['options']][]).map(([id, options]) => ({ id, options }));
}

/**
 * Logs, in call order, each request the background sends (`fetch stopTicket.do`) and each badge,
 * title and notification call it makes, into `background.__calls` (run through `inBackground`).
 * Each API object is wrapped once: Chrome's `browser` and `chrome` are two objects sharing their
 * namespaces, Firefox's are one. (In Firefox the wrappers belong to the harness's extension page,
 * which stays open, like the notification spy's.)
 */
export function installCallTrace(background: any) {
  if (background.__calls) return;
  const calls: string[] = (background.__calls = []);
  const originalFetch = background.fetch;
  background.fetch = (input: unknown, init?: unknown) => {
    calls.push(`fetch ${String(typeof input === 'object' && input !== null && 'url' in input ? input.url : input).split('/').pop()}`);
    return originalFetch.call(background, input, init);
  };
  const wrap = (api: any, name: string, label: string) => {
    const original = api[name];
    api[name] = (...args: unknown[]) => {
      calls.push(label);
      return original.apply(api, args);
    };
  };
  for (const action of new Set([background.chrome?.action, background.browser?.action].filter(Boolean))) {
    for (const name of ['setBadgeText', 'setTitle', 'setBadgeBackgroundColor']) wrap(action, name, name);
  }
  for (const notifications of new Set([background.chrome?.notifications, background.browser?.notifications].filter(Boolean))) {
    for (const name of ['create', 'clear']) wrap(notifications, name, `notifications.${name}`);
  }
}

/**
 * Makes every badge, title and notification call of the background fail, some with a synchronous
 * throw, some with a rejection, and logs each call into `background.__failedCalls`.
 */
export function installFailingUi(background: any) {
  const calls: string[] = (background.__failedCalls = []);
  const failing = (name: string, sync: boolean) => () => {
    calls.push(name);
    if (sync) throw new Error(`${name} is not available`);
    return Promise.reject(new Error(`${name} failed`));
  };
  for (const action of new Set([background.chrome?.action, background.browser?.action].filter(Boolean))) {
    action.setBadgeText = failing('setBadgeText', true);
    action.setTitle = failing('setTitle', false);
    action.setBadgeBackgroundColor = failing('setBadgeBackgroundColor', true);
  }
  for (const notifications of new Set([background.chrome?.notifications, background.browser?.notifications].filter(Boolean))) {
    notifications.create = failing('notifications.create', true);
    notifications.clear = failing('notifications.clear', false);
  }
}

/** From now on, the background's requests and badge/title/notification calls are logged in order (`tracedCalls`). */
export function traceBackgroundCalls(driver: ExtensionDriver): Promise<void> {
  return driver.inBackground(installCallTrace, undefined);
}

export function tracedCalls(driver: ExtensionDriver): Promise<string[]> {
  return driver.inBackground((background) => [...((background.__calls as string[] | undefined) ?? [])], undefined);
}

/** From now on, every badge, title and notification call of the background fails (`failedUiCalls` lists them). */
export function breakToolbarAndNotifications(driver: ExtensionDriver): Promise<void> {
  return driver.inBackground(installFailingUi, undefined);
}

export function failedUiCalls(driver: ExtensionDriver): Promise<string[]> {
  return driver.inBackground((background) => [...((background.__failedCalls as string[] | undefined) ?? [])], undefined);
}

/** Settings for the tests, written as the options page writes them (runs in an extension page). */
export async function writeSettingsInPage(page: DriverPage, settings: Required<TestSettings>) {
  const { clientSecret, ...value } = settings;
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
}

/** Every tracked order in storage (read in an extension page). */
export async function readRecords(page: DriverPage): Promise<StoredRecord[]> {
  const all = (await page.evaluate(() => chrome.storage.local.get(null), undefined)) as Record<string, unknown>;
  return Object.entries(all)
    .filter(([key]) => key.startsWith('order:') && !key.endsWith('$'))
    .map(([, value]) => value as StoredRecord);
}

export async function pollRecord(
  read: (orderNo: string) => Promise<StoredRecord | undefined>,
  orderNo: string,
  condition: (record: StoredRecord) => boolean,
  timeoutMs: number,
  what: string,
): Promise<StoredRecord> {
  const deadline = Date.now() + timeoutMs;
  let last: StoredRecord | undefined;
  while (Date.now() < deadline) {
    last = await read(orderNo);
    if (last && condition(last)) return last;
    await sleep(250);
  }
  throw new Error(`${orderNo} did not reach ${what}; last record: ${JSON.stringify(last)}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads until the value is ok or the time is up; fails naming what was awaited and the last value. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await sleep(150);
    value = await read();
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Page-level operations, written once against the contract's hooks.

/**
 * Where a button is: in the page, in the open shadow root of the first element matching `host`
 * (an in-page control), or inside the first element matching `within` (a popup row).
 */
export interface ButtonTarget {
  host?: string;
  within?: string;
  /** Matched against the button's accessible name (aria-label, else its text). */
  name: RegExp;
}

export const controlHost = (orderNo: string) => `atrip-stop-control[data-atrip-order="${orderNo}"]`;

/** The centre of a visible button, scrolled into view, or null while there is none. */
function findButton(page: DriverPage, target: ButtonTarget) {
  return page.evaluate(
    ({ host, within, source, flags }) => {
      const root: ParentNode | null | undefined = host
        ? document.querySelector(host)?.shadowRoot
        : within
          ? document.querySelector(within)
          : document;
      if (!root) return null;
      const name = new RegExp(source, flags);
      const button = [...root.querySelectorAll('button')].find((b) => {
        const label = b.getAttribute('aria-label') || b.textContent || '';
        return name.test(label) && !b.disabled && b.getClientRects().length > 0;
      });
      if (!button) return null;
      button.scrollIntoView({ block: 'center', inline: 'center' });
      const rect = button.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    },
    { host: target.host, within: target.within, source: target.name.source, flags: target.name.flags },
  );
}

/** Clicks a button with trusted input once it is there. */
export async function clickButton(page: DriverPage, target: ButtonTarget, timeoutMs = 15_000) {
  const at = await eventually(() => findButton(page, target), (p) => p !== null, `a button ${target.name} in ${target.host ?? target.within ?? 'the page'}`, timeoutMs);
  await page.clickAt(at!.x, at!.y);
}

/** Whether such a button is on show now. */
export async function hasButton(page: DriverPage, target: ButtonTarget) {
  return (await findButton(page, target)) !== null;
}

/** A control's `data-state`, or null when the order has no control. */
export function controlState(page: DriverPage, orderNo: string): Promise<string | null> {
  return page.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-state') ?? null, controlHost(orderNo));
}

/** What the agent reads in a control (its shadow root's text). */
export function controlText(page: DriverPage, orderNo: string): Promise<string> {
  return page.evaluate((selector) => document.querySelector(selector)?.shadowRoot?.textContent ?? '', controlHost(orderNo));
}

export function controlCount(page: DriverPage, orderNo?: string): Promise<number> {
  return page.evaluate((selector) => document.querySelectorAll(selector).length, orderNo ? controlHost(orderNo) : 'atrip-stop-control');
}

export function waitForControlState(page: DriverPage, orderNo: string, state: string, timeoutMs = 30_000) {
  return eventually(() => controlState(page, orderNo), (s) => s === state, `${orderNo}'s control in state ${state}`, timeoutMs);
}

/** The agent's stop from the page: the control's Stop button, then Confirm (contract names, English UI). */
export async function stopFromPage(page: DriverPage, orderNo: string) {
  const host = controlHost(orderNo);
  await clickButton(page, { host, name: /Stop ticketing|停止出票/ });
  await clickButton(page, { host, name: /Confirm|确认/ });
}

/** A portal page with its controls in place. */
export async function openPortalPage(driver: ExtensionDriver, url: string, orderNo: string): Promise<DriverPage> {
  const page = await driver.openPage();
  await page.setViewport(1280, 900);
  await page.goto(url);
  await eventually(() => controlState(page, orderNo), (s) => s !== null, `a control for ${orderNo} on ${url}`);
  return page;
}

export interface PopupRow {
  orderNo: string;
  state: string;
  text: string;
}

/** The popup's rows (contract: `data-order-no`, `data-state`), with what the agent reads in each. */
export function popupRows(page: DriverPage): Promise<PopupRow[]> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll<HTMLElement>('[data-order-no]')].map((row) => ({
        orderNo: row.dataset.orderNo ?? '',
        state: row.dataset.state ?? '',
        // textContent: a background tab's innerText is empty in Firefox (not rendered).
        text: row.textContent ?? '',
      })),
    undefined,
  );
}

export const popupRow = (orderNo: string) => `[data-order-no="${orderNo}"]`;

export async function waitForPopupRow(page: DriverPage, orderNo: string, state: string, timeoutMs = 30_000): Promise<PopupRow> {
  const rows = await eventually(
    () => popupRows(page),
    (all) => all.some((r) => r.orderNo === orderNo && r.state === state),
    `the popup row of ${orderNo} in state ${state}`,
    timeoutMs,
  );
  return rows.find((r) => r.orderNo === orderNo)!;
}

/** Opens the options page once it shows the stored values (typing before would be overwritten). */
export async function openOptions(driver: ExtensionDriver): Promise<DriverPage> {
  const page = await driver.openExtensionPage('options.html');
  await page.setViewport(900, 1100);
  await eventually(() => page.evaluate(() => document.querySelector('form:not([aria-busy])') !== null, undefined), Boolean, 'the options form');
  return page;
}

/** Types each value into the options field of that name (contract names), replacing what was there. */
export async function fillOptions(page: DriverPage, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const at = await page.evaluate((n) => {
      const field = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${n}"]`);
      if (!field) return null;
      field.scrollIntoView({ block: 'center' });
      const rect = field.getBoundingClientRect();
      return { x: rect.left + Math.min(20, rect.width / 2), y: rect.top + rect.height / 2 };
    }, name);
    if (!at) throw new Error(`No options field named ${name}`);
    await page.clickAt(at.x, at.y);
    await page.evaluate((n) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${n}"]`)!.select(), name);
    if (value === '') await page.press('Backspace');
    else await page.type(value);
    const typed = await page.evaluate((n) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${n}"]`)!.value, name);
    if (typed !== value) throw new Error(`The options field ${name} holds ${JSON.stringify(typed)}, not ${JSON.stringify(value)}`);
  }
}

/** Saves the options form (opened fresh) and returns the status it then shows (contract: `role="status"`). */
export async function saveOptions(page: DriverPage, timeoutMs = 15_000): Promise<string> {
  await clickButton(page, { name: /^(Save|保存)$/ });
  return eventually(
    () => page.evaluate(() => document.querySelector<HTMLElement>('[role="status"]')?.innerText ?? '', undefined),
    (text) => /saved|Could not save|保存/i.test(text),
    'the options status after saving',
    timeoutMs,
  );
}
