import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './scripts/chromium';

// The lab with its tool pages and fault hooks (vite.config.ts, LAB_TOOLS_MODE), built into a folder of its own
// and served on 4173 in CI. Elsewhere each run has its own port and folder, so two runs at once (two shells, two
// checkouts) never test each other's build. Set before the workers start, which inherit it.
process.env.E2E_PORT ??= String(process.env.CI ? 4173 : 4200 + (process.pid % 700));
const port = Number(process.env.E2E_PORT);
const outDir = `node_modules/.e2e/dist-${port}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'off',
  },
  webServer: {
    // The production build plus the tool pages, served with the same headers as `npm start`.
    command: [
      ...(process.env.CI
        ? []
        : ['find node_modules/.e2e -mindepth 1 -maxdepth 1 -mmin +240 -exec rm -rf {} + 2>/dev/null;']),
      `npx vite build --mode lab --logLevel warn --outDir ${outDir} &&`,
      `npx vite preview --outDir ${outDir} --port ${port} --strictPort`,
    ].join(' '),
    url: `http://127.0.0.1:${port}`,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
  },
});
