/**
 * `npm run bench`: what the agent feels, side by side with a baseline, in headless Chromium with
 * the e2e build and the local ATRIP sandbox. Not part of `npm test`: figures depend on the machine.
 *
 *   npm run bench                      # builds (e2e + production), then measures those builds
 *   npm run bench -- --no-build        # measures what is built: E2E_EXTENSION_DIR or .output/chrome-mv3-e2e,
 *                                      #   BENCH_PROD_DIR or .output/chrome-mv3
 *   npm run bench -- --repeats 3       # fewer repeats of the page and popup measurements (default 5)
 *   npm run bench -- --only popup      # only these sections (size, page, popup, changes, outcome; comma-separated),
 *                                      #   and only the builds they measure
 *
 * After each build, `.output/<dir>` is copied to a temporary directory at once and the copy is
 * measured, so a rebuild of `.output/` by anyone else during the ~3 minutes cannot change or break
 * the run halfway: every figure is of the same source.
 */
import { execSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onlySections } from './lib/only';

const started = Date.now();
process.env.BENCH_STARTED = String(started);
const loadStart = os.loadavg()[0]!;
const log = (message: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

const snapshots: string[] = [];

let only: ReturnType<typeof onlySections>;
try {
  only = onlySections();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

function buildAndSnapshot(command: string, outDir: string): string {
  const t = Date.now();
  try {
    execSync(command, { stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    console.error(`${command} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    for (const dir of snapshots) rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
  const copy = mkdtempSync(path.join(os.tmpdir(), `atrip-bench-${path.basename(outDir)}-`));
  cpSync(outDir, copy, { recursive: true });
  snapshots.push(copy);
  log(`${command}: ${((Date.now() - t) / 1000).toFixed(1)} s (measuring a copy of ${outDir})`);
  return copy;
}

if (!process.argv.includes('--no-build')) {
  // The size section reads the production build; every other section drives the e2e build.
  if ([...only].some((name) => name !== 'size')) process.env.E2E_EXTENSION_DIR = buildAndSnapshot('npx wxt build --mode e2e', '.output/chrome-mv3-e2e');
  if (only.has('size')) {
    process.env.BENCH_PROD_DIR = buildAndSnapshot('npx wxt build', '.output/chrome-mv3');
    process.env.BENCH_PROD_LABEL = '.output/chrome-mv3 (built by this run)';
  }
}

try {
  // Loaded only now: the harness reads E2E_EXTENSION_DIR when its module loads.
  const { main } = await import('./bench');
  await main(loadStart, only);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const dir of snapshots) rmSync(dir, { recursive: true, force: true });
}
