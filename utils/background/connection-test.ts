import { describeResult, queryOrder, type AtripConfig, type QueryResult } from '../atrip/client';
import type { ConnectionReport } from '../messages';

/** Syntactically valid, and no real order carries it: querying it stops nothing. */
export const PROBE_ORDER_NO = 'ZZZZZ00000000000000000';

/** ATRIP's codes for credentials it does not accept. */
const AUTH_STATUSES = new Set([900, 901, 902]);

export function reportConnection(result: QueryResult): ConnectionReport {
  if (result.kind === 'refused') {
    const ok = !AUTH_STATUSES.has(result.status);
    const verdict = ok ? 'ATRIP reachable, credentials accepted' : 'ATRIP rejected the credentials';
    return { ok, summary: `${verdict} (status ${result.status}: ${result.msg})` };
  }
  if (result.kind === 'accepted') return { ok: true, summary: 'ATRIP reachable, credentials accepted (status 0)' };
  return { ok: false, summary: describeResult(result) };
}

export async function testConnection(config: AtripConfig): Promise<ConnectionReport> {
  return reportConnection(await queryOrder(config, PROBE_ORDER_NO));
}
