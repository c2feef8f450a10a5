import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt-get install chromium); Playwright's own browser download is impossible here.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = Number(process.env.E2E_PORT ?? 4174);
/** `npm start`'s server (page + Kinesis endpoint), for the specs named *.server.spec.ts. */
const SERVER_PORT = Number(process.env.E2E_SERVER_PORT ?? PORT + 1);

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The page served statically: the engine runs in its Web Worker.
    { name: 'page', testIgnore: /\.server\.spec\.ts$/ },
    // The page served by `npm start`'s server: the engine runs there, shared with Kinesis clients.
    {
      name: 'server',
      testMatch: /\.server\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${SERVER_PORT}` },
    },
  ],
  webServer: [
    {
      // Build, then serve the production bundle (the real worker chunk) on loopback only.
      command: `npm run build -- --logLevel warn && npm run preview -- --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}`,
      // Never test someone else's build: npm test picks a free port, and a leftover server is not reused.
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
    },
    {
      // What `npm start` runs after its build (the build above made dist/): page, WebSocket and endpoint.
      command: 'npx tsx src/server/main.ts',
      env: { PORT: String(SERVER_PORT), HOST: '127.0.0.1' },
      url: `http://127.0.0.1:${SERVER_PORT}/shardlab/session.json`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
    },
  ],
});
