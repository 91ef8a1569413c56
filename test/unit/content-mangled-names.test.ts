/**
 * The content script's build shortens a list of property names (`CONTENT_OWN_PROPERTIES` in
 * wxt.config.ts). That is safe only for names that stay inside the content script: a shortened key
 * of a message, a stored record or a setting would no longer be understood by the other contexts,
 * and a shortened browser API member would not exist. Held here: `utils/shared` and
 * `utils/background` (what crosses contexts) spell none of them, and no DOM object has them.
 */
// @vitest-environment happy-dom
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_OWN_PROPERTIES } from '../../wxt.config';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NAMES = CONTENT_OWN_PROPERTIES;

function code(dir: string): { file: string; text: string }[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => ({
      file: path.posix.join(dir, f),
      // Comments may name anything; only code counts.
      text: readFileSync(path.join(ROOT, dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''),
    }));
}

describe('property names shortened in the content script', () => {
  it('are plain names', () => {
    expect(NAMES.length).toBeGreaterThan(10);
    for (const name of NAMES) expect(name).toMatch(/^[A-Za-z]+$/);
  });

  it('never appear in code that crosses contexts (messages, records, settings)', () => {
    const files = [...code('utils/shared'), ...code('utils/background')];
    const found = files.flatMap(({ file, text }) => NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).map((name) => `${file}: ${name}`));
    expect(found).toEqual([]);
  });

  it('are no member of the DOM objects the content script touches', () => {
    const objects: object[] = [
      window,
      document,
      document.createElement('button'),
      document.createElement('input'),
      document.createElement('div').attachShadow({ mode: 'open' }),
      document.createTextNode(''),
      document.createTreeWalker(document),
      document.createRange(),
      getComputedStyle(document.documentElement),
      new MutationObserver(() => {}),
      new Event('click'),
      new AbortController(),
    ];
    const found = NAMES.filter((name) => objects.some((object) => name in object));
    expect(found).toEqual([]);
  });
});
