/**
 * Finding ATRIP order numbers in a page (pure DOM reading, no browser APIs: unit-tested in happy-dom).
 *
 * An order number is five capital letters and 17 digits, as a whole word: not preceded or followed
 * by an ASCII letter or digit (Chinese text right beside it is fine: `订单号TESTA…`). Only text that
 * sits in ONE text node is found: a number split across elements (`<b>TESTA</b>2026…`) is not
 * matched, on purpose — we could not place a control beside it, nor re-read it safely at click time.
 */

/** Tag names of our own UI hosts: their (shadow) content is never scanned. */
export const CONTROL_TAG = 'atrip-stop-control';
export const BAR_TAG = 'atrip-stop-bar';
const OWN_TAGS = new Set([CONTROL_TAG, BAR_TAG]);

/** Elements whose text is never an order shown to the agent (or is the agent's own input). */
const SKIPPED_TAGS = new Set(['input', 'textarea', 'select', 'option', 'script', 'style', 'noscript', 'template', 'iframe']);

/** Same pattern as `utils/order-number.ts`, unanchored and as a whole word. */
const ORDER_IN_TEXT = /(?<![A-Za-z0-9])[A-Z]{5}\d{17}(?![A-Za-z0-9])/g;
/** Cheap pre-test: a text node without 17 digits in a row cannot hold an order number. */
const SEVENTEEN_DIGITS = /\d{17}/;

/** Inline (phrasing) elements: the control goes right after them, in the same line. */
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'button', 'label',
]);

/** A control inside one of these would activate it (navigate, submit…): it goes after them instead. */
const INTERACTIVE = 'a[href], button, label, summary, [role="button"], [role="link"]';

export interface OrderInText {
  orderNo: string;
  /** Character offset in the text. */
  offset: number;
}

export interface OrderOccurrence {
  orderNo: string;
  /** The text node holding the number. */
  text: Text;
  /** Which occurrence in that text node (0, 1…): a text node may hold several numbers. */
  index: number;
  offset: number;
  /** The element holding the number; the control is placed right after it (see `placement`). */
  anchor: Element;
  /**
   * `after-anchor`: the anchor is inline (a link, a span…), the control goes right after it.
   * `after-text`: the number sits directly in a block (a table cell, a div): the control goes right
   * after the text node, inside the block — never between table cells.
   */
  placement: 'after-anchor' | 'after-text';
}

/** Every whole-word order number in a string, in order. */
export function orderNumbersIn(text: string): OrderInText[] {
  if (!SEVENTEEN_DIGITS.test(text)) return [];
  const found: OrderInText[] = [];
  for (const match of text.matchAll(ORDER_IN_TEXT)) found.push({ orderNo: match[0], offset: match.index });
  return found;
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

/** Whether a node is inside (or is) something never scanned; checks its ancestors up to the document. */
export function isInSkippedArea(node: Node): boolean {
  for (let element = node.nodeType === 1 ? (node as Element) : node.parentElement; element; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/** Where a control for a number in this text node goes. */
export function anchorFor(text: Text): Pick<OrderOccurrence, 'anchor' | 'placement'> | null {
  const parent = text.parentElement;
  if (!parent) return null;
  const interactive = parent.closest(INTERACTIVE);
  if (interactive) return { anchor: interactive, placement: 'after-anchor' };
  return { anchor: parent, placement: INLINE_TAGS.has(parent.localName) ? 'after-anchor' : 'after-text' };
}

/** The occurrences in one text node (its ancestors are not checked: see `isInSkippedArea`). */
export function occurrencesIn(text: Text): OrderOccurrence[] {
  const numbers = orderNumbersIn(text.data);
  if (numbers.length === 0) return [];
  const where = anchorFor(text);
  if (!where) return [];
  return numbers.map(({ orderNo, offset }, index) => ({ orderNo, text, index, offset, ...where }));
}

/**
 * A TreeWalker over the text nodes of `root` that may hold an order number; the caller may pause
 * between `nextNode()` calls (chunked scanning of long lists). It has no JS filter on purpose:
 * a filter is a call from the browser into the content script's world for every node (~150 ms on
 * 2,000 rows). Skipped areas are checked on the few candidate text nodes instead (`nextCandidate`).
 */
export function createOrderWalker(root: Node): TreeWalker {
  const doc = root.ownerDocument ?? (root as Document);
  return doc.createTreeWalker(root, 0x4 /* SHOW_TEXT */);
}

/**
 * The next text node of the walker that holds 17 digits in a row and is not inside an input,
 * a script, an editable area or our own UI (checked up to `root`; `root` itself is the caller's).
 */
export function nextCandidate(walker: TreeWalker): Text | null {
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (SEVENTEEN_DIGITS.test((node as Text).data) && !hasSkippedAncestor(node, walker.root)) return node as Text;
  }
  return null;
}

function hasSkippedAncestor(node: Node, stop: Node): boolean {
  for (let element = node.parentElement; element && element !== stop; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/** Every order-number occurrence under `root`, in document order. */
export function findOrders(root: Node): OrderOccurrence[] {
  if (isInSkippedArea(root)) return [];
  if (root.nodeType === 3) return occurrencesIn(root as Text);
  const walker = createOrderWalker(root);
  const found: OrderOccurrence[] = [];
  for (let text = nextCandidate(walker); text; text = nextCandidate(walker)) found.push(...occurrencesIn(text));
  return found;
}
