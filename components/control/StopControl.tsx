// One job, ~320 lines: one control's view and its activations (one class component); its words are status-text.ts, the confirmation's readiness confirm-guard.ts, the checks activation.ts.
/**
 * The control beside one order number: "Stop ticketing" → a confirmation naming the order, in the
 * top layer beside the control → the live state of the order (requesting, intercepting with a
 * countdown, intercepted ✓, issued ✗, refused, error and unknown with Check again and Retry). Every
 * activation goes through `refuseActivation` (trusted events only; the page re-read at each step).
 *
 * A class component: the content script, which every portal page loads, does without preact/hooks.
 */
import { Component, createRef, type ComponentChildren, type JSX } from 'preact';
import { refuseActivation, type Refusal } from '@/utils/content/activation';
import { canCheckAgain, canStartStop } from '@/utils/shared/logic/states';
import type { Translate } from '@/utils/shared/logic/failure-text';
import { createConfirmGuard } from '@/utils/content/confirm-guard';
import { controlState, orderPageUrl, type ControlState, type OrderView } from '@/utils/content/logic/order-view';
import type { PageStore } from '@/utils/content/logic/page-store';
import { showBeside } from '@/utils/content/popover';
import { statusText } from '@/utils/content/logic/status-text';

export type { Translate };

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
  /** The inline style the extension gave the host (the page may rewrite it: see activation.ts). */
  hostStyle?: () => string | null;
  /**
   * In a cell that clips its content the control sits over the end of the number: as small as it
   * gets, a mark for the state, its words in the title and the accessible name.
   */
  compact?: boolean;
}

type Phase = 'normal' | 'confirm';

interface ControlViewState {
  /** The order as the page's store knows it. */
  view: OrderView;
  /** Whether a client id is set (null: not known yet). */
  configured: boolean | null;
  /** More than one order on the page: the multi-select is offered. */
  multi: boolean;
  phase: Phase;
  /** Read out by screen readers (aria-live). */
  announcement: string;
  /** A "Check again" look-up is under way. */
  checking: boolean;
  /** The confirmation has been on show long enough to take input (CONFIRM_DELAY_MS). */
  confirmReady: boolean;
  /** An activation refused because the control was not plainly visible, or not where it was put: said in the top layer. */
  refusal: Refusal | null;
}

export class StopControl extends Component<StopControlProps, ControlViewState> {
  #mainButton = createRef<HTMLButtonElement>();
  #cancelButton = createRef<HTMLButtonElement>();
  #confirmation = createRef<HTMLSpanElement>();
  #statusRef = createRef<HTMLSpanElement>();
  #lastState: ControlState;
  #focusAfterConfirm = false;
  #closeConfirmation: (() => void) | null = null;
  #stopClock: (() => void) | null = null;
  #unsubscribe: (() => void)[] = [];
  #notice = createRef<HTMLSpanElement>();
  #closeNotice: (() => void) | null = null;
  /** When the open confirmation may take input (see confirm-guard.ts). */
  #guard = createConfirmGuard((ready) => {
    if (ready || this.state.confirmReady) this.setState({ confirmReady: ready });
  });

  constructor(props: StopControlProps) {
    super(props);
    this.state = { ...this.#read(), phase: 'normal', announcement: '', checking: false, confirmReady: false, refusal: null };
    this.#lastState = controlState(this.state.view);
  }

  #read() {
    const { store, orderNo } = this.props;
    return { view: store.view(orderNo), configured: store.configured(), multi: store.multi() };
  }

  #refresh = () => this.setState(this.#read());

  override componentDidMount() {
    const { store, orderNo } = this.props;
    // Changes of this order only; page-wide facts rarely (see `PageStore.subscribePage`). Nothing
    // changed since the constructor read the store: render() runs all this synchronously.
    this.#unsubscribe = [store.subscribe(orderNo, this.#refresh), store.subscribePage(this.#refresh)];
    this.componentDidUpdate();
  }

  override componentWillUnmount() {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#stopClock?.();
    this.#closeConfirmation?.();
    this.#guard.close();
    this.#closeNotice?.();
  }

  /** After each render: the host's state, the countdown's clock, announcements, the confirmation. */
  override componentDidUpdate() {
    const { store, orderNo, host, translate } = this.props;
    const { view, phase } = this.state;
    const state = controlState(view);
    if (host.getAttribute('data-state') !== state) host.setAttribute('data-state', state);
    if (state === 'intercepting') this.#stopClock ??= store.subscribeClock(() => this.forceUpdate());
    else if (this.#stopClock) {
      this.#stopClock();
      this.#stopClock = null;
    }
    if (state !== this.#lastState) {
      this.#lastState = state;
      // The state found at load is not news (2,000 controls would all speak); a change after that is.
      if (!view.initial || view.sending) {
        this.setState({ announcement: state === 'idle' ? '' : `${orderNo}: ${statusText(state, view, store.now(), translate)}` });
      }
      if (!canStartStop(state) && phase === 'confirm') this.setState({ phase: 'normal' }); // stopped from elsewhere meanwhile
      if (this.#focusAfterConfirm) {
        this.#focusAfterConfirm = false;
        this.#statusRef.current?.focus();
      }
    }
    if (phase === 'confirm' && !this.#closeConfirmation && this.#confirmation.current) {
      // Closed when the page scrolls (the row moves): opened again where it is now.
      this.#closeConfirmation = showBeside(this.#confirmation.current, host, () => this.setState({ phase: 'normal' }));
      this.#cancelButton.current?.focus();
      this.#guard.open(this.#confirmation.current);
    } else if (phase !== 'confirm' && this.#closeConfirmation) {
      this.#closeConfirmation();
      this.#closeConfirmation = null;
      this.#guard.close();
      if (this.state.confirmReady) this.setState({ confirmReady: false });
    }
    if (this.state.refusal && !this.#closeNotice && this.#notice.current) {
      this.#closeNotice = showBeside(this.#notice.current, host, () => this.setState({ refusal: null }));
    } else if (!this.state.refusal && this.#closeNotice) {
      this.#closeNotice();
      this.#closeNotice = null;
    }
  }

  override render() {
    const { orderNo, store, isCurrent, translate, lang, pageHref, compact = false, host, hostStyle } = this.props;
    const { view, configured, multi, phase, announcement, checking, confirmReady, refusal } = this.state;
    const mainButton = this.#mainButton;
    const setPhase = (next: Phase) => this.setState({ phase: next });
    const state = controlState(view);
    const text = statusText(state, view, store.now(), translate);
    const stoppable = canStartStop(state);
    const unconfigured = configured === false;

    /**
     * Whether an activation may proceed. When the number beside us changed, nothing happens: the
     * scanner replaces this control with the new number's in the same frame.
     */
    const visibility = { host, hostStyle: hostStyle ?? (() => null) };
    const accepted = (event: Event, checkVisible = true) => settle(refuseActivation(event, { isCurrent, ...(checkVisible && visibility) }));

    /** A refusal closes the confirmation; one the agent cannot have meant is explained where it can be seen. */
    const settle = (refused: Refusal | null) => {
      if (refused === null) return true;
      if (refused === 'too-soon' || refused === 'untrusted') return false;
      if (refused === 'focus-moved') {
        this.#cancelButton.current?.focus();
        return false;
      }
      this.setState({ phase: 'normal', refusal: refused });
      return false;
    };

    const cancel = () => {
      setPhase('normal');
      // After the re-render the main button exists again.
      setTimeout(() => mainButton.current?.focus(), 0);
    };

    const onMain = async (event: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
      if (phase === 'confirm') return cancel(); // the button toggles the confirmation
      if (!accepted(event)) return;
      // Not configured (or not known yet): ask again, the agent may just have saved the options.
      if (configured !== true && !(await store.refreshConfigured())) {
        await store.openOptions();
        return;
      }
      setPhase('confirm');
    };

    const onConfirm = (event: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
      if (!settle(refuseActivation(event, { isCurrent, ...visibility, ...this.#guard.evidence() }))) return;
      setPhase('normal');
      this.#focusAfterConfirm = true;
      void store.stop(orderNo);
    };

    /** One look-up, no stop: no confirmation needed. */
    const onCheckAgain = async (event: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
      if (!accepted(event, false) || checking) return;
      this.setState({ checking: true });
      try {
        await store.checkAgain(orderNo);
      } finally {
        this.setState({ checking: false });
      }
    };

    const onConfirmKey = (event: JSX.TargetedKeyboardEvent<HTMLElement>) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    };

    const onSelect = (event: JSX.TargetedEvent<HTMLInputElement>) => {
      const box = event.currentTarget;
      if (!accepted(event)) {
        box.checked = view.selected; // a page script's click: undo it
        return;
      }
      store.setSelected(orderNo, box.checked);
    };
    // Kept while confirming: the confirmation floats in the top layer, the row keeps its layout.
    const showCheckbox = multi && stoppable && !unconfigured;
    const busy = state === 'requesting' || state === 'intercepting';
    /** Stop (idle) and Retry stop (after refused, error, unknown): the same main button, its confirmation toggle. */
    const stopButton = (label: string, content: ComponentChildren, title?: string) => (
      <button type="button" class="btn stop" ref={mainButton} onClick={onMain} aria-label={label} aria-expanded={phase === 'confirm'} title={title}>
        {content}
      </button>
    );
    // Each label once, and only when shown (2,000 controls render).
    const selectLabel = showCheckbox ? translate('controlSelect', orderNo) : '';
    const question = phase === 'confirm' ? translate('controlConfirmQuestion', orderNo) : '';
    const mark = state === 'intercepted' ? '✓' : state === 'issued' ? '✗' : compact && !busy ? (state === 'unknown' ? '?' : '!') : '';

    return (
      <span class={compact ? 'control compact' : 'control'} data-state={state}>
        {showCheckbox && (
          <input
            type="checkbox"
            class="select"
            checked={view.selected}
            onChange={onSelect}
            aria-label={selectLabel}
            title={selectLabel}
          />
        )}
        {state === 'idle' &&
          (unconfigured ? (
            <button type="button" class="btn setup" ref={mainButton} onClick={onMain} aria-label={translate('controlSetupLabel')}>
              {translate('controlSetup')}
            </button>
          ) : (
            stopButton(translate('controlStopLabel', orderNo), compact ? <span class="icon" aria-hidden="true" /> : translate('controlStop'), compact ? translate('controlStop') : undefined)
          ))}
        {state !== 'idle' && (
          <span class={`status s-${state}`} ref={this.#statusRef} tabIndex={-1} title={text}>
            {busy && <span class="spinner" aria-hidden="true" />}
            {mark && (
              <span class="mark" aria-hidden="true">
                {mark}
              </span>
            )}
            <span class={compact ? 'sr-only' : 'text'}>{text}</span>
          </span>
        )}
        {canCheckAgain(state) && view.record && (
          <button type="button" class="btn" onClick={onCheckAgain} disabled={checking} aria-label={translate('controlCheckAgainLabel', orderNo)}>
            {translate('controlCheckAgain')}
          </button>
        )}
        {state !== 'idle' && stoppable && stopButton(translate('controlRetryLabel', orderNo), translate('controlRetry'))}
        {state === 'unknown' && (
          <a class="link" href={orderPageUrl(orderNo, pageHref(), lang)} target="_blank" rel="noopener noreferrer">
            {translate('controlOpenOrder')}
          </a>
        )}
        {phase === 'confirm' && (
          <span
            class="confirm"
            popover="manual"
            ref={this.#confirmation}
            role="group"
            aria-label={question}
            onKeyDown={onConfirmKey}
          >
            <span class="question">{question}</span>
            <button
              type="button"
              class="btn danger"
              onClick={onConfirm}
              disabled={!confirmReady}
              onFocus={this.#guard.focused}
            >
              {translate('controlConfirm')}
            </button>
            <button type="button" class="btn" ref={this.#cancelButton} onClick={cancel}>
              {translate('controlCancel')}
            </button>
          </span>
        )}
        {refusal && (
          <span class="confirm notice" popover="manual" ref={this.#notice} role="alert">
            <span class="question">{translate(refusal === 'stale' ? 'controlRefusedMoved' : 'controlRefusedHidden', orderNo)}</span>
            <button type="button" class="btn" onClick={() => this.setState({ refusal: null })}>
              {translate('controlRefusedOk')}
            </button>
          </span>
        )}
        <span class="sr-only" aria-live="polite">
          {announcement}
        </span>
      </span>
    );
  }
}
