// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { GuardedContentScriptContext } from '@/utils/content/guarded-context';

const contexts: GuardedContentScriptContext[] = [];
const start = () => {
  const ctx = new GuardedContentScriptContext('content');
  contexts.push(ctx);
  return ctx;
};

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort('test over');
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('the content script context, closed to the page', () => {
  it("posts no window message (WXT's carried the extension id)", () => {
    const posted = vi.spyOn(window, 'postMessage');
    start();
    expect(posted).not.toHaveBeenCalled();
  });

  it("ignores the start event while its extension is alive, whoever dispatches it", () => {
    const ctx = start();
    const name = GuardedContentScriptContext.startedEventName();
    expect(name).toBe(`${fakeBrowser.runtime.id}:${import.meta.env.ENTRYPOINT}:wxt:content-script-started`);
    document.dispatchEvent(new CustomEvent(name, { detail: { contentScriptName: 'content', messageId: 'page' } }));
    expect(ctx.signal.aborted).toBe(false);
  });

  it('goes when a newer copy starts after an update orphaned it (its runtime is gone)', () => {
    const old = start();
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
    document.dispatchEvent(new CustomEvent(GuardedContentScriptContext.startedEventName(), { detail: {} }));
    expect(old.signal.aborted).toBe(true);
  });

  it('a second copy of the live extension does not start; a copy after an invalidated one does', () => {
    const first = start();
    const second = start();
    expect(second.duplicate).toBe(true);
    expect(second.isInvalid).toBe(true);
    expect(first.isValid).toBe(true);
    first.abort('gone');
    const third = start();
    expect(third.duplicate).toBe(false);
    expect(third.isValid).toBe(true);
  });
});
