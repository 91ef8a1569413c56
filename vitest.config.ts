import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/** Browser tests: one browser at a time (the machine has two cores), each browser's project after the other. */
const e2e = {
  globalSetup: ['test/e2e/global-setup.ts'],
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/sandbox/**/*.test.ts'],
          // fakeBrowser lacks i18n: answer from public/_locales/en (see the file).
          setupFiles: ['test/unit/setup-i18n.ts', 'test/unit/setup-indexeddb.ts'],
          restoreMocks: true,
        },
      },
      {
        // Headless Chromium: the Chromium-only tests and the stories (test/e2e/stories).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/firefox/**', '**/node_modules/**'],
          provide: { e2eBrowser: 'chromium' },
          sequence: { groupOrder: 1 },
          ...e2e,
        },
      },
      {
        // Firefox ESR: the same stories, written once against test/e2e/driver.ts…
        test: {
          name: 'e2e-firefox',
          // …and what only Firefox has (test/e2e/firefox).
          include: ['test/e2e/stories/**/*.test.ts', 'test/e2e/firefox/**/*.test.ts'],
          provide: { e2eBrowser: 'firefox' },
          sequence: { groupOrder: 2 },
          ...e2e,
        },
      },
    ],
  },
});
