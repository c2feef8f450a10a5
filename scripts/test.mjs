// `npm test`: install what is missing (Chromium, the AWS CLI v2 and boto3 included), then typecheck, lint,
// unit and end-to-end tests. Every step runs even if an earlier one failed, so one run shows everything that
// is wrong; the exit code is non-zero if any step failed. The last line is always the plain
// "N passed, N failed" summary CI reads.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureAwsClients, ensureChromium, ensureDependencies, ROOT, run } from './ensure.mjs';

const started = Date.now();

/** Prints the closing summary and exits: failures of steps that are not tests count as failed tests too. */
function finish(passed, failedCount, skipped, failedSteps) {
  console.log(
    `steps failed: ${failedSteps.length ? failedSteps.join(', ') : 'none'}; ${((Date.now() - started) / 1000).toFixed(0)}s in all`,
  );
  if (passed === 0) console.error('no test ran');
  console.log(`${passed} passed, ${failedCount} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failedSteps.length || failedCount || passed === 0 ? 1 : 0);
}

/** A free loopback port for the e2e server, so parallel runs and leftover servers never collide. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 4174));
    });
  });
}

let chromium;
try {
  ensureDependencies();
  chromium = ensureChromium();
  ensureAwsClients();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  finish(0, 1, 0, ['setup']);
}
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
rmSync(join(ROOT, 'reports'), { recursive: true, force: true });
const port = String(await freePort());

const TEST_STEPS = new Set(['unit tests', 'e2e tests']);
const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', bin('biome'), ['check', '.']],
  [
    'unit tests',
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json'],
  ],
  ['e2e tests', bin('playwright'), ['test']],
];
const failed = [];
for (const [name, command, args] of steps) {
  const t0 = Date.now();
  console.log(`\n==> ${name}`);
  const code = run(command, args, {
    env: { ...process.env, CHROMIUM_PATH: chromium, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', E2E_PORT: port },
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (code === 0) console.log(`<== ${name} ok (${seconds}s)`);
  else {
    console.error(`!!! FAILED: ${name} (exit ${code}, ${seconds}s)`);
    failed.push(name);
  }
}

function readJson(path) {
  const file = join(ROOT, path);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}
const unit = readJson('reports/vitest.json');
const e2e = readJson('reports/e2e.json');
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats.expected ?? 0);
const failedTests = (unit?.numFailedTests ?? 0) + (e2e ? e2e.stats.unexpected + e2e.stats.flaky : 0);
const skipped = (unit ? unit.numPendingTests + unit.numTodoTests : 0) + (e2e?.stats.skipped ?? 0);
// A failed step with no failed test to show for it (typecheck, lint, a runner that crashed) counts once.
const failedQuietly = failed.filter((step) => !TEST_STEPS.has(step) || failedTests === 0).length;
console.log(
  `\nunit: ${unit ? `${unit.numPassedTests}/${unit.numTotalTests}` : 'no report'}, e2e: ${e2e ? `${e2e.stats.expected}/${e2e.stats.expected + e2e.stats.unexpected + e2e.stats.flaky + e2e.stats.skipped}` : 'no report'}`,
);
finish(passed, failedTests + failedQuietly, skipped, failed);
