import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '../../src/cli/args';
import { main } from '../../src/cli/main';
import { BOT_USAGE, USAGE, WORKER_USAGE } from '../../src/cli/usage';
import { SETTING_KEYS } from '../../src/config/schema';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
  });
  return { code, out, err };
}

describe('help and version', () => {
  it.each([
    [['bot', '--help'], BOT_USAGE],
    [['worker', '-h'], WORKER_USAGE],
    [['help', 'bot'], BOT_USAGE],
    [['help'], USAGE],
    [['diagnose', '--help'], USAGE],
    [['--help'], USAGE],
  ])('%j prints the help of that command', async (argv, text) => {
    expect(await run(argv)).toEqual({ code: 0, out: text, err: '' });
  });

  it('answers version as a command and as a flag', async () => {
    expect((await run(['version'])).out).toMatch(/^mesh-doctor \d+\.\d+\.\d+\n$/);
    expect(parseCommand(['--version'])).toEqual({ command: 'version' });
  });

  it('says which commands have help when asked about another', async () => {
    const { code, err } = await run(['help', 'deploy']);
    expect(code).toBe(2);
    expect(err).toContain('no help for "deploy": the commands are diagnose, capture, bot, worker, help, version');
  });

  it('run before a build, says how to build instead of a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-doctor-unbuilt-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(__dirname, '..', '..', 'bin', 'mesh-doctor.js'), join(dir, 'bin', 'mesh-doctor.js'));
    const result = spawnSync(process.execPath, [join(dir, 'bin', 'mesh-doctor.js'), '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'mesh-doctor is not built yet: run `npm ci && npm run build` in its directory, then try again.\n',
    );
  });

  it.each([
    ['bot', BOT_USAGE],
    ['worker', WORKER_USAGE],
  ])('%s help names only settings that exist, its port and LOG_LEVEL among them', (_role, usage) => {
    const named = [...usage.matchAll(/\b[A-Z]+_[A-Z_]+\b|^ {2}[A-Z]+\b/gm)].map((m) => m[0].trim());

    expect(named.filter((n) => !(SETTING_KEYS as readonly string[]).includes(n))).toEqual([]);
    expect(named).toEqual(expect.arrayContaining(['LOG_LEVEL', 'REDIS_URL']));
    expect(named.some((n) => n === 'PORT' || n === 'WORKER_PORT')).toBe(true);
  });
});
