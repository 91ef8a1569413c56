/**
 * `npm run size`: the minified size of each bundle of the production build (`.output/chrome-mv3`)
 * against `bench/budget.json`. Builds nothing: run `npx wxt build` first. Exits 1 when a bundle
 * grew past its budget (or has none, or a budgeted bundle is gone), so CI fails on it.
 *
 *   npm run size                       # .output/chrome-mv3
 *   npm run size -- --dir path/to/build
 */
import path from 'node:path';
import { compare, measureBundles, readBudget, BUDGET_FILE } from '../bench/lib/size';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dir = path.resolve(argValue('--dir') ?? '.output/chrome-mv3');
const budgetFile = path.resolve(argValue('--budget') ?? BUDGET_FILE);

let lines;
try {
  lines = compare(measureBundles(dir), readBudget(budgetFile));
} catch (error) {
  console.error(`size: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const shown = (file: string) => (path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file));
const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US')).padStart(10);
console.log(`Bundle sizes of ${shown(dir)} vs ${shown(budgetFile)} (minified bytes; gzip for information)`);
console.log(`${pad('bundle', 12)}${'bytes'.padStart(10)}${'budget'.padStart(10)}${'used'.padStart(7)}${'gzip'.padStart(10)}  verdict`);
for (const line of lines) {
  const used = line.budget ? `${Math.round((line.bytes / line.budget) * 100)}%` : '-';
  const verdict = {
    ok: 'ok',
    over: `OVER by ${(line.bytes - line.budget!).toLocaleString('en-US')} bytes`,
    missing: 'NO BUDGET: add it to bench/budget.json',
    absent: 'NOT BUILT: remove it from bench/budget.json or fix the build',
  }[line.verdict];
  console.log(`${pad(line.name, 12)}${num(line.bytes)}${num(line.budget)}${used.padStart(7)}${num(line.gzipBytes)}  ${verdict}`);
}
const failed = lines.filter((l) => l.verdict !== 'ok');
if (failed.length > 0) {
  console.error(`size: ${failed.map((l) => l.name).join(', ')} failed the budget`);
  process.exit(1);
}
console.log('size: every bundle is within its budget');
