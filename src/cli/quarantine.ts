/** `khabar quarantine --db FILE`: list the input that could not be ingested, with where it was and why. */
import { UsageError } from '../errors.js';
import { openStore, type QuarantineRecord } from '../store/index.js';
import { stdoutSink, type Sink } from '../export/stream.js';
import { choiceFlag, helpText, parseCommand, reportError, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'quarantine',
  summary: 'list input that could not be ingested, with the reason',
  usage: 'khabar quarantine --db FILE [--format text|json|jsonl] [--limit N] [--offset N]',
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
  },
  help: [
    '--db FILE     the store to read (or set KHABAR_DB); make one with "khabar ingest PATH... --db FILE"',
    '--format F    text (default), json or jsonl',
    '--limit N     at most N items (default 1000), oldest first',
    '--offset N    skip the first N items',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const COMMAND = 'quarantine';
const FORMATS = ['text', 'json', 'jsonl'] as const;

function intFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 100_000) {
    throw new UsageError(`khabar ${COMMAND}: ${flag} takes a whole number from ${min} to 100000, got "${value}".`);
  }
  return n;
}

/** One item for the terminal: where, code, reason, and the start of the input. */
export function formatQuarantineItem(q: QuarantineRecord): string {
  const where = q.line !== null ? `${q.file}:${q.line}` : q.file;
  const excerpt = q.excerpt.replace(/\s+/g, ' ').slice(0, 120);
  return `${where}  ${q.code}  ${q.reason}${q.article_id ? ` [article ${q.article_id}]` : ''}\n    ${excerpt ? JSON.stringify(excerpt) : '(empty)'}\n`;
}

/**
 * Runs the command; `out` replaces standard output (tests pass a memory sink).
 * @example await run(['--db', 'khabar.db', '--format', 'json'])
 */
export async function run(argv: string[], out?: Sink): Promise<number> {
  const stdout = out ?? stdoutSink();
  try {
    const { values, positionals } = parseCommand(spec, argv);
    if (values.help) {
      await stdout.write(helpText(spec));
      return 0;
    }
    if (positionals.length) throw new UsageError(`khabar ${COMMAND}: unexpected argument "${positionals[0]}" (see --help).`);
    const db = storeTarget(values.db as string | undefined, COMMAND);
    const format = choiceFlag(values.format, FORMATS, 'text', '--format', COMMAND);
    const limit = intFlag(values.limit, '--limit', 1) ?? 1000;
    const offset = intFlag(values.offset, '--offset', 0) ?? 0;
    const store = await openStore(db, { mustExist: true });
    let items: QuarantineRecord[];
    try {
      items = await store.listQuarantine({ limit, offset });
    } finally {
      await store.close();
    }
    if (format === 'json') await stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    else if (format === 'jsonl') await stdout.write(items.map((q) => `${JSON.stringify(q)}\n`).join(''));
    else if (items.length === 0) process.stderr.write('nothing is quarantined\n');
    else await stdout.write(items.map(formatQuarantineItem).join(''));
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    if (!out) await stdout.close();
  }
}
