/**
 * Where a control sits in its cell, and how its host is styled there (inline styles beat any page
 * rule without `!important`, so a page's `td > *` or `* { display: block }` cannot move it):
 *
 * - right after the number, in most cells;
 * - first and compact in a cell that clips its content (`overflow: hidden; white-space: nowrap`, or
 *   a flex row), where a control after the number would be cut off.
 *
 * Deciding needs the cell's computed style. Right after the page has put new rows in, reading it
 * would make the browser style the whole new table inside our task (~100 ms on 2,000 rows): so the
 * decision is remembered per kind of cell, and for a kind not seen yet the control starts after the
 * number and is moved, if need be, once the page has been styled and painted (reads are cheap then).
 */
import { blockOf, clipsInline } from '@/utils/content/logic/find-orders';

/** The page's font family (only that is inherited; sizes are ours, in px), so the control blends in. */
const HOST_FONT = 'font-family:inherit';
/**
 * `visibility: inherit`: copies of a number the page hides (the hidden duplicate cells of fixed table
 * columns) hide their control too — `all: initial` alone would make it visible and focusable there.
 */
const HOST_STYLE = `all:initial;display:inline-block;vertical-align:middle;line-height:1;visibility:inherit;${HOST_FONT}`;
export const BAR_HOST_STYLE = `all:initial;position:fixed;z-index:2147483646;right:16px;bottom:16px;display:block;${HOST_FONT}`;
/** Right after the number. */
export const AFTER = `${HOST_STYLE};margin-left:6px`;
/**
 * First in the cell, taking no room (1 px wide, minus 1 px of margin: the page's layout does not
 * move, and the host still has a box, so tools and tests that ask whether it is visible see it), the compact control drawn over
 * the start of the number — the letters every order of the agent shares — on the background behind
 * it: the end of the number, which tells orders apart, stays in sight. The confirmation names the
 * number in full.
 */
const atStart = (background: string) => `${HOST_STYLE};width:1px;margin-right:-1px;position:relative;z-index:1;--atrip-bg:${background}`;

/** Decisions by kind of cell: the tag, classes and inline style of the cell and of its two ancestors. */
const decided = new Map<string, string>();

function kindOf(block: Element): string {
  const parent = block.parentElement;
  return `${block.localName}.${block.className}[${block.getAttribute('style')}]|${parent?.className}|${parent?.parentElement?.className}`;
}

/** The first opaque background behind an element: a control drawn over clipped text hides what is under it. */
function backgroundBehind(element: Element | null): string {
  for (; element; element = element.parentElement) {
    const color = getComputedStyle(element).backgroundColor;
    if (color && color !== 'transparent' && !/, 0\)$/.test(color)) return color;
  }
  return '#fff';
}

/** Reads the cell's style (call only when the page's style is up to date) and remembers the decision. */
function decide(block: Element, kind: string): string {
  const style = clipsInline(getComputedStyle(block)) ? atStart(backgroundBehind(block)) : AFTER;
  decided.set(kind, style); // a few kinds per page
  return style;
}

let pending: (() => void)[] = [];

/** Runs after the next frame has been styled and painted. */
function afterNextPaint(run: () => void) {
  pending.push(run);
  if (pending.length > 1) return;
  requestAnimationFrame(() =>
    setTimeout(() => {
      const batch = pending;
      pending = [];
      for (const task of batch) task();
    }, 0),
  );
}

export interface Placement {
  /** The host's style attribute. */
  style: string;
  /** First (and compact) in the cell. */
  atStart: boolean;
}

/**
 * The placement of a control for a number in this text node; when the kind of cell is new,
 * `onDecided` is called later with the placement decided (if it differs from the first one).
 */
export function placementFor(text: Text, onDecided: (placement: Placement) => void): Placement {
  const block = blockOf(text);
  if (!block) return { style: AFTER, atStart: false };
  const kind = kindOf(block);
  const known = decided.get(kind);
  if (known !== undefined) return { style: known, atStart: known !== AFTER };
  afterNextPaint(() => {
    if (!block.isConnected) return;
    const style = decided.get(kind) ?? decide(block, kind);
    if (style !== AFTER) onDecided({ style, atStart: true });
  });
  return { style: AFTER, atStart: false };
}
