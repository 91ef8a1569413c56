/**
 * Spies and faults run inside the extension's background through `ExtensionDriver.inBackground`:
 * each function's source is sent to the background's realm, so it may use only its arguments.
 */
import type { CreatedNotification, ExtensionDriver, TabState } from './driver';

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
