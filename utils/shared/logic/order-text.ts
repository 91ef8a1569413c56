/**
 * The order-number rule, once, and order numbers in text (pure, zod-free): five capital letters and
 * 17 digits; in text, as a whole word, read the way the agent sees it — without the invisible
 * characters copied text carries.
 */

/** Five capital letters, then a 17-digit timestamp (yyyyMMddHHmmssSSS). */
const ORDER_NUMBER = '[A-Z]{5}\\d{17}';
/** A whole value that is an order number (zod-free: the content script checks records with it). */
export const ORDER_NUMBER_PATTERN = new RegExp(`^${ORDER_NUMBER}$`);
/** The same, in running text: as a whole word, not beside an ASCII letter or digit. */
const ORDER_IN_TEXT = new RegExp(`(?<![A-Za-z0-9])${ORDER_NUMBER}(?![A-Za-z0-9])`, 'g');
/** Cheap pre-test: a run of text without 17 digits in a row cannot hold an order number. */
export const SEVENTEEN_DIGITS = /\d{17}/;
/** Invisible in rendered text, often inside copied numbers: soft hyphen, zero-width space/(non-)joiner, word joiner, BOM. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
export const HAS_INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;

export interface OrderInText {
  orderNo: string;
  /** Character offset in the visible text (invisible characters removed). */
  offset: number;
}

/** The text as rendered: without the invisible characters copied text carries. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Every whole-word order number in a string, in order (offsets in its visible text). */
export function orderNumbersIn(text: string): OrderInText[] {
  const visible = visibleText(text);
  if (!SEVENTEEN_DIGITS.test(visible)) return [];
  const found: OrderInText[] = [];
  for (const match of visible.matchAll(ORDER_IN_TEXT)) found.push({ orderNo: match[0], offset: match.index });
  return found;
}
