/** `khabar stats --db FILE`: counts of what a store holds (articles, events by type and country, quarantine). */
import { UsageError } from '../errors.js';
import { openStore, type StoreStats } from '../store/index.js';
import { stdoutSink, type Sink } from '../export/stream.js';
import { choiceFlag, helpText, parseCommand, reportError, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'stats',
  summary: 'counts of what a store holds',
  usage: 'khabar stats --db FILE [--format text|json]',
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    '--db FILE     the store to read (or set KHABAR_DB); make one with "khabar ingest PATH... --db FILE"',
    '--format F    text (default) or json',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const COMMAND = 'stats';

function range(r: { from: string | null; to: string | null }): string {
  return r.from ? ` (${r.from} to ${r.to})` : '';
}

function breakdown(title: string, counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  if (entries.length === 0) return '';
  const width = Math.max(...entries.map(([k]) => k.length));
  return `\n${title}\n${entries.map(([k, n]) => `  ${k.padEnd(width)}  ${n}`).join('\n')}\n`;
}

/** The stats as a short report for the terminal. */
export function formatStats(s: StoreStats, db: string): string {
  return (
    `${db}\n` +
    `  articles     ${s.articles}${range(s.article_dates)}\n` +
    `  events       ${s.events}${range(s.event_dates)}${s.reports !== undefined ? ` (from ${s.reports} reports)` : ''}\n` +
    `  fatalities   ${s.fatalities} (summed over events, each counted once)\n` +
    `  entities     ${s.entities}\n` +
    `  quarantined  ${s.quarantine}${s.quarantine ? ` (see "khabar quarantine --db ${db}")` : ''}\n` +
    breakdown('Events by type', s.by_type) +
    breakdown('Events by ACLED type', s.by_acled_type) +
    breakdown('Events by country', s.by_country) +
    breakdown('Quarantined by code', s.quarantine_by_code)
  );
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
    const format = choiceFlag(values.format, ['text', 'json'] as const, 'text', '--format', COMMAND);
    const store = await openStore(db, { mustExist: true });
    let stats: StoreStats;
    try {
      stats = await store.stats();
    } finally {
      await store.close();
    }
    await stdout.write(format === 'json' ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats, db));
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    if (!out) await stdout.close();
  }
}
