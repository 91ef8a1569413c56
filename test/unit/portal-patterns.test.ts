import { describe, expect, it } from 'vitest';
import { planRegistrations, portalPatterns, portalScriptId } from '@/utils/background/logic/portal-patterns';

const MANIFEST = ['https://sandbox.atriptech.com/*', 'https://www.atriptech.com/*', 'http://127.0.0.1/*', 'http://localhost/*'];

describe('portalPatterns', () => {
  it('keeps single origins the manifest does not already serve', () => {
    expect(
      portalPatterns(
        [...MANIFEST, 'https://portal.example.com/*', 'http://portal.test/*', 'http://portal.test:8790/*', 'http://127.0.0.1:8790/*'],
        MANIFEST,
      ),
    ).toEqual(['https://portal.example.com/*', 'http://portal.test/*', 'http://portal.test:8790/*']);
  });

  it('never registers on wildcard hosts or every URL, and lists a pattern once', () => {
    expect(portalPatterns(['https://*/*', 'http://*/*', '<all_urls>', 'https://*.example.com/*', 'https://a.example/*', 'https://a.example/*'], [])).toEqual([
      'https://a.example/*',
    ]);
  });
});

describe('planRegistrations', () => {
  it('registers what is missing and unregisters what is no longer granted, leaving others’ scripts alone', () => {
    const plan = planRegistrations(
      ['https://a.example/*', 'https://b.example/*'],
      [{ id: portalScriptId('https://a.example/*') }, { id: portalScriptId('https://gone.example/*') }, { id: 'someone-else' }],
    );
    expect(plan).toEqual({ register: ['https://b.example/*'], unregister: [portalScriptId('https://gone.example/*')] });
  });

  it('replaces the registrations webext-dynamic-content-scripts left behind', () => {
    const legacy = 'webext-dynamic-content-script-{"js":["/content-scripts/content.js"],"matches":["https://a.example/*"]}';
    expect(planRegistrations(['https://a.example/*'], [{ id: legacy }])).toEqual({ register: ['https://a.example/*'], unregister: [legacy] });
  });

  it('changes nothing when every granted origin has its script', () => {
    expect(planRegistrations(['https://a.example/*'], [{ id: portalScriptId('https://a.example/*') }])).toEqual({ register: [], unregister: [] });
  });
});
