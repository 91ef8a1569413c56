/**
 * The one place where an activation of the in-page UI (a click or key press on Stop, Confirm, a
 * checkbox, the selection bar) is accepted or refused. Checks made at activation time belong here.
 */

/** Why an activation was refused. */
export type Refusal = 'untrusted' | 'stale';

/**
 * Null when the activation may proceed. `untrusted`: made by a page script (`element.click()`),
 * not the agent. `stale`: the number beside the control is no longer the one it was made for
 * (`isCurrent` re-reads the page).
 */
export function refuseActivation(event: Event, isCurrent?: () => boolean): Refusal | null {
  if (event.isTrusted !== true) return 'untrusted';
  if (isCurrent && !isCurrent()) return 'stale';
  return null;
}
