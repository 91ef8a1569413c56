/**
 * Words for structured failures and endings, through i18n (both locales): the notification, the
 * popup and the in-page control all say the same. Pure: the caller passes its translate function.
 */
import type { EndReason, Failure } from './record';

export type Translate = (key: string, substitutions?: string | string[]) => string;

/** Locale keys of malformed replies, spelled out so the locale test finds each one. */
const MALFORMED_KEYS: Record<string, string> = {
  'not-json': 'failureNotJson',
  'no-status': 'failureNoStatus',
  'no-order-status': 'failureNoOrderStatus',
  'conflicting-order-status': 'failureConflictingStatus',
};

export function failureText(failure: Failure, translate: Translate): string {
  switch (failure.kind) {
    case 'network':
      return translate('failureNetwork', failure.message ?? '');
    case 'timeout':
      return translate('failureTimeout', String(Math.round((failure.afterMs ?? 0) / 1000)));
    case 'http':
      return translate('failureHttp', String(failure.httpStatus ?? '?'));
    case 'rate-limited':
      return failure.retryAfterSeconds === undefined
        ? translate('failureRateLimited')
        : translate('failureRateLimitedWait', String(failure.retryAfterSeconds));
    case 'malformed':
      return translate(MALFORMED_KEYS[failure.reason ?? ''] ?? 'failureNoStatus');
    case 'status':
      return translate('failureStatus', [String(failure.status ?? '?'), failure.msg ?? '']);
    case 'invalid':
      return translate('failureInvalid');
    case 'blocked':
      return failure.reason === 'insecure'
        ? translate('failureInsecure', failure.message ?? '')
        : translate('failureNoPermission', failure.message ?? '');
    case 'legacy':
      return failure.text ?? '';
  }
}

/** The words of each end that is not -3 / 2 (`error`, `unknown`). */
const END_REASON_KEYS: Partial<Record<EndReason, string>> = {
  'never-received': 'endNeverReceived',
  unreachable: 'endUnreachable',
  'may-have-arrived': 'endMayHaveArrived',
  undecided: 'endUndecided',
  invalid: 'failureInvalid',
  blocked: 'endBlocked',
};

/** Why a run ended without -3 / 2 (`error`, `unknown`); undefined for the other ends. */
export function endReasonText(reason: EndReason | undefined, translate: Translate): string | undefined {
  const key = reason && END_REASON_KEYS[reason];
  return key ? translate(key) : undefined;
}
