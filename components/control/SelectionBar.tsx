/**
 * The floating bar of the multi-select: "Stop N selected" → one confirmation listing the orders →
 * one stop per order. Shown only while something is selected.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { usePageView, useSelection } from './hooks';
import type { PageStore } from './page-store';
import { refuseActivation } from './activation';
import type { Translate } from './StopControl';

export interface SelectionBarProps {
  store: PageStore;
  translate: Translate;
}

export function SelectionBar({ store, translate }: SelectionBarProps) {
  const selection = useSelection(store);
  const { configured } = usePageView(store);
  const [confirming, setConfirming] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (selection.length === 0) setConfirming(false);
  }, [selection.length]);

  const visible = selection.length > 0 && configured !== false;

  function open(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (refuseActivation(event)) return;
    setConfirming(true);
  }

  function confirm(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (refuseActivation(event)) return;
    const orders = store.selection();
    setConfirming(false);
    store.clearSelection();
    for (const orderNo of orders) void store.stop(orderNo);
    setAnnouncement(translate('controlSentSelected', String(orders.length)));
  }

  function onKey(event: JSX.TargetedKeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape' && confirming) {
      event.preventDefault();
      setConfirming(false);
    }
  }

  return (
    <div class="bar-wrap">
      {visible && (
        <div class="bar" role="region" aria-label={translate('controlBarLabel')} onKeyDown={onKey}>
          {confirming ? (
            <div class="bar-confirm" role="group" aria-label={translate('controlConfirmSelected', String(selection.length))}>
              <div class="question">{translate('controlConfirmSelected', String(selection.length))}</div>
              <ul class="orders">
                {selection.map((orderNo) => (
                  <li key={orderNo}>{orderNo}</li>
                ))}
              </ul>
              <div class="actions">
                <button type="button" class="btn danger" onClick={confirm}>
                  {translate('controlConfirmSelectedButton', String(selection.length))}
                </button>
                <button type="button" class="btn" ref={cancelButton} onClick={() => setConfirming(false)}>
                  {translate('controlCancel')}
                </button>
              </div>
            </div>
          ) : (
            <div class="actions">
              <button type="button" class="btn stop" onClick={open}>
                {translate('controlStopSelected', String(selection.length))}
              </button>
              <button type="button" class="btn" onClick={() => store.clearSelection()}>
                {translate('controlClearSelection')}
              </button>
            </div>
          )}
        </div>
      )}
      <span class="sr" aria-live="polite">
        {announcement}
      </span>
    </div>
  );
}
