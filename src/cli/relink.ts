/** `khabar relink --db FILE`: recompute near-duplicate links and merged events from every stored report. */
import { UsageError } from '../errors.js';
import { stdoutSink, type Sink } from '../export/stream.js';
import { openStore } from '../store/index.js';
import { helpText, parseCommand, reportError, requireFlag, type CommandSpec } from './args.js';

const spec = {
  name: 'relink',
  summary: 'link stored reports into events again (after new knowledge)',
  usage: 'khabar relink --db FILE [--format text|json]',
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    '--db FILE     the store to relink (or set KHABAR_DB); all of it is relinked in one transaction',
    '--format F    text (default) or json: what was linked',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const COMMAND = 'relink';

/**
 * Runs the command; `out` replaces standard output (tests pass a memory sink).
 * @example await run(['--db', 'khabar.db'])
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
    const db = requireFlag(values.db ?? process.env.KHABAR_DB, '--db FILE', COMMAND);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`khabar ${COMMAND}: --format takes text or json, got "${format}".`);
    const store = await openStore(db, { mustExist: true });
    try {
      const s = await store.relink();
      await stdout.write(
        format === 'json'
          ? `${JSON.stringify(s)}\n`
          : `relinked ${s.articles} articles (${s.duplicates} near-duplicates of an earlier one): ${s.reports} reports in ${s.events} events, ${Math.round(s.ms)} ms\n`,
      );
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
