import { describe, expect, it } from 'vitest';
import { isCovered, missingOrigins, neededOrigins, originPattern, patternCovers, planPermissions } from '@/utils/shared/logic/permissions';

describe('patternCovers', () => {
  it.each([
    ['http://127.0.0.1/*', 'http://127.0.0.1:8790', true],
    ['http://127.0.0.1:8790/*', 'http://127.0.0.1:8790', true],
    ['http://127.0.0.1:8790/*', 'http://127.0.0.1:8791', false],
    ['https://www.atriptech.com/*', 'https://www.atriptech.com', true],
    ['https://www.atriptech.com/*', 'http://www.atriptech.com', false],
    ['*://www.atriptech.com/*', 'http://www.atriptech.com', true],
    ['https://*.example.com/*', 'https://a.b.example.com', true],
    ['https://*.example.com/*', 'https://example.com', true],
    ['https://*.example.com/*', 'https://badexample.com', false],
    ['https://*/*', 'https://anything.test', true],
    ['<all_urls>', 'https://anything.test', true],
    ['https://sandbox.atriptech.com/*', 'https://www.atriptech.com', false],
  ])('%s covers %s: %s', (pattern, origin, expected) => {
    expect(patternCovers(pattern, origin)).toBe(expected);
  });
});

describe('planPermissions', () => {
  const required = ['https://sandbox.atriptech.com/*', 'https://www.atriptech.com/*'];
  it('asks for what is not covered, gives back what is no longer needed, never what the manifest requires', () => {
    const plan = planPermissions(
      { apiBaseUrl: 'https://proxy.old.example/api', portalOrigins: ['https://a.example.com', 'https://www.atriptech.com'] },
      { apiBaseUrl: 'https://sandbox.atriptech.com', portalOrigins: ['https://b.example.com'] },
      [...required, 'https://a.example.com/*', 'https://proxy.old.example/*'],
      required,
    );
    expect(plan).toEqual({ request: ['https://b.example.com'], remove: ['https://a.example.com', 'https://proxy.old.example'] });
  });

  it('keeps an origin still needed by the other setting', () => {
    const plan = planPermissions(
      { apiBaseUrl: 'https://corp.example', portalOrigins: ['https://corp.example'] },
      { apiBaseUrl: 'https://sandbox.atriptech.com', portalOrigins: ['https://corp.example'] },
      [...required, 'https://corp.example/*'],
      required,
    );
    expect(plan).toEqual({ request: [], remove: [] });
  });

  it('neither asks for nor gives back what the browser policy needs', () => {
    const plan = planPermissions(
      { apiBaseUrl: 'https://proxy.corp.example', portalOrigins: ['https://a.example.com', 'https://portal.corp.example'] },
      { apiBaseUrl: 'https://proxy.corp.example', portalOrigins: ['https://portal.corp.example', 'https://b.example.com'] },
      [...required, 'https://a.example.com/*'],
      required,
      ['https://proxy.corp.example', 'https://portal.corp.example'],
    );
    expect(plan).toEqual({ request: ['https://b.example.com'], remove: ['https://a.example.com'] });
    expect(missingOrigins(['https://proxy.corp.example', 'https://www.atriptech.com'], required)).toEqual(['https://proxy.corp.example']);
    expect(neededOrigins({ portalOrigins: ['https://portal.corp.example'] })).toEqual(['https://portal.corp.example']);
    expect(neededOrigins({})).toEqual([]);
  });

  it('lists the API host beside the portals, once', () => {
    expect(neededOrigins({ apiBaseUrl: 'https://x.example/api', portalOrigins: ['https://x.example', 'https://y.example'] })).toEqual([
      'https://x.example',
      'https://y.example',
    ]);
    expect(isCovered('https://y.example', ['https://*.example/*'])).toBe(true);
    expect(isCovered('https://y.example', ['https://*.other.example/*'])).toBe(false);
  });
});

describe('patterns where they cannot hold a port (Firefox)', () => {
  it('asks for the host on every port, since Firefox never matches a pattern with a port', () => {
    expect(originPattern('http://portal.test:8790', false)).toBe('http://portal.test/*');
    expect(originPattern('https://portal.example.com', false)).toBe('https://portal.example.com/*');
    expect(originPattern('http://portal.test:8790', true)).toBe('http://portal.test:8790/*');
  });

  it('gives back a host pattern only when no origin still needed is on that host', () => {
    const required = ['https://sandbox.atriptech.com/*'];
    const granted = [...required, 'http://portal.test/*'];
    const previous = { apiBaseUrl: 'https://sandbox.atriptech.com', portalOrigins: ['http://portal.test:1', 'http://portal.test:2'] };
    expect(planPermissions(previous, { ...previous, portalOrigins: ['http://portal.test:2'] }, granted, required, [], false)).toEqual({
      request: [],
      remove: [],
    });
    expect(planPermissions(previous, { ...previous, portalOrigins: [] }, granted, required, [], false)).toEqual({
      request: [],
      remove: ['http://portal.test:1', 'http://portal.test:2'],
    });
  });
});
