// zod/mini: this schema is in the content script, which every portal page loads.
import { z } from './zod';
import { ORDER_NUMBER_PATTERN } from './order-text';

export { ORDER_NUMBER_PATTERN };

export const orderNumberSchema = z
  .string()
  .check(z.trim(), z.regex(ORDER_NUMBER_PATTERN, 'Not an ATRIP order number (5 capital letters and 17 digits)'));

export function isOrderNumber(value: unknown): value is string {
  return typeof value === 'string' && ORDER_NUMBER_PATTERN.test(value);
}

/** The ATRIP portal's detail page of an order, used when the order was not stopped from a page. */
export function portalDetailUrl(orderNo: string, lang: 'en' | 'zh' = 'en'): string {
  return `https://www.atriptech.com/#/order/detail/${orderNo}/${lang}`;
}
