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
      env = { store, styles: sharedStyles(css), translate: memoTranslate(t), lang: uiLanguage() };
      for (const init of [orderControls, selectionBar, configuredState]) init(ctx.signal, env);
    }, 0);
    // And another right after it (timers due together fire in order), before the page's next ones.
    ctx.setTimeout(() => env && prepareControls(ctx.signal, env), 0);
  },
});
