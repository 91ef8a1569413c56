/**
 * Settings an organisation sets by browser policy (`storage.managed`; shared/contract.md, "Browser
 * policy"). Read-only for the extension. Each value is validated on its own with the form's rule:
 * a bad one is ignored (with a console warning), the others still apply.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { SETTINGS_FIELDS, validateField, type Settings, type SettingsField } from './logic/settings-schema';

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
 * Whether this browser had a policy for the extension the last time one was read. Not a secret
 * (no value of the policy): it only says whether a read that is slow to answer is worth waiting for.
 */
export const policySeenItem = storage.defineItem<boolean>('local:managedPolicySeen', { fallback: false });

/** How long a read may take before it counts as "no policy", in a browser that never had one. */
export const QUICK_READ_MS = 150;

type ManagedArea = { get(): Promise<Record<string, unknown>> };
let pending: Promise<unknown> | null = null;
/** This context's copy of policySeenItem (read once, written when it changes). */
let seen: Promise<boolean> | null = null;

const wasSeen = () => (seen ??= policySeenItem.getValue().catch(() => false));

function remember(raw: unknown) {
  const now = typeof raw === 'object' && raw !== null && Object.keys(raw).length > 0;
  void wasSeen().then((before) => {
    if (before === now) return;
    seen = Promise.resolve(now);
    return policySeenItem.setValue(now).catch(() => undefined);
  });
}

/**
 * One read at a time. Right after the browser starts, Chrome answers `storage.managed.get()` only
 * once its policies are loaded, about 2 s later, whether there is a policy or not; later reads take
 * milliseconds. Firefox rejects it when no policy names the extension: that means "no policy".
 */
function readRaw(): Promise<unknown> {
  if (!pending) {
    const area = browser.storage.managed as unknown as ManagedArea | undefined;
    const read: Promise<unknown> = (area ? area.get() : Promise.resolve(undefined)).then(
      (raw) => (remember(raw), raw),
      () => (remember(undefined), undefined),
    );
    pending = read;
    void read.finally(() => {
      if (pending === read) pending = null;
    });
  }
  return pending;
}

const NOT_YET = Symbol('not yet');

/**
 * The policy's settings; none when there is no policy. `wait`: always wait for the browser's answer
 * (the options page, which must show the truth). Otherwise, in a browser that never had a policy, a
 * slow first read counts as none, so that the agent's own settings apply at once after a browser
 * start; where a policy was seen, the answer is awaited (a stop must not go out with the wrong
 * credentials).
 */
export async function readManaged({ wait = false } = {}): Promise<ManagedSettings> {
  const read = readRaw();
  let raw: unknown;
  if (wait || (await wasSeen())) raw = await read;
  else {
    let timer: ReturnType<typeof setTimeout> | undefined;
    raw = await Promise.race([read, new Promise((resolve) => (timer = setTimeout(() => resolve(NOT_YET), QUICK_READ_MS)))]);
    clearTimeout(timer);
    if (raw === NOT_YET) return NO_MANAGED;
  }
  const managed = parseManaged(raw);
  if (Object.keys(managed.invalid).length > 0) warnInvalid(managed, raw as Record<string, unknown>);
  return managed;
}

/** Forgets this context's read state (tests: each starts as a fresh browser). */
export function resetManagedReads() {
  pending = null;
  seen = null;
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
