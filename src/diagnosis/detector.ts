import type { Catalog } from '../runbooks/catalog';
import type { RunbookEntry } from '../runbooks/schema';
import type { ClusterView } from './cluster-view';
import type { EvidenceItem, ObjectRef, PatchProposal, Severity, Target } from './evidence';

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

/** One problem instance a detector found, before the engine adds the catalog's title and steps. */
export interface Draft {
  resources: ObjectRef[];
  /** Most telling first; the engine keeps at most five. */
  evidence: EvidenceItem[];
  confidence: number;
  /** Facts specific to this instance, shown before the steps. */
  facts?: string[];
  /**
   * Steps for the state the cluster is in now, replacing the runbook's generic steps (for example when
   * the fix is already applied and only a restart is left). Never mixed with the generic ones.
   */
  steps?: string[];
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
