// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Node 20's runner takes explicit files, so they are listed here. Extra arguments narrow the set:
// `node scripts/run-tests.mjs store` runs only files whose path contains "store".
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = findTests('dist').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error('no test files found under dist/ (did "npm run build" run?)');
  process.exit(1);
}
// Compile the gazetteer cache once before test files run in parallel (each would otherwise build it).
const warm = spawnSync(process.execPath, ['-e', "import('./dist/src/geo/index.js').then((m) => m.loadGazetteer())"], { stdio: 'inherit' });
if (warm.status !== 0) {
  console.error('could not build the gazetteer cache (see the error above)');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
