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

/** The state in words, in the UI language (the badge never relies on colour alone). */
export function stateWord(state: OrderState): string {
  return t(STATE_KEYS[state]);
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
