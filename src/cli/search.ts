/**
 * `khabar search --db FILE QUERY`: full-text search over stored articles (titles and texts), ranked,
 * each hit with a snippet whose matches are marked.
 */
import { UsageError } from '../errors.js';
import { openStore, type ArticleHit } from '../store/index.js';
import { stdoutSink, type Sink } from '../export/stream.js';
import { choiceFlag, helpText, parseCommand, reportError, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'search',
  summary: 'full-text search over stored articles, ranked, with snippets',
  usage: 'khabar search --db FILE QUERY... [--limit N] [--offset N] [--format text|json|jsonl]',
  options: {
    db: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    'QUERY              words (all must match), "quoted phrases", OR between words, -word to exclude,',
    '                   word* for a prefix; words are matched on their stems (killed finds kill, killing)',
    '--db FILE          the store to read (or set KHABAR_DB); make one with "khabar ingest PATH... --db FILE"',
    '--limit N          at most N hits (default 20, at most 1000)',
    '--offset N         skip the first N hits (for the next page)',
    '--format F         text (default), json or jsonl; json hits carry the snippet and the match offsets in it',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const COMMAND = 'search';
const FORMATS = ['text', 'json', 'jsonl'] as const;

function intFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`khabar ${COMMAND}: ${flag} takes a whole number of at least ${min}, got "${value}".`);
  return n;
}

/**
 * The snippet with each match wrapped in open/close marks.
 * @example markSnippet({ snippet: 'a car bomb', highlights: [{ start: 2, end: 5 }] }, '[', ']') // 'a [car] bomb'
 */
export function markSnippet(hit: Pick<ArticleHit, 'snippet' | 'highlights'>, open: string, close: string): string {
  let out = '';
  let at = 0;
  for (const h of hit.highlights) {
    out += hit.snippet.slice(at, h.start) + open + hit.snippet.slice(h.start, h.end) + close;
    at = h.end;
  }
  return out + hit.snippet.slice(at);
}

/** Flags that take a value; anything else starting with one dash is a query word ("-drone" excludes). */
const VALUE_FLAGS = new Set(['--db', '--limit', '--offset', '--format']);

/**
 * Moves query words to after "--" so that "-word" (exclude) is not read as an unknown flag.
 * @example queryAfterFlags(['police', '-drone', '--db', 'k.db']) // ['--db', 'k.db', '--', 'police', '-drone']
 */
export function queryAfterFlags(argv: string[]): string[] {
  const flags: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (VALUE_FLAGS.has(a)) {
      flags.push(a);
      if (i + 1 < argv.length) flags.push(argv[++i] as string);
    } else if (a.startsWith('--') || a === '-h') flags.push(a);
    else words.push(a);
  }
  return [...flags, '--', ...words];
}

/**
 * Runs the command; `out` replaces standard output (tests pass a memory sink).
 * @example await run(['--db', 'khabar.db', '--format', 'json'])
 */
export async function run(argv: string[], out?: Sink): Promise<number> {
  const stdout = out ?? stdoutSink();
  try {
    const { values, positionals } = parseCommand(spec, queryAfterFlags(argv));
    if (values.help) {
      await stdout.write(helpText(spec));
      return 0;
    }
    const db = storeTarget(values.db as string | undefined, COMMAND);
    const query = positionals.join(' ').trim();
    if (query === '') throw new UsageError(`khabar ${COMMAND}: give a QUERY, e.g. khabar search --db ${db} "car bomb" Mogadishu.`);
    const format = choiceFlag(values.format, FORMATS, 'text', '--format', COMMAND);
    const limit = intFlag(values.limit, '--limit', 1) ?? 20;
    if (limit > 1000) throw new UsageError(`khabar ${COMMAND}: --limit is at most 1000, got ${limit}.`);
    const offset = intFlag(values.offset, '--offset', 0) ?? 0;
    const store = await openStore(db, { mustExist: true });
    let hits: ArticleHit[];
    try {
      hits = await store.searchArticles(query, { limit, offset });
    } finally {
      await store.close();
    }
    if (format === 'json') await stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
    else if (format === 'jsonl') await stdout.write(hits.map((h) => `${JSON.stringify(h)}\n`).join(''));
    else if (hits.length === 0) process.stderr.write(`no article matches ${JSON.stringify(query)}\n`);
    else {
      const [open, close] = !out && process.stdout.isTTY ? ['\u001b[1m', '\u001b[22m'] : ['[', ']'];
      const lines = hits.map((h, i) => {
        const head = `${String(offset + i + 1).padStart(3)}. ${h.date}  ${h.title ?? '(no title)'}  [${h.article_id}]${h.source ? `  ${h.source}` : ''}`;
        return `${head}\n     ${markSnippet(h, open, close).replace(/\s+/g, ' ')}\n`;
      });
      await stdout.write(lines.join(''));
    }
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    if (!out) await stdout.close();
  }
}
