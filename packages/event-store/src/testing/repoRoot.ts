import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root (the folder with turbo.json), found from this file: tests run from TypeScript sources and
 * from compiled output alike, so a path counted in `..` from a test file would differ between the two.
 */
export function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'turbo.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('repoRoot: no turbo.json above ' + fileURLToPath(import.meta.url));
  }
}
