/**
 * Starts the popup's first storage reads (early-read.ts) as soon as the popup's code begins to
 * evaluate: the build puts this module in the small chunk every page of the extension imports first
 * (wxt.config.ts, `POPUP_EARLY`), ahead of the shared chunk of Preact and zod, so storage answers
 * while those evaluate. The options page imports that chunk too: only the popup starts the reads.
 */
import { startEarlyReads } from './early-read';

if (location.pathname.endsWith('/popup.html')) startEarlyReads();
