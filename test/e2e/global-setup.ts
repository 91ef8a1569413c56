import { execSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

/**
 * Browser tests always run the code as it is now: a stale `.output/` tests old code. Each e2e
 * project builds the extension of its own browser (vitest.config.ts).
 */
export default function setup(project: TestProject) {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const firefox = project.name === 'e2e-firefox';
  execSync(firefox ? 'npx wxt build -b firefox --mode e2e' : 'npx wxt build --mode e2e', { stdio: 'inherit' });
}
