/**
 * A small browser-neutral driver for the end-to-end stories: the same story runs against the built
 * extension in headless Chromium (Playwright, `harness.ts`) and in Firefox ESR (puppeteer-core
 * over WebDriver BiDi, `firefox-harness.ts`). Method names and meanings follow the Chromium
 * `Harness` (`send`, `records`, `record`, `waitFor`, `waitForState`, `notificationIds`, `alarms`,
 * `restart`, `sandbox`, `configure`, `close`), so tests written against it port mechanically.
 *
 * Pages are driven through a handful of primitives (`DriverPage`) that both automation libraries
 * provide; everything a story does on a page (stop from a control, read the popup's rows, fill the
 * options form) is written once on top of them in page-actions.ts, against the hooks of
 * shared/contract.md; this module re-exports it, with the background probes and the waits.
 *
 * Porting a Chromium-only test: `Harness.launch(o)` → `launchDriver(inject('e2eBrowser'), o)`;
 * `killWorker()` → `stopBackground()`; `(await h.worker()).evaluate(fn)` → `h.inBackground((bg) => …)`
 * with `bg.chrome` for `chrome` (spies and faults that patch the background's APIs or `fetch` are
 * written once in background-probes.ts: `traceBackgroundCalls`, `breakToolbarAndNotifications`); `h.context.newPage()`
 * + `goto` → `h.openPage(url)`; a popup or options page → `h.openExtensionPage(file)`; Playwright
 * locators → the page-actions.ts helpers (`clickButton` with `host` for a control's shadow root, `within` for
 * a popup row). A notification spy must see the whole test: launch with `backgroundStaysUp`.
 */
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import type { HistoryEntry } from '../../utils/shared/logic/record';

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
  /** A trusted mouse move to viewport coordinates (the pointer then hovers there). */
  moveMouseTo(x: number, y: number): Promise<void>;
  /** Trusted key presses typing the text into the focused element. */
  type(text: string): Promise<void>;
  /** One trusted key press, e.g. 'Enter', 'Escape', 'Backspace'. */
  press(key: string): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  /** The viewport as the agent sees it. */
  screenshot(): Promise<Buffer>;
  /**
   * What the page reported as errors since the tab was opened: its uncaught exceptions and
   * `console.error` calls. (Chromium reports the content script's here too; Firefox logs those to
   * its stdout, where the harness collects them: `expectNoExtensionErrors`.)
   */
  errors(): string[];
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
  /**
   * The address of every tab, read by the browser automation rather than the extension: extension
   * pages included (e.g. the options page the extension opened itself).
   */
  tabAddresses(): Promise<string[]>;
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

// What the stories use besides the driver itself, written once on top of it: see each module.
export * from './background-probes';
export * from './extension-storage';
export * from './page-actions';
export * from './wait';
