import { browser } from 'wxt/browser';
import { isCovered } from '@/utils/shared/logic/permissions';

/**
 * Whether the extension may call the API at this origin now: a host permission covers it (the
 * manifest's, one the agent granted, or "all sites"). The agent can withdraw one at any time
 * (Chrome's site access, Firefox's about:addons); a call without it would fail as a blind
 * "network error", so the tracker asks first (utils/background/logic/atrip-client.ts, `canReach`).
 */
export async function hasApiAccess(origin: string): Promise<boolean> {
  return isCovered(origin, (await browser.permissions.getAll()).origins ?? []);
}
