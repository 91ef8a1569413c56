/**
 * Finding ATRIP order numbers in a page (pure DOM reading, no browser APIs: unit-tested in happy-dom).
 *
 * An order number is five capital letters and 17 digits, as a whole word: not preceded or followed
 * by an ASCII letter or digit (Chinese text right beside it is fine: `订单号TESTA…`).
 *
 * It is read the way the agent sees it: across inline markup (search highlighting `TESTA<em>2026</em>…`,
 * `<wbr>` line-break hints, adjacent text nodes) and ignoring characters that copied text carries
 * invisibly (zero-width spaces and joiners, word joiner, BOM, soft hyphen). Block elements, `<br>`,
 * images, form fields and our own controls end a run of text: a number never spans them.
 *
 * Numbers inside transient layers (tooltips, dropdowns, poppers appended to body) are not found:
 * they vanish under the pointer, and the number they repeat has its control where it lives.
 */

import { HAS_INVISIBLE, orderNumbersIn, SEVENTEEN_DIGITS, visibleText } from '../../shared/logic/order-text';

export type { OrderInText } from '../../shared/logic/order-text';

/** Tag names of our own UI hosts: their (shadow) content is never scanned. */
export const CONTROL_TAG = 'atrip-stop-control';
export const BAR_TAG = 'atrip-stop-bar';
const OWN_TAGS = new Set([CONTROL_TAG, BAR_TAG]);

/**
 * Elements whose text is never an order shown to the agent (or is the agent's own input). An
 * `<iframe>`'s fallback text is a text node of the page (Chromium parses it so) that is never shown.
 */
const SKIPPED_TAGS = new Set('input textarea select option script style noscript template iframe'.split(' '));

/** Inline (phrasing) elements: text flows through them, and a control goes right after them. */
const INLINE_TAGS = new Set(
  'a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong sub sup time tt u var wbr button label'.split(' '),
);

/** A control inside one of these would activate it (navigate, submit…): it goes after them instead. */
const INTERACTIVE = 'a[href],button,label,summary,[role=button],[role=link]';

/**
 * Transient layers: tooltips, popovers and dropdowns that UI libraries append to body. popper.js v1
 * marks them `x-placement` (Element UI 2, whose poppers are all `.el-popper`), popper.js v2 and
 * floating-ui users `data-popper-placement` (Element Plus: `.el-popper` too), tippy.js its root.
 */
export const TRANSIENT_LAYERS =
  '[role=tooltip],[x-placement],[data-popper-placement],[data-tippy-root],.el-popper,' +
  '.ant-tooltip,.ant-popover,.ant-dropdown,.ant-select-dropdown,.vxe-table--tooltip-wrapper';

export interface OrderOccurrence {
  orderNo: string;
  /** The text nodes holding the number's characters, in document order (one unless it is split). */
  texts: Text[];
  /** The first of them. */
  text: Text;
  /** Which number of its run of text (0, 1…): a run may hold several numbers. */
  index: number;
  /** Offset of the number in the run's visible text. */
  offset: number;
  /** The element the control belongs to: the link or inline element holding the number, or its block. */
  anchor: Element;
  /**
   * `after-anchor`: the anchor is inline (a link, a span…), the control goes right after it.
   * `after-text`: the number sits directly in a block (a table cell, a div): the control goes right
   * after the text (or the inline element ending the number), inside the block — never between cells.
   */
  placement: 'after-anchor' | 'after-text';
  /** The node the control goes right after. */
  after: Node;
}

/**
 * Whether a text node may hold a number, or part of one (a cheap test, before reading its run):
 * 17 digits in a row, or letters or digits beside other text or inside inline markup.
 */
export function mayHoldNumber(text: Text): boolean {
  const visible = visibleText(text.data);
  if (SEVENTEEN_DIGITS.test(visible)) return true;
  const parent = text.parentElement;
  return /[A-Z0-9]/.test(visible) && !!(text.previousSibling || text.nextSibling || (parent && isInline(parent)));
}

export function isOwnHost(node: Node): boolean {
  return node.nodeType === 1 && OWN_TAGS.has((node as Element).localName);
}

function isEditable(element: Element): boolean {
  // `localName`/attribute reads only: `isContentEditable` would need style, and this runs per element.
  const value = element.getAttribute('contenteditable');
  return value !== null && value.toLowerCase() !== 'false';
}

/** Whether an element's own content must not be scanned (the element itself, not its ancestors). */
export function isSkippedElement(element: Element): boolean {
  const name = element.localName;
  return SKIPPED_TAGS.has(name) || OWN_TAGS.has(name) || isEditable(element);
}

/** Whether a node is inside (or is) something never scanned; checks its ancestors up to `stop` (the document by default). */
export function isInSkippedArea(node: Node, stop: Node | null = null): boolean {
  for (let element = node.nodeType === 1 ? (node as Element) : node.parentElement; element && element !== stop; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/** Whether a node is inside a tooltip, popover or dropdown layer (see `TRANSIENT_LAYERS`). */
export function isInTransientLayer(node: Node): boolean {
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return !!element?.closest(TRANSIENT_LAYERS);
}

/** Text flows through it (an inline element we do not skip). */
export const isInline = (element: Element) => INLINE_TAGS.has(element.localName) && !isSkippedElement(element);

/**
 * Whether a block with this computed style cuts off inline content that does not fit: `overflow`
 * hidden (or clip) and no wrapping, or a flex row. A control after a number there may be invisible.
 */
export function clipsInline(style: Pick<CSSStyleDeclaration, 'overflowX' | 'whiteSpace' | 'display'>): boolean {
  if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') return false;
  return /^(nowrap|pre)$/.test(style.whiteSpace) || /flex$/.test(style.display);
}

/** The nearest ancestor that is not inline: where a run of text holding `node` starts and ends. */
export function blockOf(node: Node): Element | null {
  let element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  while (element && isInline(element) && element.parentElement) element = element.parentElement;
  return element;
}

/**
 * The text node right before `text` in reading order when only inline markup (element boundaries,
 * `<wbr>`, comments) lies between them: the previous part of a split number. Null when anything else (a block, `<br>`, an image, our own control…) lies between.
 */
export function previousInlineText(text: Text): Text | null {
  let node: Node = text;
  for (;;) {
    let previous = node.previousSibling;
    if (!previous) {
      const parent = node.parentNode;
      if (!parent || parent.nodeType !== 1 || !isInline(parent as Element)) return null;
      node = parent;
      continue;
    }
    // Into the previous sibling's last descendant, through inline elements only.
    for (;;) {
      if (previous.nodeType === 3) return previous as Text;
      if (previous.nodeType !== 1) break; // a comment
      if (!isInline(previous as Element)) return null;
      if (!previous.lastChild) break; // <wbr>, an empty span
      previous = previous.lastChild;
    }
    node = previous;
  }
}

function commonParent(first: Text, last: Text): Element | null {
  if (first === last) return first.parentElement;
  for (let element = first.parentElement; element; element = element.parentElement) {
    if (element.contains(last)) return element;
  }
  return null;
}

/** Where the control of a number held by these text nodes goes; null when they are not in the page. */
export function placementOf(texts: Text[]): Pick<OrderOccurrence, 'anchor' | 'placement' | 'after'> | null {
  const last = texts[texts.length - 1]!;
  const common = commonParent(texts[0]!, last);
  if (!common) return null;
  const interactive = common.closest(INTERACTIVE);
  if (interactive) return { anchor: interactive, placement: 'after-anchor', after: interactive };
  if (isInline(common)) return { anchor: common, placement: 'after-anchor', after: common };
  let after: Node = last;
  while (after.parentNode !== common) after = after.parentNode!;
  return { anchor: common, placement: 'after-text', after };
}

/** The numbers in one run of inline-adjacent text nodes (see `previousInlineText`). */
function occurrencesInRun(run: Text[], root: Node): OrderOccurrence[] {
  // The common case first, without building strings: one text node, no 17 digits.
  if (run.length === 1 && !SEVENTEEN_DIGITS.test(run[0]!.data) && !HAS_INVISIBLE.test(run[0]!.data)) return [];
  const visible = run.map((text) => visibleText(text.data));
  const numbers = orderNumbersIn(visible.join(''));
  // Checked only here, on the few runs that hold a number: cheaper than per text node.
  if (numbers.length === 0 || isInSkippedArea(run[0]!, root) || isInTransientLayer(run[0]!)) return [];
  const found: OrderOccurrence[] = [];
  let index = 0;
  for (const { orderNo, offset: start } of numbers) {
    const end = start + orderNo.length;
    const texts: Text[] = [];
    let at = 0;
    run.forEach((text, i) => {
      const length = visible[i]!.length;
      if (length > 0 && at < end && at + length > start) texts.push(text);
      at += length;
    });
    const where = placementOf(texts);
    if (where) found.push({ orderNo, texts, text: texts[0]!, index: index++, offset: start, ...where });
  }
  return found;
}

/**
 * A TreeWalker over the text nodes of `root`. It has no JS filter on purpose: a filter is a call
 * from the browser into the content script's world for every node (~150 ms on 2,000 rows).
 */
export function createTextWalker(root: Node): TreeWalker {
  const doc = root.ownerDocument ?? (root as Document);
  return doc.createTreeWalker(root, 0x4 /* SHOW_TEXT */);
}

/**
 * Reads the runs of text of a walker one at a time, so that a caller may pause between them
 * (chunked scanning of long lists). `next()` gives the occurrences of the next run holding a number.
 */
export function createRunReader(root: Node) {
  const walker = createTextWalker(root);
  let pending = walker.nextNode() as Text | null;
  return {
    walker,
    /** The occurrences of the next run that holds any; null at the end. */
    next(): OrderOccurrence[] | null {
      while (pending) {
        const run = [pending];
        let text = walker.nextNode() as Text | null;
        while (text && previousInlineText(text) === run[run.length - 1]) {
          run.push(text);
          text = walker.nextNode() as Text | null;
        }
        pending = text;
        const found = occurrencesInRun(run, root);
        if (found.length > 0) return found;
      }
      return null;
    },
  };
}

/** Every order-number occurrence under `root`, in document order. */
export function findOrders(root: Node): OrderOccurrence[] {
  if (isInSkippedArea(root)) return [];
  if (root.nodeType === 3) return occurrencesInRun([root as Text], root.parentNode ?? root);
  const reader = createRunReader(root);
  const found: OrderOccurrence[] = [];
  for (let run = reader.next(); run; run = reader.next()) found.push(...run);
  return found;
}
