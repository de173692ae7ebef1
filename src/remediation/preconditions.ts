import type { PatchProposal } from '../diagnosis/evidence';

/**
 * The patch body with the resourceVersion it must still find: a merge patch carries
 * metadata.resourceVersion, a JSON patch starts with a test of it. Either fails with 409 / 422 when the
 * object changed between the re-read and the write.
 */
export function withPrecondition(p: PatchProposal, resourceVersion: string): unknown {
  if (p.type === 'json') {
    return [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }, ...(p.patch as unknown[])];
  }
  const body = (p.patch ?? {}) as Record<string, unknown>;
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  return { ...body, metadata: { ...metadata, resourceVersion } };
}

export function resourceVersionOf(object: Record<string, unknown> | null): string | null {
  const rv = (object?.metadata as Record<string, unknown> | undefined)?.resourceVersion;
  return typeof rv === 'string' ? rv : null;
}
