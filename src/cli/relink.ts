/**
 * `khabar relink --db FILE`: after new knowledge (a gazetteer or actor base update), run the pipeline
 * again on every stored article, replace its entities and events, then relink everything;
 * `--links-only` recomputes near-duplicate links and merged events from the stored reports alone.
 */
import cliProgress from 'cli-progress';
import { availableParallelism } from 'node:os';
import { KhabarError, UsageError } from '../errors.js';
import { stdoutSink, type Sink } from '../export/stream.js';
import { createPipeline, loadKnowledge } from '../extract.js';
import { ExtractorPool } from '../ingest/extract-pool.js';
import { inProcessExtractor, type Extractor } from '../ingest/process.js';
import { extractOrSkip, type GatedOutcome } from '../ingest/language-gate.js';
import { openStore, type RelinkSummary, type Store, type StoredArticle, type StoredArticleInput } from '../store/index.js';
import { choiceFlag, helpText, numberFlag, parseCommand, reportError, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'relink',
  summary: 'extract stored articles again with the current knowledge and relink their events',
  usage: 'khabar relink --db FILE [--links-only] [--kb DIR] [--workers N] [--batch N] [--quiet] [--format text|json]',
  options: {
    db: { type: 'string' },
    'links-only': { type: 'boolean' },
    kb: { type: 'string', multiple: true },
    workers: { type: 'string' },
    batch: { type: 'string' },
    quiet: { type: 'boolean' },
    format: { type: 'string' },
  },
  help: [
    '--db FILE       the store to relink (or set KHABAR_DB)',
    '--links-only    do not extract again: relink the stored reports only (one transaction)',
    '--kb DIR        an extra actor knowledge-base folder (repeatable), as for "khabar ingest"',
    '--workers N     extraction threads (default: one per core; 1 runs in this thread)',
    '--batch N       articles replaced per transaction (default 500)',
    '--quiet         no progress bar',
    '--format F      text (default) or json: what was extracted and linked',
    '',
    'Each batch of articles is replaced in its own transaction, then everything is relinked in one;',
    'if the command is stopped half way, run it again (a store opened before then relinks on open).',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const COMMAND = 'relink';

/** What a full relink did: the re-extraction, then the relink. */
export interface ReextractSummary {
  /** Stored articles read. */
  articles: number;
  /** Articles whose result was replaced by a new extraction. */
  replaced: number;
  /** Articles the pipeline failed on now: they keep their previous result. */
  failed: number;
  /** The first failures (article id, code, message), at most 20. */
  failures: { article_id: string; code: string; message: string }[];
  /** Reports before and after the re-extraction. */
  reports_before: number;
  reports_after: number;
  extract_ms: number;
  link: RelinkSummary;
}

export interface ReextractOptions {
  /** Articles per replaceResults transaction (default 500). */
  batchSize?: number;
  /** Called after each batch with the articles done so far. */
  onProgress?: (done: number) => void;
}

/**
 * Runs the pipeline again on every stored article (its stored raw text and metadata), replaces each
 * article's entities and events, then relinks the whole store. Extraction of the next batch overlaps
 * the write of the previous one.
 * @example await reextract(store, inProcessExtractor(pipeline)) // { articles: 120, replaced: 120, failed: 0, ... }
 */
export async function reextract(store: Store, extractor: Extractor, options: ReextractOptions = {}): Promise<ReextractSummary> {
  if (!store.replaceResults) {
    throw new KhabarError('E_STORE', `this ${store.dialect} store cannot replace results yet: run "khabar relink --links-only"`);
  }
  const replace = store.replaceResults.bind(store);
  const size = options.batchSize ?? 500;
  const t0 = performance.now();
  const summary: ReextractSummary = {
    articles: 0,
    replaced: 0,
    failed: 0,
    failures: [],
    reports_before: 0,
    reports_after: 0,
    extract_ms: 0,
    link: { articles: 0, duplicates: 0, reports: 0, events: 0, ms: 0 },
  };
  const apply = async (batch: StoredArticle[], outcomes: GatedOutcome[]): Promise<void> => {
    const inputs: StoredArticleInput[] = [];
    outcomes.forEach((outcome, i) => {
      const stored = batch[i] as StoredArticle;
      summary.reports_before += stored.result.events.length;
      if (outcome.ok) {
        inputs.push(outcome.extracted === false ? { article: stored.article, result: outcome.result, extracted: false } : { article: stored.article, result: outcome.result });
        summary.reports_after += outcome.result.events.length;
      } else {
        summary.failed++;
        summary.reports_after += stored.result.events.length;
        if (summary.failures.length < 20) summary.failures.push({ article_id: stored.article.id, code: outcome.code, message: outcome.message });
      }
    });
    summary.replaced += (await replace(inputs)).replaced;
    options.onProgress?.(summary.replaced + summary.failed);
  };
  // Batch k is extracted (on the worker pool) while batch k-1 is written; at most two in flight.
  let previous: Promise<void> = Promise.resolve();
  let batch: StoredArticle[] = [];
  const flush = async (): Promise<void> => {
    const next = batch;
    batch = [];
    const extraction = extractOrSkip(
      extractor,
      next.map((s) => s.article),
    );
    const before = previous;
    const current = (async () => {
      const outcomes = await extraction;
      await before;
      await apply(next, outcomes);
    })();
    // A rejection surfaces where the chain is awaited, not as unhandled.
    current.catch(() => undefined);
    previous = current;
    await before;
  };
  for await (const stored of store.iterateArticles({ batchSize: size })) {
    summary.articles++;
    batch.push(stored);
    if (batch.length >= size) await flush();
  }
  if (batch.length) await flush();
  await previous;
  summary.extract_ms = performance.now() - t0;
  summary.link = await store.relink();
  return summary;
}

function formatLinks(s: RelinkSummary): string {
  return `relinked ${s.articles} articles (${s.duplicates} near-duplicates of an earlier one): ${s.reports} reports in ${s.events} events, ${Math.round(s.ms)} ms\n`;
}

function formatReextract(s: ReextractSummary): string {
  const failed = s.failed
    ? `; ${s.failed} failed and keep their previous result:\n${s.failures.map((f) => `  ${f.article_id}: ${f.code}: ${f.message}\n`).join('')}`
    : '\n';
  return (
    `extracted ${s.replaced} of ${s.articles} articles again in ${(s.extract_ms / 1000).toFixed(1)} s: ${s.reports_before} reports before, ${s.reports_after} now${failed}` +
    formatLinks(s.link)
  );
}

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
    const db = storeTarget(values.db as string | undefined, COMMAND);
    const format = choiceFlag(values.format, ['text', 'json'] as const, 'text', '--format', COMMAND);
    const workers = numberFlag(values.workers, '--workers', COMMAND) ?? availableParallelism();
    const batchSize = numberFlag(values.batch, '--batch', COMMAND);
    const store = await openStore(db, { mustExist: true });
    try {
      if (values['links-only']) {
        const s = await store.relink();
        await stdout.write(format === 'json' ? `${JSON.stringify(s)}\n` : formatLinks(s));
        return 0;
      }
      const kbDirs = values.kb ?? [];
      const pool = workers > 1 ? await ExtractorPool.start({ workers, kbDirs }) : null;
      const tty = process.stderr.isTTY && !values.quiet;
      const bar = tty
        ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} articles extracted again | {eta_formatted} left', hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
        : null;
      try {
        const extractor: Extractor = pool ?? inProcessExtractor(createPipeline(await loadKnowledge({ kbDirs })));
        bar?.start((await store.stats()).articles, 0);
        const s = await reextract(store, extractor, {
          ...(batchSize !== undefined ? { batchSize } : {}),
          onProgress: (done) => bar?.update(done),
        });
        bar?.stop();
        await stdout.write(format === 'json' ? `${JSON.stringify(s)}\n` : formatReextract(s));
      } finally {
        bar?.stop();
        await pool?.close();
      }
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
