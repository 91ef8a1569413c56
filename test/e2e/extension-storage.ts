/** The extension's storage as the harnesses read and write it from one of its pages. */
import { SECRET_DB, SECRET_STORE } from '../../utils/shared/logic/secret-store';
import type { DriverPage, StoredRecord, TestSettings } from './driver';
import { sleep } from './wait';

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
