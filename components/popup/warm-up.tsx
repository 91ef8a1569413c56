/**
 * While the popup's first storage answer is on its way (its frame drawn, the main thread idle), runs
 * once what the first rows will need, so that it is not cold then: one zod parse of a fixed sample
 * record, one row drawn into a detached element and dropped. Each step in its own task, and only
 * while the first rows are not read yet: it never stands before the answer's handling longer than one
 * step, and never shows anything.
 */
import { render } from 'preact';
import { parseRecord } from '@/utils/shared/logic/record';
import { warmSample } from '@/utils/popup/logic/warm-sample';
import { OrderRow } from './OrderRow';

const noAction = () => Promise.resolve();
const noCopy = () => Promise.resolve(false);

/** Starts the warm-up; `answered()`: the first rows are read (then it stops). Returns its cancel. */
export function warmFirstRows(locale: string, answered: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let record: ReturnType<typeof parseRecord> = null;
  const steps = [
    () => {
      record = parseRecord(warmSample(Date.now()));
    },
    () => {
      if (!record) return;
      const host = document.createElement('ul');
      render(<OrderRow record={record} locale={locale} onAction={noAction} onCopy={noCopy} />, host);
      render(null, host);
    },
  ];
  let frame = 0;
  const next = () => {
    timer = setTimeout(() => {
      if (answered()) return;
      steps.shift()!();
      if (steps.length > 0) next();
    }, 0);
  };
  // After the frame is painted (a task after the animation frame): the frame itself goes first.
  // requestAnimationFrame does not run in a hidden page: the time-out covers that.
  timer = setTimeout(next, 50);
  if (typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      clearTimeout(timer);
      next();
    });
  }
  return () => {
    clearTimeout(timer);
    if (frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
  };
}
