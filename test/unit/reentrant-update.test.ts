import { describe, expect, it } from 'vitest';
import { reentrantUpdate } from '@/utils/content/logic/reentrant-update';

describe('reentrantUpdate', () => {
  it('turns a request made during a pass into one more pass after it, never a nested one', () => {
    const log: string[] = [];
    let depth = 0;
    let asks = 2;
    const update = reentrantUpdate(() => {
      depth++;
      log.push(`pass at depth ${depth}`);
      if (asks-- > 0) {
        update();
        update(); // two requests in one pass still make one more pass
      }
      depth--;
    });
    update();
    expect(log).toEqual(['pass at depth 1', 'pass at depth 1', 'pass at depth 1']);
  });

  it('stops when a pass returns false, even with a request pending, and runs again later', () => {
    let passes = 0;
    let disposed = false;
    const update = reentrantUpdate(() => {
      passes++;
      if (disposed) return false;
      disposed = true;
      update();
    });
    update();
    expect(passes).toBe(2);
    update();
    expect(passes).toBe(3);
  });

  it('runs again after a pass that threw', () => {
    let passes = 0;
    const update = reentrantUpdate(() => {
      passes++;
      if (passes === 1) throw new Error('render failed');
    });
    expect(update).toThrow('render failed');
    update();
    expect(passes).toBe(2);
  });
});
