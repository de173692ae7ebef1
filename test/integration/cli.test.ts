import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import { runCli } from '../helpers/run-cli';
import { startFakeLogging } from '../fakes/cloud-logging';
import { startFakeKubeApi } from '../fakes/kube-api';
import { tmpSnapshot } from '../helpers/tmp-snapshot';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'proxy-startup-econnrefused');

const run = runCli;

describe('mesh-doctor diagnose', () => {
  it('prints one JSON document in the contract shape and exits 0', async () => {
    const { code, stdout, stderr } = await run(['diagnose', '--snapshot', EXAMPLE, '--format', 'json']);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['target', 'language', 'findings', 'checks']);
    expect(report.target).toEqual({ cluster: null, namespace: null, workload: null });
    expect(report.language).toBe('en');
    expect(report.findings[0]).toMatchObject({
      runbook: 'proxy-startup-econnrefused',
      severity: 'critical',
      resources: [{ kind: 'Deployment', namespace: 'shop', name: 'cart' }],
    });
    expect(Object.keys(report.findings[0])).toEqual([
      'runbook',
      'title',
      'severity',
      'confidence',
      'resources',
      'evidence',
      'remediation',
    ]);
    expect(report.checks.length).toBeGreaterThanOrEqual(18);
    expect(report.checks.at(-1)).toEqual({
      id: 'mesh',
      status: 'ok',
      detail: 'Mesh: Istio with istiod in the cluster. Data plane of the workloads: 5 pods with a sidecar.',
    });
  });

  it('writes the report in the language of --lang, else of the locale (LC_ALL, LC_MESSAGES, LANG)', async () => {
    const korean = await run(['diagnose', '--snapshot', EXAMPLE, '--lang', 'ko']);
    const spanish = await run(['diagnose', '--snapshot', EXAMPLE], { LANG: 'es_ES.UTF-8' });
    const posix = await run(['diagnose', '--snapshot', EXAMPLE], { LC_ALL: 'C', LANG: 'pt_BR.UTF-8' });
    const messages = await run(['diagnose', '--snapshot', EXAMPLE, '--format', 'json'], {
      LC_MESSAGES: 'pt_BR.UTF-8',
      LANG: 'ko_KR.UTF-8',
    });
    const taiwan = await run(['diagnose', '--snapshot', EXAMPLE, '--lang', 'zh-TW']);

    expect(korean.stdout).toMatch(/^mesh-doctor: 문제 1개 발견 \(모든 네임스페이스\)/);
    expect(korean.stdout).toContain('[심각]');
    expect(spanish.stdout).toMatch(/^mesh-doctor: se encontró 1 problema \(todos los espacios de nombres\)/);
    expect(posix.stdout).toMatch(/^mesh-doctor: 1 problem found/);
    expect(JSON.parse(messages.stdout).language).toBe('pt');
    expect(taiwan.stdout.split('\n\n')[1]).toBe('本报告使用简体中文：暂不提供繁体中文。');
    // The runbook id and the JSON keys never change with the language.
    const json = JSON.parse(
      (await run(['diagnose', '--snapshot', EXAMPLE, '--format', 'json', '--lang', 'id'])).stdout,
    );
    expect(json.language).toBe('id');
    expect(json.findings.map((f: { runbook: string }) => f.runbook)).toEqual(['proxy-startup-econnrefused']);
  });

  it('says so on stderr when --lang is none of the six languages, and writes English', async () => {
    const { code, stdout, stderr } = await run(['diagnose', '--snapshot', EXAMPLE, '--lang', 'fr']);

    expect(code).toBe(0);
    expect(stderr).toBe(
      'mesh-doctor: reports are written in en, es, ko, pt, zh, id; "fr" is none of them, so this one is in English\n',
    );
    expect(stdout).toMatch(/^mesh-doctor: 1 problem found/);
  });

  it('gives the same output for the same input', async () => {
    const first = await run(['diagnose', '--snapshot', EXAMPLE, '--format', 'json']);
    const second = await run(['diagnose', '--snapshot', EXAMPLE, '--format', 'json']);

    expect(second.stdout).toBe(first.stdout);
  });

  it('prints the human report by default and narrows to a target', async () => {
    const all = await run(['diagnose', '--snapshot', EXAMPLE]);
    const elsewhere = await run(['diagnose', '--snapshot', EXAMPLE, '--namespace', 'kube-system', '--format', 'json']);

    expect(all.stdout).toMatch(/^mesh-doctor: 1 problem found \(all namespaces\)/);
    expect(all.stdout).toContain('[CRITICAL] Application connects before the sidecar is ready');
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({
      target: { namespace: 'kube-system', workload: null },
      findings: [],
    });
  });

  it.each([
    [
      ['diagnose', '--snapshot', EXAMPLE, '--context', 'prod'],
      /--context reads a live cluster and cannot be used with --snapshot/,
    ],
    [
      ['diagnose', '--snapshot', EXAMPLE, '--project', 'p', '--since', '2h'],
      /--project, --since read a live cluster and cannot be used with --snapshot/,
    ],
    [['diagnose', '--snapshot', EXAMPLE, '--output', '/tmp/x'], /--output is an option of capture, not of diagnose/],
    [['capture'], /capture needs --output DIR/],
    [['capture', '--output', '/tmp/x', '--workload', 'cart'], /--workload is not an option of capture/],
    [['capture', '--output', '/tmp/x', '--since', 'yesterday'], /--since "yesterday" must look like 30m/],
    [['diagnose', '--snapshot', '/nonexistent/snap'], /\/nonexistent\/snap: no such directory/],
    [['diagnose', '--snapshot', EXAMPLE, '--format', 'yaml'], /--format must be text or json/],
    [['diagnose', '--snapshot', EXAMPLE, '--namespace', 'Bad_NS'], /not a valid namespace name/],
    [['diagnose', '--snapshot', EXAMPLE, '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /missing command/],
  ])('exits 2 with one line for bad usage %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [
      'truncated JSON',
      { 'pods.json': '{"kind": "List", "items": [{"kind": "Pod", "metadata": {' },
      'pods.json',
      /truncated JSON/,
    ],
    ['JSON of the wrong shape', { 'pods.json': '{"hello": "world"}' }, 'pods.json', /wrong shape/],
    ['an empty directory', {}, '', /no snapshot files found/],
  ])('exits 2 naming the file for %s', async (_what, files, file, message) => {
    const snap = tmpSnapshot(files);
    try {
      const { code, stderr } = await run(['diagnose', '--snapshot', snap.dir]);

      expect(code).toBe(2);
      expect(stderr).toContain(file ? join(snap.dir, file) : snap.dir);
      expect(stderr).toMatch(message);
    } finally {
      snap.cleanup();
    }
  });

  it('prints a warning for each empty file and still diagnoses the rest', async () => {
    const files = Object.fromEntries(readdirSync(EXAMPLE).map((n) => [n, readFileSync(join(EXAMPLE, n), 'utf8')]));
    const snap = tmpSnapshot({ ...files, 'failed-capture.json': '', 'blank.jsonl': '\n  \n' });
    try {
      const { code, stdout, stderr } = await run(['diagnose', '--snapshot', snap.dir, '--format', 'json']);

      expect(code).toBe(0);
      expect(stderr).toBe(
        `mesh-doctor: warning: ${join(snap.dir, 'blank.jsonl')}: empty file skipped\n` +
          `mesh-doctor: warning: ${join(snap.dir, 'failed-capture.json')}: empty file skipped\n`,
      );
      expect(JSON.parse(stdout).findings[0].runbook).toBe('proxy-startup-econnrefused');
    } finally {
      snap.cleanup();
    }
  });

  it.each([
    [
      ['--namespace', 'shpo'],
      'mesh-doctor: namespace "shpo" does not exist; did you mean shop? (namespaces: default, istio-system, kube-system, payments, shop)\n',
    ],
    [
      ['--namespace', 'shop', '--workload', 'crat'],
      'mesh-doctor: workload "crat" does not exist in namespace "shop"; did you mean cart? (workloads: cart, storefront)\n',
    ],
    [
      ['--workload', 'carts'],
      'mesh-doctor: workload "carts" does not exist in any namespace; did you mean shop/cart? (workloads, as namespace/name: ',
    ],
  ])('exits 2 for a target that does not exist, naming what does: %j', async (target, line) => {
    const { code, stdout, stderr } = await run(['diagnose', '--snapshot', EXAMPLE, ...target]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(line)).toBe(true);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('warns, and diagnoses, when the snapshot holds no Namespace list to check the target against', async () => {
    const cluster = JSON.parse(readFileSync(join(EXAMPLE, 'cluster.json'), 'utf8')) as { items: { kind: string }[] };
    const snap = tmpSnapshot({
      'cluster.json': JSON.stringify({ ...cluster, items: cluster.items.filter((o) => o.kind !== 'Namespace') }),
    });
    try {
      const { code, stderr } = await run(['diagnose', '--snapshot', snap.dir, '--namespace', 'shpo']);

      expect(code).toBe(0);
      expect(stderr).toBe(
        'mesh-doctor: warning: cannot tell whether namespace "shpo" exists: the namespace list was not read\n',
      );
    } finally {
      snap.cleanup();
    }
  });

  it('with --workload alone, looks in every namespace and reports only what concerns that workload', async () => {
    const example = join(ROOT, 'examples', 'sidecar-not-injected');
    const resources = (stdout: string) =>
      (JSON.parse(stdout) as { findings: { resources: { name: string }[] }[] }).findings.map((f) =>
        f.resources.map((r) => r.name),
      );

    const all = await run(['diagnose', '--snapshot', example, '--format', 'json']);
    const one = await run(['diagnose', '--snapshot', example, '--workload', 'invoice-api', '--format', 'json']);

    expect(resources(all.stdout)).toEqual([
      ['billing', 'invoice-api'],
      ['ledger', 'ledger-writer'],
    ]);
    expect({ code: one.code, stderr: one.stderr }).toEqual({ code: 0, stderr: '' });
    expect(resources(one.stdout)).toEqual([['billing', 'invoice-api']]);
  });

  it('runs as the installed bin, with --help', async () => {
    const exec = promisify(execFile);

    const help = await exec('node', [join(ROOT, 'bin', 'mesh-doctor.js'), '--help']);
    const json = await exec('node', [
      join(ROOT, 'bin', 'mesh-doctor.js'),
      'diagnose',
      '--snapshot',
      EXAMPLE,
      '--format',
      'json',
    ]);
    const bad = await exec('node', [
      join(ROOT, 'bin', 'mesh-doctor.js'),
      'diagnose',
      '--snapshot',
      '/nonexistent',
    ]).catch((e: { code: number; stderr: string }) => e);

    expect(help.stdout).toMatch(/^Usage:/);
    expect(JSON.parse(json.stdout).findings[0].runbook).toBe('proxy-startup-econnrefused');
    expect(bad).toMatchObject({ code: 2, stderr: 'mesh-doctor: /nonexistent: no such directory\n' });
  });

  it('as the installed bin, a worker reads .env in its working directory, under its environment, and names the file', async () => {
    const exec = promisify(execFile);
    const cwd = tmpSnapshot({}).dir;
    const envFile = join(cwd, '.env');
    writeFileSync(envFile, '# this cluster\nSLACK_BOT_TOKEN=xoxb-1-2-abc\nMESH_CONTROL_PLANE_NAMESPACE=Istio_System\n');
    const worker = (env: NodeJS.ProcessEnv) =>
      exec('node', [join(ROOT, 'bin', 'mesh-doctor.js'), 'worker'], {
        cwd,
        env: { PATH: process.env.PATH, ...env },
      }).catch((e: { code: number; stderr: string }) => e);

    const bad = (await worker({})) as { code: number; stderr: string };
    const overridden = (await worker({ MESH_CONTROL_PLANE_NAMESPACE: 'istio-system' })) as {
      code: number;
      stderr: string;
    };

    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `mesh-doctor worker: 2 settings need fixing (read from the environment and ${envFile}`,
    );
    expect(bad.stderr).toContain('MESH_CONTROL_PLANE_NAMESPACE is set but');
    expect(bad.stderr).toContain('REDIS_URL is missing');
    expect(bad.stderr).not.toContain('Istio_System');
    expect(overridden.code).toBe(2);
    expect(overridden.stderr).toContain('1 setting needs fixing');
    expect(overridden.stderr).toContain('REDIS_URL is missing');
  });

  it('diagnose reads only its own settings: a bad bot setting or log level does not stop a snapshot diagnosis', async () => {
    const { code, stdout } = await run(['diagnose', '--snapshot', EXAMPLE, '--format', 'json'], {
      SLACK_BOT_TOKEN: 'not-a-token',
      LOG_LEVEL: 'trace',
      GOOGLE_CLOUD_PROJECT: 'Not A Project',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings[0].runbook).toBe('proxy-startup-econnrefused');
    const bad = await run(['diagnose', '--snapshot', EXAMPLE], { MESH_CONTROL_PLANE_NAMESPACE: 'Istio_System' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^mesh-doctor: 1 setting needs fixing \(see \.env\.example\):\n {2}- MESH_CONTROL_PLANE_NAMESPACE is set but/,
    );
  });
});

describe('mesh-doctor diagnose redaction', () => {
  const SECRET = 'Sup3rS3cret-FAKE';
  const CLIENT = '203.0.113.9';
  const REFUSED = 'Unhandled error event: Error: connect ECONNREFUSED 10.112.4.3:6379';

  /** The example snapshot, with a Redis password and a client address in the application's log lines. */
  function leakySnapshot() {
    const files = Object.fromEntries(
      readdirSync(EXAMPLE).map((name) => [
        name,
        readFileSync(join(EXAMPLE, name), 'utf8').replaceAll(
          REFUSED,
          `${REFUSED} dialing redis://:${SECRET}@10.112.4.3:6379 for X-Forwarded-For: ${CLIENT}`,
        ),
      ]),
    );
    return tmpSnapshot(files);
  }

  it.each([['text'], ['json']])(
    'redacts the %s report by default and prints it as read with --no-redact',
    async (format) => {
      const snap = leakySnapshot();
      try {
        const argv = ['diagnose', '--snapshot', snap.dir, '--format', format];

        const redacted = await run(argv);
        const raw = await run([...argv, '--no-redact']);

        expect(redacted.code).toBe(0);
        expect(redacted.stdout).toContain('redis://:[REDACTED]@10.112.4.3:6379');
        expect(redacted.stdout).toContain('X-Forwarded-For: [CLIENT-IP]');
        expect(redacted.stdout).not.toContain(SECRET);
        expect(redacted.stdout).not.toContain(CLIENT);
        expect(raw.code).toBe(0);
        expect(raw.stdout).toContain(`redis://:${SECRET}@10.112.4.3:6379`);
        expect(raw.stdout).toContain(CLIENT);
      } finally {
        snap.cleanup();
      }
    },
  );

  it('keeps client IPs, but still redacts secrets, when MESH_REDACT_CLIENT_IPS is false', async () => {
    const snap = leakySnapshot();
    try {
      const { code, stdout } = await run(['diagnose', '--snapshot', snap.dir], { MESH_REDACT_CLIENT_IPS: 'false' });

      expect(code).toBe(0);
      expect(stdout).toContain(`X-Forwarded-For: ${CLIENT}`);
      expect(stdout).not.toContain(SECRET);
    } finally {
      snap.cleanup();
    }
  });

  it('documents --no-redact in the help', async () => {
    const { stdout } = await run(['--help']);

    expect(stdout).toContain('--no-redact');
  });

  it('documents capture and the live-only options in the help', async () => {
    const { stdout } = await run(['--help']);

    expect(stdout).toContain(
      'mesh-doctor capture --output DIR [--namespace NS] [--context C] [--project P] [--since 1h]',
    );
    expect(stdout).toContain(
      '--context, --all-contexts, --project and --since read a live cluster: they cannot be given with --snapshot.',
    );
  });
});

describe('mesh-doctor diagnose, live', () => {
  it('--all-contexts diagnoses every context of the kubeconfig: one report each, naming its cluster', async () => {
    const [prod, staging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: join(ROOT, 'examples', 'destinationrule-host-unknown') }),
      startFakeKubeApi({ snapshotDir: join(ROOT, 'examples', 'sidecar-not-injected-namespace-disabled') }),
    ]);
    const dir = tmpSnapshot({}).dir;
    try {
      const kubeconfig = join(dir, 'fleet-kubeconfig');
      const cluster = (name: string, url: string) => [
        `  - name: ${name}`,
        '    cluster:',
        `      server: ${url}`,
        '      insecure-skip-tls-verify: true',
      ];
      const context = (name: string) => [
        `  - name: ${name}`,
        '    context:',
        `      cluster: ${name}`,
        '      user: u',
      ];
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          ...cluster('prod-eu', prod.url),
          ...cluster('staging', staging.url),
          'users:',
          '  - name: u',
          '    user:',
          '      token: fake-kube-api-token',
          'contexts:',
          ...context('prod-eu'),
          ...context('staging'),
          'current-context: prod-eu',
          '',
        ].join('\n'),
      );
      let stdout = '';
      let stderr = '';
      const io = {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        env: { KUBECONFIG: kubeconfig },
      };

      const code = await main(['diagnose', '--all-contexts', '--since', '3650d', '--format', 'json'], io);

      expect(code).toBe(0);
      const reports = JSON.parse(stdout) as { target: { cluster: string }; findings: { runbook: string }[] }[];
      expect(reports.map((r) => r.target.cluster)).toEqual(['prod-eu', 'staging']);
      expect(reports[0]?.findings.map((f) => f.runbook)).toContain('destinationrule-host-unknown');
      expect(reports[0]?.findings.map((f) => f.runbook)).not.toContain('sidecar-not-injected');
      expect(reports[1]?.findings.map((f) => f.runbook)).toContain('sidecar-not-injected');
      expect(reports[1]?.findings.map((f) => f.runbook)).not.toContain('destinationrule-host-unknown');
      expect(stderr).toBe('');
      const both = await main(['diagnose', '--all-contexts', '--context', 'prod-eu'], io);
      expect(both).toBe(2);
      expect(stderr).toContain('--all-contexts reads every context of the kubeconfig: leave out --context');
    } finally {
      await Promise.all([prod.close(), staging.close()]);
    }
  });

  it('reads the cluster and Cloud Logging and reports what offline mode reports for the same data', async () => {
    const [kube, logging] = await Promise.all([
      startFakeKubeApi({ snapshotDir: EXAMPLE }),
      startFakeLogging({ snapshotDir: EXAMPLE }),
    ]);
    const dir = tmpSnapshot({}).dir;
    try {
      const env = { KUBECONFIG: kube.writeKubeconfig(dir), CLOUD_LOGGING_API_ENDPOINT: logging.url };
      let stdout = '';
      const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env };

      const code = await main(
        ['diagnose', '--namespace', 'shop', '--project', logging.projectId, '--since', '3650d', '--format', 'json'],
        io,
      );
      const offline = await run(['diagnose', '--snapshot', EXAMPLE, '--namespace', 'shop', '--format', 'json']);

      expect(code).toBe(0);
      const live = JSON.parse(stdout);
      expect(live.findings.map((f: { runbook: string; resources: unknown }) => [f.runbook, f.resources])).toEqual(
        JSON.parse(offline.stdout).findings.map((f: { runbook: string; resources: unknown }) => [
          f.runbook,
          f.resources,
        ]),
      );
      expect(
        live.checks.filter((c: { id: string }) => c.id.startsWith('read:')).map((c: { status: string }) => c.status),
      ).not.toContain('error');
    } finally {
      await Promise.all([kube.close(), logging.close()]);
    }
  });

  it('live, with --workload alone, reads every namespace and reports only that workload; a missing one exits 2', async () => {
    const example = join(ROOT, 'examples', 'sidecar-not-injected');
    const kube = await startFakeKubeApi({ snapshotDir: example });
    const dir = tmpSnapshot({}).dir;
    try {
      const env = { KUBECONFIG: kube.writeKubeconfig(dir) };
      const live = (argv: string[]) => run(['diagnose', '--since', '3650d', '--format', 'json', ...argv], env);

      const one = await live(['--workload', 'ledger-writer']);
      const missing = await live(['--workload', 'ledger-writter']);

      expect(one.code).toBe(0);
      expect(
        (JSON.parse(one.stdout) as { findings: { resources: { name: string }[] }[] }).findings.map((f) =>
          f.resources.map((r) => r.name),
        ),
      ).toEqual([['ledger', 'ledger-writer']]);
      expect(kube.requests.some((r) => r.path === '/api/v1/pods')).toBe(true);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /^mesh-doctor: workload "ledger-writter" does not exist in any namespace; did you mean ledger\/ledger-writer\?/,
      );
    } finally {
      await kube.close();
    }
  });

  it('exits 2 with a clear line when there is no kubeconfig or the context is unknown', async () => {
    const kube = await startFakeKubeApi({ snapshotDir: EXAMPLE });
    const dir = tmpSnapshot({}).dir;
    try {
      const live = async (argv: string[], env: NodeJS.ProcessEnv) => {
        let stderr = '';
        const code = await main(argv, {
          stdout: { write: () => true },
          stderr: { write: (t: string) => (stderr += t) },
          env,
        });
        return { code, stderr };
      };

      const missing = await live(['diagnose'], { KUBECONFIG: '/nonexistent/kubeconfig' });
      const unknown = await live(['diagnose', '--context', 'prod-eu'], { KUBECONFIG: kube.writeKubeconfig(dir) });

      expect(missing).toEqual({
        code: 2,
        stderr: expect.stringMatching(/^mesh-doctor: cannot load a kubeconfig: .*\/nonexistent\/kubeconfig.*\n$/),
      });
      expect(unknown).toEqual({
        code: 2,
        stderr: expect.stringMatching(/^mesh-doctor: context "prod-eu" is not in the kubeconfig \(contexts: .+\)/),
      });
    } finally {
      await kube.close();
    }
  });
});
