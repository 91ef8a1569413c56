import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMessage } from '@/utils/background/handle-message';
import { classifySender } from '@/utils/background/logic/sender';
import { saveSettings } from '@/utils/shared/settings';
import type { Tracker } from '@/utils/background/tracker';

const NO = 'TESTA20261126090000001';
const EXT = `chrome-extension://${fakeBrowser.runtime.id}`;
const BASE = `${EXT}/`;

function fakeTracker() {
  const calls: unknown[][] = [];
  const record = { orderNo: NO, state: 'requesting' };
  const tracker = {
    stop: vi.fn(async (...args: unknown[]) => (calls.push(['stop', ...args]), { record, started: true, done: Promise.resolve() })),
    retry: vi.fn(async (...args: unknown[]) => (calls.push(['retry', ...args]), { record, started: true, done: Promise.resolve() })),
    checkAgain: vi.fn(async (...args: unknown[]) => void calls.push(['checkAgain', ...args])),
    remove: vi.fn(async (...args: unknown[]) => void calls.push(['remove', ...args])),
    openOrder: vi.fn(async (...args: unknown[]) => void calls.push(['openOrder', ...args])),
  } as unknown as Tracker;
  return { tracker, calls };
}

const popup = { id: fakeBrowser.runtime.id, url: `${EXT}/popup.html` };
const portalTab = { id: fakeBrowser.runtime.id, url: `https://www.atriptech.com/#/order/detail/${NO}/en`, tab: { id: 1 } };

let granted: string[] = [];
beforeEach(() => {
  fakeBrowser.reset();
  granted = [];
  // fakeBrowser has no permissions API: the origins the agent granted, as Chrome lists them.
  vi.spyOn(fakeBrowser.permissions, 'getAll').mockImplementation(async () => ({ origins: granted, permissions: [] }));
});

describe('handleMessage', () => {
  it('runs a valid stop from the popup', async () => {
    const { tracker, calls } = fakeTracker();
    const reply = await handleMessage(tracker, { type: 'stop', orderNo: NO }, popup);
    expect(reply.ok).toBe(true);
    expect(calls).toEqual([['stop', NO, undefined]]);
  });

  it('takes the page URL of a content script from the sender, not from the message', async () => {
    const { tracker, calls } = fakeTracker();
    await handleMessage(tracker, { type: 'stop', orderNo: NO, pageUrl: 'https://evil.example/' }, portalTab);
    expect(calls).toEqual([['stop', NO, portalTab.url]]);
  });

  it.each([
    ['not an object', 'stop'],
    ['unknown type', { type: 'wipeEverything' }],
    ['bad order number', { type: 'stop', orderNo: 'TESTA2026' }],
    ['lowercase order number', { type: 'stop', orderNo: NO.toLowerCase() }],
  ])('rejects a malformed message (%s) without acting', async (_label, message) => {
    const { tracker, calls } = fakeTracker();
    const reply = await handleMessage(tracker, message, popup);
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('Invalid request') });
    expect(calls).toEqual([]);
  });

  it('refuses other extensions, unknown pages and page-only requests from content scripts', async () => {
    const { tracker, calls } = fakeTracker();
    const replies = await Promise.all([
      handleMessage(tracker, { type: 'stop', orderNo: NO }, { id: 'another-extension', url: `chrome-extension://another/popup.html` }),
      handleMessage(tracker, { type: 'stop', orderNo: NO }, { id: fakeBrowser.runtime.id, url: 'https://evil.example/', tab: { id: 2 } }),
      handleMessage(tracker, { type: 'remove', orderNo: NO }, portalTab),
      handleMessage(tracker, { type: 'testConnection', settings: {} }, portalTab),
    ]);
    expect(replies.map((r) => r.ok)).toEqual([false, false, false, false]);
    expect(calls).toEqual([]);
  });

  it("accepts content scripts on the agent's own portal origins", async () => {
    await saveSettings({ portalOrigins: 'https://portal.example.com' });
    const { tracker, calls } = fakeTracker();
    const reply = await handleMessage(tracker, { type: 'stop', orderNo: NO }, { id: fakeBrowser.runtime.id, url: 'https://portal.example.com/x', tab: { id: 3 } });
    expect(reply.ok).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('accepts content scripts on origins granted one by one, never through a wildcard grant', async () => {
    granted = ['https://*/*', 'https://white-label.example.com/*'];
    const { tracker, calls } = fakeTracker();
    const from = (url: string) => ({ id: fakeBrowser.runtime.id, url, tab: { id: 4 } });
    expect((await handleMessage(tracker, { type: 'stop', orderNo: NO }, from('https://white-label.example.com/orders'))).ok).toBe(true);
    expect((await handleMessage(tracker, { type: 'stop', orderNo: NO }, from('https://other.example.com/orders'))).ok).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it("never takes the API's origin for a portal: not the proxy granted for it, unless it is listed as a portal too", async () => {
    granted = ['https://proxy.example.com/*', 'https://white-label.example.com/*', '<all_urls>', '*://*/*'];
    await saveSettings({ apiBaseUrl: 'https://proxy.example.com/atrip' });
    const { tracker, calls } = fakeTracker();
    const from = (url: string) => ({ id: fakeBrowser.runtime.id, url, tab: { id: 5 } });
    expect((await handleMessage(tracker, { type: 'stop', orderNo: NO }, from('https://proxy.example.com/page'))).ok).toBe(false);
    expect((await handleMessage(tracker, { type: 'stop', orderNo: NO }, from('https://anywhere.example.org/'))).ok).toBe(false);
    expect((await handleMessage(tracker, { type: 'stop', orderNo: NO }, from('https://white-label.example.com/o'))).ok).toBe(true);
    await saveSettings({ apiBaseUrl: 'https://proxy.example.com/atrip', portalOrigins: 'https://proxy.example.com' });
    expect((await handleMessage(tracker, { type: 'stop', orderNo: NO }, from('https://proxy.example.com/page'))).ok).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('tells a content script whether a client id is set, and nothing else', async () => {
    const { tracker } = fakeTracker();
    expect(await handleMessage(tracker, { type: 'isConfigured' }, portalTab)).toEqual({ ok: true, configured: false });
    await saveSettings({ clientId: 'id', clientSecret: 'secret' });
    expect(await handleMessage(tracker, { type: 'isConfigured' }, portalTab)).toEqual({ ok: true, configured: true });
  });

  it('routes popup actions; Check now and Check again are the same one look-up', async () => {
    const { tracker, calls } = fakeTracker();
    for (const type of ['checkNow', 'checkAgain', 'retry', 'remove', 'openOrder'] as const) {
      expect((await handleMessage(tracker, { type, orderNo: NO }, popup)).ok).toBe(true);
    }
    expect(calls.map((c) => c[0])).toEqual(['checkAgain', 'checkAgain', 'retry', 'remove', 'openOrder']);
  });

  it('lets the in-page control ask for Check again (a look-up, never a stop), validated', async () => {
    const { tracker, calls } = fakeTracker();
    expect((await handleMessage(tracker, { type: 'checkAgain', orderNo: NO }, portalTab)).ok).toBe(true);
    expect((await handleMessage(tracker, { type: 'checkAgain', orderNo: 'NOPE' }, portalTab)).ok).toBe(false);
    expect((await handleMessage(tracker, { type: 'checkAgain', orderNo: NO }, { ...portalTab, url: 'https://evil.example/' })).ok).toBe(false);
    expect((await handleMessage(tracker, { type: 'retry', orderNo: NO }, portalTab)).ok).toBe(false);
    expect(calls).toEqual([['checkAgain', NO]]);
  });

  it('tests a connection only with valid draft settings', async () => {
    const { tracker } = fakeTracker();
    const reply = await handleMessage(tracker, { type: 'testConnection', settings: { apiBaseUrl: 'nope' } }, popup);
    expect(reply).toEqual({ ok: false, error: 'Invalid settings: apiBaseUrl' });
  });
});

describe('classifySender', () => {
  const portals = ['https://www.atriptech.com'];
  it('needs our id, a URL, and a tab for content scripts', () => {
    expect(classifySender(popup, fakeBrowser.runtime.id, BASE, portals)).toBe('extension-page');
    expect(classifySender(portalTab, fakeBrowser.runtime.id, BASE, portals)).toBe('content-script');
    expect(classifySender({ ...portalTab, tab: undefined }, fakeBrowser.runtime.id, BASE, portals)).toBe('foreign');
    expect(classifySender({ id: fakeBrowser.runtime.id }, fakeBrowser.runtime.id, BASE, portals)).toBe('foreign');
    expect(classifySender({ ...popup, id: 'x' }, fakeBrowser.runtime.id, BASE, portals)).toBe('foreign');
    expect(classifySender({ ...popup, url: `${EXT}.evil.example/` }, fakeBrowser.runtime.id, BASE, portals)).toBe('foreign');
  });
});
