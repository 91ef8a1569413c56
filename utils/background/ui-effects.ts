/**
 * Badge, title and notification calls: best-effort by construction. A browser without the API
 * (Firefox MV2 has no `browser.action`), a synchronous throw (Firefox rejects
 * `requireInteraction`) or a rejection is logged and swallowed: it can never delay, cancel or
 * fail a stop or a check.
 */
import { browser } from 'wxt/browser';

type Task = () => unknown;

/** Runs `task` (sync throw or rejection alike) and never throws; resolves to whether it worked. */
export async function bestEffort(what: string, task: Task): Promise<boolean> {
  try {
    await task();
    return true;
  } catch (error) {
    console.warn(`[atrip] ${what} failed:`, error);
    return false;
  }
}

interface ToolbarApi {
  setBadgeText(details: { text: string }): unknown;
  setBadgeBackgroundColor(details: { color: string }): unknown;
  setTitle(details: { title: string }): unknown;
}

/** The toolbar button API: `action` (MV3), else `browserAction` (Firefox MV2). */
export function toolbar(): ToolbarApi | undefined {
  const api = browser as unknown as { action?: ToolbarApi; browserAction?: ToolbarApi };
  return api.action ?? api.browserAction;
}

/** Firefox notifications cannot stay, and it rejects the property outright. */
export const SUPPORTS_REQUIRE_INTERACTION = !import.meta.env.FIREFOX;

export async function setToolbar(text: string, title: string): Promise<void> {
  const api = toolbar();
  if (!api) return;
  // Each call on its own: one failing does not skip the others.
  await Promise.all([
    bestEffort('setBadgeText', () => api.setBadgeText({ text })),
    bestEffort('setBadgeBackgroundColor', () => api.setBadgeBackgroundColor({ color: '#c2410c' })),
    bestEffort('setTitle', () => api.setTitle({ title })),
  ]);
}

/** Creates (or replaces: same id) the lasting notification of an order; true when it was created. */
export function showNotification(id: string, title: string, message: string): Promise<boolean> {
  return bestEffort('notifications.create', () =>
    browser.notifications.create(id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title,
      message,
      ...(SUPPORTS_REQUIRE_INTERACTION && { requireInteraction: true }),
    }),
  );
}

export function clearNotification(id: string): Promise<boolean> {
  return bestEffort('notifications.clear', () => browser.notifications.clear(id));
}
