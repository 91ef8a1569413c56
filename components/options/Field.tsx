/** One labelled field of the options form, with its hint, its error and what the policy says of it. */
import type { ComponentChildren } from 'preact';
import { t } from '@/utils/shared/i18n';
import type { SettingsField } from '@/utils/shared/settings';
import { fieldLabel } from '@/utils/options/field-text';

/** A padlock beside the label of a field the organisation sets (drawn: no emoji font needed). */
function LockIcon() {
  return (
    <svg class="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
    </svg>
  );
}

/** What the browser policy says about a field: set (locked), or set with a value that is ignored. */
export type FieldPolicy = { locked: true } | { locked: false; ignored: string };

interface FieldProps {
  name: SettingsField;
  hint?: ComponentChildren;
  error?: string;
  policy?: FieldPolicy;
  children: (describedBy: string | undefined, invalid: boolean, locked: boolean) => ComponentChildren;
}

export function Field({ name, hint, error, policy, children }: FieldProps) {
  const describedBy =
    [policy ? `${name}-policy` : '', hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  const locked = policy?.locked === true;
  return (
    <div class={`field${locked ? ' locked' : ''}`}>
      <label for={name}>
        {fieldLabel(name)}
        {locked && <LockIcon />}
      </label>
      {children(describedBy, !!error, locked)}
      {policy && (
        <p id={`${name}-policy`} class={`policy ${locked ? 'policy-locked' : 'policy-ignored'}`} data-policy={locked ? 'locked' : 'ignored'}>
          {policy.locked ? t('optionsManagedField') : t('optionsManagedIgnored', policy.ignored)}
        </p>
      )}
      {hint && (
        <p id={`${name}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
