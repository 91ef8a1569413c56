/**
 * The control beside one order number: "Stop ticketing" → a confirmation naming the order, in the
 * top layer beside the control → the live state of the order (requesting, intercepting with a
 * countdown, intercepted ✓, issued ✗, refused, error with retry, unknown with a link). Every
 * activation goes through `refuseActivation` (trusted events only; the page re-read at each step).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { refuseActivation } from './activation';
import { canStop, controlState, formatCountdown, orderPageUrl, type ControlState, type OrderView } from './format';
import { useNow, useOrderView, usePageView } from './hooks';
import type { PageStore } from './page-store';
import { showBeside } from './popover';

export type Translate = (key: string, substitutions?: string | string[]) => string;

export interface StopControlProps {
  orderNo: string;
  store: PageStore;
  /** The element in the page carrying `data-atrip-order` / `data-state`. */
  host: Element;
  /** Re-reads the page at click time: false when the number beside us is no longer `orderNo`. */
  isCurrent: () => boolean;
  translate: Translate;
  lang: 'en' | 'zh';
  /** The page's address, for the link to the order's detail page. */
  pageHref: () => string;
  /**
   * In a cell that clips its content the control sits over the end of the number: as small as it
   * gets, a mark for the state, its words in the title and the accessible name.
   */
  compact?: boolean;
}

type Phase = 'normal' | 'confirm';

function statusText(state: ControlState, view: OrderView, now: number, translate: Translate): string {
  const record = view.record;
  switch (state) {
    case 'idle':
      return '';
    case 'requesting':
      return translate('controlRequesting');
    case 'intercepting': {
      const left = record?.nextCheckAt === undefined ? 0 : record.nextCheckAt - now;
      return left > 0 ? translate('controlIntercepting', formatCountdown(left)) : translate('controlChecking');
    }
    case 'intercepted':
      return translate('controlIntercepted');
    case 'issued':
      return translate('controlIssued');
    case 'refused':
      return translate('controlRefused', record?.lastMessage || `status ${record?.lastStatus ?? '?'}`);
    case 'error':
      return translate('controlError', view.sendError ?? record?.failure ?? '?');
    case 'unknown':
      return translate('controlUnknown');
  }
}

export function StopControl({ orderNo, store, host, isCurrent, translate, lang, pageHref, compact = false }: StopControlProps) {
  const view = useOrderView(store, orderNo);
  const { configured, multi } = usePageView(store);
  const state = controlState(view);
  const now = useNow(store, state === 'intercepting');
  const [phase, setPhase] = useState<Phase>('normal');
  const [announcement, setAnnouncement] = useState('');
  const mainButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const confirmation = useRef<HTMLSpanElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const lastState = useRef<ControlState>(state);
  const focusAfterConfirm = useRef(false);

  useLayoutEffect(() => {
    host.setAttribute('data-state', state);
  }, [host, state]);

  // Announce state changes (not the state found at load: 2,000 controls would all speak).
  const text = statusText(state, view, now, translate);
  useEffect(() => {
    if (lastState.current === state) return;
    lastState.current = state;
    // The state found at load is not news; a change after that is.
    if (!view.initial || view.sending) setAnnouncement(state === 'idle' ? '' : `${orderNo}: ${statusText(state, view, store.now(), translate)}`);
    if (!canStop(state) && phase === 'confirm') setPhase('normal'); // stopped from elsewhere meanwhile
    if (focusAfterConfirm.current) {
      focusAfterConfirm.current = false;
      statusRef.current?.focus();
    }
  }, [state]);

  useLayoutEffect(() => {
    if (phase !== 'confirm' || !confirmation.current) return;
    // Closed when the control scrolls out of view (its number is not in sight any more).
    const close = showBeside(confirmation.current, host, () => setPhase('normal'));
    cancelButton.current?.focus();
    return close;
  }, [phase]);

  const stoppable = canStop(state);
  const unconfigured = configured === false;

  /**
   * Whether an activation may proceed. When the number beside us changed, nothing happens: the
   * scanner replaces this control with the new number's in the same frame.
   */
  function accepted(event: Event): boolean {
    const refusal = refuseActivation(event, isCurrent);
    if (refusal === 'stale') setPhase('normal');
    return refusal === null;
  }

  async function onMain(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (phase === 'confirm') return cancel(); // the button toggles the confirmation
    if (!accepted(event)) return;
    // Not configured (or not known yet): ask again, the agent may just have saved the options.
    if (configured !== true && !(await store.refreshConfigured())) {
      await store.openOptions();
      return;
    }
    setPhase('confirm');
  }

  function onConfirm(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (!accepted(event)) return;
    setPhase('normal');
    focusAfterConfirm.current = true;
    void store.stop(orderNo);
  }

  function cancel() {
    setPhase('normal');
    // After the re-render the main button exists again.
    setTimeout(() => mainButton.current?.focus(), 0);
  }

  function onConfirmKey(event: JSX.TargetedKeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  }

  function onSelect(event: JSX.TargetedEvent<HTMLInputElement>) {
    const box = event.currentTarget;
    if (!accepted(event)) {
      box.checked = view.selected; // a page script's click: undo it
      return;
    }
    store.setSelected(orderNo, box.checked);
  }

  // Kept while confirming: the confirmation floats in the top layer, the row keeps its layout.
  const showCheckbox = multi && stoppable && !unconfigured;
  const busy = state === 'requesting' || state === 'intercepting';
  const mark = state === 'intercepted' ? '✓' : state === 'issued' ? '✗' : compact && !busy ? (state === 'unknown' ? '?' : '!') : '';

  return (
    <span class={compact ? 'c compact' : 'c'} data-state={state}>
      {showCheckbox && (
        <input
          type="checkbox"
          class="sel"
          checked={view.selected}
          onChange={onSelect}
          aria-label={translate('controlSelect', orderNo)}
          title={translate('controlSelect', orderNo)}
        />
      )}
      {state === 'idle' &&
        (unconfigured ? (
          <button type="button" class="btn setup" ref={mainButton} onClick={onMain} aria-label={translate('controlSetupLabel')}>
            {translate('controlSetup')}
          </button>
        ) : (
          <button
            type="button"
            class="btn stop"
            ref={mainButton}
            onClick={onMain}
            aria-label={translate('controlStopLabel', orderNo)}
            aria-expanded={phase === 'confirm'}
            title={compact ? translate('controlStop') : undefined}
          >
            {compact ? <span class="icon" aria-hidden="true" /> : translate('controlStop')}
          </button>
        ))}
      {state !== 'idle' && (
        <span class={`status s-${state}`} ref={statusRef} tabIndex={-1} title={text}>
          {busy && <span class="spinner" aria-hidden="true" />}
          {mark && (
            <span class="mark" aria-hidden="true">
              {mark}
            </span>
          )}
          <span class={compact ? 'sr' : 'text'}>{text}</span>
        </span>
      )}
      {state === 'error' && (
        <button
          type="button"
          class="btn stop"
          ref={mainButton}
          onClick={onMain}
          aria-label={translate('controlRetryLabel', orderNo)}
          aria-expanded={phase === 'confirm'}
        >
          {translate('controlRetry')}
        </button>
      )}
      {state === 'unknown' && (
        <a class="link" href={orderPageUrl(orderNo, pageHref(), lang)} target="_blank" rel="noopener noreferrer">
          {translate('controlOpenOrder')}
        </a>
      )}
      {phase === 'confirm' && (
        <span
          class="confirm"
          popover="manual"
          ref={confirmation}
          role="group"
          aria-label={translate('controlConfirmQuestion', orderNo)}
          onKeyDown={onConfirmKey}
        >
          <span class="question">{translate('controlConfirmQuestion', orderNo)}</span>
          <button type="button" class="btn danger" onClick={onConfirm}>
            {translate('controlConfirm')}
          </button>
          <button type="button" class="btn" ref={cancelButton} onClick={cancel}>
            {translate('controlCancel')}
          </button>
        </span>
      )}
      <span class="sr" aria-live="polite">
        {announcement}
      </span>
    </span>
  );
}
