#!/usr/bin/env node
/**
 * Part of the root `npm ci` / `npm install` (the `prepare` script): installs the sample app's own dependencies
 * (examples/app, from ITS lockfile, which its Dockerfile also builds from), so one root `npm ci` is the whole
 * set-up the tests need. Not an npm workspace on purpose: the app stays a standalone project a user can copy, with
 * the lockfile its image is built from. Skipped on `npm pack`/`npm publish` and where examples/app is absent
 * (the installed package).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const APP = path.join(ROOT, 'examples', 'app');

if (['pack', 'publish'].includes(process.env.npm_command ?? '') || !fs.existsSync(path.join(APP, 'package-lock.json'))) process.exit(0);
const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: APP, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`npm ci in examples/app failed (exit ${r.status ?? r.signal}): run it there to see why\n`);
  process.exit(1);
}
process.stdout.write('examples/app: dependencies installed (npm ci from its own lockfile)\n');
