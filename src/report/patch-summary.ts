import { parse as parseYaml } from 'yaml';
import type { PatchProposal } from '../diagnosis/evidence';
import { mergeLeaves, valueAt } from '../remediation/touched-fields';
import { refText } from './blocks-finding';
import type { Translate } from '../i18n/translate';
import { EN } from '../i18n/translate';

type Json = unknown;
type Obj = Record<string, Json>;
type JsonOp = { op: string; path: string; value?: Json };

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The annotation `kubectl rollout restart` sets on the pod template. */
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** Longest value shown in a summary before it is cut. */
const VALUE_CHARS = 80;
/** Changes named in one summary before "+N more". */
const NAMED_CHANGES = 3;

function short(value: Json): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}

/** A JSON- or YAML-valued annotation (proxy.istio.io/config) as its settings; null for a plain value. */
function settingsOf(value: Json): Obj | null {
  if (typeof value !== 'string' || !/^\s*[{]/.test(value)) return null;
  try {
    const parsed = parseYaml(value) as Json;
    return isObj(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** `pod template annotation x`, `label x`, `annotation x`, or the dotted path. */
function fieldName(path: readonly string[], t: Translate): string {
  const joined = path.join('.');
  const key = path[path.length - 1] ?? '';
  if (joined.startsWith('spec.template.metadata.annotations.')) return t('patch.field.template-annotation', { key });
  if (joined.startsWith('spec.template.metadata.labels.')) return t('patch.field.template-label', { key });
  if (joined.startsWith('metadata.annotations.')) return t('patch.field.annotation', { key });
  if (joined.startsWith('metadata.labels.')) return t('patch.field.label', { key });
  return joined;
}

/** One change of a patch as people read it, and the settings of a JSON-valued annotation it keeps. */
interface Change {
  text: string;
  keeping?: string;
  /** A restart reads "of" its target, other changes "on" it. */
  restart?: boolean;
}

/** One changed setting of a JSON-valued annotation, and the settings it keeps (from the object as read). */
function settingsChange(field: string, value: Obj, before: Obj | null, t: Translate): Change {
  const changed = Object.entries(value).filter(([k, v]) => !before || JSON.stringify(before[k]) !== JSON.stringify(v));
  const kept = before ? Object.keys(before).filter((k) => k in value && !changed.some(([c]) => c === k)) : [];
  const set = (changed.length > 0 ? changed : Object.entries(value)).map(([k, v]) => `${k}=${short(v)}`).join(', ');
  return {
    text: t('patch.set-settings', { field, settings: set }),
    ...(kept.length > 0 ? { keeping: t('patch.keeping', { settings: kept.join(', ') }) } : {}),
  };
}

function mergeChanges(patch: Json, current: Json | undefined, t: Translate): Change[] {
  const all = mergeLeaves(patch);
  const restart = all.find((l) => l.path.join('.') === `spec.template.metadata.annotations.${RESTARTED_AT}`);
  const rest = all.filter((l) => l !== restart);
  const changes: Change[] = restart ? [{ text: t('patch.restart'), restart: true }] : [];
  // A key removed from one place and set in another is a move (misplaced annotations).
  const removed = new Set(rest.filter((l) => l.value === null).map((l) => l.path[l.path.length - 1]));
  for (const l of rest) {
    const key = l.path[l.path.length - 1] ?? '';
    const field = fieldName(l.path, t);
    if (l.value === null) {
      if (!rest.some((o) => o.value !== null && o.path[o.path.length - 1] === key))
        changes.push({ text: t('patch.remove', { field }) });
      continue;
    }
    if (removed.has(key)) {
      changes.push({ text: t('patch.move', { key }) });
      continue;
    }
    const settings = settingsOf(l.value);
    if (settings) changes.push(settingsChange(field, settings, settingsOf(valueAt(current, l.path)), t));
    else {
      const before = current === undefined ? undefined : valueAt(current, l.path);
      const value = short(l.value);
      changes.push({
        text:
          before !== undefined && before !== null
            ? t('patch.set-replacing', { field, value, before: short(before) })
            : t('patch.set', { field, value }),
      });
    }
  }
  return changes;
}

/** `/spec/ingress/0/ports/-` as people read it: `spec.ingress[0].ports`. */
function readablePointer(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (out, part) => (part === '-' ? out : /^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part),
      '',
    );
}

function jsonChanges(ops: JsonOp[], t: Translate): Change[] {
  return ops
    .filter((o) => o.op !== 'test')
    .map((o) => {
      const field = readablePointer(o.path);
      if (o.op === 'remove') return { text: t('patch.remove', { field }) };
      const port = isObj(o.value) && typeof o.value.port === 'number' ? o.value : null;
      if (o.op === 'add' && o.path.endsWith('/-') && port) {
        return {
          text: t('patch.add-port', { protocol: String(port.protocol ?? 'TCP'), port: String(port.port), field }),
        };
      }
      const value = short(o.value);
      return { text: o.op === 'add' ? t('patch.set', { field, value }) : t('patch.op', { op: o.op, field, value }) };
    });
}

/** Whether a merge patch is a whole object to create (as `kubectl apply` of a new object). */
function isWholeObject(p: PatchProposal): boolean {
  return p.type !== 'json' && isObj(p.patch) && typeof p.patch.kind === 'string' && isObj(p.patch.metadata);
}

/**
 * What a patch changes, in one line people judge in seconds: `set pod template annotation
 * proxy.istio.io/config: holdApplicationUntilProxyStarts=true on Deployment shop/cart, keeping
 * terminationDrainDuration`, `restart the pods (rollout restart) of Deployment shop/cart`, `add TCP 15008
 * to spec.ingress[0].ports of NetworkPolicy payments/payment-gateway-ingress`. With `current` (the object
 * as read) it says what is kept or replaced; `current === null` means the object does not exist (created).
 * Input must be redacted already.
 */
export function patchSummary(p: PatchProposal, current?: Obj | null, t: Translate = EN): string {
  const target = refText(p.target);
  if (current === null || (current === undefined && isWholeObject(p))) return t('patch.create', { target });
  const changes =
    p.type === 'json'
      ? jsonChanges(Array.isArray(p.patch) ? (p.patch as JsonOp[]) : [], t)
      : mergeChanges(p.patch, current, t);
  if (changes.length === 0) return t('patch.empty', { type: p.type, target });
  const [first, ...others] = changes.slice(0, NAMED_CHANGES) as [Change, ...Change[]];
  // "…, keeping x" reads best after the target: "set A: b=1 on Deployment x, keeping y".
  const head = t(first.restart ? 'patch.of-target' : 'patch.on-target', { change: first.text, target });
  const tail = [first.keeping ?? null, ...others.map((c) => (c.keeping ? `${c.text}, ${c.keeping}` : c.text))].filter(
    (s): s is string => s !== null,
  );
  const line = tail.length > 0 ? t('patch.and-then', { first: head, rest: tail.join('; ') }) : head;
  const more = changes.length - NAMED_CHANGES;
  return more > 0 ? t('patch.more', { summary: line, count: more }) : line;
}

/** The plural resource name kubectl takes: with its API group for kinds outside the core groups. */
function resourceName(target: PatchProposal['target']): string {
  const lower = target.kind.toLowerCase();
  const plural = lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : lower.endsWith('s') ? `${lower}es` : `${lower}s`;
  const group = target.apiVersion.includes('/') ? (target.apiVersion.split('/')[0] ?? '') : '';
  const builtIn = group === '' || group === 'apps' || group === 'batch' || group.endsWith('.k8s.io');
  return builtIn ? lower : `${plural}.${group}`;
}

/** A word safe for a POSIX shell in single quotes. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The kubectl command that makes the same change by hand: `kubectl rollout restart` for a restart, `kubectl
 * apply -f -` for an object that does not exist yet (`create`), else `kubectl patch --type … -p '…'` with
 * the patch as compact JSON, quoted for a POSIX shell.
 */
export function kubectlPatchCommand(p: PatchProposal, options: { create?: boolean } = {}): string {
  const t = p.target;
  const ns = t.namespace ? ` -n ${t.namespace}` : '';
  const changes = p.type === 'json' ? [] : mergeLeaves(p.patch);
  const onlyRestart =
    changes.length === 1 && changes[0]?.path.join('.') === `spec.template.metadata.annotations.${RESTARTED_AT}`;
  if (onlyRestart) return `kubectl${ns} rollout restart ${t.kind.toLowerCase()}/${t.name}`;
  if (options.create ?? isWholeObject(p)) {
    return `kubectl${ns} apply -f - <<'EOF'\n${JSON.stringify(p.patch, null, 2)}\nEOF`;
  }
  return `kubectl${ns} patch ${resourceName(t)} ${t.name} --type ${p.type} -p ${quoted(JSON.stringify(p.patch))}`;
}
