// Shared by `npm start` and `npm test`: make a fresh clone runnable with only Node and npm.
// Plain Node (no dependencies), because it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command in the repo root with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) {
    console.error(`Could not run ${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function installedVersion(name) {
  const manifest = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

/** True when every pinned dependency is installed at its pinned version. */
function dependenciesMatch() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
  return Object.entries(wanted).every(([name, version]) => installedVersion(name) === version);
}

/** Installs npm dependencies when any is missing or at another version. */
export function ensureDependencies() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Shardlab needs Node.js 20.19 or newer; this is ${process.version}.`);
  }
  if (dependenciesMatch()) return;
  console.log('==> Installing dependencies (npm ci)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const code = run(npm, ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) throw new Error('npm ci failed; see the output above.');
}

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
];

/** The Chromium binary Playwright drives (Debian's; Playwright's own downloads are not used). */
export function findChromium() {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

/** Installs Debian's chromium with apt-get when running as root; otherwise says what to install. */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      [
        'The end-to-end tests need Chromium and none was found.',
        'Install it, then run `npm test` again:',
        '  Debian/Ubuntu:  sudo apt-get install -y chromium',
        'or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
      ].join('\n'),
    );
  }
  console.log('==> Installing Chromium from Debian (apt-get install chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  if (
    run('apt-get', [...lock, 'update', '-qq'], { env }) !== 0 ||
    run('apt-get', [...lock, 'install', '-y', '-qq', 'chromium'], { env }) !== 0
  ) {
    throw new Error('apt-get could not install chromium.');
  }
  const installed = findChromium();
  if (!installed)
    throw new Error(`chromium was installed but no binary was found at ${CHROMIUM_CANDIDATES.join(', ')}`);
  return installed;
}

/** The real-client tests drive Debian's AWS CLI v2 and boto3 (src/server/endpoint.cli.test.ts). */
export const AWS_CLI = '/usr/bin/aws';
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** The Debian packages of the AWS CLI v2 and boto3 that are missing (empty when both work). */
function missingAwsClients() {
  const missing = [];
  if (!existsSync(AWS_CLI)) missing.push('awscli');
  const boto3 = existsSync(SYSTEM_PYTHON)
    ? spawnSync(SYSTEM_PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' })
    : undefined;
  if (boto3?.status !== 0) missing.push('python3-boto3');
  return missing;
}

/**
 * Installs Debian's awscli (the AWS CLI v2) and python3-boto3 with apt-get when running as root and either
 * is missing; otherwise says what to install. The endpoint's CLI tests fail without them.
 */
export function ensureAwsClients() {
  const missing = missingAwsClients();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      [
        `The endpoint tests drive the AWS CLI v2 (${AWS_CLI}) and boto3 (${SYSTEM_PYTHON}); missing: ${missing.join(', ')}.`,
        'Install them, then run `npm test` again:',
        `  Debian/Ubuntu:  sudo apt-get install -y ${missing.join(' ')}`,
      ].join('\n'),
    );
  }
  console.log(`==> Installing ${missing.join(' and ')} from Debian (apt-get install ${missing.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  if (
    run('apt-get', [...lock, 'update', '-qq'], { env }) !== 0 ||
    run('apt-get', [...lock, 'install', '-y', '-qq', ...missing], { env }) !== 0
  ) {
    throw new Error(`apt-get could not install ${missing.join(' ')}.`);
  }
  const still = missingAwsClients();
  if (still.length > 0) throw new Error(`apt-get ran but ${still.join(' and ')} still does not work.`);
}
