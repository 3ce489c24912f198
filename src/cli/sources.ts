/**
 * `khabar sources add|list|remove|polls|import`: the feeds and pages `khabar watch` follows, kept in
 * the store with their polling state and a record of every poll.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { KhabarError, UsageError } from '../errors.js';
import { formatEvery, parseEvery } from '../sources/schedule.js';
import { openStore } from '../store/index.js';
import type { SourceInput, SourceRecord, StoredPoll } from '../store/store.js';
import { helpText, parseCommand, requireFlag, storeTarget, type CommandSpec } from './args.js';

const COMMAND = 'sources';
const spec = {
  name: COMMAND,
  summary: 'add, list and remove the feeds and pages to watch',
  usage: [
    'khabar sources add URL|FILE --name NAME [--every 15m] --db FILE',
    '       khabar sources list|polls [NAME] [--limit N] [--json] --db FILE',
    '       khabar sources remove NAME --db FILE',
    '       khabar sources import SOURCES.json --db FILE',
  ].join('\n'),
  options: {
    db: { type: 'string' },
    name: { type: 'string' },
    every: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: [
    'URL|FILE      an RSS 2.0, Atom or JSON Feed address, a news page, or such a file on disk',
    '--name NAME   the source\'s unique name (also the stored articles\' source)',
    '--every T     how often to poll: 30m, 2h, 1d (default 15m, at least 1m)',
    '--db FILE     the store (or set KHABAR_DB)',
    '--limit N     polls: how many, newest first (default 20)',
    '--json        JSON lines instead of text',
    'SOURCES.json  import: [{"name": "...", "location": "https://...", "every": "30m"}, ...]',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const sourcesFileSchema = z.array(
  z.object({ name: z.string().min(1).max(200), location: z.string().min(1), every: z.string().optional() }).strict(),
);

/** Checks a source location: an http(s) URL, or a file that exists (stored as an absolute path). */
export function checkLocation(location: string): string {
  if (/^https?:\/\//i.test(location)) {
    try {
      return new URL(location).href;
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      throw new UsageError(`khabar ${COMMAND}: "${location}" is not a valid URL.`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new UsageError(`khabar ${COMMAND}: only http(s) URLs and files can be watched, not "${location}".`);
  if (!existsSync(location)) throw new UsageError(`khabar ${COMMAND}: no file at "${location}"; give an http(s) URL or an existing feed or HTML file.`);
  return resolve(location);
}

function sourceLine(s: SourceRecord): string {
  const state = s.failures > 0 ? `failing x${s.failures}: ${s.last_error ?? ''}` : s.last_polled_at ? `ok, last poll ${s.last_polled_at}` : 'not polled yet';
  return `${s.name}  every ${formatEvery(s.every_s)}  ${s.location}\n    next poll ${s.next_poll_at}; ${state}\n`;
}

function pollLine(p: StoredPoll): string {
  const head = `${p.started_at}  ${p.source_name}  ${p.status}${p.http_status !== null ? ` (HTTP ${p.http_status})` : ''}`;
  const counts = `items ${p.items}, new ${p.new}, duplicate ${p.duplicates}, failed ${p.failed}`;
  const error = p.error ? `\n    ${p.error_code}: ${p.error}` : '';
  const items = p.item_errors.map((e) => `\n    item ${e.item}: ${e.code}: ${e.message}`).join('');
  return `${head}  ${counts}${error}${items}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const [action, ...args] = positionals;
  if (!action) throw new UsageError(`khabar ${COMMAND}: give an action: add, list, polls, remove or import (see --help).`);
  const db = storeTarget(values.db as string | undefined, COMMAND);
  const json = Boolean(values.json);
  const store = await openStore(db);
  try {
    switch (action) {
      case 'add': {
        if (args.length !== 1) throw new UsageError(`khabar ${COMMAND} add: give exactly one URL or FILE.`);
        const name = requireFlag(values.name, '--name NAME', `${COMMAND} add`);
        const input: SourceInput = { name, location: checkLocation(args[0]!), every_s: parseEvery(values.every ?? '15m') };
        const added = await store.addSource(input);
        process.stdout.write(json ? `${JSON.stringify(added)}\n` : `added ${added.name} (${added.location}), polled every ${formatEvery(added.every_s)}\n`);
        return 0;
      }
      case 'import': {
        if (args.length !== 1) throw new UsageError(`khabar ${COMMAND} import: give one sources file.`);
        let parsed;
        try {
          parsed = sourcesFileSchema.safeParse(JSON.parse(readFileSync(args[0]!, 'utf8')));
        } catch (err) {
          throw new KhabarError('E_VALIDATION', `${args[0]}: cannot read the sources file (${err instanceof Error ? err.message : String(err)}).`, { file: args[0] });
        }
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new KhabarError('E_VALIDATION', `${args[0]}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'bad shape'}; expected [{"name", "location", "every"}].`, { file: args[0] });
        }
        const have = new Set((await store.listSources()).map((s) => s.name));
        let added = 0;
        for (const s of parsed.data) {
          if (have.has(s.name)) continue; // importing the same file twice adds nothing
          await store.addSource({ name: s.name, location: checkLocation(s.location), every_s: parseEvery(s.every ?? '15m') });
          added++;
        }
        process.stdout.write(`imported ${added} source(s), ${parsed.data.length - added} already present\n`);
        return 0;
      }
      case 'list': {
        const sources = await store.listSources();
        if (json) for (const s of sources) process.stdout.write(`${JSON.stringify(s)}\n`);
        else if (sources.length === 0) process.stdout.write(`no sources yet: add one with "khabar sources add URL --name NAME --db ${db}"\n`);
        else for (const s of sources) process.stdout.write(sourceLine(s));
        return 0;
      }
      case 'polls': {
        const limit = values.limit === undefined ? 20 : Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`khabar ${COMMAND} polls: --limit takes a whole number from 1.`);
        const polls = await store.listPolls({ ...(args[0] ? { source: args[0] } : {}), limit });
        for (const p of polls) process.stdout.write(json ? `${JSON.stringify(p)}\n` : pollLine(p));
        return 0;
      }
      case 'remove': {
        if (args.length !== 1) throw new UsageError(`khabar ${COMMAND} remove: give the source's name.`);
        if (!(await store.removeSource(args[0]!))) throw new KhabarError('E_NOT_FOUND', `no source named "${args[0]}"; see the names with "khabar sources list --db ${db}".`);
        process.stdout.write(`removed ${args[0]}\n`);
        return 0;
      }
      default:
        throw new UsageError(`khabar ${COMMAND}: unknown action "${action}"; use add, list, polls, remove or import.`);
    }
  } finally {
    await store.close();
  }
}
