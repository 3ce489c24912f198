/** `khabar reports --db FILE EVENT_ID`: the reports of one event (articles, dates, sources, evidence, fields as reported). */
import { KhabarError, UsageError } from '../errors.js';
import { stdoutSink, type Sink } from '../export/stream.js';
import { openStore, type EventReports } from '../store/index.js';
import type { EventRecord } from '../types.js';
import { choiceFlag, helpText, parseCommand, reportError, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'reports',
  summary: 'list the reports (articles and evidence) of one event',
  usage: 'khabar reports --db FILE EVENT_ID [--format text|json]',
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    'EVENT_ID      an event id as "khabar events" prints it, or the id of any of its reports',
    '--db FILE     the store to read (or set KHABAR_DB)',
    '--format F    text (default) or json (the merged event and every report in full)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const COMMAND = 'reports';

function fields(e: EventRecord): string {
  const parts = [
    e.acled_sub_event_type ?? e.event_type,
    e.date ? `${e.date}${e.date_precision === 'day' ? '' : ` (${e.date_precision})`}` : 'undated',
    e.location?.name ?? 'unplaced',
    e.actor1 ? `actor1 ${e.actor1.name}` : null,
    e.actor2 ? `actor2 ${e.actor2.name}` : null,
    e.fatalities !== null ? `fatalities ${e.fatalities}` : null,
    e.claim && e.claim !== 'reported' ? `${e.claim}${e.claimed_by ? ` by ${e.claimed_by}` : ''}` : null,
  ];
  return parts.filter((p) => p !== null).join(', ');
}

/** The merged event and its reports as a short text for the terminal. */
export function formatReports(r: EventReports): string {
  const e = r.event;
  const head = `event ${e.event_id}: ${fields(e)}\n  ${e.reports ?? r.reports.length} reports, ${e.independent_sources ?? '?'} independent sources\n`;
  const alts = (e.alternatives ?? [])
    .map((a) => {
      const more = a.others ? `, and ${a.others.values} other values (${a.others.reports})` : '';
      return `  reports disagree on ${a.field}: ${a.values.map((v) => `${typeof v.value === 'object' ? v.value.name : v.value} (${v.reports})`).join(', ')}${more}\n`;
    })
    .join('');
  const lines = r.reports.map((rep, i) => {
    const a = rep.article;
    const copy = rep.duplicate_of ? `, copy of ${rep.duplicate_of}` : '';
    const sources = rep.record.sources.map((s) => `${s.name} (${s.kind})`).join('; ');
    return (
      `\n${i + 1}. ${rep.record.event_id} in article ${a.id} of ${a.date}${a.source ? ` from ${a.source}` : ''}${copy}\n` +
      `   origin ${rep.origin}${sources ? `; cites ${sources}` : ''}\n` +
      `   ${fields(rep.record)}\n` +
      `   "${rep.record.evidence.text}"\n`
    );
  });
  return head + alts + lines.join('');
}

/**
 * Runs the command; `out` replaces standard output (tests pass a memory sink).
 * @example await run(['--db', 'khabar.db', 'a1:e1'])
 */
export async function run(argv: string[], out?: Sink): Promise<number> {
  const stdout = out ?? stdoutSink();
  try {
    const { values, positionals } = parseCommand(spec, argv);
    if (values.help) {
      await stdout.write(helpText(spec));
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`khabar ${COMMAND}: give exactly one EVENT_ID (see --help).`);
    const id = positionals[0] as string;
    const db = storeTarget(values.db as string | undefined, COMMAND);
    const format = choiceFlag(values.format, ['text', 'json'] as const, 'text', '--format', COMMAND);
    const store = await openStore(db, { mustExist: true });
    try {
      const found = await store.listReports(id);
      if (!found) throw new KhabarError('E_NOT_FOUND', `no event ${id} in ${db}: list event ids with "khabar events --db ${db}"`);
      await stdout.write(format === 'json' ? `${JSON.stringify(found, null, 2)}\n` : formatReports(found));
    } finally {
      await store.close();
    }
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    if (!out) await stdout.close();
  }
}
