/**
 * The options page under test (happy-dom, fakeBrowser): a fake `permissions` API, the form's
 * fields by their contract names, and rendering until the page has loaded.
 */
import { expect, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsApp } from '@/components/options/OptionsApp';
import { saveSettings, type Settings } from '@/utils/shared/settings';

/** The manifest's host permissions. */
export const REQUIRED = ['https://sandbox.atriptech.com/*', 'https://www.atriptech.com/*'];

/** What the browser has granted, and whether it allows the next request. */
export const access = { granted: [] as string[], allow: true };

export const permissions = {
  getAll: vi.fn(async () => ({ origins: [...access.granted], permissions: [] })),
  request: vi.fn(async ({ origins }: { origins: string[] }) => {
    if (access.allow) access.granted.push(...origins);
    return access.allow;
  }),
  remove: vi.fn(async ({ origins }: { origins: string[] }) => {
    access.granted = access.granted.filter((o) => !origins.includes(o));
    return true;
  }),
};

/** For a beforeEach: a fresh browser with `saved` as the agent's settings and its old origin granted. */
export async function setUpOptionsPage(saved: Settings) {
  fakeBrowser.reset();
  access.granted = [...REQUIRED, 'https://old.example.com/*'];
  access.allow = true;
  for (const fn of Object.values(permissions)) fn.mockClear();
  Object.assign(fakeBrowser, { permissions });
  Object.assign(fakeBrowser.runtime, { getManifest: () => ({ manifest_version: 3, host_permissions: REQUIRED }) });
  await saveSettings(saved);
}

export const field = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
export const type = (name: string, value: string) => fireEvent.input(field(name), { target: { value } });
export const status = () => screen.getByRole('status');
export const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Save' }));
/** The contract's field names (shared/contract.md), and retentionDays. */
export const FIELD_NAMES = ['clientId', 'clientSecret', 'apiBaseUrl', 'portalOrigins', 'firstCheckSeconds', 'recheckSeconds', 'deadlineMinutes', 'retentionDays'];
/** What each field shows now, by name. */
export const fieldValues = () => Object.fromEntries(FIELD_NAMES.map((name) => [name, field(name).value]));
/** The texts that describe a field (aria-describedby), joined. */
export const description = (name: string) =>
  (field(name).getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');

/** Renders the page and waits until it shows `clientId` and has read the granted origins. */
export async function renderLoaded(clientId: string) {
  render(<OptionsApp />);
  await waitFor(() => expect(field('clientId').value).toBe(clientId));
  await waitFor(() => expect(permissions.getAll).toHaveBeenCalled());
}
