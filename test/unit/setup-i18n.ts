/**
 * fakeBrowser does not implement `i18n`: answer from the English `_locales` file as Chrome does
 * (`$1`…`$9` from the substitutions, named placeholders, `$$` for a dollar; '' for a missing key).
 * Tests may still `vi.spyOn(fakeBrowser.i18n, 'getMessage')`; restoreMocks brings this one back.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

const messages: Messages = en;

function fill(text: string, subs: string[]): string {
  return text.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (subs[Number(which) - 1] ?? '')));
}

export function getMessage(key: string, substitutions?: string | string[]): string {
  const entry = messages[key];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : [substitutions].flat().map(String);
  const named = entry.message.replace(/\$([a-zA-Z0-9_@]+)\$/g, (whole, name: string) => {
    const placeholder = entry.placeholders?.[name] ?? entry.placeholders?.[name.toLowerCase()];
    return placeholder ? placeholder.content : whole;
  });
  return fill(named, subs);
}

const i18n = fakeBrowser.i18n as unknown as Record<string, unknown>;
i18n.getMessage = getMessage;
i18n.getUILanguage = () => 'en';
