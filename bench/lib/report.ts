/**
 * The bench's figures and how they are reported: each section adds its figures here; the run
 * prints them as a table and writes them (with a Markdown table) to bench/results.json. A section
 * that fails is reported as not measured, and the others still run.
 */
import path from 'node:path';
import { kb, ms, round } from './stats';

export interface Figure {
  section: string;
  label: string;
  /** Milliseconds, bytes or a count, as `unit` says. */
  value: number;
  unit: 'ms' | 'bytes' | 'calls';
  baseline?: number;
  baselineLabel?: string;
  /** How the value compares with the baseline, as printed (ratio, difference, share of budget). */
  comparison: string;
  method: string;
}

export const figures: Figure[] = [];

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

/** How many times the page and popup measurements repeat (`--repeats N`, after 1 warm-up). */
export const REPEATS = option('--repeats', 5);

/** The sections to run (`--only page,popup`: names as in bench/bench.ts, case-insensitive); every section by default. */
const only = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? (args[i + 1] ?? '').toLowerCase().split(',').filter(Boolean) : null;
})();

/** Whether `--only` asked for this section (or for none, i.e. all). */
export const wanted = (name: string) => !only || only.some((o) => name.toLowerCase().startsWith(o));

export const started = Number(process.env.BENCH_STARTED) || Date.now();
export const log = (message: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

function show(figure: Figure): string {
  const format = (v: number) => (figure.unit === 'ms' ? ms(v) : figure.unit === 'bytes' ? kb(v) : String(round(v, 1)));
  return format(figure.value);
}

export function printTable(header: string) {
  const showBase = (f: Figure) =>
    f.baseline === undefined ? '' : `${f.unit === 'ms' ? ms(f.baseline) : f.unit === 'bytes' ? kb(f.baseline) : String(f.baseline)} ${f.baselineLabel ?? ''}`.trim();
  console.log(`\n${header}\n`);
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      console.log(`${section}`);
    }
    console.log(`  ${f.label.padEnd(52)} ${show(f).padStart(10)}   ${showBase(f).padEnd(28)} ${f.comparison}`);
    console.log(`      how: ${f.method}`);
  }
}

export function markdownTable(): string {
  const rows = figures.map((f) => {
    const base = f.baseline === undefined ? '' : `${f.unit === 'ms' ? ms(f.baseline) : f.unit === 'bytes' ? kb(f.baseline) : f.baseline} (${f.baselineLabel})`;
    return `| ${f.section} | ${f.label} | ${show(f)} | ${base} | ${f.comparison} |`;
  });
  return ['| Section | Figure | Value | Baseline | vs baseline |', '|---|---|---|---|---|', ...rows].join('\n');
}

export const notMeasured: { section: string; reason: string }[] = [];

/** Runs one section; a failure is reported as "not measured" and the other sections still run. */
export async function section<T>(name: string, run: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    notMeasured.push({ section: name, reason });
    log(`${name}: NOT MEASURED: ${reason}`);
    return undefined;
  }
}
