/** The options form's state: the settings saved and in force, the policy, and the values being edited. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, loadSettingsState, type Settings } from '@/utils/shared/settings';
import { NO_MANAGED, watchManaged, type ManagedSettings } from '@/utils/shared/managed-settings';
import { followPolicy, toFormValues, type FormValues } from '@/utils/options/form-values';

export interface SettingsForm {
  /** In force after the last load or save; null until loaded. */
  saved: Settings | null;
  setSaved(settings: Settings): void;
  managed: ManagedSettings;
  /** The policy as it is now, for event handlers that run between renders. */
  managedNow(): ManagedSettings;
  values: FormValues;
  setValues(update: FormValues | ((current: FormValues) => FormValues)): void;
}

/** Loads the settings into the form, and follows a policy pushed while the page is open (keeping the agent's edits). */
export function useSettingsForm(): SettingsForm {
  const [saved, setSaved] = useState<Settings | null>(null);
  const [managed, setManaged] = useState<ManagedSettings>(NO_MANAGED);
  const managedRef = useRef(managed);
  managedRef.current = managed;
  const [values, setValues] = useState<FormValues>(() => toFormValues(DEFAULT_SETTINGS));

  useEffect(() => {
    let alive = true;
    void loadSettingsState().then((state) => {
      if (!alive) return;
      setSaved(state.settings);
      setManaged(state.managed);
      setValues(toFormValues(state.settings));
    });
    const unwatch = watchManaged(() => {
      void loadSettingsState().then((state) => {
        if (!alive) return;
        const before = managedRef.current;
        setSaved(state.settings);
        setManaged(state.managed);
        setValues((current) => followPolicy(current, before, state.managed, state.settings));
      });
    });
    return () => {
      alive = false;
      unwatch();
    };
  }, []);

  return { saved, setSaved, managed, managedNow: () => managedRef.current, values, setValues };
}
