/** `--only`: which sections of `npm run bench` run. No import: bench/run.ts reads it before any build. */

/** The sections `npm run bench` knows, in the order it runs them (`--only` takes these names). */
export const SECTIONS = ['size', 'page', 'popup', 'changes', 'outcome'] as const;
export type SectionName = (typeof SECTIONS)[number];

/**
 * `--only <section>[,<section>…]`: run only these sections (e.g. `--only popup`); every section
 * otherwise. An unknown name is an error, not a silent empty run.
 */
export function onlySections(argv: readonly string[] = process.argv.slice(2)): Set<SectionName> {
  const i = argv.indexOf('--only');
  if (i < 0) return new Set(SECTIONS);
  const names = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes one or more of ${SECTIONS.join(', ')} (comma-separated); got "${argv[i + 1] ?? ''}"`);
  return new Set(names as SectionName[]);
}
