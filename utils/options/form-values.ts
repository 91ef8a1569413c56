/** The options form's values: every field as the text its input shows. */
import { SETTINGS_FIELDS, type Settings, type SettingsField } from '@/utils/shared/settings';
import type { ManagedSettings } from '@/utils/shared/managed-settings';

export type FormValues = Record<SettingsField, string>;

export function toFormValues(settings: Settings): FormValues {
  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    apiBaseUrl: settings.apiBaseUrl,
    portalOrigins: settings.portalOrigins.join('\n'),
    firstCheckSeconds: String(settings.firstCheckSeconds),
    recheckSeconds: String(settings.recheckSeconds),
    deadlineMinutes: String(settings.deadlineMinutes),
    retentionDays: String(settings.retentionDays),
  };
}

/**
 * The form after the policy changed: managed fields show the policy's value, fields it no longer
 * sets go back to what the agent saved, and the agent's unsaved edits of other fields stay.
 */
export function followPolicy(current: FormValues, before: ManagedSettings, after: ManagedSettings, inForce: Settings): FormValues {
  const next = { ...current };
  const shown = toFormValues(inForce);
  for (const field of SETTINGS_FIELDS) {
    if (field in after.values || field in before.values) next[field] = shown[field];
  }
  return next;
}
