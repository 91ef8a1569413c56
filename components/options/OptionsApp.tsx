import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '@/utils/i18n';
import { sendRequest } from '@/utils/messages';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_SETTINGS,
  INSECURE_URL_ERROR,
  loadSettingsState,
  saveSettings,
  validateSettings,
  type Settings,
  type SettingsField,
} from '@/utils/settings';
import { NO_MANAGED, watchManaged, type ManagedSettings } from '@/utils/managed-settings';
import { connectionText } from './connection-text';
import { isCovered, missingOrigins, neededOrigins, originPattern, patternLabel, planPermissions } from './permissions';

type FormValues = Record<SettingsField, string>;
type FieldErrors = Partial<Record<SettingsField, string>>;
type Status = { kind: 'ok' | 'error' | 'info'; text: string };

const FIELDS: readonly SettingsField[] = [
  'clientId',
  'clientSecret',
  'apiBaseUrl',
  'portalOrigins',
  'firstCheckSeconds',
  'recheckSeconds',
  'deadlineMinutes',
  'retentionDays',
];

/** The label of each field, spelled out per key so the locale test finds them. */
function fieldLabel(field: SettingsField): string {
  switch (field) {
    case 'clientId':
      return t('optionsClientId');
    case 'clientSecret':
      return t('optionsClientSecret');
    case 'apiBaseUrl':
      return t('optionsApiBaseUrl');
    case 'portalOrigins':
      return t('optionsPortalOrigins');
    case 'firstCheckSeconds':
      return t('optionsFirstCheckSeconds');
    case 'recheckSeconds':
      return t('optionsRecheckSeconds');
    case 'deadlineMinutes':
      return t('optionsDeadlineMinutes');
    case 'retentionDays':
      return t('optionsRetentionDays');
  }
}

function toValues(settings: Settings): FormValues {
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
function followPolicy(current: FormValues, before: ManagedSettings, after: ManagedSettings, inForce: Settings): FormValues {
  const next = { ...current };
  const shown = toValues(inForce);
  for (const field of FIELDS) {
    const wasManaged = field in before.values;
    const isManaged = field in after.values;
    if (isManaged || wasManaged) next[field] = shown[field];
  }
  return next;
}

/** The first line of the origins field that is not an http(s) origin (the schema's rule, for the message). */
function badOriginLine(text: string): string {
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    try {
      if (!/^https?:$/.test(new URL(line).protocol)) return line;
    } catch {
      return line;
    }
  }
  return '';
}

/** The schema's per-field errors in the UI language. */
function localiseErrors(errors: FieldErrors, values: FormValues): FieldErrors {
  const out: FieldErrors = {};
  for (const field of Object.keys(errors) as SettingsField[]) {
    switch (field) {
      case 'apiBaseUrl':
        out[field] = errors[field] === INSECURE_URL_ERROR ? t('optionsErrorInsecureUrl') : t('optionsErrorUrl');
        break;
      case 'portalOrigins':
        out[field] = t('optionsErrorOrigin', badOriginLine(values.portalOrigins));
        break;
      case 'firstCheckSeconds':
      case 'recheckSeconds':
      case 'deadlineMinutes':
      case 'retentionDays':
        out[field] = t('optionsErrorWholeNumber');
        break;
      default:
        out[field] = errors[field];
    }
  }
  return out;
}

const invalidStatus = (errors: FieldErrors): Status => ({
  kind: 'error',
  text: t('optionsInvalid', FIELDS.filter((f) => errors[f]).map(fieldLabel).join(t('commonListSeparator'))),
});

/** A padlock beside the label of a field the organisation sets (drawn: no emoji font needed). */
function LockIcon() {
  return (
    <svg class="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
    </svg>
  );
}

interface FieldProps {
  name: SettingsField;
  hint?: ComponentChildren;
  error?: string;
  /** What the browser policy says about this field: set (locked), or set with a value that is ignored. */
  policy?: { locked: true } | { locked: false; ignored: string };
  children: (describedBy: string | undefined, invalid: boolean, locked: boolean) => ComponentChildren;
}

function Field({ name, hint, error, policy, children }: FieldProps) {
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

/** The options page: the settings form (contract field names), Test connection, granted sites. */
export function OptionsApp() {
  const [saved, setSaved] = useState<Settings | null>(null);
  const [managed, setManaged] = useState<ManagedSettings>(NO_MANAGED);
  const managedRef = useRef(managed);
  managedRef.current = managed;
  const [values, setValues] = useState<FormValues>(() => toValues(DEFAULT_SETTINGS));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [granted, setGranted] = useState<string[]>([]);
  const [grantedKnown, setGrantedKnown] = useState(false);
  const [required, setRequired] = useState<string[]>([]);
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const refreshGranted = async () => {
    try {
      setGranted((await browser.permissions.getAll()).origins ?? []);
    } catch {
      setGranted([]);
    }
    setGrantedKnown(true);
  };

  useEffect(() => {
    let alive = true;
    void loadSettingsState().then((state) => {
      if (!alive) return;
      setSaved(state.settings);
      setManaged(state.managed);
      setValues(toValues(state.settings));
    });
    // An administrator may push a new policy while the page is open: follow it, keep the agent's edits.
    const unwatch = watchManaged(() => {
      void loadSettingsState().then((state) => {
        if (!alive) return;
        const before = managedRef.current;
        setSaved(state.settings);
        setManaged(state.managed);
        setValues((current) => followPolicy(current, before, state.managed, state.settings));
      });
    });
    void refreshGranted();
    try {
      setRequired(browser.runtime.getManifest().host_permissions ?? []);
    } catch {
      setRequired([]);
    }
    return () => {
      alive = false;
      unwatch();
    };
  }, []);

  const isLocked = (field: SettingsField) => field in managed.values;
  const policyOf = (field: SettingsField): FieldProps['policy'] => {
    if (isLocked(field)) return { locked: true };
    const ignored = managed.invalid[field];
    return ignored === undefined ? undefined : { locked: false, ignored };
  };
  /** Origins the policy needs (its portals, its API host) that the browser has not granted yet. */
  const managedNeeded = neededOrigins(managed.values);
  const managedMissing = grantedKnown ? missingOrigins(managedNeeded, granted) : [];

  const set = (field: SettingsField) => (event: Event) => {
    const target = event.currentTarget as HTMLInputElement | HTMLTextAreaElement;
    if (field in managedRef.current.values) {
      target.value = values[field]; // read-only already; a script's change does not count either
      return;
    }
    const value = target.value;
    setValues((current) => ({ ...current, [field]: value }));
  };

  /** Validates the form as it is now; on failure shows every error and moves focus to the first. */
  const check = (): Settings | null => {
    const result = validateSettings(values);
    if (result.ok) {
      setErrors({});
      return result.settings;
    }
    const localised = localiseErrors(result.errors, values);
    setErrors(localised);
    setStatus(invalidStatus(localised));
    const first = FIELDS.find((f) => localised[f]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    return null;
  };

  /**
   * Asks for the origins not granted yet. Called synchronously from the click or submit handler:
   * Chrome and Firefox honour `permissions.request` only within the user gesture, i.e. before any `await`.
   */
  const askFor = (origins: string[]): Promise<boolean> =>
    origins.length === 0
      ? Promise.resolve(true)
      : browser.permissions.request({ origins: [...new Set(origins.map((origin) => originPattern(origin)))] }).then(
          (allowed) => allowed,
          () => false,
        );

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const settings = check();
    if (!settings) return;
    const plan = planPermissions(saved ?? DEFAULT_SETTINGS, settings, granted, required, managedNeeded);
    const asked = askFor(plan.request); // before any await: the user gesture
    setBusy('saving');
    void (async () => {
      try {
        if (!(await asked)) {
          setStatus({ kind: 'error', text: t('optionsPermissionDenied', plan.request.join(t('commonListSeparator'))) });
          return;
        }
        const result = await saveSettings(values);
        if (!result.ok) {
          const localised = localiseErrors(result.errors, values);
          setErrors(localised);
          setStatus(invalidStatus(localised));
          return;
        }
        for (const origin of plan.remove) {
          await browser.permissions.remove({ origins: [originPattern(origin)] }).catch(() => false);
        }
        setSaved(result.settings);
        setValues(toValues(result.settings));
        setStatus({ kind: 'ok', text: t('optionsSaved') });
      } catch (error) {
        setStatus({ kind: 'error', text: t('optionsSaveFailed', error instanceof Error ? error.message : String(error)) });
      } finally {
        setBusy(null);
        await refreshGranted();
      }
    })();
  };

  /** The organisation's sites: one click grants them all (the browser asks the agent once). */
  const onAllowManaged = () => {
    if (busy || managedMissing.length === 0) return;
    const asked = askFor(managedMissing); // before any await: the user gesture
    void (async () => {
      if (!(await asked)) setStatus({ kind: 'error', text: t('optionsManagedOriginsDenied', managedMissing.join(t('commonListSeparator'))) });
      else setStatus({ kind: 'ok', text: t('optionsManagedOriginsAllowed') });
      await refreshGranted();
    })();
  };

  const onTest = () => {
    if (busy) return;
    const settings = check();
    if (!settings) return;
    const api = new URL(settings.apiBaseUrl).origin;
    const missing = isCovered(api, granted) ? [] : [api];
    const asked = askFor(missing); // before any await: the user gesture
    setBusy('testing');
    setStatus({ kind: 'info', text: t('optionsTesting') });
    void (async () => {
      try {
        if (!(await asked)) {
          setStatus({ kind: 'error', text: t('optionsPermissionDenied', api) });
          return;
        }
        const reply = await sendRequest({ type: 'testConnection', settings: values });
        if (!reply.ok) setStatus({ kind: 'error', text: t('optionsTestFailed', reply.error) });
        else if (!reply.report) setStatus({ kind: 'error', text: t('optionsTestFailed', '—') });
        else
          setStatus({
            kind: reply.report.ok ? 'ok' : 'error',
            text: t(reply.report.ok ? 'optionsTestOk' : 'optionsTestFailed', connectionText(reply.report, t)),
          });
      } finally {
        setBusy(null);
        if (missing.length) await refreshGranted();
      }
    })();
  };

  const input = (name: SettingsField, type: 'text' | 'password' | 'url', extra: Record<string, unknown> = {}) =>
    (describedBy: string | undefined, invalid: boolean, locked: boolean) => (
      <input
        id={name}
        name={name}
        type={type}
        value={values[name]}
        onInput={set(name)}
        readOnly={locked}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
        spellcheck={false}
        autoComplete="off"
        {...extra}
      />
    );

  const grantedLabels = granted.map(patternLabel);

  return (
    <main class="options">
      <header>
        <h1>{t('optionsTitle')}</h1>
        <p class="lead">{t('optionsIntro')}</p>
      </header>

      <form ref={form} onSubmit={onSubmit} noValidate aria-busy={saved === null ? 'true' : undefined}>
        {Object.keys(managed.values).length > 0 && (
          <aside class="note managed-note" role="note">
            {t('optionsManagedBanner')}
          </aside>
        )}
        {managedMissing.length > 0 && (
          <div class="callout managed-access" role="group" aria-labelledby="managed-access-text">
            <p id="managed-access-text">{t('optionsManagedOriginsMissing', managedMissing.join(t('commonListSeparator')))}</p>
            <button type="button" class="primary" onClick={onAllowManaged} disabled={busy !== null}>
              {t('optionsManagedOriginsAllow')}
            </button>
          </div>
        )}
        <fieldset>
          <legend>{t('optionsSectionApi')}</legend>
          <aside class="note">
            <strong>{t('optionsProxyNoteTitle')}</strong> {t('optionsProxyNote')}
          </aside>
          <Field name="clientId" hint={t('optionsClientIdHint')} error={errors.clientId} policy={policyOf('clientId')}>
            {input('clientId', 'text')}
          </Field>
          <Field name="clientSecret" hint={t('optionsClientSecretHint')} error={errors.clientSecret} policy={policyOf('clientSecret')}>
            {input('clientSecret', 'password', { autoComplete: 'new-password' })}
          </Field>
          <Field name="apiBaseUrl" hint={t('optionsApiBaseUrlHint', DEFAULT_API_BASE_URL)} error={errors.apiBaseUrl} policy={policyOf('apiBaseUrl')}>
            {input('apiBaseUrl', 'url', { placeholder: DEFAULT_API_BASE_URL })}
          </Field>
          <div class="test-row">
            <button type="button" onClick={onTest} disabled={busy !== null}>
              {busy === 'testing' ? t('optionsTesting') : t('optionsTestConnection')}
            </button>
            <span class="hint">{t('optionsTestNote')}</span>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('optionsSectionPortal')}</legend>
          <Field name="portalOrigins" hint={t('optionsPortalOriginsHint')} error={errors.portalOrigins} policy={policyOf('portalOrigins')}>
            {(describedBy, invalid, locked) => (
              <textarea
                id="portalOrigins"
                name="portalOrigins"
                rows={3}
                value={values.portalOrigins}
                onInput={set('portalOrigins')}
                readOnly={locked}
                aria-invalid={invalid ? 'true' : undefined}
                aria-describedby={describedBy ? `${describedBy} granted-origins` : 'granted-origins'}
                spellcheck={false}
                placeholder="https://portal.example.com"
              />
            )}
          </Field>
          <div id="granted-origins" class="granted">
            <span>{t('optionsGrantedOrigins')}</span>{' '}
            {grantedLabels.length === 0 ? (
              <span>{t('optionsGrantedNone')}</span>
            ) : (
              <ul>
                {grantedLabels.map((label) => (
                  <li key={label}>
                    <code>{label}</code>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('optionsSectionTiming')}</legend>
          <div class="timing">
            <Field name="firstCheckSeconds" hint={t('optionsFirstCheckSecondsHint')} error={errors.firstCheckSeconds} policy={policyOf('firstCheckSeconds')}>
              {input('firstCheckSeconds', 'text', { inputMode: 'numeric', class: 'short' })}
            </Field>
            <Field name="recheckSeconds" hint={t('optionsRecheckSecondsHint')} error={errors.recheckSeconds} policy={policyOf('recheckSeconds')}>
              {input('recheckSeconds', 'text', { inputMode: 'numeric', class: 'short' })}
            </Field>
            <Field name="deadlineMinutes" hint={t('optionsDeadlineMinutesHint')} error={errors.deadlineMinutes} policy={policyOf('deadlineMinutes')}>
              {input('deadlineMinutes', 'text', { inputMode: 'numeric', class: 'short' })}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('optionsSectionRecords')}</legend>
          <Field name="retentionDays" hint={t('optionsRetentionDaysHint')} error={errors.retentionDays} policy={policyOf('retentionDays')}>
            {input('retentionDays', 'text', { inputMode: 'numeric', class: 'short' })}
          </Field>
        </fieldset>

        <div class="submit-row">
          <button type="submit" class="primary" disabled={busy !== null}>
            {busy === 'saving' ? t('optionsSaving') : t('optionsSave')}
          </button>
          <p role="status" aria-live="polite" class={`status ${status ? `status-${status.kind}` : ''}`}>
            {status && (
              <>
                <span aria-hidden="true">{status.kind === 'ok' ? '✓ ' : status.kind === 'error' ? '⚠ ' : ''}</span>
                {status.text}
              </>
            )}
          </p>
        </div>
      </form>
    </main>
  );
}
