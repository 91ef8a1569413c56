/**
 * The one place where an activation of the in-page UI (a click or key press on Stop, Confirm, a
 * checkbox, the selection bar) is accepted or refused. Checks made at activation time belong here;
 * the verdict itself (`decideActivation`) is pure, for tests.
 */
import { judgeVisibility, readFacts, type Invisibility } from './visibility';

/** Why an activation was refused. */
export type Refusal = 'untrusted' | 'stale' | 'focus-moved' | 'too-soon' | Invisibility;

/** How long a confirmation must have been on show before it takes input (as browsers' permission prompts). */
export const CONFIRM_DELAY_MS = 500;

export interface ActivationFacts {
  /** A real click or key press (`event.isTrusted`), not a page script's `element.click()`. */
  trusted: boolean;
  /** The number beside the control is still the one it was made for, and the control still beside it. */
  current: boolean;
  /** Made with the keyboard (Enter or Space on the focused button): no pointer position. */
  keyboard: boolean;
  /** For a keyboard activation of Confirm: whether the agent's own keys (or the control) put the focus there. */
  focusByAgent?: boolean;
  /** For Confirm: how long it has been on show. */
  shownForMs?: number;
  /** Whether the control was plainly visible where it was activated (null: visible). */
  invisibility: Invisibility | null;
}

/** Null when the activation may proceed; else why it must not. Pure. */
export function decideActivation(facts: ActivationFacts): Refusal | null {
  if (!facts.trusted) return 'untrusted';
  if (!facts.current) return 'stale';
  if (facts.shownForMs !== undefined && facts.shownForMs < CONFIRM_DELAY_MS) return 'too-soon';
  if (facts.keyboard && facts.focusByAgent === false) return 'focus-moved';
  return facts.invisibility;
}

/** A click made with the keyboard: browsers fire it with `detail` 0 (a pointer's click counts from 1). */
export function isKeyboardActivation(event: Event): boolean {
  return event.type === 'click' && (event as MouseEvent).detail === 0;
}

/** What the control knows at activation time, beyond the event. */
export interface ActivationContext {
  /** Re-reads the page: the number beside the control, and where the control is. */
  isCurrent?: () => boolean;
  /** The control's host and the inline style the extension gave it; absent: visibility is not checked. */
  host?: Element;
  hostStyle?: () => string | null;
  /** The host's required `position` when it is not in the flow (the selection bar: `fixed`). */
  hostPosition?: string;
  /** IntersectionObserver v2's last word on the activated element (Chromium), or null. */
  trackedVisible?: boolean | null;
  focusByAgent?: boolean;
  shownForMs?: number;
}

/**
 * Null when the activation may proceed. `untrusted`: made by a page script, not the agent. `stale`:
 * the number beside the control is no longer the one it was made for, or the control was moved.
 * `too-soon`: a confirmation clicked before it was on show for `CONFIRM_DELAY_MS`. `focus-moved`:
 * Enter on a Confirm the page focused. `hidden` / `covered`: the control was not plainly visible
 * where the agent activated it (a page restyling our host into an invisible overlay).
 */
export function refuseActivation(event: Event, context: ActivationContext | (() => boolean) = {}): Refusal | null {
  const ctx: ActivationContext = typeof context === 'function' ? { isCurrent: context } : context;
  if (event.isTrusted !== true) return 'untrusted';
  const keyboard = isKeyboardActivation(event);
  const target = event.currentTarget instanceof Element ? event.currentTarget : null;
  const mouse = event as MouseEvent;
  const invisibility =
    ctx.host && target
      ? judgeVisibility(
          readFacts(
            target,
            ctx.host,
            ctx.hostStyle?.() ?? null,
            keyboard ? null : { x: mouse.clientX, y: mouse.clientY },
            ctx.trackedVisible ?? null,
            ctx.hostPosition,
          ),
        )
      : null;
  return decideActivation({
    trusted: true,
    current: ctx.isCurrent ? ctx.isCurrent() : true,
    keyboard,
    ...(ctx.focusByAgent !== undefined && { focusByAgent: ctx.focusByAgent }),
    ...(ctx.shownForMs !== undefined && { shownForMs: ctx.shownForMs }),
    invisibility,
  });
}
