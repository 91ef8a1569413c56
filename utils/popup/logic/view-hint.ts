/**
 * Which orders the popup showed last time, and where: a hint that lets the next open read only the
 * records of its first screen (every order in progress, the newest finished ones) instead of all of
 * them. Storage stays the truth: the popup renders records it has just read, never the hint, and
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
  requestedAt: number;
  inProgress: boolean;
}
export type ViewHint = Map<string, HintEntry>;

/*
 * One order a line, `<orderNo> <requestedAt> <1 in progress|0>`, under a version line: a thousand
 * lines decode in well under a millisecond (the popup reads this before anything else).
 */
const VERSION = 'v1';
const LINE = /^(\S+) (\d{1,15}) ([01])$/;

export function encodeHint(records: Iterable<TrackedOrder>): string {
  const lines = [VERSION];
  for (const r of records) lines.push(`${r.orderNo} ${r.requestedAt} ${isInProgress(r.state) ? 1 : 0}`);
  return lines.join('\n');
}

/** The hint, or null when there is none or it is not one (then the popup reads every record). */
export function decodeHint(text: string | null): ViewHint | null {
  if (!text) return null;
  const lines = text.split('\n');
  if (lines[0] !== VERSION) return null;
  const hint: ViewHint = new Map();
  for (let i = 1; i < lines.length; i++) {
    const match = LINE.exec(lines[i]!);
    if (!match || !ORDER_NUMBER_PATTERN.test(match[1]!)) return null;
    hint.set(match[1]!, { requestedAt: Number(match[2]), inProgress: match[3] === '1' });
  }
  return hint;
}

/**
 * Rows drawn by the popup's first render: more than a 600 px popup (Chrome's limit) shows at once
 * (three to five rows), so a scroll right after opening still meets drawn rows. The rest of the first
 * screen is read, validated and drawn right after, a frame later.
 */
export const FIRST_VIEW = 10;

/**
 * The first screen's orders, in the order the popup lists them: every one that was in progress and
 * every one the hint does not know (new since: most likely in progress, and the newest), newest
 * first, then the `finishedPage` newest finished ones. `existing`: the order numbers in storage now.
 * Its first FIRST_VIEW are the ones the first render draws.
 */
export function firstScreen(hint: ViewHint, existing: readonly string[], finishedPage: number): string[] {
  const inProgress: [string, number][] = [];
  const finished: [string, number][] = [];
  for (const orderNo of existing) {
    const entry = hint.get(orderNo);
    if (!entry) inProgress.push([orderNo, Infinity]);
    else (entry.inProgress ? inProgress : finished).push([orderNo, entry.requestedAt]);
  }
  const newest = (a: [string, number], b: [string, number]) => (a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1);
  inProgress.sort(newest);
  finished.sort(newest);
  return [...inProgress, ...finished.slice(0, finishedPage)].map(([orderNo]) => orderNo);
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
