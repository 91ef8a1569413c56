/**
 * The order states and record constants, without zod: the content script (which every portal page
 * loads) imports these, while the schemas stay in `record.ts` (which re-exports them).
 */

/** One word per tracked order, the same in storage, page and popup (shared/contract.md). */
export const ORDER_STATES = ['requesting', 'intercepting', 'intercepted', 'issued', 'refused', 'error', 'unknown'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const FINAL_STATES: readonly OrderState[] = ['intercepted', 'issued', 'refused', 'error', 'unknown'];
export const isFinal = (state: OrderState) => FINAL_STATES.includes(state);
export const isInProgress = (state: OrderState) => !isFinal(state);

export const HISTORY_LIMIT = 30;

export const RECORD_VERSION = 1;
