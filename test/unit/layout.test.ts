/**
 * The layout the README describes, checked: the folder says which context code runs in and whether
 * it touches the browser.
 * - `utils/<context>/` and `components/<context>/`: code of one context (`background`, `content`
 *   (views: `components/control`), `popup`, `options`), or of several (`shared`);
 * - `…/logic/`: no extension API, no page global (`document`, `window`, …), no Preact, and at run
 *   time it imports only other `logic/` files: it runs as is in Node.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONTEXTS = ['background', 'content', 'popup', 'options', 'shared'] as const;
type Context = (typeof CONTEXTS)[number];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}
const FILES = ['entrypoints', 'components', 'utils'].flatMap(sourceFiles);
const KNOWN = new Set(FILES);

function code(file: string): string {
  // Comments may name anything; only code counts.
  return readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** What a file imports at run time (`import type` left out), as project paths. */
function runtimeImports(file: string): string[] {
  const found: string[] = [];
  for (const m of code(file).matchAll(/^(?!import type\b)(?:import|export)\b[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
    const spec = (m[1] ?? m[2])!;
    const base = spec.startsWith('@/') ? spec.slice(2) : spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : null;
    if (!base) continue;
    const bare = base.split('?')[0]!;
    const hit = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'].map((e) => bare + e).find((p) => KNOWN.has(p));
    if (hit) found.push(hit);
  }
  return found;
}

/** The context a file belongs to, by its folder (an entrypoint: the context it starts; `popup-early`: the popup's). */
function contextOf(file: string): Context | null {
  const [top, sub] = file.split('/');
  if (top === 'entrypoints') return sub!.replace(/\.tsx?$/, '').split('-')[0] as Context;
  if (top === 'components' && sub === 'control') return 'content';
  return (CONTEXTS as readonly string[]).includes(sub!) ? (sub as Context) : null;
}
const isLogic = (file: string) => file.split('/').includes('logic');

const BROWSER_BOUND =
  /from '(wxt\/browser|@wxt-dev\/[^']+|wxt\/utils\/[^']+|webextension-polyfill|preact[^']*)'|\b(browser|chrome)\.[a-z]+\.|\b(document|window|navigator|location|localStorage|sessionStorage)\.|\bgetComputedStyle\(|\brequestAnimationFrame\(|\bnew (MutationObserver|IntersectionObserver|MessageChannel|Blob)\b/;

describe('layout', () => {
  it('puts every file of utils/ and components/ in a context folder', () => {
    const outside = FILES.filter((f) => contextOf(f) === null);
    expect(outside).toEqual([]);
  });

  it('keeps logic/ free of the browser: no extension API, no page global, no Preact', () => {
    const bound = FILES.filter(isLogic).filter((f) => BROWSER_BOUND.test(code(f)));
    expect(bound).toEqual([]);
  });

  it('lets logic/ import only logic/', () => {
    const wrong = FILES.filter(isLogic).flatMap((f) => runtimeImports(f).filter((d) => !isLogic(d)).map((d) => `${f} → ${d}`));
    expect(wrong).toEqual([]);
  });

  it('lets a context (its entrypoint included) import only itself and shared', () => {
    const wrong = FILES.flatMap((f) =>
      runtimeImports(f)
        .filter((d) => contextOf(d) !== contextOf(f) && contextOf(d) !== 'shared')
        .map((d) => `${f} → ${d}`),
    );
    expect(wrong).toEqual([]);
  });
});
