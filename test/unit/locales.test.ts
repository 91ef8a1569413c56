/**
 * Both locales carry the same keys with the same placeholders, and every key is used by the code.
 * A key counts as used when it appears as a whole word in entrypoints/, components/, utils/ or as
 * `__MSG_key__` in wxt.config.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

const root = process.cwd();
const load = (locale: string) =>
  JSON.parse(readFileSync(path.join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Messages;
const en = load('en');
const zh = load('zh_CN');

/** `$1`…`$9` and named `$name$` placeholders, sorted; `$$` is a literal dollar. */
function placeholders(entry: Messages[string]): string[] {
  const text = entry.message.replace(/\$\$/g, '');
  const found = [...text.matchAll(/\$([1-9])(?![0-9])|\$([a-zA-Z0-9_@]+)\$/g)].map((m) => (m[1] ? `$${m[1]}` : `$${m[2]!.toLowerCase()}$`));
  const named = Object.entries(entry.placeholders ?? {}).map(([name, p]) => `${name.toLowerCase()}=${p.content}`);
  return [...new Set(found)].sort().concat(named.sort());
}

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(tsx?|jsx?|html|css)$/.test(name) ? [rel] : [];
  });
}

describe('locales', () => {
  it('have the same keys in en and zh_CN', () => {
    const missingInZh = Object.keys(en).filter((k) => !(k in zh));
    const missingInEn = Object.keys(zh).filter((k) => !(k in en));
    expect({ missingInZh, missingInEn }).toEqual({ missingInZh: [], missingInEn: [] });
  });

  it('have a non-empty message for every key', () => {
    for (const [locale, messages] of [['en', en], ['zh_CN', zh]] as const) {
      const empty = Object.entries(messages).filter(([, v]) => typeof v?.message !== 'string' || v.message.trim() === '');
      expect(empty.map(([k]) => `${locale}:${k}`)).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    const differ = Object.keys(en)
      .filter((k) => k in zh)
      .filter((k) => JSON.stringify(placeholders(en[k]!)) !== JSON.stringify(placeholders(zh[k]!)))
      .map((k) => `${k}: en ${placeholders(en[k]!).join(' ')} / zh_CN ${placeholders(zh[k]!).join(' ')}`);
    expect(differ).toEqual([]);
  });

  it('are all used by the extension', () => {
    const sources = [...sourceFiles('entrypoints'), ...sourceFiles('components'), ...sourceFiles('utils')]
      .map((file) => readFileSync(path.join(root, file), 'utf8'))
      .join('\n');
    const config = readFileSync(path.join(root, 'wxt.config.ts'), 'utf8');
    const unused = Object.keys(en).filter(
      (key) => !new RegExp(`\\b${key}\\b`).test(sources) && !config.includes(`__MSG_${key}__`),
    );
    expect(unused).toEqual([]);
  });

  it('hold every key the code names: each locale-key-like literal in the source is a message', () => {
    // A key is named in the source as a quoted literal (`t('popupSending')`, a key table's values);
    // one with a message family's prefix that has no message would show as the bare key.
    const prefixes = new Set(Object.keys(en).map((key) => /^[a-z]+/.exec(key)![0]));
    const named = new Map<string, string>();
    for (const file of [...sourceFiles('entrypoints'), ...sourceFiles('components'), ...sourceFiles('utils')]) {
      for (const [, key] of readFileSync(path.join(root, file), 'utf8').matchAll(/['"`]([a-z]+[A-Z][A-Za-z0-9]*)['"`]/g)) {
        if (prefixes.has(/^[a-z]+/.exec(key!)![0])) named.set(key!, file);
      }
    }
    expect(named.size).toBeGreaterThan(100);
    const missing = [...named].filter(([key]) => !(key in en) || !(key in zh)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('words the language itself, for URLs and dates (uiLanguage)', () => {
    expect([en.uiLanguage?.message, zh.uiLanguage?.message]).toEqual(['en', 'zh']);
  });

  it('has the state words the popup shows, one per contract state', () => {
    for (const key of ['stateRequesting', 'stateIntercepting', 'stateIntercepted', 'stateIssued', 'stateRefused', 'stateError', 'stateUnknown']) {
      expect(en[key], key).toBeDefined();
      expect(zh[key], key).toBeDefined();
      expect(zh[key]!.message).not.toBe(en[key]!.message);
    }
  });
});
