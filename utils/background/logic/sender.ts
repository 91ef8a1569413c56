import { patternCovers } from '@/utils/shared/logic/permissions';

/** Where a message came from, decided from `runtime.MessageSender` alone (pure, for tests). */
export type SenderKind = 'extension-page' | 'content-script' | 'foreign';

export interface SenderInfo {
  id?: string;
  url?: string;
  origin?: string;
  tab?: unknown;
}

export function classifySender(sender: SenderInfo, extensionId: string, extensionBaseUrl: string, portalOrigins: readonly string[]): SenderKind {
  if (sender.id !== extensionId || !sender.url) return 'foreign';
  if (sender.url.startsWith(extensionBaseUrl)) return 'extension-page';
  let origin: string;
  try {
    origin = new URL(sender.url).origin;
  } catch {
    return 'foreign';
  }
  return sender.tab && /^https?:/.test(origin) && portalOrigins.includes(origin) ? 'content-script' : 'foreign';
}

/** Origins whose pages may ask for a stop: the built-in portal, loopback in the e2e build, and the agent's own. */
export function portalOriginsFor(extra: readonly string[], mode: string, senderUrl?: string): string[] {
  const origins = ['https://www.atriptech.com', ...extra];
  if (mode === 'e2e' && senderUrl) {
    try {
      const { origin, hostname } = new URL(senderUrl);
      if (origin.startsWith('http://') && (hostname === '127.0.0.1' || hostname === 'localhost')) origins.push(origin);
    } catch {
      // not a URL: not a portal
    }
  }
  return origins;
}

/**
 * Granted host patterns that make portals (pure). Every single-host grant is one (the options
 * page's portals, "Enable on this site"), except a grant that serves the API: the company proxy or
 * the sandbox host is no portal unless the agent listed it as one too. Wildcard hosts ("all sites")
 * never are (see `originsOfPatterns`, `portalPatterns`).
 */
export function portalGrants(granted: readonly string[], settings: { apiBaseUrl: string; portalOrigins: readonly string[] }): string[] {
  let api: string | null;
  try {
    api = new URL(settings.apiBaseUrl).origin;
  } catch {
    api = null;
  }
  return granted.filter(
    (pattern) => api === null || !patternCovers(pattern, api) || settings.portalOrigins.some((portal) => patternCovers(pattern, portal)),
  );
}

/** The single origins among match patterns (`https://portal.example.com/*`); wildcard hosts are none. */
export function originsOfPatterns(patterns: readonly string[]): string[] {
  const origins: string[] = [];
  for (const pattern of patterns) {
    const match = /^(https?):\/\/([^/*]+)\/.*$/.exec(pattern);
    if (match) origins.push(`${match[1]}://${match[2]}`);
  }
  return origins;
}
