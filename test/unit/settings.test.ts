/** The settings in force as a whole: stored and validated, overridden field by field by a browser policy (storage.managed), and the background under a policy. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  DEFAULT_SETTINGS,
  INSECURE_URL_ERROR,
  loadClientId,
  loadSavedSettings,
  loadSettings,
  loadSettingsState,
  saveSettings,
  settingsItem,
  validateField,
  validateSettings,
} from '@/utils/shared/settings';
import { NO_MANAGED, parseManaged, policySeenItem, QUICK_READ_MS, readManaged, resetManagedReads, watchManaged } from '@/utils/shared/managed-settings';
import { loadSecret, saveSecret } from '@/utils/shared/logic/secret-store';
import { handleMessage } from '@/utils/background/handle-message';
import type { Tracker } from '@/utils/background/tracker';

beforeEach(() => {
  fakeBrowser.reset();
  resetManagedReads();
});

describe('settings', () => {
  it('has the contract defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      clientId: '',
      clientSecret: '',
      apiBaseUrl: 'https://sandbox.atriptech.com',
      portalOrigins: [],
      firstCheckSeconds: 480,
      recheckSeconds: 120,
      deadlineMinutes: 30,
      retentionDays: 30,
    });
  });

  it('trims values, drops a trailing slash, reads form strings', () => {
    const result = validateSettings({
      clientId: '  abc ',
      clientSecret: ' s ',
      apiBaseUrl: ' https://proxy.example.com/atrip/ ',
      portalOrigins: 'https://portal.example.com/some/path\n\n  http://127.0.0.1:8790 \nhttps://portal.example.com',
      firstCheckSeconds: ' 5 ',
      recheckSeconds: '2',
      deadlineMinutes: '1',
    });
    expect(result).toEqual({
      ok: true,
      settings: {
        clientId: 'abc',
        clientSecret: 's',
        apiBaseUrl: 'https://proxy.example.com/atrip',
        portalOrigins: ['https://portal.example.com', 'http://127.0.0.1:8790'],
        firstCheckSeconds: 5,
        recheckSeconds: 2,
        deadlineMinutes: 1,
        retentionDays: 30,
      },
    });
  });

  it('keeps finished orders retentionDays days: a whole number from 1, 30 by default', () => {
    expect(validateSettings({ retentionDays: ' 7 ' })).toMatchObject({ ok: true, settings: { retentionDays: 7 } });
    expect(validateSettings({ retentionDays: 365 })).toMatchObject({ ok: true, settings: { retentionDays: 365 } });
    for (const bad of ['0', '-3', '1.5', 'a month', '']) {
      const result = validateSettings({ retentionDays: bad });
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(Object.keys(result.issues), bad).toEqual(['retentionDays']);
    }
  });

  it('names each invalid field', () => {
    const result = validateSettings({
      apiBaseUrl: 'ftp://x',
      portalOrigins: 'not an origin',
      firstCheckSeconds: '0',
      recheckSeconds: '1.5',
      deadlineMinutes: 'soon',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.issues).sort()).toEqual(['apiBaseUrl', 'deadlineMinutes', 'firstCheckSeconds', 'portalOrigins', 'recheckSeconds']);
    expect(result.issues.portalOrigins?.message).toContain('not an origin');
  });

  it('takes an API base URL over https, or over http to this computer only (the secret never goes in clear)', () => {
    for (const url of ['https://proxy.example', 'http://127.0.0.1:8790', 'http://localhost:3000', 'http://api.localhost:8790', 'http://[::1]:8080']) {
      expect(validateField('apiBaseUrl', url)).toMatchObject({ ok: true });
    }
    for (const url of ['http://proxy.example', 'http://10.0.0.5', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example']) {
      expect(validateField('apiBaseUrl', url)).toEqual({ ok: false, error: INSECURE_URL_ERROR });
    }
  });

  it('saves only valid settings and loads them back', async () => {
    expect((await saveSettings({ recheckSeconds: '-1' })).ok).toBe(false);
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
    await saveSettings({ clientId: 'id', firstCheckSeconds: 3 });
    expect(await loadSettings()).toMatchObject({ clientId: 'id', firstCheckSeconds: 3, recheckSeconds: 120 });
  });

  it('a corrupt stored field falls back to its default, the rest is kept', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: 'kept', recheckSeconds: 'garbage' as unknown as number });
    expect(await loadSettings()).toMatchObject({ clientId: 'kept', recheckSeconds: 120 });
  });

  it('keeps the secret out of storage.local, which content scripts can read', async () => {
    await saveSettings({ clientId: 'id', clientSecret: ' s3cret ' });
    const local = await fakeBrowser.storage.local.get(null);
    expect(JSON.stringify(local)).not.toContain('s3cret');
    expect(await loadSecret()).toBe('s3cret');
    expect(await loadSettings()).toMatchObject({ clientId: 'id', clientSecret: 's3cret' });
    await saveSettings({ clientId: 'id', clientSecret: '' });
    expect(await loadSecret()).toBe('');
    expect((await loadSettings()).clientSecret).toBe('');
  });

  it('never takes a secret from storage.local', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: 'id', clientSecret: 'planted' });
    expect((await loadSettings()).clientSecret).toBe('');
  });
});


/** What an administrator's policy puts in `storage.managed` (fakeBrowser fires `onChanged` for area `managed`). */
const setPolicy = (values: Record<string, unknown>) => fakeBrowser.storage.managed.set(values);

describe('settings: browser policy (storage.managed)', () => {
  const agent = {
    ...DEFAULT_SETTINGS,
    clientId: 'agent-own',
    clientSecret: 'agent-secret',
    apiBaseUrl: 'https://proxy-of-agent.example.com',
    portalOrigins: ['https://agent-portal.example.com'],
    firstCheckSeconds: 300,
  };

  it('applies nothing without a policy', async () => {
    await saveSettings(agent);
    expect(await readManaged()).toEqual(NO_MANAGED);
    expect(await loadSettings()).toEqual(agent);
  });

  it('lets every managed value win over what the agent saved; the rest stays the agent’s', async () => {
    await saveSettings(agent);
    await setPolicy({
      clientId: 'org-client',
      clientSecret: 'org-secret',
      apiBaseUrl: 'https://atrip-proxy.corp.example/api/',
      portalOrigins: ['https://portal.corp.example/orders', 'http://127.0.0.1:8790'],
      recheckSeconds: 60,
      retentionDays: 7,
    });
    expect(await loadSettings()).toEqual({
      ...agent,
      clientId: 'org-client',
      clientSecret: 'org-secret',
      // Validated and normalised like the form's values.
      apiBaseUrl: 'https://atrip-proxy.corp.example/api',
      portalOrigins: ['https://portal.corp.example', 'http://127.0.0.1:8790'],
      recheckSeconds: 60,
      retentionDays: 7,
    });
    // The agent's own values are kept underneath: without the policy they apply again.
    expect(await loadSavedSettings()).toEqual(agent);
    expect(await loadClientId()).toBe('org-client');
    const state = await loadSettingsState();
    expect(Object.keys(state.managed.values).sort()).toEqual(
      ['apiBaseUrl', 'clientId', 'clientSecret', 'portalOrigins', 'recheckSeconds', 'retentionDays'].sort(),
    );
    expect(state.saved).toEqual(agent);
    await fakeBrowser.storage.managed.clear();
    expect(await loadSettings()).toEqual(agent);
  });

  it('ignores a bad managed value field by field, says so once on the console, and applies the others', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await saveSettings(agent);
    await setPolicy({
      clientId: 'org-client',
      apiBaseUrl: 'ftp://files.corp.example',
      portalOrigins: ['not an origin'],
      firstCheckSeconds: 0,
      deadlineMinutes: 'soon',
      somethingElse: true,
    });
    const settings = await loadSettings();
    expect(settings).toEqual({ ...agent, clientId: 'org-client' });
    const { invalid } = await readManaged();
    expect(Object.keys(invalid).sort()).toEqual(['apiBaseUrl', 'deadlineMinutes', 'firstCheckSeconds', 'portalOrigins']);
    const warnings = warn.mock.calls.map(([text]) => String(text));
    for (const field of ['apiBaseUrl', 'portalOrigins', 'firstCheckSeconds', 'deadlineMinutes']) {
      expect(warnings.filter((w) => w.includes(`policy's ${field} `)), field).toHaveLength(1);
    }
    expect(warnings.find((w) => w.includes('portalOrigins'))).toContain('Not an http(s) origin: not an origin');
    expect(warnings.join('\n')).not.toContain('somethingElse');
  });

  it('reads a policy without a schema (Firefox) as the form would: a number as text, origins one a line', () => {
    expect(parseManaged({ firstCheckSeconds: ' 5 ', portalOrigins: 'https://a.example.com\nhttps://b.example.com' })).toEqual({
      values: { firstCheckSeconds: 5, portalOrigins: ['https://a.example.com', 'https://b.example.com'] },
      invalid: {},
    });
    expect(parseManaged(null)).toEqual(NO_MANAGED);
    // An http proxy by policy is ignored on its own (the secret would go in clear), and said so.
    expect(parseManaged({ apiBaseUrl: 'http://proxy.agency.example', clientId: 'a' })).toEqual({
      values: { clientId: 'a' },
      invalid: { apiBaseUrl: INSECURE_URL_ERROR },
    });
    expect(parseManaged(['clientId'])).toEqual(NO_MANAGED);
    expect(parseManaged({ clientId: null })).toEqual(NO_MANAGED);
  });

  it('takes a failing storage.managed (Firefox without a policy) as no policy', async () => {
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    await saveSettings(agent);
    expect(await readManaged()).toEqual(NO_MANAGED);
    expect(await loadSettings()).toEqual(agent);
  });

  it('never stores a managed value when the agent saves: the agent’s own value is kept underneath', async () => {
    await saveSettings(agent);
    await setPolicy({ clientId: 'org-client', apiBaseUrl: 'https://atrip-proxy.corp.example', recheckSeconds: 60 });
    // The form sends what it shows: the managed values, and the agent's edit of another field.
    const result = await saveSettings({
      ...agent,
      clientId: 'org-client',
      apiBaseUrl: 'https://atrip-proxy.corp.example',
      recheckSeconds: 60,
      deadlineMinutes: 45,
    });
    expect(result).toEqual({
      ok: true,
      settings: { ...agent, clientId: 'org-client', apiBaseUrl: 'https://atrip-proxy.corp.example', recheckSeconds: 60, deadlineMinutes: 45 },
    });
    expect(await settingsItem.getValue()).toEqual({ ...agent, clientSecret: '', deadlineMinutes: 45 });
    // Even a crafted save of a managed field does not reach storage.
    await saveSettings({ ...agent, clientId: 'typed-anyway', recheckSeconds: 'garbage' });
    expect((await settingsItem.getValue()).clientId).toBe('agent-own');
    expect((await settingsItem.getValue()).recheckSeconds).toBe(120);
  });

  it('never writes a managed secret to IndexedDB, and leaves the agent’s own secret there untouched', async () => {
    await saveSecret('agent-secret');
    await setPolicy({ clientSecret: 'org-secret' });
    expect((await loadSettings()).clientSecret).toBe('org-secret');
    await saveSettings({ ...DEFAULT_SETTINGS, clientId: 'x', clientSecret: 'org-secret' });
    expect(await loadSecret()).toBe('agent-secret');
    await saveSettings({ ...DEFAULT_SETTINGS, clientId: 'x', clientSecret: '' });
    expect(await loadSecret()).toBe('agent-secret');
    const local = await fakeBrowser.storage.local.get(null);
    expect(JSON.stringify(local)).not.toContain('org-secret');
  });

  it('right after a browser start, waits for a slow policy read only where a policy was ever seen', async () => {
    await saveSettings(agent);
    resetManagedReads(); // a browser start
    // Chrome answers storage.managed.get() only once its policies are loaded, ~2 s after start.
    let answer: (values: Record<string, unknown>) => void = () => undefined;
    const get = vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(() => new Promise((resolve) => (answer = resolve)));

    // Never had a policy: a slow read counts as none, the agent's settings apply at once.
    let started = Date.now();
    expect(await loadSettings()).toEqual(agent);
    expect(Date.now() - started).toBeLessThan(QUICK_READ_MS + 1000);
    // The policy arrives: from now on it is awaited.
    answer({ clientId: 'org-client' });
    await vi.waitFor(async () => expect(await policySeenItem.getValue()).toBe(true));
    expect(get).toHaveBeenCalledTimes(1);

    resetManagedReads(); // the next browser start
    started = Date.now();
    const later = loadSettings();
    await new Promise((r) => setTimeout(r, QUICK_READ_MS * 3));
    answer({ clientId: 'org-client' });
    expect((await later).clientId).toBe('org-client');
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUICK_READ_MS * 3 - 20);

    // The options page always waits for the answer; a policy withdrawn is remembered too.
    resetManagedReads();
    const state = loadSettingsState();
    await new Promise((r) => setTimeout(r, QUICK_READ_MS * 2));
    answer({});
    expect((await state).managed).toEqual(NO_MANAGED);
    await vi.waitFor(async () => expect(await policySeenItem.getValue()).toBe(false));
  });

  it('tells watchers when the policy changes, and only then', async () => {
    const changed = vi.fn();
    const unwatch = watchManaged(changed);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, clientId: 'local change' });
    expect(changed).not.toHaveBeenCalled();
    await setPolicy({ clientId: 'org-client' });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(await loadClientId()).toBe('org-client');
    unwatch();
    await setPolicy({ clientId: 'again' });
    expect(changed).toHaveBeenCalledTimes(1);
  });
});

describe('settings: the background under a policy', () => {
  const tracker = {} as Tracker;
  const portalPage = (origin: string) => ({ id: fakeBrowser.runtime.id, url: `${origin}/#/order/list`, tab: { id: 1 } });

  it('answers "configured" and admits the policy’s portals, following the policy as it changes', async () => {
    vi.spyOn(fakeBrowser.permissions, 'getAll').mockImplementation(async () => ({ origins: [], permissions: [] }));
    const portal = 'https://portal.corp.example';
    expect(await handleMessage(tracker, { type: 'isConfigured' }, portalPage('https://www.atriptech.com'))).toEqual({ ok: true, configured: false });
    expect((await handleMessage(tracker, { type: 'isConfigured' }, portalPage(portal))).ok).toBe(false);

    await setPolicy({ clientId: 'org-client', portalOrigins: [portal] });
    expect(await handleMessage(tracker, { type: 'isConfigured' }, portalPage('https://www.atriptech.com'))).toEqual({ ok: true, configured: true });
    expect(await handleMessage(tracker, { type: 'isConfigured' }, portalPage(portal))).toEqual({ ok: true, configured: true });

    await fakeBrowser.storage.managed.clear();
    expect(await handleMessage(tracker, { type: 'isConfigured' }, portalPage('https://www.atriptech.com'))).toEqual({ ok: true, configured: false });
    expect((await handleMessage(tracker, { type: 'isConfigured' }, portalPage(portal))).ok).toBe(false);
  });
});
