// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { showBeside } from '@/utils/content/popover';

/** An element with a fixed box, as the browser would lay it out. */
function boxed<T extends HTMLElement>(element: T, rect: { left: number; top: number; width: number; height: number }): T {
  element.getBoundingClientRect = () =>
    ({ ...rect, x: rect.left, y: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height, toJSON: () => rect }) as DOMRect;
  return element;
}

let open = false;
beforeEach(() => {
  open = false;
  Object.assign(window, { innerWidth: 1000, innerHeight: 800 });
  // happy-dom has no popovers: the top-layer calls as the browser offers them.
  HTMLElement.prototype.showPopover = vi.fn(() => void (open = true));
  HTMLElement.prototype.hidePopover = vi.fn(() => void (open = false));
  vi.spyOn(HTMLElement.prototype, 'matches').mockImplementation(function (this: HTMLElement, selector: string) {
    return selector === ':popover-open' ? open : false;
  });
});
afterEach(() => {
  delete (HTMLElement.prototype as Partial<HTMLElement>).showPopover;
  delete (HTMLElement.prototype as Partial<HTMLElement>).hidePopover;
  vi.restoreAllMocks();
});

describe('showBeside (the confirmation in the top layer)', () => {
  it('opens below the control, left-aligned with it, and closes', () => {
    const anchor = boxed(document.createElement('span'), { left: 100, top: 200, width: 40, height: 20 });
    const pop = boxed(document.createElement('span'), { left: 0, top: 0, width: 220, height: 30 });
    document.body.append(anchor, pop);
    const close = showBeside(pop, anchor, () => undefined);
    expect(open).toBe(true);
    expect(pop.style.top).toBe('224px');
    expect(pop.style.left).toBe('100px');
    close();
    expect(open).toBe(false);
  });

  it('goes above when there is no room below, and never off the right edge', () => {
    const anchor = boxed(document.createElement('span'), { left: 950, top: 780, width: 40, height: 16 });
    const pop = boxed(document.createElement('span'), { left: 0, top: 0, width: 220, height: 30 });
    document.body.append(anchor, pop);
    showBeside(pop, anchor, () => undefined);
    expect(pop.style.top).toBe(`${780 - 4 - 30}px`);
    expect(pop.style.left).toBe(`${1000 - 220 - 4}px`);
  });

  it('says when the control has left the viewport (scrolled away) or the page', () => {
    const anchor = boxed(document.createElement('span'), { left: 100, top: -50, width: 40, height: 20 });
    const pop = document.createElement('span');
    document.body.append(anchor, pop);
    const gone = vi.fn();
    showBeside(pop, anchor, gone);
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('closes when a scroll moves the control (the row the agent was looking at)', () => {
    const anchor = boxed(document.createElement('span'), { left: 100, top: 200, width: 40, height: 20 });
    const pop = boxed(document.createElement('span'), { left: 0, top: 0, width: 220, height: 30 });
    document.body.append(anchor, pop);
    const gone = vi.fn();
    const close = showBeside(pop, anchor, gone);
    document.body.dispatchEvent(new Event('scroll')); // a late scroll event: the control did not move
    expect(gone).not.toHaveBeenCalled();
    boxed(anchor, { left: 100, top: 150, width: 40, height: 20 });
    document.body.dispatchEvent(new Event('scroll')); // a scrolling table inside the page moved it
    expect(gone).toHaveBeenCalledTimes(1);
    close();
    dispatchEvent(new Event('scroll'));
    expect(gone).toHaveBeenCalledTimes(1); // no listener left
  });

  it('stays inline where popovers are missing', () => {
    delete (HTMLElement.prototype as Partial<HTMLElement>).showPopover;
    const pop = document.createElement('span');
    const close = showBeside(pop, document.createElement('span'), () => undefined);
    expect(pop.style.top).toBe('');
    close();
  });
});
