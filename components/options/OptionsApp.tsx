import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '@/utils/i18n';
import { sendRequest } from '@/utils/messages';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_SETTINGS,
  loadSettings,
  saveSettings,
  validateSettings,
  type Settings,
  type SettingsField,
} from '@/utils/settings';
import { isCovered, originPattern, patternLabel, planPermissions } from './permissions';

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
  };
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
        out[field] = t('optionsErrorUrl');
        break;
      case 'portalOrigins':
        out[field] = t('optionsErrorOrigin', badOriginLine(values.portalOrigins));
        break;
      case 'firstCheckSeconds':
      case 'recheckSeconds':
      case 'deadlineMinutes':
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

interface FieldProps {
  name: SettingsField;
  hint?: ComponentChildren;
  error?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

function Field({ name, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={name}>{fieldLabel(name)}</label>
      {children(describedBy, !!error)}
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
  const [values, setValues] = useState<FormValues>(() => toValues(DEFAULT_SETTINGS));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [granted, setGranted] = useState<string[]>([]);
  const [required, setRequired] = useState<string[]>([]);
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const refreshGranted = async () => {
    try {
      setGranted((await browser.permissions.getAll()).origins ?? []);
    } catch {
      setGranted([]);
    }
  };

  useEffect(() => {
    void loadSettings().then((settings) => {
      setSaved(settings);
      setValues(toValues(settings));
    });
    void refreshGranted();
    try {
      setRequired(browser.runtime.getManifest().host_permissions ?? []);
    } catch {
      setRequired([]);
    }
  }, []);

  const set = (field: SettingsField) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
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
    const plan = planPermissions(saved ?? DEFAULT_SETTINGS, settings, granted, required);
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
            text: t(reply.report.ok ? 'optionsTestOk' : 'optionsTestFailed', reply.report.summary),
          });
      } finally {
        setBusy(null);
        if (missing.length) await refreshGranted();
      }
    })();
  };

  const input = (name: SettingsField, type: 'text' | 'password' | 'url', extra: Record<string, unknown> = {}) =>
    (describedBy: string | undefined, invalid: boolean) => (
      <input
        id={name}
        name={name}
        type={type}
        value={values[name]}
        onInput={set(name)}
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
        <fieldset>
          <legend>{t('optionsSectionApi')}</legend>
          <aside class="note">
            <strong>{t('optionsProxyNoteTitle')}</strong> {t('optionsProxyNote')}
          </aside>
          <Field name="clientId" hint={t('optionsClientIdHint')} error={errors.clientId}>
            {input('clientId', 'text')}
          </Field>
          <Field name="clientSecret" hint={t('optionsClientSecretHint')} error={errors.clientSecret}>
            {input('clientSecret', 'password', { autoComplete: 'new-password' })}
          </Field>
          <Field name="apiBaseUrl" hint={t('optionsApiBaseUrlHint', DEFAULT_API_BASE_URL)} error={errors.apiBaseUrl}>
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
          <Field name="portalOrigins" hint={t('optionsPortalOriginsHint')} error={errors.portalOrigins}>
            {(describedBy, invalid) => (
              <textarea
                id="portalOrigins"
                name="portalOrigins"
                rows={3}
                value={values.portalOrigins}
                onInput={set('portalOrigins')}
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
            <Field name="firstCheckSeconds" hint={t('optionsFirstCheckSecondsHint')} error={errors.firstCheckSeconds}>
              {input('firstCheckSeconds', 'text', { inputMode: 'numeric', class: 'short' })}
            </Field>
            <Field name="recheckSeconds" hint={t('optionsRecheckSecondsHint')} error={errors.recheckSeconds}>
              {input('recheckSeconds', 'text', { inputMode: 'numeric', class: 'short' })}
            </Field>
            <Field name="deadlineMinutes" hint={t('optionsDeadlineMinutesHint')} error={errors.deadlineMinutes}>
              {input('deadlineMinutes', 'text', { inputMode: 'numeric', class: 'short' })}
            </Field>
          </div>
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
