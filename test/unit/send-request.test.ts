import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sendRequest } from '@/utils/shared/messages';

beforeEach(() => fakeBrowser.reset());

describe('sendRequest', () => {
  it('says in the UI language when the background did not answer, the browser’s words after it', async () => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
    expect(await sendRequest({ type: 'isConfigured' })).toEqual({
      ok: false,
      error: 'The extension did not answer: Could not establish connection. Receiving end does not exist.',
    });
  });

  it('says so when the answer is not one it knows', async () => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue({ surprise: true } as never);
    expect(await sendRequest({ type: 'isConfigured' })).toEqual({ ok: false, error: 'The extension answered with an unexpected reply' });
  });
});
