import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MeshError } from './errors';

/** The directory holding this package's package.json, found from a starting directory upwards. */
export function packageRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'runbooks'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new MeshError('PROGRAMMING', `mesh-doctor package root not found above ${start}`);
    dir = parent;
  }
}
