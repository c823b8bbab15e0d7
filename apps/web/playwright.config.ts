import { defineConfig } from '@playwright/test';

/**
 * The console's browser suite (`npx playwright test -c apps/web/playwright.config.ts`, part of
 * `npm test`): Debian's Chromium (never `playwright install`) against the production build and
 * one real stack started in `globalSetup` (test/e2e/global-setup.ts) and shared by every spec.
 *
 * Projects run in order: `flow` builds one organisation up step by step (serial), then `pages`
 * runs its spec files in parallel on that data (accessibility of every page, SSO profiles).
 * Traces and screenshots of failures go to `test-results/` (gitignored).
 */
export default defineConfig({
  testDir: './test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  globalSetup: './test/e2e/global-setup.ts',
  // Two cores: two browsers at most (the stack itself takes a good share of the machine).
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    permissions: ['clipboard-read', 'clipboard-write'],
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: process.env['SY_E2E_TRACE'] ? { mode: 'retain-on-failure', screenshots: false } : 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'flow', testMatch: 'console.spec.ts' },
    // Every other spec file (a new one joins this project by itself).
    { name: 'pages', testIgnore: 'console.spec.ts', dependencies: ['flow'] },
  ],
});
