/** CSV export of the tracked orders: RFC 4180 quoting, CRLF line ends, UTF-8 BOM for Excel. */
import { HISTORY_HEAD, type OrderState, type TrackedOrder } from '../shared/logic/record';
import { failureText, type Translate } from '../shared/logic/failure-text';
import { historyLine, type HistoryWords } from './logic/history-text';
import { formatSortable } from '../shared/logic/format';

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

/** What the export needs to word records in the UI language. */
export interface OrdersCsvWords {
  translate: Translate;
  /** The state in words. */
  stateWord: (state: OrderState) => string;
}

/**
 * The history export, one row per step: a supervisor filters by order, sorts by time or looks for
 * every time-out of the day in Excel. Each row repeats the order's columns (order, state,
 * requested, decided, last message), then the step: its time, what happened, ATRIP's status and
 * msg verbatim, the order status read, what went wrong, what was decided. An order without any
 * step keeps one row. Text from outside that a spreadsheet would run stays text (defuseFormula).
 */
export function ordersCsv(orders: readonly TrackedOrder[], { translate, stateWord }: OrdersCsvWords): string {
  const headers = [
    'popupCsvOrder',
    'popupCsvState',
    'popupCsvRequested',
    'popupCsvDecided',
    'popupCsvMessage',
    'popupCsvStepTime',
    'popupCsvStep',
    'popupCsvAtripStatus',
    'popupCsvAtripMessage',
    'popupCsvOrderStatus',
    'popupCsvDetails',
    'popupCsvDecision',
  ];
  const rows: CsvValue[][] = [headers.map((key) => translate(key))];
  const words = { translate, stateWord, time: formatSortable };
  const text = (value: string | undefined) => defuseFormula(value ?? '');
  for (const o of orders) {
    const failure = o.failure && failureText(o.failure, translate);
    const message = o.state === 'error' ? (failure ?? o.lastMessage) : (o.lastMessage ?? failure);
    const order: CsvValue[] = [o.orderNo, stateWord(o.state), formatSortable(o.requestedAt), formatSortable(o.finishedAt), text(message)];
    const steps = historyRows(o, words);
    if (steps.length === 0) rows.push(order);
    for (const step of steps) rows.push([...order, ...step.map((value) => (typeof value === 'string' ? text(value) : value))]);
  }
  return CSV_BOM + toCsv(rows);
}

/** The step columns of each history entry; a row for the steps a long history did not keep. */
function historyRows(record: TrackedOrder, words: HistoryWords): CsvValue[][] {
  const rows = record.history.map((entry): CsvValue[] => {
    const line = historyLine(entry, words);
    return [
      formatSortable(line.at),
      line.step,
      line.status,
      line.msg,
      line.orderStatus,
      [line.reason, ...line.notes].filter(Boolean).join('; '),
      line.decision,
    ];
  });
  if (record.historyDropped) rows.splice(HISTORY_HEAD, 0, ['', words.translate('popupHistoryDropped', String(record.historyDropped))]);
  return rows;
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
