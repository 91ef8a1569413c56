/** The scan's pacing (utils/content/logic/flush-pacer.ts): a failure while the page goes away is no error; any other still is. */
import { describe, expect, it } from 'vitest';
import { createFlushPacer } from '@/utils/content/logic/flush-pacer';

const never = () => false;
const broken = async () => {
  throw new Error('NS_ERROR_UNEXPECTED');
};

describe('flush pacer', () => {
  it('runs passes until nothing is pending, one at a time', async () => {
    let left = 3;
    let passes = 0;
    const pacer = createFlushPacer(async () => void (passes++, left--), () => left > 0, () => () => {}, new AbortController().signal);
    await Promise.all([pacer.now(), pacer.now()]);
    expect(passes).toBe(3);
  });

  it('rejects with the failure of a pass while the page lives', async () => {
    const pacer = createFlushPacer(broken, never, () => () => {}, new AbortController().signal, () => false);
    await expect(pacer.now()).rejects.toThrow('NS_ERROR_UNEXPECTED');
  });

  it('ends quietly when a pass fails as the page goes away, and runs again afterwards', async () => {
    let leaving = true;
    let fail = true;
    let passes = 0;
    const pass = async () => {
      passes++;
      if (fail) throw new Error('NS_ERROR_UNEXPECTED');
    };
    const pacer = createFlushPacer(pass, never, () => () => {}, new AbortController().signal, () => leaving);
    await expect(pacer.now()).resolves.toBeUndefined();
    // Back from the back-forward cache: the pacer is not stuck.
    leaving = false;
    fail = false;
    await pacer.now();
    expect(passes).toBe(2);
  });

  it('asks for no frame from a page that is going away, without throwing', () => {
    const refusing = () => {
      throw new Error('NS_ERROR_NOT_AVAILABLE');
    };
    expect(() => createFlushPacer(broken, never, refusing, new AbortController().signal, () => true).soon()).not.toThrow();
    expect(() => createFlushPacer(broken, never, refusing, new AbortController().signal, () => false).soon()).toThrow('NS_ERROR_NOT_AVAILABLE');
  });
});
