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
 * Latest each step of the warm-up waits for an idle moment. Short: a page that goes from its scripts
 * straight into a long render task (Element UI) may give no idle moment before it, and a control
 * then made cold in the first slice (~15–20 ms: the labels, the stylesheet, cold code) left most
 * rows in view for after the page's layout (issue 12, traces in bench/README.md).
 */
const WARM_UP_TIMEOUT_MS = 50;
/** Idle time the warm-up control needs (13–16 ms on a busy machine): it follows the labels' read in the same idle moment then. */
const WARM_UP_MS = 20;

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
    // The labels' first read, then the warm-up, once the page is idle: its own tasks (its data, its
    // render timer) first. Portals fetch their rows after load, which leaves idle time before them,
    // sometimes one idle moment only (Element UI goes from load into its render task): the warm-up
    // takes the rest of the labels' idle moment when it is long enough, else the next one.
    let cancelIdle = whenIdle((timeLeft) => {
      void env?.lang;
      const warmUp = () => env && prepareControls(ctx.signal, env);
      if (timeLeft() >= WARM_UP_MS) warmUp();
      else cancelIdle = whenIdle(warmUp, WARM_UP_TIMEOUT_MS);
    }, WARM_UP_TIMEOUT_MS);
    ctx.onInvalidated(() => cancelIdle());
  },
});
