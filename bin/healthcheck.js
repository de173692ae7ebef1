#!/usr/bin/env node
'use strict';
// The image's HEALTHCHECK: asks the running process's liveness endpoint, /healthz, on its own port (the
// bot's PORT, or WORKER_PORT when the container runs `worker`). Exit 0 healthy, 1 not. The image has no
// curl; Node's fetch does it. A one-shot command (diagnose, capture) has no endpoint and counts as healthy.
// `node bin/healthcheck.js worker` names the process instead of reading it from PID 1's command line.
const { readFileSync } = require('node:fs');

function role() {
  if (process.argv[2]) return process.argv[2];
  try {
    const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
    return args.find((a) => ['bot', 'worker', 'diagnose', 'capture'].includes(a)) ?? 'bot';
  } catch {
    return 'bot';
  }
}

const which = role();
if (which !== 'bot' && which !== 'worker') process.exit(0);
const port = which === 'worker' ? process.env.WORKER_PORT || '3001' : process.env.PORT || '3000';
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
