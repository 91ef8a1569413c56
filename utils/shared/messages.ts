// zod/mini: the content script (loaded by every portal page) validates replies with these.
import { z } from './logic/zod';
import { browser } from 'wxt/browser';
import { t } from './i18n';
import { orderNumberSchema } from './logic/order-number';
import { failureSchema, trackedOrderSchema } from './logic/record';

/** Every message to the background, validated on arrival; anything else is rejected. */
export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stop'), orderNo: orderNumberSchema, pageUrl: z.optional(z.string()) }),
  z.object({ type: z.literal('checkNow'), orderNo: orderNumberSchema }),
  // One look-up of an order that ended unknown or error (never a stop): the page may ask it too.
  z.object({ type: z.literal('checkAgain'), orderNo: orderNumberSchema }),
  z.object({ type: z.literal('retry'), orderNo: orderNumberSchema }),
  z.object({ type: z.literal('remove'), orderNo: orderNumberSchema }),
  z.object({ type: z.literal('openOrder'), orderNo: orderNumberSchema }),
  z.object({ type: z.literal('openOptions') }),
  // A page's content script asks this instead of reading the settings (which hold the secret).
  z.object({ type: z.literal('isConfigured') }),
  z.object({ type: z.literal('testConnection'), settings: z.unknown() }),
]);
export type Request = z.input<typeof requestSchema>;
export type RequestType = Request['type'];

/** What a page's content script may ask; the rest is for the extension's own pages. */
export const CONTENT_SCRIPT_REQUESTS: readonly RequestType[] = ['stop', 'checkAgain', 'openOptions', 'isConfigured'];

/** The options page's connection test, structured: the page words it in the agent's language. */
export const connectionReportSchema = z.object({
  ok: z.boolean(),
  /** ATRIP answered and took the credentials (any business status but 900-902), rejected them, or did not answer. */
  verdict: z.enum(['accepted', 'rejected', 'failed']),
  /** ATRIP's status and msg, verbatim. */
  status: z.optional(z.int()),
  msg: z.optional(z.string()),
  /** No answer: what went wrong. */
  failure: z.optional(failureSchema),
});
export type ConnectionReport = z.infer<typeof connectionReportSchema>;

export const responseSchema = z.union([
  z.object({
    ok: z.literal(true),
    record: z.optional(trackedOrderSchema),
    report: z.optional(connectionReportSchema),
    configured: z.optional(z.boolean()),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type Response = z.infer<typeof responseSchema>;

/** Sends a request to the background and validates its reply; never throws. */
export async function sendRequest(request: Request): Promise<Response> {
  try {
    const reply = responseSchema.safeParse(await browser.runtime.sendMessage(request));
    return reply.success ? reply.data : { ok: false, error: t('commonUnexpectedReply') };
  } catch (error) {
    // The worker may be starting or the extension reloaded: say so instead of failing silently
    // (in the UI language; the browser's own words follow as they are).
    return { ok: false, error: t('commonNoAnswer', error instanceof Error ? error.message : String(error)) };
  }
}
