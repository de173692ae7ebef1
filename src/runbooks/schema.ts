import { z } from 'zod';
import { LANGUAGES } from '../i18n/languages';

/**
 * Where a signature is expected to match. `app`: a container that is not part of Istio; `istiod`: the
 * control plane (container `discovery`); `init`: init containers; `event`: Kubernetes event messages;
 * `ztunnel` and `istio-cni`: ambient mode's node proxy and node agent (containers `istio-proxy` of the
 * ztunnel DaemonSet and `install-cni` of istio-cni-node).
 */
export const SIGNATURE_SOURCES = ['app', 'istio-proxy', 'istiod', 'init', 'event', 'ztunnel', 'istio-cni', 'any'] as const;

/** The patch templates the remediation code knows how to build. Nothing else can ever be patched. */
export const PATCH_TEMPLATES = [
  'pod-template-annotation-json-merge',
  'pod-template-annotation-list-append',
  'namespace-injection-label',
  'rollout-restart',
  'virtualservice-retries',
  'service-port-app-protocol',
  'pod-template-annotation-move',
  'networkpolicy-hbone-port',
] as const;

/**
 * Narrowed diagnoses a runbook takes part in: `/mesh injection` reports the runbooks scoped `injection`,
 * `/mesh webhooks` those scoped `webhooks`, `/mesh config` those scoped `config` (configuration analysis).
 * A runbook may have several scopes or none.
 */
export const RUNBOOK_SCOPES = ['injection', 'webhooks', 'config'] as const;

const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, -)');

/**
 * A log signature: an extended regular expression that JavaScript, RE2 (Cloud Logging `=~`) and
 * `grep -E` all read the same way, so no `\d`, lookarounds, lazy quantifiers or `(?` groups.
 */
export const signatureSchema = z.strictObject({
  id: kebabId,
  source: z.enum(SIGNATURE_SOURCES),
  pattern: z
    .string()
    .min(3)
    .refine((p) => !/\\d|\(\?|[*+?}]\?/.test(p), 'must be portable ERE: no \\d, (?...), or lazy quantifiers')
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'must compile as a JavaScript regular expression'),
  /** A literal that the line must contain; lets Cloud Logging and the scanner pre-filter cheaply. */
  literal: z.string().min(3).optional(),
  description: z.string().min(3),
  /** Real log lines the pattern must match (checked by the test suite with JavaScript and grep -E). */
  examples: z.array(z.string().min(3)).default([]),
  /** Look-alike lines it must not match. */
  counterexamples: z.array(z.string().min(3)).default([]),
});

const confirmStepSchema = z.strictObject({
  description: z.string().min(3),
  command: z.string().min(3),
});

/** Text of one runbook in one language. */
export const runbookTextSchema = z.strictObject({
  title: z.string().min(5).max(100),
  summary: z.string().min(20),
  cause: z.string().min(20),
  symptoms: z.array(z.string().min(3)).min(1),
  detection: z.string().min(20),
  confirm: z.array(confirmStepSchema).min(1),
  steps: z.array(z.string().min(3)).min(1),
});

export const patchTemplateSchema = z.strictObject({
  template: z.enum(PATCH_TEMPLATES),
  /** Template parameters: fixed values from the catalog; the detector fills only the target-specific parts. */
  params: z.record(z.string(), z.unknown()).default({}),
  risk: z.string().min(10),
});

export const runbookSchema = z.strictObject({
  id: kebabId,
  severity: z.enum(['critical', 'warning', 'info']),
  /** The narrowed diagnoses that report this runbook; none: only a full diagnosis does. */
  scopes: z
    .array(z.enum(RUNBOOK_SCOPES))
    .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope')
    .default([]),
  /**
   * Where the problem and its fix are described, one string per source: the publisher, the page's
   * title and the section, enough for a reader to find it.
   */
  sources: z.array(z.string().min(10)).min(1),
  signatures: z.array(signatureSchema).default([]),
  patch: patchTemplateSchema.optional(),
  /** Text per language (en, es, ko, pt, zh, id). English is required; others fall back to it field by field. */
  text: z
    .partialRecord(z.enum(LANGUAGES), runbookTextSchema.partial())
    .refine((t) => runbookTextSchema.safeParse(t.en).success, 'text.en must be complete'),
});

export type Signature = z.infer<typeof signatureSchema>;
export type RunbookText = z.infer<typeof runbookTextSchema>;
export type PatchTemplate = z.infer<typeof patchTemplateSchema>;
export type RunbookEntry = z.infer<typeof runbookSchema>;
export type RunbookScope = (typeof RUNBOOK_SCOPES)[number];
