/**
 * Shows an element of the control in the top layer (`popover="manual"`, Chromium and Firefox), beside
 * the control: a table cell that clips its content (`overflow: hidden`) or a page's stacking order
 * cannot hide the confirmation. Where popovers are missing, the element simply stays inline.
 * It does not follow the page: a scroll closes it (the agent opens it again where the row is).
 */

/**
 * Opens `pop` beside `anchor`; `onGone` when a scroll moves the anchor (the row the agent was
 * looking at), or when it is not in view. Returns the close.
 */
export function showBeside(pop: HTMLElement, anchor: Element, onGone: () => void): () => void {
  if (typeof pop.showPopover !== 'function') return () => undefined;
  pop.showPopover();
  const at = anchor.getBoundingClientRect();
  if (!anchor.isConnected || at.bottom < 0 || at.top > innerHeight || at.right < 0 || at.left > innerWidth) onGone();
  const size = pop.getBoundingClientRect();
  // Below the control, or above it when there is no room below; never off the sides.
  const top = at.bottom + 4 + size.height <= innerHeight ? at.bottom + 4 : Math.max(4, at.top - 4 - size.height);
  pop.style.top = `${top}px`;
  pop.style.left = `${Math.max(4, Math.min(at.left, innerWidth - size.width - 4))}px`;
  // Only when the control itself moved: a scroll event may still arrive from before the opening.
  const moved = () => {
    const now = anchor.getBoundingClientRect();
    if (Math.abs(now.top - at.top) + Math.abs(now.left - at.left) > 1) onGone();
  };
  const options = { capture: true, passive: true };
  addEventListener('scroll', moved, options);
  return () => {
    removeEventListener('scroll', moved, options);
    if (pop.matches(':popover-open')) pop.hidePopover();
  };
}
