#!/usr/bin/env node
/**
 * The system tools the tests need that npm cannot install: provisions what is missing, once, where it can
 * (Debian/Ubuntu as root: apt-get, quietly, log in .test-logs/apt-get.log), and elsewhere prints ONE line per
 * missing tool naming the package to install and the tests that need it. It never skips anything: a test whose
 * tool is still missing fails with its own one-line reason.
 *
 *   node scripts/test-prerequisites.mjs           provision (exit 0 even when something stays missing)
 *   node scripts/test-prerequisites.mjs --check   only report; exit 1 when something is missing
 *
 * Everything else the tests need comes from npm (`npm ci` at the root also installs examples/app), from the
 * machine (node, python3 with moto, terraform + the aws provider mirror: the e2e preflight names what is missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const LOG_DIR = path.join(ROOT, '.test-logs');
const isArm64 = process.arch === 'arm64';

function onPath(name) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, name)));
}

/** PostgreSQL's server binaries: on PATH, or Debian's /usr/lib/postgresql/<version>/bin (test/app/local-env.ts looks there too). */
function postgresInstalled() {
  const names = ['initdb', 'pg_ctl', 'postgres', 'psql'];
  if (names.every(onPath)) return true;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return false;
  return fs.readdirSync(root).some((v) => names.every((n) => fs.existsSync(path.join(root, v, 'bin', n)) || onPath(n)));
}

/** One entry per tool: how to tell it is there, the Debian package, the Homebrew hint, and who needs it. */
export const REQUIREMENTS = [
  {
    tool: 'redis-server',
    installed: () => onPath('redis-server') && onPath('redis-cli'),
    apt: 'redis-server',
    elsewhere: 'brew install redis',
    neededBy: 'test/app/app.local.test.ts (the sample app against a real Redis)',
  },
  {
    tool: 'PostgreSQL server',
    installed: postgresInstalled,
    apt: 'postgresql',
    elsewhere: 'brew install postgresql',
    neededBy: 'test/app/app.local.test.ts (the sample app against a real PostgreSQL)',
  },
  {
    tool: 'qemu-aarch64-static',
    installed: () => isArm64 || fs.existsSync('/usr/bin/qemu-aarch64-static'),
    apt: 'qemu-user-static',
    elsewhere: 'run the tests on Linux (qemu-user) or on arm64',
    neededBy: 'test/lambda/package.test.ts (the arm64 Bun runtime loop)',
  },
  {
    tool: 'arm64 glibc',
    installed: () => isArm64 || fs.existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1'),
    apt: 'libc6-arm64-cross',
    elsewhere: 'run the tests on Linux (qemu-user) or on arm64',
    neededBy: 'test/lambda/package.test.ts (the arm64 Bun runtime loop)',
  },
];

function canApt() {
  return process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get') && fs.existsSync('/etc/debian_version');
}

function aptInstall(packages) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, 'apt-get.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const fd = fs.openSync(log, 'a');
  try {
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', '--no-install-recommends', ...packages],
    ]) {
      const r = spawnSync('apt-get', args, { env, stdio: ['ignore', fd, fd], timeout: 10 * 60 * 1000 });
      if (r.status !== 0) return `apt-get ${args[0]} failed (exit ${r.status ?? r.signal}); see ${path.relative(process.cwd(), log)}`;
    }
  } finally {
    fs.closeSync(fd);
  }
  return undefined;
}

function missingLine(r) {
  const how = canApt() || fs.existsSync('/etc/debian_version') ? `apt-get install ${r.apt}` : r.elsewhere;
  return `test prerequisites: ${r.tool} is missing — install it (${how}); needed by ${r.neededBy}`;
}

function main() {
  const checkOnly = process.argv.includes('--check');
  let missing = REQUIREMENTS.filter((r) => !r.installed());
  if (missing.length > 0 && !checkOnly && canApt()) {
    const packages = [...new Set(missing.map((r) => r.apt))];
    process.stdout.write(`test prerequisites: installing ${packages.join(' ')} (apt-get, once) ... `);
    const started = Date.now();
    const failure = aptInstall(packages);
    process.stdout.write(failure ? `${failure}\n` : `done in ${Math.round((Date.now() - started) / 1000)} s\n`);
    missing = REQUIREMENTS.filter((r) => !r.installed());
  }
  for (const r of missing) process.stderr.write(`${missingLine(r)}\n`);
  if (missing.length === 0) {
    try {
      const redis = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
      process.stdout.write(`test prerequisites: all present (redis ${redis ?? '?'}, qemu-user, arm64 glibc, PostgreSQL)\n`);
    } catch {
      process.stdout.write('test prerequisites: all present\n');
    }
  }
  process.exitCode = checkOnly && missing.length > 0 ? 1 : 0;
}

main();
