import { t } from '@/utils/shared/i18n';
import type { OrderState } from '@/utils/shared/logic/record';

/** Locale keys of the state words, spelled out so the locale test finds each one in the source. */
const STATE_KEYS: Record<OrderState, string> = {
  requesting: 'stateRequesting',
  intercepting: 'stateIntercepting',
  intercepted: 'stateIntercepted',
  issued: 'stateIssued',
  refused: 'stateRefused',
  error: 'stateError',
  unknown: 'stateUnknown',
};

const words = new Map<OrderState, string>();

/**
 * The state in words, in the UI language (the badge never relies on colour alone). Asked once per
 * state: the popup's first screen names a state per row, and the UI language does not change under it.
 */
export function stateWord(state: OrderState): string {
  let word = words.get(state);
  if (word === undefined) words.set(state, (word = t(STATE_KEYS[state])));
  return word;
}

/** A mark beside the word: same meaning as the colour, for readers who cannot tell colours apart. */
export const STATE_SYMBOL: Record<OrderState, string> = {
  requesting: '…',
  intercepting: '↻',
  intercepted: '✓',
  issued: '✗',
  refused: '⊘',
  error: '!',
  unknown: '?',
};
