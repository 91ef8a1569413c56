/**
 * The content script's context, closed to the page: what WXT 0.21's `ContentScriptContext` does for
 * us (an AbortSignal for the script's life, timers cleared with it, the hand-over from an older
 * copy), written here in full so that its location watcher and the rest of WXT's class stay out of
 * the script every portal page loads. wxt.config.ts makes WXT's content-script entry build this one
 * instead of its own (a `resolveId` hook).
 *
 * WXT's context announces every start to the page and obeys whatever it hears back:
 * - `window.postMessage({ type: '<extension id>:content:wxt:content-script-started' })` tells
 *   every page script the extension's id (and that it runs here);
 * - a `CustomEvent` of that name on `document`, which anybody can dispatch (the page included),
 *   made a running copy invalidate itself: a page knowing the id could switch the controls off.
 *
 * Here the start is announced only by the `CustomEvent` (needed: it is how a copy orphaned by an
 * update learns that it must go, WXT's own context of older versions included; the page cannot
 * list event names it does not know), and a copy obeys it only when it is in fact orphaned: its
 * `runtime` is gone (Chrome and Firefox clear `runtime.id` of a content script whose extension was
 * updated, reloaded or removed). A second copy of the live extension (injected into a tab that
 * already runs one) is recognised through the content script's own global object, which page
 * scripts cannot reach (the isolated world in Chrome, the sandbox in Firefox), and does not start.
 */
import { browser } from 'wxt/browser';

/** The running copy of this content script in this frame's isolated world (never the page's). */
const RUNNING = Symbol.for('atrip-stop-ticket:content-script');
type Holder = { [RUNNING]?: { isAlive(): boolean } };

/**
 * WXT's event name (`<extension id>:<entrypoint>:wxt:content-script-started`), for the older copies
 * of WXT's own context too. Read while the runtime is alive: an orphaned copy still knows it.
 */
const STARTED = `${browser.runtime?.id}:${import.meta.env.ENTRYPOINT}:wxt:content-script-started`;

/** Whether this extension's runtime is gone: the copy was orphaned by an update, reload or removal. */
export function isOrphaned(): boolean {
  try {
    return browser.runtime?.id == null;
  } catch {
    return true;
  }
}

export class GuardedContentScriptContext {
  /** True when a live copy of the content script already runs in this frame: this one must not start. */
  readonly duplicate: boolean;
  #controller = new AbortController();
  #self = { isAlive: () => !this.isInvalid };

  constructor(contentScriptName: string, _options?: unknown) {
    const name = STARTED;
    // To an orphaned older copy only: no `postMessage` to the page. The detail is what WXT's
    // context of older versions checks (same script, another copy's id).
    document.dispatchEvent(new CustomEvent(name, { detail: { contentScriptName, messageId: String(Math.random()) } }));
    // A newer copy started: go, but only if this copy is orphaned (the page can dispatch this too).
    document.addEventListener(name, () => isOrphaned() && this.notifyInvalidated(), { signal: this.signal });
    const holder = globalThis as Holder;
    const running = holder[RUNNING];
    this.duplicate = running !== undefined && running.isAlive();
    if (this.duplicate) {
      this.notifyInvalidated();
      return;
    }
    holder[RUNNING] = this.#self;
    this.onInvalidated(() => {
      if (holder[RUNNING] === this.#self) delete holder[RUNNING];
    });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Invalid once aborted, or as soon as the extension's runtime is found gone. */
  get isInvalid(): boolean {
    if (isOrphaned()) this.notifyInvalidated();
    return this.signal.aborted;
  }

  get isValid(): boolean {
    return !this.isInvalid;
  }

  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  notifyInvalidated(): void {
    this.abort('Content script context invalidated');
  }

  /** Calls `cb` when the context is invalidated; returns its removal. */
  onInvalidated(cb: () => void): () => void {
    this.signal.addEventListener('abort', cb);
    return () => this.signal.removeEventListener('abort', cb);
  }

  /** `setTimeout` that does not fire once the context is invalid, and is cleared with it. */
  setTimeout(handler: () => void, timeout?: number): ReturnType<typeof setTimeout> {
    const id = setTimeout(() => this.isValid && handler(), timeout);
    this.onInvalidated(() => clearTimeout(id));
    return id;
  }

  /** The name of the start event (STARTED). */
  static startedEventName(): string {
    return STARTED;
  }
}

export { GuardedContentScriptContext as ContentScriptContext };
