// @vitest-environment happy-dom
/** The options page under a browser policy (`storage.managed`): locked fields, ignored values, live changes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, loadSettings, settingsItem, type Settings } from '@/utils/shared/settings';
import { loadSecret } from '@/utils/shared/logic/secret-store';
import { resetManagedReads } from '@/utils/shared/managed-settings';
import { backgroundSpy } from './fixtures';
import { access, description, field, fieldValues, permissions, renderLoaded, setUpOptionsPage, status, submit, type } from './options-page';

const agent: Settings = {
  ...DEFAULT_SETTINGS,
  clientId: 'agent-7',
  clientSecret: 'agent-secret',
  portalOrigins: ['https://old.example.com'],
  firstCheckSeconds: 300,
};
const POLICY = {
  clientId: 'org-client',
  clientSecret: 'org-secret',
  apiBaseUrl: 'https://atrip-proxy.corp.example/',
  portalOrigins: ['https://portal.corp.example'],
  recheckSeconds: 60,
  retentionDays: 7,
};

beforeEach(async () => {
  resetManagedReads();
  await setUpOptionsPage(agent);
});
afterEach(cleanup);

describe('options: fields set by the organisation', () => {
  it('shows the policy’s values read-only, with a note, under the contract names; the rest stays editable', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await renderLoaded('org-client');
    const locked = ['clientId', 'clientSecret', 'apiBaseUrl', 'portalOrigins', 'recheckSeconds', 'retentionDays'];
    for (const name of locked) {
      expect(field(name).readOnly, name).toBe(true);
      expect(field(name).closest('form')).toBe(document.querySelector('form'));
      expect(description(name), name).toContain('Set by your organisation (browser policy).');
    }
    for (const name of ['firstCheckSeconds', 'deadlineMinutes']) {
      expect(field(name).readOnly, name).toBe(false);
      expect(description(name), name).not.toContain('organisation');
    }
    expect(field('clientSecret').type).toBe('password');
    expect(fieldValues()).toEqual({
      clientId: 'org-client', clientSecret: 'org-secret', apiBaseUrl: 'https://atrip-proxy.corp.example', portalOrigins: 'https://portal.corp.example',
      firstCheckSeconds: '300', recheckSeconds: '60', deadlineMinutes: '30', retentionDays: '7',
    });
    expect(screen.getByRole('note').textContent).toContain('Your organisation sets some of these settings by browser policy');
  });

  it('does not take typing into a locked field', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await renderLoaded('org-client');
    type('clientId', 'typed');
    expect(field('clientId').value).toBe('org-client');
  });

  it('saves the agent’s own fields, never a managed value, never the managed secret', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await renderLoaded('org-client');
    type('firstCheckSeconds', '200');
    type('deadlineMinutes', '45');
    submit();
    await waitFor(() => expect(status().textContent).toContain('Settings saved.'));
    expect(await settingsItem.getValue()).toEqual({ ...agent, clientSecret: '', firstCheckSeconds: 200, deadlineMinutes: 45 });
    expect(await loadSecret()).toBe('agent-secret');
    // The form still shows what is in force.
    expect(field('clientId').value).toBe('org-client');
    expect(field('firstCheckSeconds').value).toBe('200');
    // The policy's sites are not the agent's choice: a save neither asks for them nor gives them back;
    // nor the agent's own (saved underneath the policy's, in force again without it).
    expect(permissions.request).not.toHaveBeenCalled();
    expect(permissions.remove).not.toHaveBeenCalled();
  });

  it('says which policy value is ignored and why, and leaves that field to the agent', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await fakeBrowser.storage.managed.set({ clientId: 'org-client', portalOrigins: ['ftp://files.corp.example'], deadlineMinutes: 0 });
    await renderLoaded('org-client');
    expect(field('clientId').readOnly).toBe(true);
    for (const name of ['portalOrigins', 'deadlineMinutes']) {
      expect(field(name).readOnly, name).toBe(false);
      expect(description(name), name).toContain('Your organisation’s value for this field is not valid and is ignored');
    }
    expect(description('portalOrigins')).toContain('Not an http(s) origin: ftp://files.corp.example');
    expect(field('portalOrigins').value).toBe('https://old.example.com');
    expect(field('deadlineMinutes').value).toBe('30');
    expect(warn.mock.calls.map(([text]) => String(text)).join('\n')).toContain("policy's portalOrigins");
  });

  it('follows a policy pushed while the page is open, keeping the agent’s unsaved edits elsewhere', async () => {
    await renderLoaded('agent-7');
    type('deadlineMinutes', '40');
    await act(() => fakeBrowser.storage.managed.set({ clientId: 'org-client', firstCheckSeconds: 600 }));
    await waitFor(() => expect(field('clientId').value).toBe('org-client'));
    expect(field('clientId').readOnly).toBe(true);
    expect(field('firstCheckSeconds').value).toBe('600');
    expect(field('firstCheckSeconds').readOnly).toBe(true);
    expect(field('deadlineMinutes').value).toBe('40');
    // The policy goes away: the fields are the agent's again, with what the agent saved.
    await act(() => fakeBrowser.storage.managed.clear());
    await waitFor(() => expect(field('clientId').readOnly).toBe(false));
    expect(field('clientId').value).toBe('agent-7');
    expect(field('firstCheckSeconds').value).toBe('300');
    expect(field('deadlineMinutes').value).toBe('40');
    expect(document.querySelector('.managed-note')).toBeNull();
  });

  it('offers access to the policy’s sites the browser has not granted, asked within the click', async () => {
    await fakeBrowser.storage.managed.set(POLICY);
    await renderLoaded('org-client');
    const callout = await screen.findByText(/Your organisation set sites this extension cannot reach yet/);
    expect(callout.textContent).toContain('https://portal.corp.example');
    expect(callout.textContent).toContain('https://atrip-proxy.corp.example');
    fireEvent.click(screen.getByRole('button', { name: 'Allow access' }));
    // Synchronously within the click (the user gesture).
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://portal.corp.example/*', 'https://atrip-proxy.corp.example/*'] });
    await waitFor(() => expect(status().textContent).toContain('Access allowed.'));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Allow access' })).toBeNull());
  });

  it('says so when the agent does not allow the policy’s sites', async () => {
    access.allow = false;
    await fakeBrowser.storage.managed.set({ portalOrigins: ['https://portal.corp.example'] });
    await renderLoaded('agent-7');
    fireEvent.click(await screen.findByRole('button', { name: 'Allow access' }));
    await waitFor(() => expect(status().textContent).toContain('Access to https://portal.corp.example was not allowed.'));
    expect(screen.getByRole('button', { name: 'Allow access' })).toBeTruthy();
  });

  it('tests the connection with the values in force, managed ones included', async () => {
    const sent = backgroundSpy({ ok: true, report: { ok: true, verdict: 'accepted', status: 0 } });
    access.granted.push('https://atrip-proxy.corp.example/*');
    await fakeBrowser.storage.managed.set(POLICY);
    await renderLoaded('org-client');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(status().textContent).toContain('Connection works: ATRIP reachable, credentials accepted (status 0)'));
    expect(sent).toEqual([
      {
        type: 'testConnection',
        settings: expect.objectContaining({ clientId: 'org-client', clientSecret: 'org-secret', apiBaseUrl: 'https://atrip-proxy.corp.example' }),
      },
    ]);
    expect(await loadSettings()).toMatchObject({ clientId: 'org-client', firstCheckSeconds: 300 });
  });
});
