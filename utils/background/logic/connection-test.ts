import { queryOrder, type AtripConfig, type QueryResult } from './atrip-client';
import type { ConnectionReport } from '../../shared/messages';
import { failureOf } from './history-entry';

/** Syntactically valid, and no real order carries it: querying it stops nothing. */
export const PROBE_ORDER_NO = 'ZZZZZ00000000000000000';

/** ATRIP's codes for credentials it does not accept. */
const AUTH_STATUSES = new Set([900, 901, 902]);

/**
 * The test's result, structured: the options page words it in the agent's language (ATRIP's
 * `msg` stays as ATRIP wrote it).
 */
export function reportConnection(result: QueryResult): ConnectionReport {
  if (result.kind === 'refused') {
    const rejected = AUTH_STATUSES.has(result.status);
    return { ok: !rejected, verdict: rejected ? 'rejected' : 'accepted', status: result.status, msg: result.msg };
  }
  if (result.kind === 'found') return { ok: true, verdict: 'accepted', status: 0, ...(result.msg && { msg: result.msg }) };
  return { ok: false, verdict: 'failed', failure: failureOf(result) };
}

export async function testConnection(config: AtripConfig): Promise<ConnectionReport> {
  return reportConnection(await queryOrder(config, PROBE_ORDER_NO));
}
