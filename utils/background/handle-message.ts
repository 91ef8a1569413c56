import { browser } from 'wxt/browser';
import { CONTENT_SCRIPT_REQUESTS, requestSchema, type Response } from '../shared/messages';
import { loadSettings, validateSettings, type Settings } from '../shared/settings';
import type { Tracker } from './tracker';
import { testConnection } from './logic/connection-test';
import { classifySender, originsOfPatterns, portalGrants, portalOriginsFor, type SenderInfo } from './logic/sender';

/** Origins the agent granted one by one (options page or "Enable on this site"): portals too, except the API's. */
async function grantedOrigins(settings: Settings): Promise<string[]> {
  return originsOfPatterns(portalGrants((await browser.permissions.getAll()).origins ?? [], settings));
}

/** Validates a message and its sender, then runs it. Never throws: errors become `{ ok: false }`. */
export async function handleMessage(tracker: Tracker, message: unknown, sender: SenderInfo): Promise<Response> {
  const request = requestSchema.safeParse(message);
  if (!request.success) return { ok: false, error: `Invalid request: ${request.error.issues[0]?.message ?? 'unknown'}` };
  const settings = await loadSettings();
  const kind = classifySender(
    sender,
    browser.runtime.id,
    browser.runtime.getURL('/'),
    portalOriginsFor([...settings.portalOrigins, ...(await grantedOrigins(settings))], import.meta.env.MODE, sender.url),
  );
  if (kind === 'foreign' || (kind === 'content-script' && !CONTENT_SCRIPT_REQUESTS.includes(request.data.type))) {
    return { ok: false, error: 'Request refused: unknown sender' };
  }
  const data = request.data;
  try {
    switch (data.type) {
      case 'stop': {
        // A page may not choose the URL the notification opens: take it from the sender.
        const pageUrl = kind === 'content-script' ? sender.url : data.pageUrl;
        return { ok: true, record: (await tracker.stop(data.orderNo, pageUrl)).record };
      }
      case 'retry':
        return { ok: true, record: (await tracker.retry(data.orderNo)).record };
      case 'checkNow':
      case 'checkAgain':
        // A look-up only: it never sends a stop, so it needs no confirmation.
        await tracker.checkAgain(data.orderNo);
        return { ok: true };
      case 'remove':
        await tracker.remove(data.orderNo);
        return { ok: true };
      case 'openOrder':
        await tracker.openOrder(data.orderNo);
        return { ok: true };
      case 'isConfigured':
        return { ok: true, configured: settings.clientId !== '' };
      case 'openOptions':
        await browser.runtime.openOptionsPage();
        return { ok: true };
      case 'testConnection': {
        const draft = validateSettings(data.settings);
        if (!draft.ok) return { ok: false, error: `Invalid settings: ${Object.keys(draft.issues).join(', ')}` };
        const { apiBaseUrl, clientId, clientSecret } = draft.settings;
        return { ok: true, report: await testConnection({ apiBaseUrl, clientId, clientSecret }) };
      }
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
