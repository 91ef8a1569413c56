/**
 * Shows an element of the control in the top layer (`popover="manual"`, Chromium and Firefox), beside
 * the control: a table cell that clips its content (`overflow: hidden`) or a page's stacking order
 * cannot hide the confirmation. Where popovers are missing, the element simply stays inline.
 */

/** Opens `pop` beside `anchor` and keeps it there while the page scrolls; `onGone` when the anchor leaves the viewport. Returns the close. */
export function showBeside(pop: HTMLElement, anchor: Element, onGone: () => void): () => void {
  if (typeof pop.showPopover !== 'function') return () => undefined;
  pop.showPopover();
  let frame = 0;
  const place = () => {
    frame = 0;
    const at = anchor.getBoundingClientRect();
    if (!anchor.isConnected || at.bottom < 0 || at.top > innerHeight || at.right < 0 || at.left > innerWidth) return onGone();
    const size = pop.getBoundingClientRect();
    // Below the control, or above it when there is no room below; never off the sides.
    const top = at.bottom + 4 + size.height <= innerHeight ? at.bottom + 4 : Math.max(4, at.top - 4 - size.height);
    pop.style.top = `${top}px`;
    pop.style.left = `${Math.max(4, Math.min(at.left, innerWidth - size.width - 4))}px`;
  };
  const follow = () => {
    frame ||= requestAnimationFrame(place);
  };
  place();
  addEventListener('scroll', follow, { capture: true, passive: true });
  addEventListener('resize', follow, { passive: true });
  return () => {
    cancelAnimationFrame(frame);
    removeEventListener('scroll', follow, { capture: true });
    removeEventListener('resize', follow);
    if (pop.matches(':popover-open')) pop.hidePopover();
  };
}
