import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, settingsItem, validateSettings } from '@/utils/settings';
import { loadSecret } from '@/utils/secret-store';

beforeEach(() => fakeBrowser.reset());

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
      },
    });
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
    expect(Object.keys(result.errors).sort()).toEqual(['apiBaseUrl', 'deadlineMinutes', 'firstCheckSeconds', 'portalOrigins', 'recheckSeconds']);
    expect(result.errors.portalOrigins).toContain('not an origin');
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

