#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// Run from a checkout before it was built: say how to build, rather than a stack trace.
if (!existsSync(join(__dirname, '..', 'dist', 'main.js'))) {
  process.stderr.write(
    'mesh-doctor is not built yet: run `npm ci && npm run build` in its directory, then try again.\n',
  );
  process.exit(2);
}
const { main } = require('../dist/main.js');

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`mesh-doctor: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
