// @vitest-environment happy-dom
/** The options page: its form (contract names, labels, validation, save), host permissions asked and given back, the connection test. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type Settings } from '@/utils/shared/settings';
import { backgroundSpy } from './fixtures';
import { access, field, fieldValues, permissions, renderLoaded, setUpOptionsPage, status, submit, type } from './options-page';

const stored: Settings = {
  ...DEFAULT_SETTINGS,
  clientId: 'agent-7',
  clientSecret: 's3cret',
  portalOrigins: ['https://old.example.com'],
  firstCheckSeconds: 300,
};

beforeEach(async () => {
  await setUpOptionsPage(stored);
});
afterEach(cleanup);

describe('options: the form', () => {
  it('has every contract field with a label, and loads the current values', async () => {
    await renderLoaded(stored.clientId);
    const labels: Record<string, string> = {
      clientId: 'Client ID',
      clientSecret: 'Client secret',
      apiBaseUrl: 'API base URL',
      portalOrigins: 'Extra portal origins',
      firstCheckSeconds: 'First check after (seconds)',
      recheckSeconds: 'Check again every (seconds)',
      deadlineMinutes: 'Give up after (minutes)',
      retentionDays: 'Keep finished orders for (days)',
    };
    for (const [name, label] of Object.entries(labels)) {
      const input = screen.getByLabelText(label) as HTMLInputElement;
      expect(input.getAttribute('name')).toBe(name);
      expect(input.closest('form')).toBe(document.querySelector('form'));
    }
    expect(field('clientSecret').type).toBe('password');
    expect(field('portalOrigins').tagName).toBe('TEXTAREA');
    expect(fieldValues()).toEqual({
      clientId: 'agent-7', clientSecret: 's3cret', apiBaseUrl: 'https://sandbox.atriptech.com', portalOrigins: 'https://old.example.com',
      firstCheckSeconds: '300', recheckSeconds: '120', deadlineMinutes: '30', retentionDays: '30',
    });
    // Nothing is set by policy here: every field is editable, no policy note.
    for (const name of Object.keys(labels)) expect(field(name).readOnly, name).toBe(false);
    expect(document.querySelector('.policy, .managed-note')).toBeNull();
    // Saving is the form's submit button.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save' }).type).toBe('submit');
  });

  it('says what ATRIP advises about credentials, proxies and the sandbox', async () => {
    await renderLoaded(stored.clientId);
    const note = document.querySelector('.note')!.textContent!;
    expect(note).toContain('whitelisted IP addresses only');
    expect(note).toContain('company’s proxy');
    expect(note).toContain('leave the client secret empty');
    expect(note).toContain('The sandbox (https://sandbox.atriptech.com) takes direct calls');
  });

  it('lists the sites granted today', async () => {
    await renderLoaded(stored.clientId);
    await waitFor(() => expect(document.getElementById('granted-origins')!.textContent).toContain('https://old.example.com'));
    expect(document.getElementById('granted-origins')!.textContent).toContain('https://www.atriptech.com');
  });

  it('saves valid values, trimmed and normalised, and says so', async () => {
    await renderLoaded(stored.clientId);
    type('clientId', '  agent-8 ');
    type('apiBaseUrl', 'https://sandbox.atriptech.com/ ');
    type('recheckSeconds', ' 5 ');
    submit();
    await waitFor(() => expect(status().textContent).toContain('Settings saved.'));
    expect(await loadSettings()).toEqual({
      ...stored,
      clientId: 'agent-8',
      apiBaseUrl: 'https://sandbox.atriptech.com',
      recheckSeconds: 5,
    });
    expect(field('clientId').value).toBe('agent-8');
    expect(permissions.request).not.toHaveBeenCalled();
  });

  it('names each invalid field in the status and beside the field, and saves nothing', async () => {
    await renderLoaded(stored.clientId);
    type('clientId', 'changed');
    type('apiBaseUrl', 'ftp://nope');
    type('portalOrigins', 'https://ok.example.com\nnot a url');
    type('firstCheckSeconds', '0');
    type('deadlineMinutes', '2.5');
    type('retentionDays', '0');
    submit();
    await waitFor(() => expect(status().textContent).toContain('Not saved.'));
    const text = status().textContent!;
    for (const label of ['API base URL', 'Extra portal origins', 'First check after (seconds)', 'Give up after (minutes)', 'Keep finished orders for (days)']) {
      expect(text).toContain(label);
    }
    expect(text).not.toContain('Client ID');
    expect(text).not.toContain('Check again every');

    const errorOf = (name: string) => {
      const input = field(name);
      expect(input.getAttribute('aria-invalid'), name).toBe('true');
      const ids = input.getAttribute('aria-describedby')!.split(' ');
      return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' | ');
    };
    expect(errorOf('apiBaseUrl')).toContain('Enter an http(s) URL');
    expect(errorOf('portalOrigins')).toContain('Not an http(s) origin: not a url');
    expect(errorOf('firstCheckSeconds')).toContain('Enter a whole number, 1 or more.');
    expect(errorOf('deadlineMinutes')).toContain('Enter a whole number, 1 or more.');
    expect(errorOf('retentionDays')).toContain('Enter a whole number, 1 or more.');
    expect(field('clientId').getAttribute('aria-invalid')).toBeNull();
    expect(field('recheckSeconds').getAttribute('aria-invalid')).toBeNull();
    // Focus goes to the first field to fix.
    expect(document.activeElement).toBe(field('apiBaseUrl'));
    expect(await loadSettings()).toEqual(stored);
    expect(permissions.request).not.toHaveBeenCalled();

    // Fixed: the errors go away and it saves.
    type('apiBaseUrl', 'https://sandbox.atriptech.com');
    type('portalOrigins', 'https://old.example.com');
    type('firstCheckSeconds', '3');
    type('deadlineMinutes', '2');
    type('retentionDays', '14');
    submit();
    await waitFor(() => expect(status().textContent).toContain('Settings saved.'));
    expect(field('apiBaseUrl').getAttribute('aria-invalid')).toBeNull();
    expect(document.querySelectorAll('.field-error')).toHaveLength(0);
    expect((await loadSettings()).retentionDays).toBe(14);
  });
});

describe('options: host permissions', () => {
  it('asks for added origins inside the submit handler, before any await, then gives back removed ones', async () => {
    await renderLoaded(stored.clientId);
    type('portalOrigins', 'https://new.example.com/orders\nhttp://127.0.0.1:8790');
    submit();
    // Synchronously within the click (the user gesture): nothing awaited yet.
    expect(permissions.request).toHaveBeenCalledTimes(1);
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://new.example.com/*', 'http://127.0.0.1:8790/*'] });
    await waitFor(() => expect(status().textContent).toContain('Settings saved.'));
    expect((await loadSettings()).portalOrigins).toEqual(['https://new.example.com', 'http://127.0.0.1:8790']);
    expect(permissions.remove).toHaveBeenCalledWith({ origins: ['https://old.example.com/*'] });
    await waitFor(() => expect(document.getElementById('granted-origins')!.textContent).toContain('https://new.example.com'));
  });

  it('asks for a company proxy given as API base URL', async () => {
    await renderLoaded(stored.clientId);
    type('apiBaseUrl', 'https://atrip-proxy.corp.example/api/');
    type('clientSecret', '');
    submit();
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://atrip-proxy.corp.example/*'] });
    await waitFor(() => expect(status().textContent).toContain('Settings saved.'));
    expect(await loadSettings()).toMatchObject({ apiBaseUrl: 'https://atrip-proxy.corp.example/api', clientSecret: '' });
  });

  it('keeps the values and says so when the browser does not allow an origin; saves nothing', async () => {
    access.allow = false;
    await renderLoaded(stored.clientId);
    type('clientId', 'agent-9');
    type('portalOrigins', 'https://old.example.com\nhttps://denied.example.com');
    submit();
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://denied.example.com/*'] });
    await waitFor(() => expect(status().textContent).toContain('Not saved: access to https://denied.example.com was not allowed'));
    expect(field('portalOrigins').value).toBe('https://old.example.com\nhttps://denied.example.com');
    expect(field('clientId').value).toBe('agent-9');
    expect(await loadSettings()).toEqual(stored);
    expect(permissions.remove).not.toHaveBeenCalled();
  });

  it('never gives back a permission the manifest requires', async () => {
    await saveSettings({ ...stored, portalOrigins: ['https://www.atriptech.com'] });
    await renderLoaded(stored.clientId);
    type('portalOrigins', '');
    submit();
    await waitFor(() => expect(status().textContent).toContain('Settings saved.'));
    expect(permissions.remove).not.toHaveBeenCalled();
  });
});

describe('options: test connection', () => {
  it('sends the current form values, shows ATRIP’s answer in words, and saves nothing', async () => {
    const sent = backgroundSpy({
      ok: true,
      report: { ok: true, verdict: 'accepted', status: 800, msg: 'Order does not exist' },
    });
    await renderLoaded(stored.clientId);
    type('clientId', 'draft-id');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() =>
      expect(status().textContent).toContain('Connection works: ATRIP reachable, credentials accepted (status 800: Order does not exist)'),
    );
    expect(sent).toEqual([
      {
        type: 'testConnection',
        settings: {
          clientId: 'draft-id',
          clientSecret: 's3cret',
          apiBaseUrl: 'https://sandbox.atriptech.com',
          portalOrigins: 'https://old.example.com',
          firstCheckSeconds: '300',
          recheckSeconds: '120',
          deadlineMinutes: '30',
          retentionDays: '30',
        },
      },
    ]);
    expect(await loadSettings()).toEqual(stored);
  });

  it('says the connection failed, with ATRIP’s message', async () => {
    backgroundSpy({ ok: true, report: { ok: false, verdict: 'rejected', status: 900, msg: 'Unauthorised: invalid client id' } });
    await renderLoaded(stored.clientId);
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() =>
      expect(status().textContent).toContain('Connection failed: ATRIP rejected the credentials (status 900: Unauthorised: invalid client id)'),
    );
  });

  it('says why when the background could not test', async () => {
    backgroundSpy({ ok: false, error: 'Invalid settings: apiBaseUrl' });
    await renderLoaded(stored.clientId);
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(status().textContent).toContain('Connection failed: Invalid settings: apiBaseUrl'));
  });

  it('does not send invalid values: names the fields instead', async () => {
    const sent = backgroundSpy({ ok: true });
    await renderLoaded(stored.clientId);
    type('apiBaseUrl', 'nope');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(status().textContent).toContain('Not saved. Please correct: API base URL'));
    expect(sent).toEqual([]);
  });

  it('asks for a proxy origin within the click before testing it', async () => {
    const sent = backgroundSpy({ ok: true, report: { ok: true, verdict: 'accepted', status: 0 } });
    await renderLoaded(stored.clientId);
    type('apiBaseUrl', 'https://atrip-proxy.corp.example');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://atrip-proxy.corp.example/*'] });
    await waitFor(() => expect(status().textContent).toContain('Connection works: ATRIP reachable, credentials accepted (status 0)'));
    expect(sent).toHaveLength(1);
  });
});
