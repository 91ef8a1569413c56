/**
 * The control beside one order number: "Stop ticketing" → inline confirmation → the live state of
 * the order (requesting, intercepting with a countdown, intercepted ✓, issued ✗, refused, error
 * with retry, unknown with a link). Only trusted (user) activations count.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { canCheckAgain } from '@/utils/tracker/record';
import { endReasonText, failureText } from '@/utils/tracker/failure-text';
import { canStop, controlState, formatCountdown, orderPageUrl, type ControlState, type OrderView } from './format';
import { useNow, useOrderView, usePageView } from './hooks';
import type { PageStore } from './page-store';

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
}

type Phase = 'normal' | 'confirm' | 'stale';

/** An activation the user made (a real click or key press), not a page script's `element.click()`. */
export function isUserActivation(event: Event): boolean {
  return event.isTrusted === true;
}

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
      return translate('controlRefused', record?.lastMessage || translate('commonAtripStatus', String(record?.lastStatus ?? '?')));
    case 'error':
      return translate(
        'controlError',
        view.sendError ?? (record?.failure ? failureText(record.failure, translate) : endReasonText(record?.endReason, translate)) ?? '?',
      );
    case 'unknown':
      return translate('controlUnknown');
  }
}

export function StopControl({ orderNo, store, host, isCurrent, translate, lang, pageHref }: StopControlProps) {
  const view = useOrderView(store, orderNo);
  const { configured, multi } = usePageView(store);
  const state = controlState(view);
  const now = useNow(store, state === 'intercepting');
  const [phase, setPhase] = useState<Phase>('normal');
  const [announcement, setAnnouncement] = useState('');
  const [checking, setChecking] = useState(false);
  const mainButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
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

  useEffect(() => {
    if (phase === 'confirm') cancelButton.current?.focus();
  }, [phase]);

  const stoppable = canStop(state);
  const unconfigured = configured === false;

  async function onMain(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (!isUserActivation(event)) return;
    if (!isCurrent()) {
      setPhase('stale');
      return;
    }
    // Not configured (or not known yet): ask again, the agent may just have saved the options.
    if (configured !== true && !(await store.refreshConfigured())) {
      await store.openOptions();
      return;
    }
    setPhase('confirm');
  }

  function onConfirm(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (!isUserActivation(event)) return;
    if (!isCurrent()) {
      setPhase('stale');
      return;
    }
    setPhase('normal');
    focusAfterConfirm.current = true;
    void store.stop(orderNo);
  }

  /** One look-up, no stop: no confirmation needed. */
  async function onCheckAgain(event: JSX.TargetedMouseEvent<HTMLButtonElement>) {
    if (!isUserActivation(event) || checking) return;
    setChecking(true);
    try {
      await store.checkAgain(orderNo);
    } finally {
      setChecking(false);
    }
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
    if (!isUserActivation(event)) {
      box.checked = view.selected; // a page script's click: undo it
      return;
    }
    store.setSelected(orderNo, box.checked);
  }

  if (phase === 'stale') {
    return (
      <span class="c" part="control">
        <span class="status warn" role="status">
          {translate('controlChanged')}
        </span>
      </span>
    );
  }

  const showCheckbox = multi && stoppable && !unconfigured && phase === 'normal';
  const busy = state === 'requesting' || state === 'intercepting';
  const mark = state === 'intercepted' ? '✓' : state === 'issued' ? '✗' : '';

  return (
    <span class="c" data-state={state}>
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
      {phase === 'confirm' ? (
        <span class="confirm" role="group" aria-label={translate('controlConfirmQuestion', orderNo)} onKeyDown={onConfirmKey}>
          <span class="question">{translate('controlConfirmQuestion', orderNo)}</span>
          <button type="button" class="btn danger" onClick={onConfirm}>
            {translate('controlConfirm')}
          </button>
          <button type="button" class="btn" ref={cancelButton} onClick={cancel}>
            {translate('controlCancel')}
          </button>
        </span>
      ) : (
        <>
          {state === 'idle' &&
            (unconfigured ? (
              <button type="button" class="btn setup" ref={mainButton} onClick={onMain} aria-label={translate('controlSetupLabel')}>
                {translate('controlSetup')}
              </button>
            ) : (
              <button type="button" class="btn stop" ref={mainButton} onClick={onMain} aria-label={translate('controlStopLabel', orderNo)}>
                {translate('controlStop')}
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
              <span class="text">{text}</span>
            </span>
          )}
          {canCheckAgain(state) && view.record && (
            <button type="button" class="btn" onClick={onCheckAgain} disabled={checking} aria-label={translate('controlCheckAgainLabel', orderNo)}>
              {translate('controlCheckAgain')}
            </button>
          )}
          {state !== 'idle' && stoppable && (
            <button type="button" class="btn stop" ref={mainButton} onClick={onMain} aria-label={translate('controlRetryLabel', orderNo)}>
              {translate('controlRetry')}
            </button>
          )}
          {state === 'unknown' && (
            <a class="link" href={orderPageUrl(orderNo, pageHref(), lang)} target="_blank" rel="noopener noreferrer">
              {translate('controlOpenOrder')}
            </a>
          )}
        </>
      )}
      <span class="sr" aria-live="polite">
        {announcement}
      </span>
    </span>
  );
}
