import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/**
 * The client secret lives in the extension origin's IndexedDB, not in `storage.local`: the
 * background and the options page can read it, content scripts (which run in the page's origin,
 * and may read `storage.local`) cannot.
 */
export const SECRET_DB = 'atrip-stop-ticket';
export const SECRET_STORE = 'credentials';
const SECRET_KEY = 'clientSecret';

let store: UseStore | undefined;
// Opened on first use: WXT imports modules in Node at build time, where there is no IndexedDB.
const secrets = () => (store ??= createStore(SECRET_DB, SECRET_STORE));

export async function loadSecret(): Promise<string> {
  const value = await get<unknown>(SECRET_KEY, secrets());
  return typeof value === 'string' ? value : '';
}

export async function saveSecret(secret: string): Promise<void> {
  if (secret) await set(SECRET_KEY, secret, secrets());
  else await del(SECRET_KEY, secrets());
}
