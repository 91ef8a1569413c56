/**
 * Settings an organisation sets by browser policy (`storage.managed`; shared/contract.md, "Browser
 * policy"). Read-only for the extension. Each value is validated on its own with the form's rule:
 * a bad one is ignored (with a console warning), the others still apply.
 */
import { browser } from 'wxt/browser';
import { SETTINGS_FIELDS, validateField, type Settings, type SettingsField } from './settings-schema';

export interface ManagedSettings {
  /** The valid values the policy sets; they win over what the agent saved. */
  values: Partial<Settings>;
  /** Fields the policy sets with a value that breaks the form's rule: ignored, and why. */
  invalid: Partial<Record<SettingsField, string>>;
}

export const NO_MANAGED: ManagedSettings = Object.freeze({ values: Object.freeze({}), invalid: Object.freeze({}) });

const isField = (key: string): key is SettingsField => (SETTINGS_FIELDS as string[]).includes(key);

/** Validates what the policy holds, field by field. Unknown keys and `null`s are ignored. Pure. */
export function parseManaged(raw: unknown): ManagedSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return NO_MANAGED;
  const values: Partial<Record<SettingsField, unknown>> = {};
  const invalid: ManagedSettings['invalid'] = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isField(key) || value === undefined || value === null) continue;
    const result = validateField(key, value);
    if (result.ok) values[key] = result.value;
    else invalid[key] = result.error;
  }
  return { values: values as Partial<Settings>, invalid };
}

const warned = new Set<string>();

/** Says once per context and value that a policy value is ignored: an IT person reads the console. */
function warnInvalid(managed: ManagedSettings, raw: Record<string, unknown>) {
  for (const [field, error] of Object.entries(managed.invalid)) {
    const key = `${field}=${JSON.stringify(raw[field])}`;
    if (warned.has(key)) continue;
    warned.add(key);
    console.warn(`ATRIP Stop-Ticket: the browser policy's ${field} (${JSON.stringify(raw[field])}) is ignored: ${error}`);
  }
}

/**
 * The policy's settings; none when there is no policy. Firefox rejects `storage.managed.get()` when
 * no policy names the extension, Chrome when the area is unavailable: both mean "no policy".
 */
export async function readManaged(): Promise<ManagedSettings> {
  let raw: unknown;
  try {
    const area = browser.storage.managed as typeof browser.storage.managed | undefined;
    raw = area ? await area.get() : undefined;
  } catch {
    return NO_MANAGED;
  }
  const managed = parseManaged(raw);
  if (Object.keys(managed.invalid).length > 0) warnInvalid(managed, raw as Record<string, unknown>);
  return managed;
}

/** Calls back when the policy changes (an administrator pushed a new one); returns the unsubscribe. */
export function watchManaged(callback: () => void): () => void {
  const listener = (_changes: unknown, area: string) => {
    if (area === 'managed') callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/** The fields the policy sets (valid values only). */
export const managedFields = (managed: ManagedSettings) => Object.keys(managed.values) as SettingsField[];
