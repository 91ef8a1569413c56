/**
 * Whether the agent could see what they activated (issue 13): a page can restyle our host (it is
 * in the page's DOM), e.g. `position: fixed; inset: 0; opacity: 0`, so that the agent's next
 * ordinary clicks land on an invisible Stop and Confirm. Facts are read from the browser at
 * activation time (`readFacts`); the verdict is pure (`judgeVisibility`), for tests.
 */

/** The computed style of one element on the way from the activated button up to the document. */
export interface StyleFacts {
  opacity: string;
  visibility: string;
  display: string;
  transform: string;
  filter: string;
  clipPath: string;
}

export interface VisibilityFacts {
  /** The host's inline `style` is the one the extension set (the page did not rewrite it). */
  hostStyleIntact: boolean;
  /** The host's computed `position`: a control's is in the flow (never fixed, absolute or sticky). */
  hostPosition: string;
  /** The position the host must have instead (the selection bar's is `fixed`). */
  expectedPosition?: string;
  /** The activated element, then its ancestors (across the shadow boundary) up to the root. */
  chain: StyleFacts[];
  /** The activated element's box, and the viewport. */
  box: { left: number; top: number; width: number; height: number };
  viewport: { width: number; height: number };
  /** The topmost element at the activation's point is our host (null: not known). */
  hitsHost: boolean | null;
  /** IntersectionObserver v2 (Chromium): the element is unoccluded and unaltered (null: not tracked). */
  trackedVisible: boolean | null;
}

export type Invisibility = 'hidden' | 'covered';

/** Below this overall opacity (the product along the chain) the control counts as hidden. */
export const MIN_OPACITY = 0.9;
/** Below this scale (of a transform along the chain) it counts as hidden. */
export const MIN_SCALE = 0.5;
/** Smaller than this (CSS px, either side) it counts as hidden. */
export const MIN_SIZE = 4;

/** The linear scale of a computed `transform` (`none`, `matrix(…)`, `matrix3d(…)`). */
export function transformScale(transform: string): number {
  if (!transform || transform === 'none') return 1;
  const numbers = /\(([^)]*)\)/.exec(transform)?.[1]?.split(',').map(Number) ?? [];
  if (numbers.some((n) => !Number.isFinite(n))) return 0;
  if (transform.startsWith('matrix3d') && numbers.length === 16) {
    const [a, b, , , c, d] = numbers as [number, number, number, number, number, number];
    return Math.sqrt(Math.abs(a * d - b * c));
  }
  if (transform.startsWith('matrix') && numbers.length === 6) {
    const [a, b, c, d] = numbers as [number, number, number, number];
    return Math.sqrt(Math.abs(a * d - b * c));
  }
  return 0;
}

/** The opacity a `filter` applies (`opacity(…)`), 0 for any blur (nothing readable), else 1. */
function filterOpacity(filter: string): number {
  if (!filter || filter === 'none') return 1;
  if (/blur\(/.test(filter)) return 0;
  let result = 1;
  for (const match of filter.matchAll(/opacity\(([\d.]+)(%?)\)/g)) result *= Number(match[1]) / (match[2] ? 100 : 1);
  return result;
}

/** Null when the control was plainly visible where it was activated; else why not. */
export function judgeVisibility(facts: VisibilityFacts): Invisibility | null {
  if (!facts.hostStyleIntact) return 'hidden';
  if (facts.expectedPosition ? facts.hostPosition !== facts.expectedPosition : /^(fixed|absolute|sticky)$/.test(facts.hostPosition)) return 'hidden';
  let opacity = 1;
  for (const [i, style] of facts.chain.entries()) {
    if (style.display === 'none') return 'hidden';
    if (i === 0 && style.visibility !== 'visible') return 'hidden';
    opacity *= Number(style.opacity) * filterOpacity(style.filter);
    if (!(opacity >= MIN_OPACITY)) return 'hidden';
    if (transformScale(style.transform) < MIN_SCALE) return 'hidden';
    if (i <= 1 && style.clipPath && style.clipPath !== 'none') return 'hidden';
  }
  const { box, viewport } = facts;
  if (box.width < MIN_SIZE || box.height < MIN_SIZE) return 'hidden';
  if (box.left + box.width <= 0 || box.top + box.height <= 0 || box.left >= viewport.width || box.top >= viewport.height) return 'hidden';
  if (facts.hitsHost === false) return 'covered';
  if (facts.trackedVisible === false) return 'covered';
  return null;
}

/** The element's parent, across a shadow boundary (the host of its shadow root). */
function parentAcross(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/**
 * Reads the facts at activation. `point`: where the pointer was (null for a keyboard activation:
 * the centre of the element is hit-tested instead).
 */
export function readFacts(
  element: Element,
  host: Element,
  expectedHostStyle: string | null,
  point: { x: number; y: number } | null,
  trackedVisible: boolean | null,
  expectedPosition?: string,
): VisibilityFacts {
  const chain: StyleFacts[] = [];
  for (let at: Element | null = element; at; at = parentAcross(at)) {
    const style = getComputedStyle(at);
    chain.push({
      opacity: style.opacity,
      visibility: style.visibility,
      display: style.display,
      transform: style.transform,
      filter: style.filter,
      clipPath: style.clipPath,
    });
  }
  const rect = element.getBoundingClientRect();
  const x = point?.x ?? rect.left + rect.width / 2;
  const y = point?.y ?? rect.top + rect.height / 2;
  const top = element.ownerDocument.elementFromPoint(x, y);
  return {
    hostStyleIntact: host.getAttribute('style') === expectedHostStyle,
    hostPosition: getComputedStyle(host).position,
    ...(expectedPosition !== undefined && { expectedPosition }),
    chain,
    box: { left: rect.left, top: rect.top, width: rect.width, height: rect.height },
    viewport: { width: innerWidth, height: innerHeight },
    hitsHost: top === null ? false : top === host,
    trackedVisible,
  };
}
