import type { Catalog } from '../runbooks/catalog';
import type { RunbookEntry } from '../runbooks/schema';
import type { ClusterView } from './cluster-view';
import type { EvidenceItem, ObjectRef, PatchProposal, Severity, Target } from './evidence';
import { EN } from '../i18n/translate';
import type { Translate } from '../i18n/translate';

/** What a detector is given: evidence (through indexes), its own runbook entry and the target. */
export interface DetectorContext {
  view: ClusterView;
  entry: RunbookEntry;
  /** The whole catalog, for signatures that belong to other runbooks. */
  catalog: Catalog;
  target: Target;
  /**
   * Namespaces of Istio's control plane (istiod, its ConfigMaps, mesh-wide EnvoyFilters): the configured
   * ones, then any other holding an istiod Deployment. Never empty; the first is assumed where an object
   * names no namespace.
   */
  controlPlaneNamespaces: readonly string[];
  /** "Now" of the evidence in epoch ms (latest timestamp seen), or null when nothing had a time. */
  nowMs: number | null;
}

/**
 * A sentence of a report built from evidence: plain text (not translated yet), or written in the report's
 * language from a message (`(t) => t('proxy-startup.fact.refused', { pod, at })`). Detectors stay pure:
 * the engine picks the language when it turns drafts into findings.
 */
export type Phrase = string | ((t: Translate) => string);

/** Evidence as a detector gives it: with `localize`, its text is written in the report's language. */
export type DraftEvidence = EvidenceItem & { localize?: (t: Translate) => string };

/** The text of a phrase in a language (English by default). */
export function phraseText(phrase: Phrase, t: Translate = EN): string {
  return typeof phrase === 'string' ? phrase : phrase(t);
}

/** One problem instance a detector found, before the engine adds the catalog's title and steps. */
export interface Draft {
  resources: ObjectRef[];
  /** Most telling first; the engine keeps at most five. */
  evidence: DraftEvidence[];
  confidence: number;
  /** Facts specific to this instance, shown before the steps. */
  facts?: Phrase[];
  /**
   * Steps for the state the cluster is in now, replacing the runbook's generic steps (for example when
   * the fix is already applied and only a restart is left). Never mixed with the generic ones.
   */
  steps?: Phrase[];
  patches?: PatchProposal[];
  severity?: Severity;
}

/** A detector's answer: its drafts, or why it could not look. */
export interface DetectorOutcome {
  drafts: Draft[];
  /** Set when the evidence this detector needs was not captured at all. */
  skipped?: string;
  /** What was examined, for the report's checks (e.g. "12 pods with a sidecar"). */
  detail: string;
}

/** A pure function from evidence to drafts for one runbook. */
export type Detector = (ctx: DetectorContext) => DetectorOutcome;
