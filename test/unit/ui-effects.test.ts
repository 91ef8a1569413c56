import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bestEffort, setToolbar, showNotification, toolbar } from '@/utils/background/ui-effects';

describe('best-effort badge, title and notification calls', () => {
  const saved = { action: fakeBrowser.action, browserAction: (fakeBrowser as unknown as { browserAction: unknown }).browserAction };
  beforeEach(() => {
    fakeBrowser.reset();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    Object.assign(fakeBrowser, saved);
  });

  it('never throws: a synchronous throw and a rejection both resolve to false', async () => {
    await expect(bestEffort('x', () => {
      throw new Error('sync');
    })).resolves.toBe(false);
    await expect(bestEffort('x', () => Promise.reject(new Error('async')))).resolves.toBe(false);
    await expect(bestEffort('x', async () => undefined)).resolves.toBe(true);
  });

  it('uses browserAction where there is no action (Firefox MV2), and nothing where there is neither', async () => {
    const browserAction = { setBadgeText: vi.fn(), setBadgeBackgroundColor: vi.fn(), setTitle: vi.fn() };
    (fakeBrowser as { action?: unknown }).action = undefined;
    (fakeBrowser as unknown as { browserAction: unknown }).browserAction = browserAction;
    expect(toolbar()).toBe(browserAction);
    await setToolbar('2', 'two');
    expect(browserAction.setBadgeText).toHaveBeenCalledWith({ text: '2' });
    expect(browserAction.setTitle).toHaveBeenCalledWith({ title: 'two' });
    (fakeBrowser as unknown as { browserAction?: unknown }).browserAction = undefined;
    await expect(setToolbar('', 'none')).resolves.toBeUndefined();
  });

  it('one failing toolbar call does not skip the others', async () => {
    vi.spyOn(fakeBrowser.action, 'setBadgeText').mockImplementation(() => {
      throw new Error('no badge');
    });
    const setTitle = vi.spyOn(fakeBrowser.action, 'setTitle');
    await setToolbar('1', 'one');
    expect(setTitle).toHaveBeenCalledWith({ title: 'one' });
  });

  it('creates a lasting notification (requireInteraction outside Firefox) and says whether it worked', async () => {
    expect(await showNotification('TESTA20261126090000001', 'T', 'M')).toBe(true);
    expect((await fakeBrowser.notifications.getAll())['TESTA20261126090000001']).toMatchObject({ title: 'T', message: 'M', requireInteraction: true });
    vi.spyOn(fakeBrowser.notifications, 'create').mockImplementation(() => {
      throw new Error('Unexpected property "requireInteraction"');
    });
    expect(await showNotification('TESTA20261126090000001', 'T', 'M')).toBe(false);
  });
});
