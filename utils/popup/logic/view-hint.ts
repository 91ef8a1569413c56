/**
 * Which orders the popup showed last time, and in which order: a hint that lets the next open read
 * only the records of its first screen (every order in progress, the newest finished ones) instead of
 * all of them. Storage stays the truth: the popup renders records it has just read, never the hint, and
 * reads everything else right after. Pure (the popup keeps the hint in its localStorage).
 */
// Relative imports: the benchmark and the browser tests (no `@/` alias there) import this module too.
// No zod here (states.ts, order-text.ts): the popup reads its hint before zod is loaded (early-read.ts).
import { ORDER_NUMBER_PATTERN } from '../../shared/logic/order-text';
import { isInProgress } from '../../shared/logic/states';
import type { TrackedOrder } from '../../shared/logic/record';

export const HINT_KEY = 'atrip-stop-ticket:popup-view';

/** Finished orders shown on opening; more on demand ("Show more"). Every order in progress is always shown. */
export const FIRST_FINISHED = 20;
/** Finished orders added by each "Show more". */
export const MORE_FINISHED = 50;

export interface HintEntry {
  inProgress: boolean;
}
/** In the popup's order: the orders in progress newest first, then the finished ones newest first. */
export type ViewHint = Map<string, HintEntry>;

/*
 * One order a line, `<orderNo> <1 in progress|0>`, under a version line, already in the popup's order
 * (in progress newest first, then finished newest first): the first screen is the first lines, so the
 * popup asks for its records before it decodes the rest (early-read.ts), and nothing is sorted on
 * opening. Storage stays the truth: this only says which records to read first.
 */
const VERSION = 'v2';

const newestFirst = (a: TrackedOrder, b: TrackedOrder) => b.requestedAt - a.requestedAt;

export function encodeHint(records: Iterable<TrackedOrder>): string {
  const sorted = [...records].sort(newestFirst);
  const lines = [VERSION];
  for (const r of sorted) if (isInProgress(r.state)) lines.push(`${r.orderNo} 1`);
  for (const r of sorted) if (!isInProgress(r.state)) lines.push(`${r.orderNo} 0`);
  return lines.join('\n');
}

/**
 * Reads the hint's lines in order, calling `take` with each until it returns false. False when the
 * text is not a hint of this version or a line read is damaged (or an order in progress comes after a
 * finished one).
 */
function eachLine(text: string | null, take: (orderNo: string, inProgress: boolean) => boolean): boolean {
  if (!text) return false;
  const lines = text.split('\n');
  if (lines[0] !== VERSION) return false;
  let finishedSeen = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const flag = line.charAt(line.length - 1);
    const orderNo = line.slice(0, -2);
    if (line.charAt(line.length - 2) !== ' ' || (flag !== '0' && flag !== '1') || !ORDER_NUMBER_PATTERN.test(orderNo)) return false;
    const inProgress = flag === '1';
    if (inProgress && finishedSeen) return false;
    finishedSeen ||= !inProgress;
    if (!take(orderNo, inProgress)) break;
  }
  return true;
}

/** The hint, or null when there is none or it is not one (then the popup reads every record). */
export function decodeHint(text: string | null): ViewHint | null {
  const hint: ViewHint = new Map();
  return eachLine(text, (orderNo, inProgress) => (hint.set(orderNo, { inProgress }), true)) ? hint : null;
}

/**
 * `firstScreen(decodeHint(text), <the hint's own orders>, finishedPage)` from the first lines alone
 * (the popup's first read leaves before the rest is decoded); null when those lines are no hint.
 */
export function hintFirstScreen(text: string | null, finishedPage: number): string[] | null {
  const orders: string[] = [];
  let finished = 0;
  const ok = eachLine(text, (orderNo, inProgress) => {
    if (!inProgress && finished++ >= finishedPage) return false;
    orders.push(orderNo);
    return true;
  });
  return ok ? orders : null;
}

/**
 * Rows drawn by the popup's first render: more than a 600 px popup (Chrome's limit) shows at once
 * (three to five rows), so a scroll right after opening still meets drawn rows. The rest of the first
 * screen is read, validated and drawn right after, a frame later.
 */
export const FIRST_VIEW = 10;

/**
 * The first screen's orders, in the order the popup lists them: every one the hint does not know (new
 * since: most likely in progress, and the newest), then every one that was in progress, newest first,
 * then the `finishedPage` newest finished ones. `existing`: the order numbers in storage now. Its first
 * FIRST_VIEW are the ones the first render draws. Linear: the hint is in this order already.
 */
export function firstScreen(hint: ViewHint, existing: readonly string[], finishedPage: number): string[] {
  const present = new Set(existing);
  const orders = existing.filter((orderNo) => !hint.has(orderNo));
  let finished = 0;
  for (const [orderNo, entry] of hint) {
    if (!entry.inProgress && finished >= finishedPage) break;
    if (!present.has(orderNo)) continue;
    orders.push(orderNo);
    if (!entry.inProgress) finished++;
  }
  return orders;
}

/**
 * Of the orders in storage (`existing`), how many are in progress: by their record where it is read,
 * by the hint otherwise (an order it does not know, and not read, counts as in progress).
 */
export function hintedInProgress(hint: ViewHint, existing: readonly string[], read: ReadonlyMap<string, Pick<TrackedOrder, 'state'>> = new Map()): number {
  let count = 0;
  for (const orderNo of existing) {
    const record = read.get(orderNo);
    if (record ? isInProgress(record.state) : hint.get(orderNo)?.inProgress !== false) count++;
  }
  return count;
}
