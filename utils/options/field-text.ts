/** The options form's words for each field: its label, and its error worded from the schema's issue. */
import { t } from '@/utils/shared/i18n';
import { SETTINGS_FIELDS, type SettingsField, type SettingsIssue } from '@/utils/shared/settings';

export type FieldErrors = Partial<Record<SettingsField, string>>;

/** The locale key of each field's label. */
const LABEL_KEYS: Record<SettingsField, string> = {
  clientId: 'optionsClientId',
  clientSecret: 'optionsClientSecret',
  apiBaseUrl: 'optionsApiBaseUrl',
  portalOrigins: 'optionsPortalOrigins',
  firstCheckSeconds: 'optionsFirstCheckSeconds',
  recheckSeconds: 'optionsRecheckSeconds',
  deadlineMinutes: 'optionsDeadlineMinutes',
  retentionDays: 'optionsRetentionDays',
};

export const fieldLabel = (field: SettingsField): string => t(LABEL_KEYS[field]);

/** One field's error in the UI language, from what the schema found (its issue), never checked again here. */
function issueText(field: SettingsField, issue: SettingsIssue): string {
  if (issue.params?.reason === 'insecure') return t('optionsErrorInsecureUrl');
  if (issue.params?.reason === 'origin') return t('optionsErrorOrigin', issue.params.line ?? '');
  switch (field) {
    case 'apiBaseUrl':
      return t('optionsErrorUrl');
    case 'firstCheckSeconds':
    case 'recheckSeconds':
    case 'deadlineMinutes':
    case 'retentionDays':
      return t('optionsErrorWholeNumber');
    default:
      return issue.message;
  }
}

/** The schema's per-field issues in the UI language. */
export function fieldErrors(issues: Partial<Record<SettingsField, SettingsIssue>>): FieldErrors {
  const out: FieldErrors = {};
  for (const field of SETTINGS_FIELDS) {
    const issue = issues[field];
    if (issue) out[field] = issueText(field, issue);
  }
  return out;
}

/** The status line naming each invalid field. */
export const invalidText = (errors: FieldErrors): string =>
  t('optionsInvalid', SETTINGS_FIELDS.filter((f) => errors[f]).map(fieldLabel).join(t('commonListSeparator')));
