import { BAR_TAG, CONTROL_TAG } from '@/utils/content/logic/find-orders';

/**
 * Removes the controls of an earlier copy of this content script that can no longer remove them.
 * A live older copy removes its own: WXT's "newer copy started" event reaches it synchronously
 * while the new copy's context is created. But Firefox stops an extension's content scripts on an
 * update without running their clean-up, so their controls stayed, dead, beside the new ones (two
 * per order after every update). Whatever is still on the page when a copy starts is such a leftover.
 */
export function removeLeftoverControls() {
  for (const host of document.querySelectorAll(`${CONTROL_TAG}, ${BAR_TAG}`)) host.remove();
}
