/**
 * `npx tsx bench/rows-floor.ts [--repeats 7]`: the page's own rows (the probe's *table rows rendered*)
 * on both bench pages, in three browsers in turn: none (no extension), the e2e build (`E2E_EXTENSION_DIR`)
 * without a CPU profiler, and the same with the 200 µs CPU profiler the page-cost section runs in the
 * extension's browser only. A diagnostic of how much of "rows later with the extension" is the
 * extension and how much the measurement; point `E2E_EXTENSION_DIR` at a build whose content script
 * is empty for the floor of any extension. Take the browsers lock.
 */
import { Harness } from '../test/e2e/harness';
import { launchPlain } from './lib/browsers';
import { preparePageProbe } from './page-cost';
import type { ProbeState } from './lib/page-probe';
import { median, sleep, until } from './lib/stats';
import type { BrowserContext } from 'playwright-core';

const PAGES = { list: '/portal/?pageSize=2000#/order/list', 'element-ui': '/portals/element-ui/#/order/list' } as const;
const at = process.argv.indexOf('--repeats');
const repeats = at > 0 ? Number(process.argv[at + 1]) : 7;

async function rows(context: BrowserContext, url: string, profile: boolean): Promise<number> {
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    const cdp = profile ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(url, { waitUntil: 'load' });
    const t = await until(() => page.evaluate(() => (window as unknown as { __bench: ProbeState }).__bench.renders[0]?.t), 60_000, 'the rows', 100);
    await sleep(500);
    if (cdp) await cdp.send('Profiler.stop');
    return t;
  } finally {
    await page.close();
  }
}

const h = await Harness.launch();
const plain = await launchPlain();
try {
  await preparePageProbe(h.context);
  await preparePageProbe(plain.context);
  for (const [name, path] of Object.entries(PAGES)) {
    const url = `${h.sandbox.url}${path}`;
    const got = { none: [] as number[], ext: [] as number[], extProfiled: [] as number[] };
    for (let i = 0; i <= repeats; i++) {
      const none = await rows(plain.context, url, false);
      const ext = await rows(h.context, url, false);
      const extProfiled = await rows(h.context, url, true);
      if (i === 0) continue; // warm-up
      got.none.push(none);
      got.ext.push(ext);
      got.extProfiled.push(extProfiled);
    }
    const f = (xs: number[]) => `${median(xs).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(' ')}]`;
    console.log(`${name}: rows, no extension ${f(got.none)}; with the extension ${f(got.ext)}; with it and the profiler ${f(got.extProfiled)}`);
  }
} finally {
  await plain.close();
  await h.close();
}
