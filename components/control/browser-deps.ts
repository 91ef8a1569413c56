/** The page store's real dependencies: messages to the background and the order records in storage. */
import { storage } from 'wxt/utils/storage';
import { sendRequest } from '@/utils/messages';
import { isConfigured } from '@/utils/settings';
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

export const browserDeps: StoreDeps = {
  send: sendRequest,
  loadRecords,
  watch: watchOrders,
  isConfigured,
  now: () => Date.now(),
};
