#!/usr/bin/env node
// The `backplane` command: a shim that runs the bundled CLI (dist/cli.js, built by scripts/bundle.mjs).
'use strict';
const path = require('path');

// `backplane diagram | head`: a closed pipe ends the command quietly, not with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
    throw err;
  });
}
// The AWS SDK's "Node 22 after January 2027" notice would print on every command under Node 20;
// `backplane doctor` reports it once instead. Set the variable to "false" to see the SDK's own notice.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
// cdktn records a stack trace for every token it creates, only to help debug a token error: a tenth of a synth's
// time. CDKTN_DISABLE_CREATION_STACK=0 turns them back on (as for the app, main.ts).
if (process.env.CDKTN_DISABLE_CREATION_STACK === undefined) process.env.CDKTN_DISABLE_CREATION_STACK = '1';
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
let main;
try {
  ({ main } = require(cli));
} catch (err) {
  // Only the CLI itself missing (a module it requires names it in its "Require stack", and is another failure).
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).startsWith(`Cannot find module '${cli}'`)) {
    process.stderr.write(`backplane: the compiled CLI is missing (${path.relative(process.cwd(), cli) || cli}): run npm run build\n`);
    process.exit(1);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`backplane: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 1;
  },
);
