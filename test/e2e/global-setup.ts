import { execSync } from 'node:child_process';

/** Browser tests always run the code as it is now: a stale `.output/` tests old code. */
export default function setup() {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  execSync('npx wxt build --mode e2e', { stdio: 'inherit' });
}
