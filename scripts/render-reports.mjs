#!/usr/bin/env node
/**
 * Writes the report of every example in every language, for readers who review a translation without a
 * cluster: docs/reports/<example>/<language>.txt (the terminal report, redacted as printed).
 *
 *   npm run docs:reports            (builds first)
 *   node scripts/render-reports.mjs [EXAMPLE...]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { main } = require(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const { LANGUAGES } = require(join(ROOT, 'dist', 'src', 'i18n', 'languages.js'));

const examples = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(join(ROOT, 'examples')).sort();
const out = join(ROOT, 'docs', 'reports');
if (process.argv.length <= 2) rmSync(out, { recursive: true, force: true });
let written = 0;
for (const example of examples) {
  for (const language of LANGUAGES) {
    let stdout = '';
    let stderr = '';
    const code = await main(['diagnose', '--snapshot', join(ROOT, 'examples', example), '--lang', language], {
      stdout: { write: (/** @type {string} */ t) => (stdout += t) },
      stderr: { write: (/** @type {string} */ t) => (stderr += t) },
      env: {},
    });
    if (code !== 0) {
      console.error(`${example} (${language}): exit ${code}: ${stderr.trim()}`);
      process.exitCode = 1;
      continue;
    }
    mkdirSync(join(out, example), { recursive: true });
    writeFileSync(join(out, example, `${language}.txt`), stdout);
    written++;
  }
}
console.log(
  `${written} reports written under docs/reports/ (${examples.length} examples × ${LANGUAGES.length} languages)`,
);
