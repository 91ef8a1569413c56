/**
 * The floating bar of the multi-select: "Stop N selected" → one confirmation listing the orders →
 * one stop per order. Shown only while something is selected. Made directly in the DOM, like
 * StopControl: a change of the selection or of confirming makes the bar again (the focus kept on the
 * same button); Confirm's readiness and the announcement are patched.
 */
import type { PageStore } from '@/utils/content/logic/page-store';
import { CONFIRM_DELAY_MS, refuseActivation, type ActivationContext } from '@/utils/content/activation';
import { h } from '@/utils/content/element';
import { reentrantUpdate } from '@/utils/content/logic/reentrant-update';
import type { Translate } from './StopControl';

export interface SelectionBarProps {
  store: PageStore;
  translate: Translate;
  /** The bar's host and the inline style we gave it (fixed to the viewport): activations check both (activation.ts). */
  host?: Element;
  hostStyle?: string;
}

interface BarState {
  /** The selected orders, in selection order. */
  selection: string[];
  configured: boolean | null;
  confirming: boolean;
  /** The confirmation has been on show for CONFIRM_DELAY_MS: it takes input. */
  ready: boolean;
  announcement: string;
}

/** The bar's buttons, by their role: the same role gets the focus back when the bar is made again. */
interface Buttons {
  open?: HTMLButtonElement;
  clear?: HTMLButtonElement;
  confirm?: HTMLButtonElement;
  cancel?: HTMLButtonElement;
}

export class SelectionBar {
  /** The bar, for its shadow root. */
  readonly element = h('div', { class: 'bar-wrap' });
  #props: SelectionBarProps;
  #state: BarState;
  #bar: HTMLDivElement | null = null;
  #buttons: Buttons = {};
  /** What the bar was made from: a change makes it again. */
  #shape = '';
  #live = h('span', { class: 'sr-only', 'aria-live': 'polite' });
  #wasConfirming = false;
  #unsubscribe: (() => void)[];
  #shownAt = 0;
  #readyTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(props: SelectionBarProps) {
    this.#props = props;
    this.#state = { ...this.#read(), confirming: false, ready: false, announcement: '' };
    this.element.append(this.#live);
    const { store } = props;
    this.#unsubscribe = [store.subscribeSelection(this.#refresh), store.subscribePage(this.#refresh)];
    this.#refresh();
  }

  dispose() {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.element.remove();
  }

  #read() {
    const { store } = this.#props;
    return { selection: store.selection(), configured: store.configured() };
  }

  #refresh = () => {
    const next = this.#read();
    // Nothing selected any more: no confirmation left open.
    this.#set(next.selection.length === 0 ? { ...next, confirming: false } : next);
  };

  #set(patch: Partial<BarState>) {
    Object.assign(this.#state, patch);
    this.#update();
  }

  #update = reentrantUpdate(() => {
    this.#render();
    this.#afterRender();
  });

  #afterRender() {
    const { confirming } = this.#state;
    if (confirming && !this.#wasConfirming) {
      this.#buttons.cancel?.focus();
      this.#shownAt = performance.now();
      this.#readyTimer = setTimeout(() => this.#set({ ready: true }), CONFIRM_DELAY_MS);
    } else if (!confirming && this.#wasConfirming) {
      if (this.#readyTimer) clearTimeout(this.#readyTimer);
      if (this.#state.ready) this.#set({ ready: false });
    }
    this.#wasConfirming = confirming;
  }

  #render() {
    const { selection, configured, confirming, ready, announcement } = this.#state;
    const visible = selection.length > 0 && configured !== false;
    const shape = visible ? `${confirming} ${selection.join()}` : '';
    if (shape !== this.#shape) {
      this.#shape = shape;
      const was = this.#buttons;
      const focused = (this.element.getRootNode() as Document | ShadowRoot).activeElement;
      const role = (Object.keys(was) as (keyof Buttons)[]).find((key) => was[key] === focused);
      this.#bar?.remove();
      this.#buttons = {};
      this.#bar = visible ? this.#makeBar() : null;
      if (this.#bar) this.element.prepend(this.#bar);
      if (role) this.#buttons[role]?.focus();
    }
    if (this.#buttons.confirm) this.#buttons.confirm.disabled = !ready;
    if (this.#live.textContent !== announcement) this.#live.textContent = announcement;
  }

  #makeBar() {
    const { store, translate } = this.#props;
    const { selection, confirming } = this.#state;
    const buttons = this.#buttons;
    const count = String(selection.length);
    const question = translate('controlConfirmSelected', count);
    const button = (role: keyof Buttons, label: string, onclick: (event: MouseEvent) => void, danger = '') =>
      (buttons[role] = h('button', { type: 'button', class: `btn${danger}`, onclick }, label));
    return h(
      'div',
      { class: 'bar', role: 'region', 'aria-label': translate('controlBarLabel'), onkeydown: this.#onKey },
      confirming
        ? h(
            'div',
            { class: 'bar-confirm', role: 'group', 'aria-label': question },
            h('div', { class: 'question' }, question),
            h('ul', { class: 'orders' }, ...selection.map((orderNo) => h('li', null, orderNo))),
            h(
              'div',
              { class: 'actions' },
              button('confirm', translate('controlConfirmSelectedButton', count), this.#confirm, ' danger'),
              button('cancel', translate('controlCancel'), () => this.#set({ confirming: false })),
            ),
          )
        : h(
            'div',
            { class: 'actions' },
            button('open', translate('controlStopSelected', count), this.#open, ' stop'),
            button('clear', translate('controlClearSelection'), () => store.clearSelection()),
          ),
    );
  }

  #visibility(): ActivationContext {
    const { host, hostStyle } = this.#props;
    return host ? { host, hostStyle: () => hostStyle ?? null, hostPosition: 'fixed' } : {};
  }

  #open = (event: MouseEvent) => {
    if (!refuseActivation(event, this.#visibility())) this.#set({ confirming: true });
  };

  #confirm = (event: MouseEvent) => {
    if (refuseActivation(event, { ...this.#visibility(), shownForMs: performance.now() - this.#shownAt })) return;
    const { store, translate } = this.#props;
    const orders = store.selection();
    store.clearSelection();
    for (const orderNo of orders) void store.stop(orderNo);
    this.#set({ confirming: false, announcement: translate('controlSentSelected', String(orders.length)) });
  };

  #onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.#state.confirming) {
      event.preventDefault();
      this.#set({ confirming: false });
    }
  };
}
