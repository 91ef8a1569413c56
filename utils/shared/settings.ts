import { storage } from 'wxt/utils/storage';
import { loadSecret, saveSecret } from './logic/secret-store';
import { managedFields, readManaged, type ManagedSettings } from './managed-settings';
import { DEFAULT_SETTINGS, settingsSchema, validateSettings, type Settings, type SettingsValidation } from './logic/settings-schema';

export * from './logic/settings-schema';

/** What the agent saved, except the secret, which `saveSettings` keeps in IndexedDB (see secret-store.ts). */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Stored settings, re-validated: a corrupt or hand-edited value falls back per field, never throws. */
function repair(stored: unknown): Settings {
  const result = validateSettings(stored);
  if (result.ok) return result.settings;
  const repaired = { ...(typeof stored === 'object' && stored !== null ? stored : {}) } as Record<string, unknown>;
  for (const field of Object.keys(result.issues)) delete repaired[field];
  const settings = settingsSchema.parse(repaired);
  // An http API base URL saved before https was required stays what the agent chose: the client
  // then sends nothing and says why (state `error`), rather than stopping orders at the default API.
  const url = (stored as Record<string, unknown>).apiBaseUrl;
  if (result.issues.apiBaseUrl?.params?.reason === 'insecure' && typeof url === 'string') settings.apiBaseUrl = url.trim().replace(/\/+$/, '');
  return settings;
}

/** The policy's values win over the agent's, field by field. */
export const applyManaged = (saved: Settings, managed: ManagedSettings): Settings => ({ ...saved, ...managed.values });

/** What the agent saved (the secret from IndexedDB; never one planted in `storage.local`). */
export async function loadSavedSettings(): Promise<Settings> {
  const [stored, clientSecret] = await Promise.all([settingsItem.getValue(), loadSecret()]);
  return { ...repair(stored), clientSecret };
}

/**
 * The settings in force: what the agent saved, overridden by the browser policy. Right after a
 * browser start this waits for the policy (about 2 s in Chrome) where one was ever seen; elsewhere
 * the agent's own settings apply at once (see readManaged).
 */
export async function loadSettings(): Promise<Settings> {
  const [saved, managed] = await Promise.all([loadSavedSettings(), readManaged()]);
  return applyManaged(saved, managed);
}

export interface SettingsState {
  /** In force (the form shows these). */
  settings: Settings;
  /** The agent's own. */
  saved: Settings;
  managed: ManagedSettings;
}

/** For the options page: what is in force, and which of it the organisation sets. */
export async function loadSettingsState(): Promise<SettingsState> {
  const [saved, managed] = await Promise.all([loadSavedSettings(), readManaged({ wait: true })]);
  return { settings: applyManaged(saved, managed), saved, managed };
}

/** The client id in force, without opening the secret's IndexedDB (the popup only needs this). */
export async function loadClientId(): Promise<string> {
  const [stored, managed] = await Promise.all([settingsItem.getValue(), readManaged()]);
  return managed.values.clientId ?? repair(stored).clientId;
}

/**
 * Saves the agent's values. A field the policy sets keeps what the agent saved before, whatever the
 * form sent: a policy value is never stored, and a managed secret never reaches IndexedDB. The
 * result holds the settings in force after the save.
 */
export async function saveSettings(input: unknown): Promise<SettingsValidation> {
  if (typeof input !== 'object' || input === null) return validateSettings(input);
  const [saved, managed] = await Promise.all([loadSavedSettings(), readManaged({ wait: true })]);
  const own: Record<string, unknown> = { ...input };
  for (const field of managedFields(managed)) own[field] = saved[field];
  const result = validateSettings(own);
  if (!result.ok) return result;
  // The secret first: whoever reacts to the settings change must find the new one.
  if (managed.values.clientSecret === undefined) await saveSecret(result.settings.clientSecret);
  await settingsItem.setValue({ ...result.settings, clientSecret: '' });
  return { ok: true, settings: applyManaged(result.settings, managed) };
}
