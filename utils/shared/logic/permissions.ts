/**
 * Which host permissions a save must ask for or give back. Pure: the options page passes what Chrome
 * reports (`permissions.getAll()`, the manifest's required `host_permissions`).
 */

/**
 * Whether the browser's match patterns can name a port. Firefox's cannot (bugs 1362809, 1468162):
 * it grants `http://host:8080/*` yet never matches it, so no content script runs and no host
 * permission applies there. A pattern without a port covers every port of its host in both browsers.
 */
export const PATTERNS_HOLD_PORTS = !import.meta.env.FIREFOX;

/** The match pattern that grants one origin: `https://host[:port]/*` (no port where patterns cannot hold one). */
export function originPattern(origin: string, withPort = PATTERNS_HOLD_PORTS): string {
  if (withPort) return `${origin}/*`;
  try {
    const url = new URL(origin);
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return `${origin}/*`;
  }
}

/** `https://portal.example.com/*` → `https://portal.example.com`, for showing granted patterns. */
export const patternLabel = (pattern: string) => pattern.replace(/\/\*$/, '');

function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether a Chrome match pattern covers an origin. A pattern without a port covers every port of
 * its host; `*.example.com` covers the domain and its subdomains; `*` any host; `<all_urls>` all.
 */
export function patternCovers(pattern: string, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (pattern === '<all_urls>') return /^https?:$/.test(url.protocol);
  const match = /^(\*|https?):\/\/([^/]*)\//.exec(pattern);
  if (!match) return false;
  const [, scheme, hostPort = ''] = match;
  if (scheme === '*' ? !/^https?:$/.test(url.protocol) : url.protocol !== `${scheme}:`) return false;
  const portMatch = /^(.*?)(?::(\d+|\*))?$/.exec(hostPort);
  const host = portMatch?.[1] ?? '';
  const port = portMatch?.[2];
  if (port !== undefined && port !== '*') {
    const actual = url.port || (url.protocol === 'https:' ? '443' : '80');
    if (port !== actual) return false;
  }
  if (host === '*') return true;
  if (host.startsWith('*.')) {
    const domain = host.slice(2);
    return url.hostname === domain || url.hostname.endsWith(`.${domain}`);
  }
  return url.hostname === host;
}

export const isCovered = (origin: string, patterns: readonly string[]) => patterns.some((p) => patternCovers(p, origin));

/** Every origin the settings need access to: the portals and the API host (either may be absent). */
export function neededOrigins(settings: { apiBaseUrl?: string; portalOrigins?: readonly string[] }): string[] {
  const api = settings.apiBaseUrl === undefined ? null : originOf(settings.apiBaseUrl);
  return [...new Set([...(settings.portalOrigins ?? []), ...(api ? [api] : [])])];
}

export interface PermissionPlan {
  /** Origins to ask for now (not covered by anything granted). */
  request: string[];
  /** Origins the previous settings needed, the new ones do not, and the manifest does not require. */
  remove: string[];
}

/**
 * `managed`: origins the browser policy needs. A save neither asks for them (the agent did not
 * choose them: the options page offers them apart) nor gives them back.
 */
export function planPermissions(
  previous: { apiBaseUrl: string; portalOrigins: readonly string[] },
  next: { apiBaseUrl: string; portalOrigins: readonly string[] },
  granted: readonly string[],
  required: readonly string[],
  managed: readonly string[] = [],
  withPort = PATTERNS_HOLD_PORTS,
): PermissionPlan {
  const wanted = neededOrigins(next);
  const request = wanted.filter((origin) => !isCovered(origin, granted) && !managed.includes(origin));
  const remove = neededOrigins(previous).filter((origin) => {
    const pattern = originPattern(origin, withPort);
    return (
      !wanted.includes(origin) &&
      !managed.includes(origin) &&
      !isCovered(origin, required) &&
      granted.includes(pattern) &&
      // Without ports, one pattern may cover an origin still needed (same host, another port).
      !wanted.some((other) => patternCovers(pattern, other))
    );
  });
  return { request, remove };
}

/** Origins the browser policy needs that nothing granted covers: the agent must allow them once. */
export function missingOrigins(needed: readonly string[], granted: readonly string[]): string[] {
  return needed.filter((origin) => !isCovered(origin, granted));
}
