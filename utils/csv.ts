/** CSV export of the tracked orders: RFC 4180 quoting, CRLF line ends, UTF-8 BOM for Excel. */
import type { Failure, TrackedOrder, OrderState } from './tracker/record';
import { formatSortable } from './format';

/** Excel takes a file without it for the local code page and garbles Chinese text. */
export const CSV_BOM = '\uFEFF';

export type CsvValue = string | number | null | undefined;

/** One field, quoted when it holds a comma, a quote, CR or LF (RFC 4180 §2.6), quotes doubled (§2.7). */
export function csvField(value: CsvValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records joined by CRLF, each ending with CRLF (RFC 4180 §2.1). */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/**
 * Text from outside (ATRIP's messages) that a spreadsheet would run as a formula gets a leading
 * apostrophe, which Excel hides: `=HYPERLINK(…)` in an error text must stay text.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface OrdersCsvLabels {
  order: string;
  state: string;
  requested: string;
  decided: string;
  message: string;
  /** The state in words, in the UI language. */
  stateWord: (state: OrderState) => string;
  /** A structured failure in words, in the UI language. */
  failureWord: (failure: Failure) => string;
}

/** The history export: order, state, requested, decided, last message (the failure for `error`). */
export function ordersCsv(orders: readonly TrackedOrder[], labels: OrdersCsvLabels): string {
  const rows: CsvValue[][] = [[labels.order, labels.state, labels.requested, labels.decided, labels.message]];
  for (const o of orders) {
    const failure = o.failure && labels.failureWord(o.failure);
    const message = o.state === 'error' ? (failure ?? o.lastMessage) : (o.lastMessage ?? failure);
    rows.push([
      o.orderNo,
      labels.stateWord(o.state),
      formatSortable(o.requestedAt),
      formatSortable(o.finishedAt),
      defuseFormula(message ?? ''),
    ]);
  }
  return CSV_BOM + toCsv(rows);
}

/** Offers text as a file download from an extension page (no `downloads` permission needed). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy by then; a popup that closes frees the URL anyway.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
