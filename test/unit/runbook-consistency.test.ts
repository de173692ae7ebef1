import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ObjectRef, PatchProposal } from '../../src/diagnosis/evidence';
import * as patchTemplates from '../../src/diagnosis/patch-templates';
import type { PatchResult } from '../../src/diagnosis/patch-templates';
import { DETECTORS } from '../../src/diagnosis/registry';
import { disallowedReason } from '../../src/remediation/touched-fields';
import { loadCatalog } from '../../src/runbooks/catalog';
import type { PatchTemplate, RunbookEntry } from '../../src/runbooks/schema';

// A runbook is spread over many files (README "How to add a runbook"). Each test below compares one of
// them with the catalog and names every runbook id that disagrees.

const ROOT = join(__dirname, '..', '..');
const catalog = loadCatalog();
const ids = [...catalog.entries.keys()].sort();

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

function subdirectories(path: string): string[] {
  return readdirSync(join(ROOT, path), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Fails with one line per problem, under a heading that says what is wrong. */
function expectNone(problems: string[], heading: string): void {
  if (problems.length > 0) throw new Error(`${heading}:\n  ${problems.join('\n  ')}`);
}

/** Ids in `listed` that are not runbooks. */
function unknownIds(listed: Iterable<string>): string[] {
  return [...listed].filter((id) => !catalog.entries.has(id));
}

/** Catalog ids missing from `listed`. */
function missingIds(listed: Iterable<string>): string[] {
  const have = new Set(listed);
  return ids.filter((id) => !have.has(id));
}

/** The data rows of the first Markdown table after a heading, as trimmed cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no "${heading}" heading`);
  const first = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i]?.startsWith('|'); i++) {
    rows.push(
      (lines[i] ?? '')
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const unquote = (cell: string) => cell.replace(/`/g, '').trim();

describe('every runbook is complete and consistent', () => {
  test('each runbooks/*.yaml file is named after its id', () => {
    const misnamed = readdirSync(join(ROOT, 'runbooks'))
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => {
        const id = (parse(read(join('runbooks', file))) as { id?: unknown }).id;
        return id === file.replace(/\.yaml$/, '') ? [] : [`runbooks/${file} has id ${String(id)}`];
      });

    expectNone(misnamed, 'runbook files whose name is not their id');
  });

  test('the detector registry (src/diagnosis/registry.ts) serves every runbook and nothing else', () => {
    const registered = [...DETECTORS.keys()];

    expectNone(
      [
        ...missingIds(registered).map((id) => `${id}: no detector registered`),
        ...unknownIds(registered).map((id) => `${id}: a detector with no runbook`),
      ],
      'runbooks and detectors that do not match',
    );
  });

  test('each runbook has an example snapshot examples/<id>/', () => {
    expectNone(
      missingIds(subdirectories('examples')).map((id) => `${id}: examples/${id}/ is missing`),
      'runbooks without an example snapshot',
    );
  });

  test('each runbook has a near-miss snapshot test/fixtures/near-miss/<id>/, and no other id has one', () => {
    const fixtures = subdirectories('test/fixtures/near-miss');

    expectNone(
      [
        ...missingIds(fixtures).map((id) => `${id}: test/fixtures/near-miss/${id}/ is missing`),
        ...unknownIds(fixtures).map((id) => `test/fixtures/near-miss/${id}/: no runbook has this id`),
      ],
      'runbooks and near-miss snapshots that do not match',
    );
  });

  test('each runbook has both expectation files, and every other example has its own', () => {
    const files = new Set(readdirSync(join(ROOT, 'test/fixtures/expected')));
    const otherExamples = unknownIds(subdirectories('examples'));
    const wanted = new Map([
      ...ids.flatMap((id) => [`${id}.json`, `near-miss-${id}.json`].map((file) => [file, id] as const)),
      ...otherExamples.map((name) => [`${name}.json`, `examples/${name}`] as const),
    ]);

    expectNone(
      [
        ...[...wanted]
          .filter(([file]) => !files.has(file))
          .map(([file, owner]) => `${owner}: test/fixtures/expected/${file} is missing`),
        ...[...files]
          .filter((file) => !wanted.has(file))
          .map((file) => `test/fixtures/expected/${file}: no runbook or example has this name`),
      ],
      'expectation files missing or left over',
    );
  });

  test('each expectation file diagnoses its own snapshot and names its runbook', () => {
    interface Expectation {
      snapshot?: string;
      expect?: { runbook?: string }[];
      forbid?: string[];
    }
    const load = (file: string): Expectation | null => {
      const path = join('test/fixtures/expected', file);
      return existsSync(join(ROOT, path)) ? (JSON.parse(read(path)) as Expectation) : null;
    };

    const wrong = ids.flatMap((id) => {
      const positive = load(`${id}.json`);
      const nearMiss = load(`near-miss-${id}.json`);
      const checks: [ok: boolean, problem: string][] = [
        [
          !positive || positive.snapshot === `examples/${id}`,
          `${id}.json: snapshot is ${positive?.snapshot}, not examples/${id}`,
        ],
        [!positive || !!positive.expect?.some((e) => e.runbook === id), `${id}.json: "expect" does not name ${id}`],
        [
          !nearMiss || nearMiss.snapshot === `test/fixtures/near-miss/${id}`,
          `near-miss-${id}.json: snapshot is ${nearMiss?.snapshot}, not test/fixtures/near-miss/${id}`,
        ],
        [
          !nearMiss || !!nearMiss.forbid?.some((f) => f === id || f === '*'),
          `near-miss-${id}.json: "forbid" does not name ${id}`,
        ],
      ];
      return checks.filter(([ok]) => !ok).map(([, problem]) => problem);
    });

    expectNone(wrong, 'expectation files that do not test their runbook');
  });

  test('the README runbook table lists every id once, and no unknown id', () => {
    const listed = tableAfter(read('README.md'), '## What it detects').flatMap((row) =>
      (row[0] ?? '').split(',').map(unquote),
    );
    const counts = new Map<string, number>();
    for (const id of listed) counts.set(id, (counts.get(id) ?? 0) + 1);

    expectNone(
      [
        ...missingIds(listed).map((id) => `${id}: not in the table`),
        ...[...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id}: listed ${n} times`),
        ...unknownIds(counts.keys()).map((id) => `${id}: listed, but no runbook has this id`),
      ],
      'README.md "What it detects" table and catalog disagree',
    );
  });

  test('docs/runbooks.md lists every id once with the severity, title, scopes and patch template of its YAML', () => {
    const rows = tableAfter(read('docs/runbooks.md'), '## Runbook ids');
    const documented = rows.map(([id = '', severity, title, scopes, template]) => ({
      id: unquote(id),
      row: [severity, title, scopes, unquote(template ?? '')].join(' | '),
    }));
    const expected = (entry: RunbookEntry) =>
      [entry.severity, entry.text.en?.title, entry.scopes.join(', '), entry.patch?.template ?? ''].join(' | ');

    expectNone(
      [
        ...missingIds(documented.map((d) => d.id)).map((id) => `${id}: no row`),
        ...documented.flatMap(({ id, row }) => {
          const entry = catalog.entries.get(id);
          if (!entry) return [`${id}: a row, but no runbook has this id`];
          return row === expected(entry) ? [] : [`${id}: the row says "${row}", the YAML "${expected(entry)}"`];
        }),
      ],
      'docs/runbooks.md and the catalog disagree',
    );
  });
});

/** What the builders are given when the test calls them: a kind the detectors could hand them. */
const CANDIDATE_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'Job',
  'Namespace',
  'Service',
  'VirtualService',
];
const ref = (kind: string): ObjectRef => ({ kind, namespace: kind === 'Namespace' ? null : 'shop', name: 'cart' });
const AT = '2024-05-14T09:00:00Z';

/**
 * How to call the builders of each patch template with every kind a detector could pass, to learn the
 * kinds it patches. A template added to the schema needs a line here.
 */
const PROBES: Record<PatchTemplate['template'], (template: PatchTemplate) => PatchResult[]> = {
  'pod-template-annotation-json-merge': (t) =>
    CANDIDATE_KINDS.map((kind) => patchTemplates.annotationJsonMerge(t, ref(kind), undefined)),
  'pod-template-annotation-list-append': (t) =>
    CANDIDATE_KINDS.map((kind) => patchTemplates.annotationListAppend(t, ref(kind), undefined, '10.96.14.22')),
  'rollout-restart': (t) => CANDIDATE_KINDS.map((kind) => patchTemplates.rolloutRestart(t, ref(kind), AT)),
  // The sidecar-not-injected detector also restarts the namespace's workloads with the same template.
  'namespace-injection-label': (t) => [
    patchTemplates.namespaceInjectionLabel(t, 'shop', {}, null),
    patchTemplates.namespaceInjectionLabel(t, 'shop', { 'istio-injection': 'enabled' }, 'asm-1233-2'),
    ...CANDIDATE_KINDS.map((kind) => patchTemplates.rolloutRestart(t, ref(kind), AT)),
  ],
  'virtualservice-retries': (t) => [
    patchTemplates.virtualServiceRetries(t, 'cart.shop.svc.cluster.local', 'shop', null),
    patchTemplates.virtualServiceRetries(t, 'cart.shop.svc.cluster.local', 'shop', {
      ref: ref('VirtualService'),
      apiVersion: 'networking.istio.io/v1',
      httpRoutes: 2,
    }),
  ],
  'service-port-app-protocol': (t) => [
    patchTemplates.serviceAppProtocol(t, ref('Service'), { index: 1, name: 'db', port: 3306 }, 'mysql'),
    patchTemplates.serviceAppProtocol(t, ref('Service'), { index: 0, port: 25 }, 'smtp'),
  ],
  'pod-template-annotation-move': (t) =>
    CANDIDATE_KINDS.map((kind) => patchTemplates.annotationMove(t, ref(kind), { 'sidecar.istio.io/proxyCPU': '200m' })),
  'networkpolicy-hbone-port': (t) =>
    ['NetworkPolicy', ...CANDIDATE_KINDS].map((kind) =>
      patchTemplates.networkPolicyHbonePort(t, ref(kind), [{ index: 0, ports: [{ protocol: 'TCP', port: 8080 }] }]),
    ),
};

/** A merge patch carrying the whole object (its own kind) creates the object when it does not exist. */
function creates(p: PatchProposal): boolean {
  const body = p.patch as { kind?: unknown } | null;
  return p.type === 'merge' && typeof body === 'object' && body !== null && body.kind === p.target.kind;
}

/** The runbooks that have a patch, with their template. */
const patched = [...catalog.entries.values()].flatMap((e) => (e.patch ? [{ id: e.id, patch: e.patch }] : []));

/** Every patch the catalog's templates can build, by runbook. */
function probedPatches(): { id: string; patch: PatchProposal }[] {
  return patched.flatMap(({ id, patch }) =>
    (PROBES[patch.template]?.(patch) ?? []).flatMap((result) =>
      'patch' in result ? [{ id, patch: result.patch }] : [],
    ),
  );
}

/** `group/resource` of a patch target, as RBAC names it. */
function resourceOf(target: PatchProposal['target']): string {
  const group = target.apiVersion.includes('/') ? (target.apiVersion.split('/')[0] ?? '') : '';
  const kind = target.kind.toLowerCase();
  const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : kind.endsWith('s') ? `${kind}es` : `${kind}s`;
  return `${group}/${plural}`;
}

/** `group/resource:verb` for every grant of the remediation ClusterRole. */
function remediationGrants(): Set<string> {
  const [role] = parseAllDocuments(read('deploy/components/remediation/clusterrole-remediation.yaml')).map((d) =>
    d.toJS(),
  ) as [{ rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }];
  return new Set(
    role.rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))),
    ),
  );
}

describe('every patch a runbook can propose can be applied', () => {
  /**
   * The builder of a template in src/diagnosis/patch-templates.ts: the exported function that checks the
   * template's name (`expectTemplate(template, 'NAME')`), or, for a builder that serves any template, the
   * one named after it (rollout-restart: rolloutRestart).
   */
  function builderOf(template: string): string | undefined {
    const chunks = read('src/diagnosis/patch-templates.ts')
      .split(/^export function /m)
      .slice(1);
    const checking = chunks.find((chunk) => chunk.includes(`expectTemplate(template, '${template}')`));
    if (checking) return /^\w+/.exec(checking)?.[0];
    const named = template.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    return typeof (patchTemplates as Record<string, unknown>)[named] === 'function' ? named : undefined;
  }

  test('each patch template a runbook names has a builder in src/diagnosis/patch-templates.ts', () => {
    expectNone(
      patched.filter(({ patch }) => !builderOf(patch.template)).map(({ id, patch }) => `${id}: ${patch.template}`),
      'patch templates without a builder',
    );
  });

  test('each template can be probed by this test (PROBES), and builds at least one patch', () => {
    expectNone(
      patched
        .filter(({ patch }) => !(PROBES[patch.template]?.(patch) ?? []).some((r) => 'patch' in r))
        .map(({ id, patch }) => `${id}: ${patch.template}`),
      'patch templates that PROBES cannot exercise',
    );
  });

  test('each patch passes the apply-time check of src/remediation/touched-fields.ts', () => {
    const refused = probedPatches().flatMap(({ id, patch }) => {
      const reason = disallowedReason(patch, creates(patch));
      return reason ? [`${id}: ${patch.type} patch of a ${patch.target.kind}: ${reason}`] : [];
    });

    expectNone([...new Set(refused)], 'patches the apply step would refuse');
  });

  test('deploy/components/remediation/clusterrole-remediation.yaml grants patch on every kind a template changes (create and delete where it creates)', () => {
    const grants = remediationGrants();

    const missing = probedPatches().flatMap(({ id, patch }) =>
      (creates(patch) ? ['patch', 'create', 'delete'] : ['patch'])
        .map((verb) => `${resourceOf(patch.target)}:${verb}`)
        .filter((grant) => !grants.has(grant))
        .map((grant) => `${id}: ${patch.target.kind} needs ${grant}`),
    );

    expectNone([...new Set(missing)], 'remediation RBAC grants missing');
  });

  test('deploy/components/remediation/clusterrole-remediation.yaml grants nothing on kinds no template changes', () => {
    const changed = new Set(probedPatches().map(({ patch }) => resourceOf(patch.target)));

    const extra = [...remediationGrants()].filter((grant) => !changed.has(grant.split(':')[0] ?? ''));

    expectNone(extra, 'remediation RBAC grants for kinds no patch template changes');
  });
});
