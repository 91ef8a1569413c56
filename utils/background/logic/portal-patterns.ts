/**
 * Which granted origins get the in-page control registered at run time (pure, for tests).
 * The manifest's content script covers the built-in portal; every other single origin the agent
 * granted (options page, "Enable on this site") gets a registered copy of it.
 */
import { patternCovers } from '@/utils/shared/logic/permissions';

/** Ids of the scripts this module registers: the prefix, then the match pattern. */
export const PORTAL_SCRIPT_PREFIX = 'portal:';
/** Ids that webext-dynamic-content-scripts (used before) registered: ours to clean up. */
const LEGACY_PREFIX = 'webext-dynamic-content-script-';

export const portalScriptId = (pattern: string) => `${PORTAL_SCRIPT_PREFIX}${pattern}`;

/** The origin a single-host pattern grants (`http://host[:port]`), or null for wildcard hosts. */
function originOfPattern(pattern: string): string | null {
  const match = /^(https?):\/\/([^/*]+)\/.*$/.exec(pattern);
  return match ? `${match[1]}://${match[2]}` : null;
}

/**
 * Granted patterns that name one host (never `https://*\/*` or `<all_urls>`) and that neither the
 * manifest's content scripts nor its required host permissions already cover.
 */
export function portalPatterns(granted: readonly string[], manifestPatterns: readonly string[]): string[] {
  return [
    ...new Set(
      granted.filter((pattern) => {
        const origin = originOfPattern(pattern);
        return origin !== null && !manifestPatterns.some((covering) => patternCovers(covering, origin));
      }),
    ),
  ];
}

export interface RegistrationPlan {
  /** Patterns to register a script for. */
  register: string[];
  /** Ids of registered scripts that no granted origin wants any more. */
  unregister: string[];
}

/** What to change so that exactly the wanted patterns have one registered script each. */
export function planRegistrations(wanted: readonly string[], registered: readonly { id: string }[]): RegistrationPlan {
  const ours = registered.map((s) => s.id).filter((id) => id.startsWith(PORTAL_SCRIPT_PREFIX) || id.startsWith(LEGACY_PREFIX));
  const wantedIds = new Set(wanted.map(portalScriptId));
  return {
    register: wanted.filter((pattern) => !ours.includes(portalScriptId(pattern))),
    unregister: ours.filter((id) => !wantedIds.has(id)),
  };
}
