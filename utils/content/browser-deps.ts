/**
 * The page store's real dependencies: messages to the background and the order records in storage.
 * Plain extension APIs and hand-written guards (`guards.ts`): nothing the background needs, no zod,
 * no storage library in the script every portal page loads.
 */
import { browser } from 'wxt/browser';
import type { Request } from '@/utils/shared/messages';
import type { PageRecord, PageResponse } from './logic/order-view';
import { t } from '@/utils/shared/i18n';
import { ORDER_KEY_PREFIX as PREFIX, watchOrderRecords } from '@/utils/shared/order-keys';
import { guardRecord, guardResponse } from './logic/guards';
import type { StoreDeps } from './logic/page-store';

/** Sends a request to the background and checks its reply; never throws. */
async function send(request: Request): Promise<PageResponse> {
  try {
    return guardResponse(await browser.runtime.sendMessage(request)) ?? { ok: false, error: t('commonUnexpectedReply') };
  } catch (error) {
    // The worker may be starting or the extension reloaded: say so instead of failing silently
    // (in the UI language, as `sendRequest` of utils/shared/messages.ts; the browser's own words follow as they are).
    return { ok: false, error: t('commonNoAnswer', error instanceof Error ? error.message : String(error)) };
  }
}

async function loadRecords(orderNos: string[]): Promise<Map<string, PageRecord | null>> {
  const found = new Map<string, PageRecord | null>();
  if (orderNos.length === 0) return found;
  // One read for the whole batch instead of one per control.
  const items = await browser.storage.local.get(orderNos.map((orderNo) => PREFIX + orderNo));
  for (const orderNo of orderNos) found.set(orderNo, guardRecord(items[PREFIX + orderNo]));
  return found;
}

const watch = (callback: (orderNo: string, record: PageRecord | null) => void) => watchOrderRecords(guardRecord, callback);

/** Asked of the background: a page's content script never reads the settings, which hold the secret. */
async function isConfigured(): Promise<boolean> {
  const reply = await send({ type: 'isConfigured' });
  if (!reply.ok || reply.configured === undefined) throw new Error(reply.ok ? 'No answer' : reply.error);
  return reply.configured;
}

export const browserDeps: StoreDeps = { send, loadRecords, watch, isConfigured, now: () => Date.now() };
