/**
 * The sandbox's HTTP plumbing: a reply as a value (`HttpReply`), sending it with CORS headers (or
 * cutting it short), and reading a request's body and headers.
 */
import type http from 'node:http';

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-atlas-client-id, x-atlas-client-secret, accept',
  'access-control-max-age': '600',
};

const MAX_BODY = 1 << 20;

export class HttpReply {
  /** Send the headers and the start of the body, then cut the connection: an answer that never arrives. */
  cut = false;
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {}
  static lost(value: unknown) {
    const reply = HttpReply.json(value);
    reply.cut = true;
    return reply;
  }
  static json(value: unknown, status = 200, extraHeaders: Record<string, string> = {}) {
    return new HttpReply(status, JSON.stringify(value), 'application/json; charset=utf-8', extraHeaders);
  }
  static html(body: string, status = 200) {
    return new HttpReply(status, body, 'text/html; charset=utf-8');
  }
}

export function send(res: http.ServerResponse, reply: HttpReply) {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(reply.status, {
    ...CORS_HEADERS,
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    'cache-control': 'no-store',
    ...reply.extraHeaders,
  });
  if (reply.cut) {
    // Once the response has started, a browser does not retry the request by itself: the client
    // sees a network error for a stop ATRIP took.
    res.write(reply.body.slice(0, 8), () => res.destroy());
    return;
  }
  res.end(reply.body);
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parsed JSON, or the raw string if not JSON. */
export function parseBody(raw: string): unknown {
  if (raw.trim() === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The order number in a request body (trimmed), if any. */
export function bodyOrderNo(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const orderNo = body.orderNo;
  return typeof orderNo === 'string' && orderNo.trim() !== '' ? orderNo.trim() : undefined;
}
