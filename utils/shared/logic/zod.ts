/**
 * zod/mini as every schema of the extension uses it. Extension pages and the worker forbid eval
 * (the MV3 content security policy): zod's compiled parsers can never run there, and its probe for
 * them (`new Function('')`) is a CSP violation reported on each page's first parse. Set before any
 * schema parses: every schema module imports `z` from here.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });

export { z };
