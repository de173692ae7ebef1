import type { Catalog } from '../runbooks/catalog';
import { MeshError } from '../util/errors';

const compiled = new WeakMap<Catalog, Map<string, RegExp>>();

/** The compiled expression of a catalog signature; throws when the id is unknown (a catalog bug). */
export function signatureRegex(catalog: Catalog, id: string): RegExp {
  let cache = compiled.get(catalog);
  if (!cache) {
    cache = new Map(catalog.signatures.map((s) => [s.id, new RegExp(s.pattern)]));
    compiled.set(catalog, cache);
  }
  const re = cache.get(id);
  if (!re) throw new MeshError('PROGRAMMING', `signature ${id} is not in the catalog`);
  return re;
}
