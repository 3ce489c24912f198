/**
 * `khabar demo`: the main job on a fresh machine. Ingests the bundled sample articles into ./khabar.db,
 * prints what was found, then starts the app (unless --no-serve).
 */
import { dataPath } from '../paths.js';
import { openStore } from '../store/index.js';
import { helpText, parseCommand, type CommandSpec } from './args.js';
import { run as ingest } from './ingest.js';
import { run as serve } from './serve.js';
import type { EventRecord } from '../types.js';

const spec = {
  name: 'demo',
  summary: 'ingest the bundled sample articles into ./khabar.db, print what was found, start the app',
  usage: 'khabar demo [--db FILE] [--port N] [--no-serve]',
  options: {
    db: { type: 'string' },
    port: { type: 'string' },
    'no-serve': { type: 'boolean' },
  },
  help: [
    '--db FILE     the store to fill (default ./khabar.db; re-running adds nothing new)',
    '--port N      the app\'s port (default 8080)',
    '--no-serve    stop after printing what was found',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

function describe(e: EventRecord): string {
  const who = [e.actor1?.name, e.actor2?.name].filter(Boolean).join(' vs ');
  const where = e.location ? `${e.location.name}${e.location.country_code ? ` (${e.location.country_code})` : ''}` : 'place unknown';
  const toll = e.fatalities !== null ? `, ${e.fatalities} killed` : '';
  return `  ${e.date ?? '????-??-??'}  ${(e.acled_sub_event_type ?? e.event_type).padEnd(34)} ${where}${who ? ` — ${who}` : ''}${toll}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const db = (values.db as string | undefined) ?? 'khabar.db';
  process.stdout.write(`Ingesting the sample articles in ${dataPath('demo')} into ${db} ...\n`);
  const code = await ingest([dataPath('demo'), '--db', db]);
  if (code !== 0) return code;

  const store = await openStore(db);
  try {
    const events = await store.queryEvents({ limit: 40, sort: 'date_desc' });
    process.stdout.write(`\nSome of the events found (newest first; "khabar events --db ${db}" lists them all):\n`);
    for (const e of events.slice(0, 25)) process.stdout.write(`${describe(e)}\n`);
  } finally {
    await store.close();
  }
  if (values['no-serve']) return 0;
  const port = (values.port as string | undefined) ?? '8080';
  process.stdout.write(`\nStarting the app: open http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`);
  return serve(['--db', db, '--port', port]);
}
