/** The extension's own locale files, as translate functions the way the browser answers (tests only). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export type LocaleName = 'en' | 'zh_CN';
export const LOCALES: readonly LocaleName[] = ['en', 'zh_CN'];

export function messagesOf(name: LocaleName): Messages {
  return JSON.parse(readFileSync(path.resolve('public/_locales', name, 'messages.json'), 'utf8')) as Messages;
}

/** A translate function over one locale's messages.json; throws on a missing key (unlike the browser, which answers ''). */
export function translator(name: LocaleName) {
  const messages = messagesOf(name);
  return (key: string, subs?: string | string[]) => {
    const entry = messages[key];
    if (!entry) throw new Error(`${name}: missing ${key}`);
    const list = subs === undefined ? [] : [subs].flat();
    return entry.message.replace(/\$([1-9])/g, (_, n: string) => list[Number(n) - 1] ?? '');
  };
}
