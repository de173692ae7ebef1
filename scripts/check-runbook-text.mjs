#!/usr/bin/env node
/**
 * Checks the translations in runbook YAML files without building anything: every language is one of the
 * six, has the seven fields, lists as long as English's, the same confirmation commands, and no field left
 * identical to English (except proper names).
 *
 *   node scripts/check-runbook-text.mjs runbooks/a.yaml [runbooks/b.yaml ...]
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const LANGUAGES = ['en', 'es', 'ko', 'pt', 'zh', 'id'];
const FIELDS = ['title', 'summary', 'cause', 'symptoms', 'detection', 'confirm', 'steps'];
let problems = 0;
/** @param {string} file @param {string} text */
const say = (file, text) => {
  problems++;
  console.log(`${file}: ${text}`);
};

for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    say(file, `not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
    continue;
  }
  const text = doc?.text ?? {};
  const en = text.en;
  for (const [language, t] of Object.entries(text)) {
    if (!LANGUAGES.includes(language)) say(file, `unknown language key "${language}"`);
    if (language === 'en') continue;
    for (const field of FIELDS) {
      if (t[field] === undefined) {
        say(file, `${language}: ${field} missing`);
        continue;
      }
      if (Array.isArray(en[field]) && t[field].length !== en[field].length)
        say(file, `${language}: ${field} has ${t[field].length} items, English ${en[field].length}`);
      if (JSON.stringify(t[field]) === JSON.stringify(en[field]))
        say(file, `${language}: ${field} is the English text`);
    }
    for (const [i, step] of (t.confirm ?? []).entries()) {
      if (step.command !== en.confirm?.[i]?.command)
        say(file, `${language}: confirm[${i}].command differs from English`);
    }
    if (typeof t.title === 'string' && t.title.length > 100) say(file, `${language}: title longer than 100 characters`);
  }
}
console.log(problems === 0 ? 'ok' : `${problems} problem(s)`);
process.exitCode = problems === 0 ? 0 : 1;
