/**
 * In-page control: a "Stop ticketing" control beside every ATRIP order number of portal pages.
 * Small feature modules, each `init(signal, env)` undoing what it added when the signal aborts
 * (the content script is invalidated on extension reload/update).
 */
import css from './style.css?inline';
import { browserDeps } from '@/utils/content/browser-deps';
import { memoTranslate, sharedStyles, type ControlEnvironment } from '@/components/control/mount';
import { createPageStore } from '@/utils/content/logic/page-store';
import { t, uiLanguage } from '@/utils/shared/i18n';
import { init as orderControls, prepare as prepareControls } from './features/order-controls';
import { init as selectionBar } from './features/selection-bar';
import { init as configuredState } from './features/configured-state';
import { removeLeftoverControls } from './leftovers';
import { whenIdle } from '@/utils/content/schedule';

/**
 * Latest the warm-up waits for an idle moment. Short: a page that goes from its scripts straight into
 * a long render task (Element UI) may give no idle moment before it, or one only, and a control
 * then made cold in the first slice (~15–20 ms: cold code, the stylesheet, maybe the labels) left
 * rows in view for after the page's layout (issue 12, traces in bench/README.md).
 */
const WARM_UP_TIMEOUT_MS = 50;

export default defineContentScript({
  // The e2e build also runs on loopback, where the local ATRIP sandbox serves the portal
  // (shared/contract.md). Origins the agent enables at run time are registered by the background.
  matches: [
    'https://www.atriptech.com/*',
    ...(import.meta.env.MODE === 'e2e' ? ['http://127.0.0.1/*', 'http://localhost/*'] : []),
  ],
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    // A second copy of the live extension in this frame (utils/content/guarded-context.ts): the first one stays.
    if (ctx.isInvalid) return;
    removeLeftoverControls();
    // In a task of its own: evaluating the script at document_idle was one already.
    let env: ControlEnvironment | undefined;
    ctx.setTimeout(() => {
      const store = createPageStore(browserDeps);
      ctx.onInvalidated(() => store.dispose());
      // The language when a control first needs it: the first label read is a synchronous round trip
      // to the browser in Chromium (its message bundle; ~20 ms on a busy machine).
      let lang: ControlEnvironment['lang'] | undefined;
      env = { store, styles: sharedStyles(css), translate: memoTranslate(t), get lang() { return (lang ??= uiLanguage()); } };
      for (const init of [orderControls, selectionBar, configuredState]) init(ctx.signal, env);
    }, 0);
    // The labels' first read and the warm-up control, in one idle moment (~1 + 11 ms; up to ~35 ms when
    // the browser must send the labels): the page's own tasks (its data, its render timer) first.
    const cancelIdle = whenIdle(() => {
      void env?.lang;
      if (env) prepareControls(ctx.signal, env);
    }, WARM_UP_TIMEOUT_MS);
    ctx.onInvalidated(() => cancelIdle());
  },
});
