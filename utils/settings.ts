import { z } from 'zod';
import { storage } from 'wxt/utils/storage';
import { loadSecret, saveSecret } from './secret-store';

export const DEFAULT_API_BASE_URL = 'https://sandbox.atriptech.com';

const wholeSeconds = (fallback: number) =>
  z.coerce
    .number({ error: 'Must be a whole number' })
    .int('Must be a whole number')
    .min(1, 'Must be at least 1')
    .default(fallback);

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }))
  // A trailing slash works the same as none: `${base}/stopTicket.do` must not double it.
  .transform((url) => url.replace(/\/+$/, ''));

/** One origin a line in the form; stored normalised (`https://host[:port]`). */
const originList = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx) => {
    const lines = (Array.isArray(value) ? value : value.split(/\r?\n/))
      .map((line) => line.trim())
      .filter(Boolean);
    const origins: string[] = [];
    for (const line of lines) {
      try {
        const url = new URL(line);
        if (!/^https?:$/.test(url.protocol)) throw new Error('protocol');
        if (!origins.includes(url.origin)) origins.push(url.origin);
      } catch {
        ctx.addIssue({ code: 'custom', message: `Not an http(s) origin: ${line}` });
        return z.NEVER;
      }
    }
    return origins;
  });

export const settingsSchema = z.object({
  clientId: z.string().trim().default(''),
  clientSecret: z.string().trim().default(''),
  apiBaseUrl: httpUrl.default(DEFAULT_API_BASE_URL),
  portalOrigins: originList.default([]),
  firstCheckSeconds: wholeSeconds(480),
  recheckSeconds: wholeSeconds(120),
  deadlineMinutes: wholeSeconds(30),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsField = keyof Settings;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export type SettingsValidation =
  | { ok: true; settings: Settings }
  | { ok: false; errors: Partial<Record<SettingsField, string>> };

/** Validates form or stored input; every error is keyed by the field it belongs to. */
export function validateSettings(input: unknown): SettingsValidation {
  const result = settingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const errors: Partial<Record<SettingsField, string>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as SettingsField | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}

/** Everything but the secret, which `saveSettings` keeps in IndexedDB (see secret-store.ts). */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Stored settings, re-validated: a corrupt or hand-edited value falls back per field, never throws. */
export async function loadSettings(): Promise<Settings> {
  const [stored, clientSecret] = await Promise.all([settingsItem.getValue(), loadSecret()]);
  const result = validateSettings(stored);
  if (result.ok) return { ...result.settings, clientSecret };
  const repaired = { ...(stored as object) } as Record<string, unknown>;
  for (const field of Object.keys(result.errors)) delete repaired[field];
  return { ...settingsSchema.parse(repaired), clientSecret };
}

export async function saveSettings(input: unknown): Promise<SettingsValidation> {
  const result = validateSettings(input);
  if (!result.ok) return result;
  // The secret first: whoever reacts to the settings change must find the new one.
  await saveSecret(result.settings.clientSecret);
  await settingsItem.setValue({ ...result.settings, clientSecret: '' });
  return result;
}
