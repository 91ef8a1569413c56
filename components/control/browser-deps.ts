/** The page store's real dependencies: messages to the background and the order records in storage. */
import { storage } from 'wxt/utils/storage';
import { sendRequest } from '@/utils/messages';
import { parseRecord, type TrackedOrder } from '@/utils/tracker/record';
import { orderKey, watchOrders } from '@/utils/tracker/store';
import type { StoreDeps } from './page-store';

async function loadRecords(orderNos: string[]): Promise<Map<string, TrackedOrder | null>> {
  const found = new Map<string, TrackedOrder | null>();
  if (orderNos.length === 0) return found;
  // One read for the whole batch instead of one `getOrder` per control.
  const items = await storage.getItems(orderNos.map((orderNo) => orderKey(orderNo)));
  items.forEach((item, i) => found.set(orderNos[i]!, parseRecord(item.value)));
  return found;
}

/** Asked of the background: a page's content script never reads the settings, which hold the secret. */
async function isConfigured(): Promise<boolean> {
  const reply = await sendRequest({ type: 'isConfigured' });
  if (!reply.ok || reply.configured === undefined) throw new Error(reply.ok ? 'No answer' : reply.error);
  return reply.configured;
}

export const browserDeps: StoreDeps = {
  send: sendRequest,
  loadRecords,
  watch: watchOrders,
  isConfigured,
  now: () => Date.now(),
};
