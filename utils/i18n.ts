import { browser } from 'wxt/browser';

/** A localised string from `_locales` (following the browser language); the key itself if missing. */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key as never, substitutions) || key;
}

/** The UI language's short form, for the portal's URLs and date formatting. */
export function uiLanguage(): 'zh' | 'en' {
  return browser.i18n.getUILanguage().toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
