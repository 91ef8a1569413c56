// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { refuseActivation } from '@/utils/content/activation';
import { createSlices, mountOrder } from '@/utils/content/schedule';

describe('createSlices', () => {
  it('is due once the budget has passed, and knows the first slice of a batch', () => {
    let clock = 100;
    const slices = createSlices(() => clock, 10);
    expect(slices.first()).toBe(true);
    clock += 9.9;
    expect(slices.due()).toBe(false);
    clock += 0.1;
    expect(slices.due()).toBe(true);
    slices.next();
    expect(slices.first()).toBe(false);
    expect(slices.due()).toBe(false);
    clock += 25;
    expect(slices.due()).toBe(true);
  });
});

describe('createSlices: the first slice', () => {
  it('may take its own budget (before the browser lays out new rows), the next ones the usual', () => {
    let clock = 0;
    const slices = createSlices(() => clock, 10, 25);
    clock = 20;
    expect(slices.due()).toBe(false);
    clock = 25;
    expect(slices.due()).toBe(true);
    slices.next();
    clock = 35;
    expect(slices.due()).toBe(true);
  });
});

describe('createSlices: ending a slice early', () => {
  it('ends this slice within the time given, never later than its budget, and the next has its usual budget', () => {
    let clock = 0;
    const slices = createSlices(() => clock, 10, 30);
    clock = 12;
    slices.endWithin(5);
    clock = 16.9;
    expect(slices.due()).toBe(false);
    clock = 17;
    expect(slices.due()).toBe(true);
    slices.next();
    clock = 26.9;
    expect(slices.due()).toBe(false);
    clock = 27;
    expect(slices.due()).toBe(true);
    slices.next();
    clock = 35;
    slices.endWithin(50); // (later than the budget: the budget stands)
    clock = 37;
    expect(slices.due()).toBe(true);
  });
});

describe('mountOrder', () => {
  it('takes what came near, in view first, otherwise in the order reported', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => Object.assign(document.createElement('a'), { id }));
    const order = mountOrder([
      { target: a!, near: true, inView: false },
      { target: b!, near: false, inView: false },
      { target: c!, near: true, inView: true },
      { target: d!, near: true, inView: false },
    ]);
    expect(order.map((e) => e.id)).toEqual(['c', 'a', 'd']);
  });
});

describe('refuseActivation (the one place activations are decided)', () => {
  const trusted = { isTrusted: true } as Event;
  it('accepts a trusted activation of a control whose number is still shown', () => {
    expect(refuseActivation(trusted, () => true)).toBeNull();
    expect(refuseActivation(trusted)).toBeNull();
  });
  it('refuses a page script’s click, before even reading the page', () => {
    let read = false;
    expect(refuseActivation(new MouseEvent('click'), () => (read = true))).toBe('untrusted');
    expect(read).toBe(false);
  });
  it('refuses when the number beside the control changed', () => {
    expect(refuseActivation(trusted, () => false)).toBe('stale');
  });
});
