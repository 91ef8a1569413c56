import { useState } from 'preact/hooks';
import { t } from '@/utils/shared/i18n';
import type { TrackedOrder } from '@/utils/shared/logic/record';
import { STATE_SYMBOL, stateWord } from '@/utils/popup/state-words';
import { OrderRow, type RowAction } from './OrderRow';

interface Props {
  id: string;
  title: string;
  records: readonly TrackedOrder[];
  /** How many there are, when not every record is read yet. */
  total?: number;
  /** Rows shown at first; the rest behind "Show more". Undefined: every row (orders in progress). */
  page?: number;
  /** Rows each "Show more" adds. */
  step?: number;
  /** Rows drawn in full; the ones after are drawn light for now (see LightRow). */
  full?: number;
  locale: string;
  onAction: (action: RowAction, orderNo: string) => Promise<void>;
  onCopy: (orderNo: string) => Promise<boolean>;
}

/**
 * A row below the first screen while the popup opens: the order, its state in words, and the same
 * `data-order-no` / `data-state` as the full row that replaces it a frame or two later. Plain markup,
 * no component: a hundred of them are in the first render.
 */
function lightRow({ orderNo, state }: TrackedOrder) {
  return (
    <li key={orderNo} class={`order state-${state} light`} data-order-no={orderNo} data-state={state}>
      {`${orderNo} · ${STATE_SYMBOL[state]} ${stateWord(state)}`}
    </li>
  );
}

/**
 * One section of the popup's orders. With a `page`, only that many rows are in the page at first
 * (a day's finished orders can number a thousand: opening must stay fast), then "Show more".
 */
export function OrderList({ id, title, records, total = records.length, page, step = page, full = Infinity, locale, onAction, onCopy }: Props) {
  const [limit, setLimit] = useState(page ?? Infinity);
  const count = Math.max(total, records.length);
  if (count === 0) return null;
  const shown = records.length > limit ? records.slice(0, limit) : records;
  const hidden = count - shown.length;
  return (
    <section class="orders" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span class="count">({count})</span>
      </h2>
      <ul>
        {shown.map((record, i) =>
          i < full ? (
            <OrderRow key={record.orderNo} record={record} locale={locale} onAction={onAction} onCopy={onCopy} />
          ) : (
            lightRow(record)
          ),
        )}
      </ul>
      {hidden > 0 && step !== undefined && (
        <button type="button" class="show-more" onClick={() => setLimit(shown.length + step)}>
          {t('popupShowMore', [String(Math.min(step, hidden)), String(hidden)])}
        </button>
      )}
    </section>
  );
}
