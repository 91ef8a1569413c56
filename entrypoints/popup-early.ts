/**
 * The popup's first storage reads, started by a tiny classic script that popup.html's head loads
 * before its stylesheet and its module script (utils/popup/early-read.ts): a module graph evaluates
 * only once every module of it is fetched and compiled, and after the stylesheet before it; this runs
 * as the parser meets it. Built as an IIFE (`/popup-early.js`); no global of WXT's (`globalName:
 * false`): it leaves its reads on our own, `atripPopupEarlyReads`.
 */
import { startEarlyReads } from '@/utils/popup/early-read';

export default defineUnlistedScript({
  globalName: false,
  main: startEarlyReads,
});
