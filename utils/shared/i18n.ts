import { browser } from 'wxt/browser';

/** A localised string from `_locales` (following the browser language); the key itself if missing. */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key as never, substitutions) || key;
}

/**
 * The language the extension's texts are shown in, short form, for the portal's URLs and dates.
 * Read from a message of the locale in use (`uiLanguage`: `en` / `zh`), so it always agrees with
 * the words on screen: Chromium started with `--lang=zh-CN` shows the zh_CN messages while its
 * service worker's `getUILanguage()` (and `@@ui_locale`) still say `en-US`.
 */
export function uiLanguage(): 'zh' | 'en' {
  const shown = browser.i18n.getMessage('uiLanguage' as never);
  if (shown === 'zh' || shown === 'en') return shown;
  return browser.i18n.getUILanguage().toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
