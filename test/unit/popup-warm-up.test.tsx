// @vitest-environment happy-dom
/** The popup's warm-up while its first storage answer travels (components/popup/warm-up.tsx). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { warmFirstRows } from '@/components/popup/warm-up';
import { warmSample } from '@/utils/popup/logic/warm-sample';
import { parseRecord } from '@/utils/shared/logic/record';
import * as record from '@/utils/shared/logic/record';

vi.mock('@/utils/shared/logic/record', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/utils/shared/logic/record')>();
  return { ...original, parseRecord: vi.fn(original.parseRecord) };
});

/** Lets the warm-up's animation frame and tasks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 120));

describe('popup warm-up', () => {
  beforeEach(() => {
    vi.mocked(record.parseRecord).mockClear();
    document.body.innerHTML = '<div id="app"><p>frame</p></div>';
  });
  afterEach(() => vi.useRealTimers());

  it('parses a valid sample: the warm-up runs the schema’s whole path, as a real record does', () => {
    const sample = parseRecord(warmSample(Date.now()));
    expect(sample).not.toBeNull();
    expect(sample!.state).toBe('intercepting');
  });

  it('parses the sample and draws one row off-document while the answer is not there, showing nothing', async () => {
    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver((records) => mutations.push(...records));
    observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    const answered = vi.fn(() => false);
    warmFirstRows('en', answered);
    await settle();
    observer.disconnect();
    expect(vi.mocked(record.parseRecord)).toHaveBeenCalledTimes(1);
    expect(answered).toHaveBeenCalledTimes(2); // before each of its two steps
    expect(mutations).toEqual([]);
    expect(document.body.innerHTML).toBe('<div id="app"><p>frame</p></div>');
    expect(document.querySelector('[data-order-no]')).toBeNull();
  });

  it('does nothing once the first rows are read, and stops between its steps when they come', async () => {
    warmFirstRows('en', () => true);
    await settle();
    expect(vi.mocked(record.parseRecord)).not.toHaveBeenCalled();
    let read = false;
    const answered = vi.fn(() => {
      const now = read;
      read = true; // the answer comes right after the first step
      return now;
    });
    warmFirstRows('en', answered);
    await settle();
    expect(vi.mocked(record.parseRecord)).toHaveBeenCalledTimes(1);
    expect(answered).toHaveBeenCalledTimes(2);
  });

  it('can be cancelled before it starts', async () => {
    const cancel = warmFirstRows('en', () => false);
    cancel();
    await settle();
    expect(vi.mocked(record.parseRecord)).not.toHaveBeenCalled();
  });
});
