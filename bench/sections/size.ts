/** Section 5: bundle sizes of the production build against bench/budget.json. */
import path from 'node:path';
import { figures, shownPath } from '../lib/report';
import { compare, measureBundles, readBudget, type Bundle } from '../lib/size';
import { kb } from '../lib/stats';

export const PROD_DIR = path.resolve(process.env.BENCH_PROD_DIR ?? '.output/chrome-mv3');
const PROD_LABEL = process.env.BENCH_PROD_LABEL ?? shownPath(PROD_DIR);

export function size(): Bundle[] {
  const bundles = measureBundles(PROD_DIR);
  const lines = compare(bundles, readBudget());
  for (const line of lines) {
    if (line.verdict === 'absent') continue;
    const bundle = bundles.find((b) => b.name === line.name)!;
    figures.push({
      section: 'Size (production build)',
      label: `${line.name} (${bundle.files.length} file${bundle.files.length === 1 ? '' : 's'})`,
      value: line.bytes,
      unit: 'bytes',
      ...(line.budget !== undefined && { baseline: line.budget }),
      baselineLabel: 'budget',
      comparison: line.budget ? `${Math.round((line.bytes / line.budget) * 100)}% of budget${line.verdict === 'over' ? ' (OVER)' : ''}` : 'no budget',
      method: `minified bytes of ${bundle.entry === bundle.files[0]?.file ? bundle.entry : `the JS/CSS ${bundle.entry} loads (${bundle.files.map((f) => f.file).join(', ')})`} in ${PROD_LABEL}; gzip -9 ${kb(line.gzipBytes)}; budget from bench/budget.json`,
    });
  }
  return bundles;
}
