import type { PatchProposal } from '../diagnosis/evidence';

type Target = PatchProposal['target'];
type Obj = Record<string, unknown>;

/** Reads and writes the kinds patch templates touch; nothing else. */
export interface ObjectAccess {
  /** The object as the API server sends it, or null when it does not exist. */
  read(target: Target): Promise<Obj | null>;
  patch(target: Target, type: PatchProposal['type'], body: unknown, dryRun: boolean): Promise<Obj>;
  create(target: Target, body: unknown, dryRun: boolean): Promise<Obj>;
  delete(target: Target, dryRun: boolean): Promise<void>;
}
