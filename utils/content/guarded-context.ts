/**
 * WXT 0.21's `ContentScriptContext`, closed to the page. wxt.config.ts makes WXT's content-script
 * entry build this one instead of its own (a `resolveId` hook: only WXT's entry is redirected).
 *
 * WXT's context announces every start to the page and obeys whatever it hears back:
 * - `window.postMessage({ type: '<extension id>:content:wxt:content-script-started' })` tells
 *   every page script the extension's id (and that it runs here);
 * - a `CustomEvent` of that name on `document`, which anybody can dispatch (the page included),
 *   made a running copy invalidate itself: a page knowing the id could switch the controls off.
 *
 * Here the start is announced only by the `CustomEvent` (needed: it is how a copy orphaned by an
 * update learns that it must go; the page cannot list event names it does not know), and a copy
 * obeys it only when it is in fact orphaned: its `runtime` is gone (Chrome and Firefox clear
 * `runtime.id` of a content script whose extension was updated, reloaded or removed). A second
 * copy of the live extension (injected into a tab that already runs one) is recognised through
 * the content script's own global object, which page scripts cannot reach (the isolated world
 * in Chrome, the sandbox in Firefox), and does not start.
 */
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';

/** What WXT keeps private, read here only to reuse its event's name and detail. */
interface Internals {
  contentScriptName: string;
  id: string;
}

/** The running copy of this content script in this frame's isolated world (never the page's). */
const RUNNING = Symbol.for('atrip-stop-ticket:content-script');
type Holder = { [RUNNING]?: { isAlive(): boolean } };

/** Whether this extension's runtime is gone: the copy was orphaned by an update, reload or removal. */
export function isOrphaned(): boolean {
  try {
    return browser.runtime?.id == null;
  } catch {
    return true;
  }
}

export class GuardedContentScriptContext extends ContentScriptContext {
  /** True when a live copy of the content script already runs in this frame: this one must not start. */
  readonly duplicate: boolean;

  constructor(...args: ConstructorParameters<typeof ContentScriptContext>) {
    super(...args);
    const holder = globalThis as Holder;
    const running = holder[RUNNING];
    this.duplicate = running !== undefined && running !== this.#self && running.isAlive();
    if (this.duplicate) {
      this.notifyInvalidated();
      return;
    }
    holder[RUNNING] = this.#self;
    this.onInvalidated(() => {
      if (holder[RUNNING] === this.#self) delete holder[RUNNING];
    });
  }

  #self = { isAlive: () => !this.isInvalid };

  /** Announces the start to an orphaned older copy only: no `postMessage` to the page. */
  override stopOldScripts(): void {
    const { contentScriptName, id } = this as unknown as Internals;
    document.dispatchEvent(
      new CustomEvent(GuardedContentScriptContext.startedEventName(), { detail: { contentScriptName, messageId: id } }),
    );
  }

  /** Goes when told a newer copy started, and only if this copy is orphaned (the page can tell it too). */
  override listenForNewerScripts(): void {
    const listener = (event: Event) => {
      if (event.type !== GuardedContentScriptContext.startedEventName()) return;
      if (isOrphaned()) this.notifyInvalidated();
    };
    const name = GuardedContentScriptContext.startedEventName();
    document.addEventListener(name, listener);
    this.onInvalidated(() => document.removeEventListener(name, listener));
  }

  /** WXT's event name (`<extension id>:<entrypoint>:wxt:content-script-started`), for the older copies of WXT's own context too. */
  static startedEventName(): string {
    return (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE;
  }
}

export { GuardedContentScriptContext as ContentScriptContext };
