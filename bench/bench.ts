/**
 * The measurements of `npm run bench` (started by bench/run.ts, which builds first and points
 * E2E_EXTENSION_DIR / BENCH_PROD_DIR at what it built before this module loads the harness).
 * Runs each section (bench/sections/: each measures with the runs beside this file and adds its
 * figures), then prints a table (one line of method per figure) and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness, EXTENSION_DIR } from '../test/e2e/harness';
import { SECTIONS, type SectionName } from './lib/only';
import { figures, log, markdownTable, notMeasured, printTable, REPEATS, section, shownPath, started } from './lib/report';
import { round } from './lib/stats';
import type { DeadlineRun } from './outcome';
import { outcome } from './sections/outcome';
import { pageCost, pageFigures } from './sections/page-cost';
import { changes, popup } from './sections/popup';
import { PROD_DIR, size } from './sections/size';


export async function main(loadStart: number, only: ReadonlySet<SectionName>) {
  const all = only.size === SECTIONS.length;
  // A partial run does not overwrite the full run's results.
  const RESULTS_FILE = path.resolve(import.meta.dirname, all ? 'results.json' : `results-${[...only].join('-')}.json`);
  log(`measuring ${all ? '' : `only ${[...only].join(', ')}: `}the e2e build ${EXTENSION_DIR}${only.has('size') ? ` and the production build ${PROD_DIR}` : ''}`);
  // A section left out by --only is skipped: no figures, not "not measured".
  const maybe = <T>(name: SectionName, run: () => Promise<T | undefined>) => (only.has(name) ? run() : Promise.resolve(undefined));

  const bundles = await maybe('size', () => section('Size', () => size()));
  if (bundles) log('sizes read');
  let chromium = 'unknown';
  const page = await maybe('page', () => section('Page cost', async () => {
    const result = await pageCost();
    chromium = result.chromium;
    try {
      pageFigures(result.loads, result.swap, result.inPlace);
    } catch (error) {
      await result.harness.close();
      throw error;
    }
    return result;
  }));
  const popupResult = await maybe('popup', () => section('Popup', async () => {
    const h = page?.harness ?? (await Harness.launch());
    try {
      chromium = h.context.browser()?.version() ?? chromium;
      return await popup(h);
    } finally {
      await h.close();
    }
  }));
  // The page-cost harness stays open for the popup; closed here when the popup section did not run.
  if (page && !only.has('popup')) await page.harness.close();
  const changeResult = await maybe('changes', () => section('Per change', async () => {
    const h = await Harness.launch();
    try {
      return await changes(h);
    } finally {
      await h.close();
    }
  }));
  const outcomeResult = await maybe('outcome', () => section('Outcome latency and API economy', () => outcome()));
  // The order of the issue.
  const order = ['Page cost', 'Paging swap', 'In-place paging', 'Outcome latency', 'API economy', 'Popup', 'Per change', 'Size'];
  figures.sort((a, b) => order.findIndex((o) => a.section.startsWith(o)) - order.findIndex((o) => b.section.startsWith(o)));

  const loadEnd = os.loadavg()[0]!;
  const environment = {
    date: new Date().toISOString(),
    chromium,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: round(loadStart, 2),
    loadAverageAtEnd: round(loadEnd, 2),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    repeats: REPEATS,
    sections: [...only],
  };
  const header = `ATRIP Stop-Ticket benchmarks${all ? '' : ` (only ${[...only].join(', ')})`} — ${environment.date}, headless Chromium ${environment.chromium}, ${environment.cpus} CPUs, load average ${environment.loadAverageAtStart} → ${environment.loadAverageAtEnd}, ${environment.durationSeconds} s`;
  printTable(header);
  for (const miss of notMeasured) console.log(`\nNOT MEASURED — ${miss.section}: ${miss.reason}`);
  if (Math.max(loadStart, loadEnd) > environment.cpus) {
    console.log(`\nNote: the machine was busy (load average ${environment.loadAverageAtStart} → ${environment.loadAverageAtEnd} on ${environment.cpus} CPUs): page and popup timings are noisy.`);
  }

  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        environment,
        figures,
        notMeasured,
        markdown: markdownTable(),
        raw: {
          pageLoads: page?.loads,
          pagingSwap: page?.swap,
          inPlacePaging: page?.inPlace,
          popup: popupResult,
          changes: changeResult,
          latency: outcomeResult?.runs,
          deadline: outcomeResult?.deadline satisfies DeadlineRun | undefined,
          bundles,
        },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nWrote ${shownPath(RESULTS_FILE)} (figures, a Markdown table, raw samples).`);
  if (notMeasured.length > 0) process.exitCode = 1;
}
