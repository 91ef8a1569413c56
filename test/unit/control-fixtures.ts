/** Fakes for the in-page control's tests: a page store without a browser, English labels, trusted events. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import type { Request, Response } from '@/utils/shared/messages';
import type { TrackedOrder } from '@/utils/shared/logic/record';
import { createPageStore, type StoreDeps } from '@/utils/content/logic/page-store';
import { record } from './fixtures';

export { record };

const messages = JSON.parse(readFileSync(path.resolve('public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

/** English labels as Chrome would give them ($1… substituted); throws on a missing key. */
export function translate(key: string, substitutions?: string | string[]): string {
  const entry = messages[key];
  if (!entry) throw new Error(`Missing locale key ${key}`);
  const subs = substitutions === undefined ? [] : [substitutions].flat();
  return entry.message.replace(/\$([1-9])/g, (_, n: string) => subs[Number(n) - 1] ?? '');
}


export interface FakeDeps extends StoreDeps {
  sent: Request[];
  /** What the background answers (default: ok with a `requesting` record). */
  reply: (request: Request) => Response | Promise<Response>;
  /** Pushes a storage change, as `watchOrders` would. */
  change(orderNo: string, record: TrackedOrder | null): void;
  stored: Map<string, TrackedOrder>;
  configuredValue: boolean;
  clock: number;
}

export function fakeDeps(overrides: Partial<FakeDeps> = {}): FakeDeps {
  let watcher: ((orderNo: string, record: TrackedOrder | null) => void) | null = null;
  const deps: FakeDeps = {
    sent: [],
    stored: new Map(),
    configuredValue: true,
    clock: 10_000,
    reply: (request) =>
      request.type === 'stop' ? { ok: true, record: record(request.orderNo, 'requesting', { requestedAt: deps.clock }) } : { ok: true },
    send: vi.fn(async (request: Request) => {
      deps.sent.push(request);
      return deps.reply(request);
    }),
    loadRecords: vi.fn(async (orderNos: string[]) => new Map(orderNos.map((n) => [n, deps.stored.get(n) ?? null]))),
    watch: (callback) => {
      watcher = callback;
      return () => {
        watcher = null;
      };
    },
    change: (orderNo, value) => watcher?.(orderNo, value),
    isConfigured: async () => deps.configuredValue,
    now: () => deps.clock,
    ...overrides,
  };
  return deps;
}

export function fakeStore(overrides: Partial<FakeDeps> = {}) {
  const deps = fakeDeps(overrides);
  return { deps, store: createPageStore(deps) };
}

/** A click as the user makes it (`isTrusted` true; happy-dom has no trusted events of its own). */
export function trustedClick(element: Element) {
  // detail 1: a pointer's click (a keyboard's has 0: see utils/content/activation.ts).
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, detail: 1 });
  Object.defineProperty(event, 'isTrusted', { value: true });
  element.dispatchEvent(event);
}

/** A page script's `element.click()`. */
export function untrustedClick(element: Element) {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
  Object.defineProperty(event, 'isTrusted', { value: false });
  element.dispatchEvent(event);
}

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));
