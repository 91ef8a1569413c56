/**
 * The floating bar of the multi-select: "Stop N selected" → one confirmation listing the orders →
 * one stop per order. Shown only while something is selected. A class component, like StopControl.
 */
import { Component, createRef, type JSX } from 'preact';
import type { PageStore } from '@/utils/content/logic/page-store';
import { CONFIRM_DELAY_MS, refuseActivation, type ActivationContext } from '@/utils/content/activation';
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

export class SelectionBar extends Component<SelectionBarProps, BarState> {
  #cancelButton = createRef<HTMLButtonElement>();
  #unsubscribe: (() => void)[] = [];
  #shownAt = 0;
  #readyTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(props: SelectionBarProps) {
    super(props);
    this.state = { ...this.#read(), confirming: false, ready: false, announcement: '' };
  }

  #read() {
    const { store } = this.props;
    return { selection: store.selection(), configured: store.configured() };
  }

  #refresh = () => {
    const next = this.#read();
    // Nothing selected any more: no confirmation left open.
    this.setState(next.selection.length === 0 ? { ...next, confirming: false } : next);
  };

  override componentDidMount() {
    const { store } = this.props;
    this.#unsubscribe = [store.subscribeSelection(this.#refresh), store.subscribePage(this.#refresh)];
    this.#refresh();
  }

  override componentWillUnmount() {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
  }

  override componentDidUpdate(_: SelectionBarProps, previous: BarState) {
    if (this.state.confirming && !previous.confirming) {
      this.#cancelButton.current?.focus();
      this.#shownAt = performance.now();
      this.#readyTimer = setTimeout(() => this.setState({ ready: true }), CONFIRM_DELAY_MS);
    } else if (!this.state.confirming && previous.confirming) {
      if (this.#readyTimer) clearTimeout(this.#readyTimer);
      if (this.state.ready) this.setState({ ready: false });
    }
  }

  override render() {
    const { store, translate, host, hostStyle } = this.props;
    const { selection, configured, confirming, ready, announcement } = this.state;
    const visibility: ActivationContext = host ? { host, hostStyle: () => hostStyle ?? null, hostPosition: 'fixed' } : {};
    const setConfirming = (value: boolean) => this.setState({ confirming: value });
    const visible = selection.length > 0 && configured !== false;
    const count = String(selection.length);
    const question = translate('controlConfirmSelected', count);

    const open = (event: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
      if (!refuseActivation(event, visibility)) setConfirming(true);
    };

    const confirm = (event: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
      if (refuseActivation(event, { ...visibility, shownForMs: performance.now() - this.#shownAt })) return;
      const orders = store.selection();
      store.clearSelection();
      for (const orderNo of orders) void store.stop(orderNo);
      this.setState({ confirming: false, announcement: translate('controlSentSelected', String(orders.length)) });
    };

    const onKey = (event: JSX.TargetedKeyboardEvent<HTMLElement>) => {
      if (event.key === 'Escape' && confirming) {
        event.preventDefault();
        setConfirming(false);
      }
    };

    return (
      <div class="bar-wrap">
        {visible && (
          <div class="bar" role="region" aria-label={translate('controlBarLabel')} onKeyDown={onKey}>
            {confirming ? (
              <div class="bar-confirm" role="group" aria-label={question}>
                <div class="question">{question}</div>
                <ul class="orders">
                  {selection.map((orderNo) => (
                    <li key={orderNo}>{orderNo}</li>
                  ))}
                </ul>
                <div class="actions">
                  <button type="button" class="btn danger" onClick={confirm} disabled={!ready}>
                    {translate('controlConfirmSelectedButton', count)}
                  </button>
                  <button type="button" class="btn" ref={this.#cancelButton} onClick={() => setConfirming(false)}>
                    {translate('controlCancel')}
                  </button>
                </div>
              </div>
            ) : (
              <div class="actions">
                <button type="button" class="btn stop" onClick={open}>
                  {translate('controlStopSelected', count)}
                </button>
                <button type="button" class="btn" onClick={() => store.clearSelection()}>
                  {translate('controlClearSelection')}
                </button>
              </div>
            )}
          </div>
        )}
        <span class="sr-only" aria-live="polite">
          {announcement}
        </span>
      </div>
    );
  }
}
