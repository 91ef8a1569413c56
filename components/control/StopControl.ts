// One job, ~410 lines: one control's view (its parts made from the state, the countdown patched) and its activations; its words are status-text.ts, the confirmation's readiness confirm-guard.ts, the checks activation.ts, its elements element.ts.
/**
 * The control beside one order number: "Stop ticketing" → a confirmation naming the order, in the
 * top layer beside the control → the live state of the order (requesting, intercepting with a
 * countdown, intercepted ✓, issued ✗, refused, error and unknown with Check again and Retry). Every
 * activation goes through `refuseActivation` (trusted events only; the page re-read at each step).
 *
 * Made directly in the DOM (utils/content/element.ts), no virtual DOM: a change of what is shown
 * (the state, confirming, configured, multi) makes the control's parts again, keeping the focus on
 * the same part; the countdown, the checkbox, Check again's look-up under way, Confirm's readiness and
 * the announcement are patched in place. The confirmation and the notice stay the same elements while open (they
 * float in the top layer: making them again would close them).
 */
import { refuseActivation, type Refusal } from '@/utils/content/activation';
import { canCheckAgain, canStartStop } from '@/utils/shared/logic/states';
import type { Translate } from '@/utils/shared/logic/failure-text';
import { createConfirmGuard } from '@/utils/content/confirm-guard';
import { h } from '@/utils/content/element';
import { reentrantUpdate } from '@/utils/content/logic/reentrant-update';
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

/** The parts that can hold the focus, by their role: the same role gets it back when the parts are made again. */
interface Focusable {
  main?: HTMLButtonElement;
  select?: HTMLInputElement;
  status?: HTMLSpanElement;
  check?: HTMLButtonElement;
  link?: HTMLAnchorElement;
}

/**
 * Focus given back inside the page's cell never scrolls: the page's clipped containers (a fixed
 * column's `overflow: hidden` body) would stay scrolled, every row's control and checkbox cut off,
 * with nothing the agent can scroll back.
 */
const IN_PLACE: FocusOptions = { preventScroll: true };

export class StopControl {
  /** The control, for its shadow root. */
  readonly element = h('span');
  #props: StopControlProps;
  #state: ControlViewState;
  /** The parts made from the state (before the confirmation, the notice and the live region). */
  #parts: HTMLElement[] = [];
  /** What the parts were made from: a change makes them again. */
  #shape = '';
  #focusable: Focusable = {};
  /** The status's words: the countdown patches this text node. */
  #text = new Text();
  #confirmation: HTMLSpanElement | null = null;
  #confirmButton: HTMLButtonElement | null = null;
  #cancelButton: HTMLButtonElement | null = null;
  #notice: HTMLSpanElement | null = null;
  #noticeText = new Text();
  #live = h('span', { class: 'sr-only', 'aria-live': 'polite' });
  #lastState: ControlState;
  #focusAfterConfirm = false;
  #closeConfirmation: (() => void) | null = null;
  #stopClock: (() => void) | null = null;
  #unsubscribe: (() => void)[];
  #closeNotice: (() => void) | null = null;
  #disposed = false;
  /** When the open confirmation may take input (see confirm-guard.ts). */
  #guard = createConfirmGuard((ready) => {
    if (ready || this.#state.confirmReady) this.#set({ confirmReady: ready });
  });

  constructor(props: StopControlProps) {
    this.#props = props;
    this.#state = { ...this.#read(), phase: 'normal', announcement: '', checking: false, confirmReady: false, refusal: null };
    this.#lastState = controlState(this.#state.view);
    this.element.append(this.#live);
    const { store, orderNo } = props;
    // Changes of this order only; page-wide facts rarely (see `PageStore.subscribePage`).
    this.#unsubscribe = [store.subscribe(orderNo, this.#refresh), store.subscribePage(this.#refresh)];
    this.#update();
  }

  /** The cell's kind was decided after the control was made (placement.ts). */
  setCompact(compact: boolean | undefined) {
    this.#props = { ...this.#props, compact };
    this.#update();
  }

  dispose() {
    this.#disposed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#stopClock?.();
    this.#closeConfirmation?.();
    this.#guard.close();
    this.#closeNotice?.();
    this.element.remove();
  }

  #read() {
    const { store, orderNo } = this.#props;
    return { view: store.view(orderNo), configured: store.configured(), multi: store.multi() };
  }

  #refresh = () => this.#set(this.#read());

  #set(patch: Partial<ControlViewState>) {
    Object.assign(this.#state, patch);
    this.#update();
  }

  /** Shows the state, then acts on it; a change of state on the way is shown before this returns. */
  #update = reentrantUpdate(() => {
    if (this.#disposed) return false;
    this.#render();
    this.#afterRender();
  });

  /** After each render: the host's state, the countdown's clock, announcements, the confirmation. */
  #afterRender() {
    const { store, orderNo, host, translate } = this.#props;
    const { view, phase } = this.#state;
    const state = controlState(view);
    if (host.getAttribute('data-state') !== state) host.setAttribute('data-state', state);
    if (state === 'intercepting') this.#stopClock ??= store.subscribeClock(() => this.#update());
    else if (this.#stopClock) {
      this.#stopClock();
      this.#stopClock = null;
    }
    if (state !== this.#lastState) {
      this.#lastState = state;
      // The state found at load is not news (2,000 controls would all speak); a change after that is.
      if (!view.initial || view.sending) {
        this.#set({ announcement: state === 'idle' ? '' : `${orderNo}: ${statusText(state, view, store.now(), translate)}` });
      }
      if (!canStartStop(state) && phase === 'confirm') this.#set({ phase: 'normal' }); // stopped from elsewhere meanwhile
      if (this.#focusAfterConfirm) {
        this.#focusAfterConfirm = false;
        this.#focusable.status?.focus(IN_PLACE);
      }
    }
    if (this.#state.phase === 'confirm' && !this.#closeConfirmation && this.#confirmation) {
      // Closed when the page scrolls (the row moves): opened again where it is now.
      this.#closeConfirmation = showBeside(this.#confirmation, host, () => this.#set({ phase: 'normal' }));
      this.#cancelButton?.focus();
      this.#guard.open(this.#confirmation);
    } else if (this.#state.phase !== 'confirm' && this.#closeConfirmation) {
      this.#closeConfirmation();
      this.#closeConfirmation = null;
      this.#guard.close();
      if (this.#state.confirmReady) this.#set({ confirmReady: false });
    }
    if (this.#state.refusal && !this.#closeNotice && this.#notice) {
      this.#closeNotice = showBeside(this.#notice, host, () => this.#set({ refusal: null }));
    } else if (!this.#state.refusal && this.#closeNotice) {
      this.#closeNotice();
      this.#closeNotice = null;
    }
  }

  #render() {
    const { orderNo, store, translate, compact = false } = this.#props;
    const { view, configured, multi, phase, announcement, checking, confirmReady, refusal } = this.#state;
    const state = controlState(view);
    const text = statusText(state, view, store.now(), translate);
    const stoppable = canStartStop(state);
    const unconfigured = configured === false;
    // Kept while confirming: the confirmation floats in the top layer, the row keeps its layout.
    const showCheckbox = multi && stoppable && !unconfigured;
    const shape = `${state} ${unconfigured} ${showCheckbox} ${canCheckAgain(state) && !!view.record} ${phase} ${compact}`;
    if (shape !== this.#shape) {
      this.#shape = shape;
      this.element.className = compact ? 'control compact' : 'control';
      this.element.setAttribute('data-state', state);
      const was = this.#focusable;
      const focused = (this.element.getRootNode() as Document | ShadowRoot).activeElement;
      const role = (Object.keys(was) as (keyof Focusable)[]).find((key) => was[key] === focused);
      for (const part of this.#parts) part.remove();
      this.#text = new Text(text);
      this.#parts = this.#makeParts(state, unconfigured, showCheckbox);
      this.element.prepend(...this.#parts);
      if (role) this.#focusable[role]?.focus(IN_PLACE);
    } else if (this.#text.data !== text) {
      this.#text.data = text;
      this.#focusable.status?.setAttribute('title', text);
    }
    if (this.#focusable.select) this.#focusable.select.checked = view.selected;
    // In place, as the focus stays on it (a disabled button made again could not take it back).
    if (this.#focusable.check) this.#focusable.check.disabled = checking;

    if (phase === 'confirm' && !this.#confirmation) {
      const question = translate('controlConfirmQuestion', orderNo);
      this.#confirmButton = h(
        'button',
        { type: 'button', class: 'btn danger', onclick: this.#onConfirm, onfocus: this.#guard.focused },
        translate('controlConfirm'),
      );
      this.#cancelButton = h('button', { type: 'button', class: 'btn', onclick: this.#cancel }, translate('controlCancel'));
      this.#confirmation = h(
        'span',
        { class: 'confirm', popover: 'manual', role: 'group', 'aria-label': question, onkeydown: this.#onConfirmKey },
        h('span', { class: 'question' }, question),
        this.#confirmButton,
        this.#cancelButton,
      );
      (this.#notice ?? this.#live).before(this.#confirmation);
    } else if (phase !== 'confirm' && this.#confirmation) {
      this.#confirmation.remove();
      this.#confirmation = this.#confirmButton = this.#cancelButton = null;
    }
    if (this.#confirmButton) this.#confirmButton.disabled = !confirmReady;

    if (refusal) {
      this.#noticeText.data = translate(refusal === 'stale' ? 'controlRefusedMoved' : 'controlRefusedHidden', orderNo);
      if (!this.#notice) {
        this.#notice = h(
          'span',
          { class: 'confirm notice', popover: 'manual', role: 'alert' },
          h('span', { class: 'question' }, this.#noticeText),
          h('button', { type: 'button', class: 'btn', onclick: () => this.#set({ refusal: null }) }, translate('controlRefusedOk')),
        );
        this.#live.before(this.#notice);
      }
    } else if (this.#notice) {
      this.#notice.remove();
      this.#notice = null;
    }
    if (this.#live.textContent !== announcement) this.#live.textContent = announcement;
  }

  /** The checkbox, the stop button or the status, Check again, Retry, the order's link: what the state offers. */
  #makeParts(state: ControlState, unconfigured: boolean, showCheckbox: boolean): HTMLElement[] {
    const { orderNo, translate, lang, pageHref, compact = false } = this.#props;
    const { view, phase } = this.#state;
    const busy = state === 'requesting' || state === 'intercepting';
    const text = this.#text.data;
    const focusable: Focusable = (this.#focusable = {});
    const parts: HTMLElement[] = [];
    /**
     * Stop (idle) and Retry stop (after refused, error, unknown): the same main button, its
     * confirmation toggle. Compact: the stop icon, its words in the title.
     */
    const stopButton = (label: string, words: string) =>
      (focusable.main = h(
        'button',
        { type: 'button', class: 'btn stop', onclick: this.#onMain, 'aria-label': label, 'aria-expanded': `${phase === 'confirm'}`, title: compact ? words : undefined },
        compact ? h('span', { class: 'icon', 'aria-hidden': 'true' }) : words,
      ));
    // Each label once, and only when shown (2,000 controls are made).
    if (showCheckbox) {
      const selectLabel = translate('controlSelect', orderNo);
      parts.push((focusable.select = h('input', { type: 'checkbox', class: 'select', checked: view.selected, onchange: this.#onSelect, 'aria-label': selectLabel, title: selectLabel })));
    }
    if (state === 'idle') {
      parts.push(
        unconfigured
          ? (focusable.main = h('button', { type: 'button', class: 'btn setup', onclick: this.#onMain, 'aria-label': translate('controlSetupLabel') }, translate('controlSetup')))
          : stopButton(translate('controlStopLabel', orderNo), translate('controlStop')),
      );
    } else {
      const mark = state === 'intercepted' ? '✓' : state === 'issued' ? '✗' : compact && !busy ? (state === 'unknown' ? '?' : '!') : '';
      parts.push(
        (focusable.status = h(
          'span',
          { class: `status s-${state}`, tabindex: -1, title: text },
          busy && h('span', { class: 'spinner', 'aria-hidden': 'true' }),
          mark && h('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
          h('span', { class: compact ? 'sr-only' : 'text' }, this.#text),
        )),
      );
    }
    // Compact (drawn over a clipped number): marks instead of words, the words in the title and the
    // accessible name, so the actions fit in the cell and the number's end stays in sight.
    const glyph = (mark: string) => h('span', { 'aria-hidden': 'true' }, mark);
    if (canCheckAgain(state) && view.record) {
      const words = translate('controlCheckAgain');
      parts.push(
        (focusable.check = h(
          'button',
          { type: 'button', class: 'btn', onclick: this.#onCheckAgain, 'aria-label': translate('controlCheckAgainLabel', orderNo), title: compact ? words : undefined },
          compact ? glyph('↻') : words,
        )),
      );
    }
    if (state !== 'idle' && canStartStop(state)) parts.push(stopButton(translate('controlRetryLabel', orderNo), translate('controlRetry')));
    if (state === 'unknown') {
      const words = translate('controlOpenOrder');
      parts.push(
        (focusable.link = h(
          'a',
          {
            class: 'link',
            href: orderPageUrl(orderNo, pageHref(), lang),
            target: '_blank',
            rel: 'noopener noreferrer',
            'aria-label': compact ? words : undefined,
            title: compact ? words : undefined,
          },
          compact ? glyph('↗') : words,
        )),
      );
    }
    return parts;
  }

  /**
   * Whether an activation may proceed. When the number beside us changed, nothing happens: the
   * scanner replaces this control with the new number's in the same frame.
   */
  #accepted(event: Event, checkVisible = true) {
    const { isCurrent, host, hostStyle } = this.#props;
    return this.#settle(refuseActivation(event, { isCurrent, ...(checkVisible && { host, hostStyle: hostStyle ?? (() => null) }) }));
  }

  /** A refusal closes the confirmation; one the agent cannot have meant is explained where it can be seen. */
  #settle(refused: Refusal | null) {
    if (refused === null) return true;
    if (refused === 'too-soon' || refused === 'untrusted') return false;
    if (refused === 'focus-moved') {
      this.#cancelButton?.focus();
      return false;
    }
    this.#set({ phase: 'normal', refusal: refused });
    return false;
  }

  #cancel = () => {
    this.#set({ phase: 'normal' });
    // Made again, the main button takes the focus back.
    this.#focusable.main?.focus(IN_PLACE);
  };

  #onMain = async (event: MouseEvent) => {
    if (this.#state.phase === 'confirm') return this.#cancel(); // the button toggles the confirmation
    if (!this.#accepted(event)) return;
    const { store } = this.#props;
    // Not configured (or not known yet): ask again, the agent may just have saved the options.
    if (this.#state.configured !== true && !(await store.refreshConfigured())) {
      await store.openOptions();
      return;
    }
    this.#set({ phase: 'confirm' });
  };

  #onConfirm = (event: MouseEvent) => {
    const { isCurrent, host, hostStyle, store, orderNo } = this.#props;
    if (!this.#settle(refuseActivation(event, { isCurrent, host, hostStyle: hostStyle ?? (() => null), ...this.#guard.evidence() }))) return;
    this.#set({ phase: 'normal' });
    this.#focusAfterConfirm = true;
    void store.stop(orderNo);
  };

  /** One look-up, no stop: no confirmation needed. */
  #onCheckAgain = async (event: MouseEvent) => {
    if (!this.#accepted(event, false) || this.#state.checking) return;
    this.#set({ checking: true });
    try {
      await this.#props.store.checkAgain(this.#props.orderNo);
    } finally {
      this.#set({ checking: false });
    }
  };

  #onConfirmKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.#cancel();
    }
  };

  #onSelect = (event: Event) => {
    const box = event.currentTarget as HTMLInputElement;
    if (!this.#accepted(event)) {
      box.checked = this.#state.view.selected; // a page script's click: undo it
      return;
    }
    this.#props.store.setSelected(this.#props.orderNo, box.checked);
  };
}
