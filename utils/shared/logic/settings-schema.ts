// zod/mini: the popup reads the settings too, and opens faster without the full zod.
import { z } from './zod';

export const DEFAULT_API_BASE_URL = 'https://sandbox.atriptech.com';

/** A whole number from 1 up; form strings (`' 5 '`) are read as numbers. */
const wholeNumber = (fallback: number) =>
  z._default(
    z.pipe(
      z.coerce.number({ error: 'Must be a whole number' }),
      z.int({ error: 'Must be a whole number' }).check(z.gte(1, { error: 'Must be at least 1' })),
    ),
    fallback,
  );

const text = z._default(z.string().check(z.trim()), '');

/** The schema's message for an `http://` API base URL that is not loopback (the options page words it). */
export const INSECURE_URL_ERROR = 'Must be https (http only for loopback or localhost)';

/**
 * Whether a URL may carry the client secret: `https:`, or `http:` to this machine only (the local
 * sandbox, a local proxy): `localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`. Anything else in
 * clear text would show the secret to every network in between.
 */
export function isSecureApiUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

const httpUrl = z._default(
  z.pipe(
    z.pipe(
      z.string().check(z.trim()),
      z
        .url({ protocol: /^https?$/, error: 'Must be an http(s) URL' })
        .check(z.refine(isSecureApiUrl, { error: INSECURE_URL_ERROR, params: { reason: 'insecure' } })),
    ),
    // A trailing slash works the same as none: `${base}/stopTicket.do` must not double it.
    z.transform((url: string) => url.replace(/\/+$/, '')),
  ),
  DEFAULT_API_BASE_URL,
);

/** One origin a line in the form (an array by policy); kept normalised (`https://host[:port]`). */
const originList = z._default(
  z.pipe(
    z.union([z.string(), z.array(z.string())]),
    z.transform((value: string | string[], ctx) => {
      const lines = (Array.isArray(value) ? value : value.split(/\r?\n/)).map((line) => line.trim()).filter(Boolean);
      const origins: string[] = [];
      for (const line of lines) {
        const origin = httpOrigin(line);
        if (origin === null) {
          ctx.issues.push({ code: 'custom', message: `Not an http(s) origin: ${line}`, input: value, params: { reason: 'origin', line } });
          return z.NEVER;
        }
        if (!origins.includes(origin)) origins.push(origin);
      }
      return origins;
    }),
  ),
  [],
);

/** `https://host[:port]` of an http(s) URL, or null. */
export function httpOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Every setting with its rule and default (shared/contract.md). One schema per field, so that a
 * policy's values can be validated field by field with the same rules as the form's.
 */
export const FIELD_SCHEMAS = {
  clientId: text,
  clientSecret: text,
  apiBaseUrl: httpUrl,
  portalOrigins: originList,
  firstCheckSeconds: wholeNumber(480),
  recheckSeconds: wholeNumber(120),
  deadlineMinutes: wholeNumber(30),
  /** Finished orders older than this are pruned (by the tracker); never one in progress. */
  retentionDays: wholeNumber(30),
};

export const settingsSchema = z.object(FIELD_SCHEMAS);

export type Settings = z.output<typeof settingsSchema>;
export type SettingsField = keyof Settings;

export const SETTINGS_FIELDS = Object.keys(FIELD_SCHEMAS) as SettingsField[];

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** A field's first zod issue: a UI words it from this (its `params`), never by checking the value again. */
export interface SettingsIssue {
  /** The schema's own (English) message. */
  message: string;
  /** `insecure`: an http API URL that is not loopback; `origin`: a line of the origins (`line`) that is not an http(s) origin. */
  params?: { reason?: 'insecure' | 'origin'; line?: string };
}

export type SettingsValidation =
  | { ok: true; settings: Settings }
  | { ok: false; issues: Partial<Record<SettingsField, SettingsIssue>> };

/** Validates form or stored input; every error is keyed by the field it belongs to (its first issue). */
export function validateSettings(input: unknown): SettingsValidation {
  const result = settingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const issues: Partial<Record<SettingsField, SettingsIssue>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as SettingsField | undefined;
    if (!field || issues[field]) continue;
    issues[field] = issue;
  }
  return { ok: false, issues };
}

export type FieldResult<K extends SettingsField> = { ok: true; value: Settings[K] } | { ok: false; error: string };

/** One field, by the same rule as the form (a value of `undefined` takes the default). */
export function validateField<K extends SettingsField>(field: K, value: unknown): FieldResult<K> {
  const result = FIELD_SCHEMAS[field].safeParse(value);
  return result.success
    ? { ok: true, value: result.data as Settings[K] }
    : { ok: false, error: result.error.issues[0]?.message ?? 'Invalid value' };
}
