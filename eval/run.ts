/**
 * The quality scorecard (`npm run eval`): scores geoparsing, event typing and actors on the shared
 * evaluation corpora, prints one table and writes eval/results/latest.json.
 *
 * @example npm run eval -- --data ../shared/data --compare eval/results/latest.json
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helpText, numberFlag, parseCommand, reportError, type CommandSpec } from '../src/cli/args.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { defaultDataDir } from './data.js';
import { formatComparison, formatTable, readResult } from './report.js';
import { loadAdapters, scoreAll } from './sections.js';

const spec = {
  name: 'eval',
  summary: 'score the pipeline on the shared evaluation corpora',
  usage: 'npm run eval -- [--data DIR] [--compare FILE] [--limit N] [--out FILE]',
  options: {
    data: { type: 'string' },
    compare: { type: 'string' },
    with: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
  },
  help: [
    '  --data DIR      the evaluation corpora (default ../shared/data beside the repository)',
    '  --compare FILE  after scoring, print the change against an earlier result file',
    '  --with FILE     with --compare: compare FILE against this result instead of scoring now',
    '  --limit N       score only the first N records of each corpus (quick check)',
    '  --out FILE      where to write the result (default eval/results/latest.json)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' }>>;

const DEFAULT_OUT = join(PACKAGE_ROOT, 'eval', 'results', 'latest.json');

export async function run(argv: string[]): Promise<number> {
  try {
    const { values } = parseCommand(spec, argv);
    if (values.help) {
      process.stdout.write(helpText(spec));
      return 0;
    }
    if (values.with !== undefined) {
      if (values.compare === undefined) throw new Error('--with needs --compare FILE (the earlier result)');
      process.stdout.write(`${formatComparison(readResult(values.compare), readResult(values.with))}\n`);
      return 0;
    }
    const dataDir = resolve(values.data ?? defaultDataDir());
    if (!existsSync(dataDir)) {
      process.stdout.write(
        `eval: no evaluation data at ${dataDir}.\nThe scorecard reads the shared corpora (geoparse_*.jsonl, events_*.jsonl); give their folder with --data DIR. Nothing scored.\n`,
      );
      return 0;
    }
    const limit = numberFlag(values.limit, '--limit', 'eval');
    const result = await scoreAll(dataDir, limit, gitCommit(), await loadAdapters());
    process.stdout.write(`${formatTable(result)}\n`);
    const out = resolve(values.out ?? DEFAULT_OUT);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nwrote ${out}\n`);
    if (values.compare !== undefined) process.stdout.write(`\n${formatComparison(readResult(values.compare), result)}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (err) {
    // Not a git checkout (e.g. an installed package): the result simply carries no commit.
    void err;
    return null;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2));
}
