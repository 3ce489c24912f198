/**
 * Where the package's own files are, wherever it is installed or run from (src via tsx, or dist).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('khabar: cannot find the package root (a folder with package.json and data/)');
}

/** The package root: the folder holding package.json, data/ and dist/. */
export const PACKAGE_ROOT = findPackageRoot();

/** A path inside the package's data folder, e.g. dataPath('text', 'abbreviations.json'). */
export function dataPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'data', ...parts);
}

/** The cache folder for compiled knowledge (gazetteer index); ignored by git. */
export function cachePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'data', 'cache', ...parts);
}
