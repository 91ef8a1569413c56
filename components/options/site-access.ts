/** The browser side of the options page's host permissions: what is granted, asking, giving back. */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { originPattern } from '@/utils/shared/logic/permissions';

/**
 * Asks for the origins not granted yet. Call it synchronously from the click or submit handler:
 * Chrome and Firefox honour `permissions.request` only within the user gesture, i.e. before any `await`.
 */
export const askForOrigins = (origins: readonly string[]): Promise<boolean> =>
  origins.length === 0
    ? Promise.resolve(true)
    : browser.permissions.request({ origins: [...new Set(origins.map((origin) => originPattern(origin)))] }).then(
        (allowed) => allowed,
        () => false,
      );

/** Gives back origins the settings no longer need (a failure leaves the grant: nothing to tell). */
export async function giveBackOrigins(origins: readonly string[]): Promise<void> {
  for (const origin of origins) await browser.permissions.remove({ origins: [originPattern(origin)] }).catch(() => false);
}

export interface SiteAccess {
  /** The host permissions granted now (optional and required ones). */
  granted: string[];
  /** Whether `granted` has been read at least once. */
  known: boolean;
  /** The manifest's required host permissions. */
  required: string[];
  refresh(): Promise<void>;
}

/** The granted host permissions, read at mount and on `refresh()`. */
export function useSiteAccess(): SiteAccess {
  const [granted, setGranted] = useState<string[]>([]);
  const [known, setKnown] = useState(false);
  const [required] = useState<string[]>(() => {
    try {
      return browser.runtime.getManifest().host_permissions ?? [];
    } catch {
      return [];
    }
  });
  const refresh = async () => {
    try {
      setGranted((await browser.permissions.getAll()).origins ?? []);
    } catch {
      setGranted([]);
    }
    setKnown(true);
  };
  useEffect(() => void refresh(), []);
  return { granted, known, required, refresh };
}
