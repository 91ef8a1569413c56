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
import { figures, log, markdownTable, notMeasured, printTable, REPEATS, section, shownPath, started, wanted } from './lib/report';
import { round } from './lib/stats';
import type { DeadlineRun } from './outcome';
import { outcome } from './sections/outcome';
import { pageCost, pageFigures } from './sections/page-cost';
import { changes, popup } from './sections/popup';
import { PROD_DIR, size } from './sections/size';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results.json');

export async function main(loadStart: number) {
  log(`measuring the e2e build ${EXTENSION_DIR} and the production build ${PROD_DIR}`);

  const bundles = wanted('size') ? await section('Size', () => size()) : undefined;
  if (bundles) log('sizes read');
  let chromium = 'unknown';
  const page = !wanted('page') && !wanted('paging') ? undefined : await section('Page cost', async () => {
    const result = await pageCost();
    chromium = result.chromium;
    try {
      pageFigures(result.loads, result.swap, result.inPlace, result.inPlaceVue3);
    } catch (error) {
      await result.harness.close();
      throw error;
    }
    return result;
  });
  const popupResult = !wanted('popup') ? (await page?.harness.close(), undefined) : await section('Popup', async () => {
    const h = page?.harness ?? (await Harness.launch());
    try {
      return await popup(h);
    } finally {
      await h.close();
    }
  });
  const changeResult = !wanted('per change') ? undefined : await section('Per change', async () => {
    const h = await Harness.launch();
    try {
      return await changes(h);
    } finally {
      await h.close();
    }
  });
  const outcomeResult = !wanted('outcome') ? undefined : await section('Outcome latency and API economy', () => outcome());
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
  };
  const header = `ATRIP Stop-Ticket benchmarks — ${environment.date}, headless Chromium ${environment.chromium}, ${environment.cpus} CPUs, load average ${environment.loadAverageAtStart} → ${environment.loadAverageAtEnd}, ${environment.durationSeconds} s`;
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
          inPlacePagingVue3: page?.inPlaceVue3,
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
