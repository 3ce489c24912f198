/**
 * `khabar ingest PATH... --db FILE`: read articles, extract events, store them. Bad input is
 * quarantined with its reason and the rest of the batch goes in; exit code 1 only when nothing at all
 * could be read.
 */
import { stat, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { createPipeline, loadKnowledge } from '../extract.js';
import { readInputs } from '../ingest/index.js';
import { ExtractorPool, defaultPoolWorkers } from '../ingest/extract-pool.js';
import { DEFAULT_BATCH_SIZE, inProcessExtractor, processItems, type Extractor, type IngestItem, type IngestSummary } from '../ingest/process.js';
import { openStore } from '../store/index.js';
import { checkAlerts, jsonLinesSink, webhookSink } from '../alerts/index.js';
import { checkDate, helpText, numberFlag, parseCommand, storeTarget, type CommandSpec } from './args.js';


const spec = {
  name: 'ingest',
  summary: 'read articles into a store, extracting their events',
  usage: 'khabar ingest PATH... --db FILE [--kb DIR] [--workers N] [--batch N] [--max-bytes N] [--json]',
  options: {
    db: { type: 'string' },
    kb: { type: 'string', multiple: true },
    date: { type: 'string' },
    batch: { type: 'string' },
    workers: { type: 'string' },
    'max-bytes': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    enqueue: { type: 'boolean' },
  },
  help: [
    'PATH             a file, a folder (read recursively), a glob ("news/**/*.txt") or - for stdin.',
    '                 Formats: the dated line format (first line "date YYYY-MM-DD ..."), .jsonl (one',
    '                 article per line with "text" and "date"), .json arrays, .html pages.',
    '--db FILE        the SQLite store to write (created when missing; or set KHABAR_DB)',
    '--kb DIR         an extra actor knowledge-base folder (repeatable)',
    '--date D         the date (YYYY-MM-DD) of inputs that carry none (HTML pages without a date)',
    '--workers N      extraction threads (default: one per core, beside the thread that writes;',
    '                 1 runs in this thread)',
    `--batch N        articles per transaction (default ${DEFAULT_BATCH_SIZE})`,
    '--max-bytes N    largest article or file accepted (default 5000000)',
    '--json           print the summary as JSON',
    '--quiet          no progress bar and no quarantine lines',
    '--enqueue        with a postgres:// --db: only queue the articles for `khabar worker` (bad inputs',
    '                 are still quarantined here)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>;

/** Rough number of articles in the inputs, for the progress bar: JSONL lines, else one per file. */
async function estimateTotal(paths: string[]): Promise<number | null> {
  let total = 0;
  for (const p of paths) {
    if (p === '-' || /[*?]/.test(p)) return null;
    try {
      const s = await stat(p);
      if (s.isDirectory()) return null;
      if (/\.(jsonl|ndjson)$/i.test(p) && s.size < 512 * 1024 * 1024) {
        const buf = await readFile(p);
        let lines = 0;
        for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lines++;
        total += lines + 1;
      } else total += 1;
    } catch {
      // A missing path is reported by the reader, with its reason; here it only counts as nothing.
    }
  }
  return total;
}

function printSummary(s: IngestSummary, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return;
  }
  const secs = (s.ms / 1000).toFixed(2);
  process.stdout.write(
    `articles read ${s.read}, new ${s.inserted}, duplicate ${s.duplicates}, quarantined ${s.quarantined}, events found ${s.events}, time ${secs}s\n`,
  );
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const db = storeTarget(values.db as string | undefined, 'ingest');
  if (positionals.length === 0) {
    process.stderr.write(`error E_USAGE: khabar ingest: give at least one PATH (a file, folder, glob or -).\n`);
    return 2;
  }
  const batchSize = numberFlag(values.batch as string | undefined, '--batch', 'ingest');
  const maxBytes = numberFlag(values['max-bytes'] as string | undefined, '--max-bytes', 'ingest');
  const quiet = Boolean(values.quiet);
  const defaultDate = checkDate(values.date as string | undefined, 'ingest');

  if (values.enqueue) {
    const { enqueueInputs } = await import('../queue/enqueue-cli.js');
    return enqueueInputs(db, positionals, { ...(maxBytes !== undefined ? { maxBytes } : {}), ...(defaultDate ? { defaultDate } : {}), json: Boolean(values.json) });
  }
  const workers = numberFlag(values.workers as string | undefined, '--workers', 'ingest');
  const kbDirs = (values.kb as string[] | undefined) ?? [];
  // By default a pool whenever there is a second core (defaultPoolWorkers: one thread per core).
  const inThread = workers === undefined ? availableParallelism() < 2 : workers <= 1;
  const pool = inThread ? null : await ExtractorPool.start({ workers: workers ?? defaultPoolWorkers(), kbDirs });
  const extractor: Extractor = pool ?? inProcessExtractor(createPipeline(await loadKnowledge({ kbDirs })));
  const store = await openStore(db);
  const tty = process.stderr.isTTY && !quiet;
  const total = tty ? await estimateTotal(positionals) : null;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: ' {bar} {value}/{total} articles | {new} new | {dup} duplicate | {quar} quarantined | {eta_formatted} left', hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total ?? 0, 0, { new: 0, dup: 0, quar: 0 });

  // Without a progress bar, each quarantined input is named on stderr as it happens (the first 50).
  let quarantinedShown = 0;
  // Watch rules (khabar alerts): the ingested articles' events are checked once the batch is in.
  const alertIds: string[] | null = (await store.listAlertRules()).length > 0 ? [] : null;
  async function* watched(): AsyncGenerator<IngestItem> {
    for await (const item of readInputs(positionals, { stdin: process.stdin, ...(maxBytes !== undefined ? { maxBytes } : {}), ...(defaultDate ? { defaultDate } : {}) })) {
      if (item.kind === 'quarantine' && !quiet && !bar && quarantinedShown < 50) {
        quarantinedShown++;
        const where = item.item.line !== null ? `${item.item.file}:${item.item.line}` : item.item.file;
        process.stderr.write(`quarantined ${where}: ${item.item.code}: ${item.item.reason}\n`);
      }
      if (alertIds && item.kind === 'article') alertIds.push(item.article.id);
      yield item;
    }
  }

  let summary: IngestSummary;
  try {
    summary = await processItems(watched(), store, extractor, {
      ...(batchSize !== undefined ? { batchSize } : {}),
      onProgress: (s) => {
        if (!bar) return;
        const done = s.read;
        if (total !== null && done > bar.getTotal()) bar.setTotal(done);
        bar.update(done, { new: s.inserted, dup: s.duplicates, quar: s.quarantined });
      },
    });
    if (alertIds && alertIds.length > 0) {
      const { deliveries } = await checkAlerts(store, alertIds, [jsonLinesSink((l) => process.stderr.write(`alert ${l}`)), webhookSink()]);
      for (const d of deliveries) if (!d.ok) process.stderr.write(`alert ${d.hit_id}: ${d.sink} failed after ${d.attempts} attempt(s): ${d.error}\n`);
    }
  } finally {
    bar?.stop();
    await store.close();
    await pool?.close();
  }
  printSummary(summary, Boolean(values.json));
  if (summary.quarantined > quarantinedShown && !quiet) process.stderr.write(`see every quarantined input with: khabar quarantine --db ${db}\n`);
  // Non-zero only when nothing at all could be read.
  return summary.read === 0 ? 1 : 0;
}
