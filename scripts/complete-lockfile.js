#!/usr/bin/env node
'use strict';
/**
 * Completes package-lock.json with the platform-specific optional packages (native binaries for other
 * operating systems and CPUs) that npm could not record because the registry in use does not serve
 * them. `npm ci` insists that every optional dependency is in the lock; on install it skips those that
 * do not fit the platform, so recording name, version, os and cpu is enough.
 *
 * Run after `npm install` changes the lock: `node scripts/complete-lockfile.js`.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const lockPath = process.argv[2] ?? join(__dirname, '..', 'package-lock.json');
/** @typedef {{ version?: string; dev?: boolean; optional?: boolean; optionalDependencies?: Record<string, string> }} LockEntry */
/** @type {{ packages: Record<string, LockEntry> }} */
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

/**
 * os / cpu / libc of a native package, read from its conventional name.
 * @param {string} name
 * @returns {{ os?: string[]; cpu?: string[]; libc?: string[] }}
 */
function platformOf(name) {
  const os = [
    'darwin',
    'linux',
    'win32',
    'android',
    'freebsd',
    'openharmony',
    'sunos',
    'aix',
    'netbsd',
    'openbsd',
  ].find((o) => name.includes(`-${o}-`) || name.endsWith(`-${o}`));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'].find((c) =>
    new RegExp(`-${c}(-|$)`).test(name),
  );
  /** @type {{ os?: string[]; cpu?: string[]; libc?: string[] }} */
  const meta = {};
  if (os) meta.os = [os];
  if (cpu) meta.cpu = [cpu];
  if (/-musl/.test(name)) meta.libc = ['musl'];
  else if (/-gnu|-glibc/.test(name) && os === 'linux') meta.libc = ['glibc'];
  return meta;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  if (!entry.optionalDependencies) continue;
  const parentDir = path === '' ? '' : `${path}/`;
  for (const [name, spec] of Object.entries(entry.optionalDependencies)) {
    if (packages[`${parentDir}node_modules/${name}`] || packages[`node_modules/${name}`]) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue;
    packages[`node_modules/${name}`] = {
      version: spec,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platformOf(name),
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform-specific optional package(s)`);
