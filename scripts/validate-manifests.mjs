#!/usr/bin/env node
/**
 * Renders every overlay under deploy/overlays with `kubectl kustomize` and checks each object against
 * the Kubernetes API schemas, offline: kubernetes-models (generated from the Kubernetes OpenAPI) for the
 * built-in kinds, and its GKE and Prometheus Operator packages for those CRDs. A kind with no schema
 * here fails, unless it is listed below with the fields that are checked instead.
 *
 *   node scripts/validate-manifests.mjs [OVERLAY_DIR...]    (default: every deploy/overlays/*)
 *
 * Exit status: 0 all valid; 1 an object is invalid; 2 kubectl is missing or an overlay does not render.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

/** @typedef {{ apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string }; spec?: any }} KubeObject */
/** @typedef {{ new (data: object): { validate(): void } }} ModelClass */
/** @typedef {{ code?: string; stderr?: string; message?: string }} ErrorLike */

/** Where each API group's models live (the first package that has the kind wins). */
/** @type {Record<string, string[]>} */
const PACKAGES_BY_GROUP = {
  'networking.gke.io': ['@kubernetes-models/gke'],
  'cloud.google.com': ['@kubernetes-models/gke'],
  'monitoring.coreos.com': ['@kubernetes-models/prometheus-operator'],
  'gateway.networking.k8s.io': ['@kubernetes-models/gateway-api'],
};

/**
 * Kinds no schema package here covers, with the fields checked instead. Google publishes PodMonitoring's
 * CRD with Managed Service for Prometheus, not as a package the registries here serve.
 */
/** @type {Record<string, (o: KubeObject) => string[]>} */
const WITHOUT_SCHEMA = {
  'monitoring.googleapis.com/v1/PodMonitoring': (o) => [
    ...required(o, ['metadata.name', 'metadata.namespace', 'spec.selector', 'spec.endpoints']),
    .../** @type {{ port?: unknown }[]} */ (o.spec?.endpoints ?? []).flatMap((e, i) =>
      e.port === undefined ? [`spec.endpoints[${i}].port is required`] : [],
    ),
  ],
};

/** @param {KubeObject} o @param {string[]} paths @returns {string[]} */
function required(o, paths) {
  return paths.flatMap((path) =>
    path.split('.').reduce(/** @param {any} v */ (v, k) => (v === undefined ? v : v[k]), o) === undefined
      ? [`${path} is required`]
      : [],
  );
}

/**
 * The model class for an object's apiVersion and kind, or null when no package has it.
 * @param {string} apiVersion @param {string} kind @returns {Promise<ModelClass | null>}
 */
async function modelOf(apiVersion, kind) {
  const [group = '', version = ''] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const packages = PACKAGES_BY_GROUP[group] ?? ['kubernetes-models'];
  for (const pkg of packages) {
    const path = [pkg, group, version, kind].filter(Boolean).join('/');
    try {
      const mod = await import(path);
      if (mod[kind]) return mod[kind];
    } catch (e) {
      const err = /** @type {ErrorLike} */ (e);
      if (err.code !== 'ERR_MODULE_NOT_FOUND' && err.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw err;
    }
  }
  return null;
}

/** @param {string} dir @returns {string} */
function render(dir) {
  try {
    return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = /** @type {ErrorLike} */ (e);
    if (err.code === 'ENOENT') {
      console.error(
        'validate-manifests: kubectl not found. It renders the install (kubectl kustomize, kustomize v5); ' +
          'install kubectl 1.27 or later (https://kubernetes.io/docs/tasks/tools/) and run again.',
      );
    } else {
      console.error(
        `validate-manifests: ${relative(ROOT, dir)} does not render:\n${String(err.stderr ?? err.message).trim()}`,
      );
    }
    process.exit(2);
  }
}

/**
 * Checks one rendered object; returns its problems (empty when valid) and how it was checked.
 * @param {KubeObject} o @returns {Promise<{ by: string; problems: string[] }>}
 */
async function check(o) {
  const key = `${o.apiVersion}/${o.kind}`;
  const Model = await modelOf(o.apiVersion, o.kind);
  if (Model) {
    try {
      new Model(o).validate();
      return { by: 'schema', problems: [] };
    } catch (e) {
      return { by: 'schema', problems: String(/** @type {ErrorLike} */ (e).message).split(/,\s*(?=data\/)/) };
    }
  }
  const fallback = WITHOUT_SCHEMA[key];
  if (fallback) return { by: 'required fields', problems: fallback(o) };
  return { by: 'none', problems: [`no schema for ${key}: add its models package or list it in WITHOUT_SCHEMA`] };
}

const overlays =
  process.argv.length > 2
    ? process.argv.slice(2).map((d) => join(process.cwd(), d))
    : readdirSync(join(ROOT, 'deploy', 'overlays'))
        .map((d) => join(ROOT, 'deploy', 'overlays', d))
        .filter((d) => existsSync(join(d, 'kustomization.yaml')));

let invalid = 0;
for (const dir of overlays) {
  const docs = parseAllDocuments(render(dir)).map((d) => /** @type {KubeObject} */ (d.toJS()));
  /** @type {Record<string, number>} */
  const counts = {};
  for (const o of docs) {
    const { by, problems } = await check(o);
    counts[by] = (counts[by] ?? 0) + 1;
    for (const p of problems) {
      invalid++;
      console.error(`${relative(ROOT, dir)}: ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}: ${p}`);
    }
  }
  const how = Object.entries(counts)
    .map(([by, n]) => `${n} by ${by}`)
    .join(', ');
  console.log(`${relative(ROOT, dir)}: ${docs.length} objects rendered and checked (${how})`);
}
if (invalid) {
  console.error(`validate-manifests: ${invalid} problem(s)`);
  process.exit(1);
}
