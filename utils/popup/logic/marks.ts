/**
 * The popup's performance marks (User Timing), read by bench/popup-trace.ts and the browser tests:
 * when the early script's storage reads left (utils/popup/early-read.ts), and when the popup's module
 * graph had evaluated and its app started (entrypoints/popup/main.tsx).
 */
export const READS_LEFT_MARK = 'atrip-popup:reads-left';
export const APP_START_MARK = 'atrip-popup:app-start';
