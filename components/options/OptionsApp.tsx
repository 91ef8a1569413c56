// One job, ~250 lines, most of it the form's markup (a field per setting): its state is use-settings-form.ts, its words field-text.ts, site access site-access.ts.
import { useRef, useState } from 'preact/hooks';
import { t } from '@/utils/shared/i18n';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_SETTINGS,
  SETTINGS_FIELDS,
  saveSettings,
  validateSettings,
  type Settings,
  type SettingsField,
  type SettingsIssue,
} from '@/utils/shared/settings';
import { testConnection, type Status } from '@/utils/options/test-connection';
import { Field, type FieldPolicy } from './Field';
import { fieldErrors, invalidText, type FieldErrors } from '@/utils/options/field-text';
import { toFormValues } from '@/utils/options/form-values';
import { GrantedOrigins } from './GrantedOrigins';
import { isCovered, missingOrigins, neededOrigins, planPermissions } from '@/utils/shared/logic/permissions';
import { askForOrigins, giveBackOrigins, useSiteAccess } from './site-access';
import { useSettingsForm } from './use-settings-form';

/** The options page: the settings form (contract field names), Test connection, granted sites. */
export function OptionsApp() {
  const { saved, setSaved, managed, managedNow, values, setValues } = useSettingsForm();
  const access = useSiteAccess();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const isLocked = (field: SettingsField) => field in managed.values;
  const policyOf = (field: SettingsField): FieldPolicy | undefined => {
    if (isLocked(field)) return { locked: true };
    const ignored = managed.invalid[field];
    return ignored === undefined ? undefined : { locked: false, ignored };
  };
  /** Origins the policy needs (its portals, its API host) that the browser has not granted yet. */
  const managedNeeded = neededOrigins(managed.values);
  const managedMissing = access.known ? missingOrigins(managedNeeded, access.granted) : [];

  const set = (field: SettingsField) => (event: Event) => {
    const target = event.currentTarget as HTMLInputElement | HTMLTextAreaElement;
    if (field in managedNow().values) {
      target.value = values[field]; // read-only already; a script's change does not count either
      return;
    }
    const value = target.value;
    setValues((current) => ({ ...current, [field]: value }));
  };

  /** Shows every field's error and the status naming them; moves focus to the first. */
  const showInvalid = (issues: Partial<Record<SettingsField, SettingsIssue>>) => {
    const shown = fieldErrors(issues);
    setErrors(shown);
    setStatus({ kind: 'error', text: invalidText(shown) });
    return shown;
  };

  /** Validates the form as it is now; on failure shows every error and moves focus to the first. */
  const check = (): Settings | null => {
    const result = validateSettings(values);
    if (result.ok) {
      setErrors({});
      return result.settings;
    }
    const shown = showInvalid(result.issues);
    const first = SETTINGS_FIELDS.find((f) => shown[f]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    return null;
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const settings = check();
    if (!settings) return;
    const plan = planPermissions(saved ?? DEFAULT_SETTINGS, settings, access.granted, access.required, managedNeeded);
    const asked = askForOrigins(plan.request); // before any await: the user gesture
    setBusy('saving');
    void (async () => {
      try {
        if (!(await asked)) {
          setStatus({ kind: 'error', text: t('optionsPermissionDenied', plan.request.join(t('commonListSeparator'))) });
          return;
        }
        const result = await saveSettings(values);
        if (!result.ok) {
          showInvalid(result.issues);
          return;
        }
        await giveBackOrigins(plan.remove);
        setSaved(result.settings);
        setValues(toFormValues(result.settings));
        setStatus({ kind: 'ok', text: t('optionsSaved') });
      } catch (error) {
        setStatus({ kind: 'error', text: t('optionsSaveFailed', error instanceof Error ? error.message : String(error)) });
      } finally {
        setBusy(null);
        await access.refresh();
      }
    })();
  };

  /** The organisation's sites: one click grants them all (the browser asks the agent once). */
  const onAllowManaged = () => {
    if (busy || managedMissing.length === 0) return;
    const asked = askForOrigins(managedMissing); // before any await: the user gesture
    void (async () => {
      if (!(await asked)) setStatus({ kind: 'error', text: t('optionsManagedOriginsDenied', managedMissing.join(t('commonListSeparator'))) });
      else setStatus({ kind: 'ok', text: t('optionsManagedOriginsAllowed') });
      await access.refresh();
    })();
  };

  const onTest = () => {
    if (busy) return;
    const settings = check();
    if (!settings) return;
    const api = new URL(settings.apiBaseUrl).origin;
    const missing = isCovered(api, access.granted) ? [] : [api];
    const asked = askForOrigins(missing); // before any await: the user gesture
    setBusy('testing');
    setStatus({ kind: 'info', text: t('optionsTesting') });
    void (async () => {
      try {
        if (!(await asked)) {
          setStatus({ kind: 'error', text: t('optionsPermissionDenied', api) });
          return;
        }
        setStatus(await testConnection(values));
      } finally {
        setBusy(null);
        if (missing.length) await access.refresh();
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
          <GrantedOrigins patterns={access.granted} />
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
