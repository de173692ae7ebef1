import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/**
 * The layer errors the project's lint configuration reports for `source` as if it were `file`: ESLint
 * in a child process (its configuration is an ES module), without type information (the probe is not a
 * file on disk, so the type-aware rule is off).
 */
async function layerErrors(file: string, source: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [
      ESLINT,
      '--stdin',
      '--stdin-filename',
      join(ROOT, file),
      '--format',
      'json',
      '--parser-options',
      'projectService:false',
      '--rule',
      '@typescript-eslint/no-floating-promises: off',
    ],
    { cwd: ROOT, input: source, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as {
    messages: { ruleId: string | null; message: string; fatal?: boolean }[];
  }[];
  const messages = result?.messages ?? [];
  // A probe that did not parse, or a file the configuration ignores, would show no layer error either.
  expect(messages.filter((m) => m.fatal || m.ruleId === null)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'local/layers').map((m) => m.message);
}

describe('the layer rule', () => {
  it('keeps handlers/ out of src/', async () => {
    expect(await layerErrors('src/bot/probe.ts', "export { registerHandlers } from '../../handlers';\n")).toEqual([
      expect.stringContaining('src/bot may not import handlers (a higher layer)'),
    ]);
  });

  it('keeps the engine pure: no collector, queue, remediation, report or Slack code', async () => {
    const source = [
      "import '../collect/log-matcher';",
      "import '../queue/producer';",
      "import '../remediation/proposal';",
      "import '../report/text';",
      "import '../slack/web-api';",
      "import './engine';",
      "import '../runbooks/catalog';",
      "import '../util/time';",
    ].join('\n');
    const errors = await layerErrors('src/diagnosis/probe.ts', `${source}\n`);
    expect(errors.map((e) => e.split(' (')[0])).toEqual([
      'src/diagnosis may not import src/collect',
      'src/diagnosis may not import src/queue',
      'src/diagnosis may not import src/remediation',
      'src/diagnosis may not import src/report',
      'src/diagnosis may not import src/slack',
    ]);
  });

  it('refuses sideways imports within a layer, and allows imports down', async () => {
    expect(await layerErrors('src/queue/probe.ts', "import '../slack/web-api';\n")).toEqual([
      expect.stringContaining('(another folder of the same layer)'),
    ]);
    expect(
      await layerErrors('src/pipeline/probe.ts', "import '../report/blocks';\nimport '../diagnosis/engine';\n"),
    ).toEqual([]);
    expect(await layerErrors('handlers/probe.ts', "import '../src/bot/handler-deps';\n")).toEqual([]);
  });
});
