/**
 * `khabar worker --db postgres://... [--concurrency N]`: process queued articles. Run as many as you
 * like, on as many machines; SIGTERM (or Ctrl-C) finishes the jobs in hand and stops.
 */
import pino from 'pino';
import { createPipeline, loadKnowledge } from '../extract.js';
import { ExtractorPool } from '../ingest/extract-pool.js';
import { inProcessExtractor, type Extractor } from '../ingest/process.js';
import { WorkQueue } from '../queue/pg-queue.js';
import { runWorker } from '../queue/worker.js';
import { helpText, numberFlag, parseCommand, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'worker',
  summary: 'process queued articles from a PostgreSQL store',
  usage: 'khabar worker --db postgres://... [--concurrency N] [--batch N] [--lease S] [--max-failures N] [--drain] [--kb DIR]',
  options: {
    db: { type: 'string' },
    kb: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
    batch: { type: 'string' },
    lease: { type: 'string' },
    'max-failures': { type: 'string' },
    drain: { type: 'boolean' },
    'log-level': { type: 'string' },
  },
  help: [
    '--db URL           the PostgreSQL store whose queue to work (or set KHABAR_DB); fill it with',
    '                   khabar ingest PATH... --db URL --enqueue',
    '--concurrency N    extraction threads and claim loops in this process (default 1)',
    '--batch N          jobs claimed at a time per loop (default 20)',
    '--lease S          seconds a claim lasts without a heartbeat (default 60); a dead worker\'s jobs',
    '                   are taken by another worker once it expires',
    '--max-failures N   extraction failures before an article is quarantined (default 3)',
    '--drain            exit once the queue is empty instead of waiting for more',
    '--kb DIR           an extra actor knowledge-base folder (repeatable)',
    '--log-level L      pino level: debug, info (default), warn, error',
    'Logs are JSON lines (pino) on stderr; the summary is printed as JSON on stdout at exit.',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const db = storeTarget(values.db as string | undefined, 'worker');
  const concurrency = numberFlag(values.concurrency as string | undefined, '--concurrency', 'worker') ?? 1;
  const batch = numberFlag(values.batch as string | undefined, '--batch', 'worker');
  const lease = numberFlag(values.lease as string | undefined, '--lease', 'worker');
  const maxFailures = numberFlag(values['max-failures'] as string | undefined, '--max-failures', 'worker');
  const logger = pino({ name: 'khabar-worker', level: (values['log-level'] as string | undefined) ?? 'info' }, pino.destination(2));
  const kbDirs = (values.kb as string[] | undefined) ?? [];

  const queue = await WorkQueue.open(db, { ...(lease !== undefined ? { leaseSeconds: lease } : {}), ...(maxFailures !== undefined ? { maxFailures } : {}) });
  let pool: ExtractorPool | null = null;
  let stopSignal: () => void = () => undefined;
  const stop = new Promise<void>((resolve) => (stopSignal = resolve));
  const onSignal = (sig: string) => () => {
    logger.info({ signal: sig }, 'signal received');
    stopSignal();
  };
  const onTerm = onSignal('SIGTERM');
  const onInt = onSignal('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    pool = concurrency > 1 ? await ExtractorPool.start({ workers: concurrency, kbDirs }) : null;
    const extractor: Extractor = pool ?? inProcessExtractor(createPipeline(await loadKnowledge({ kbDirs })));
    const summary = await runWorker(queue, extractor, { concurrency, ...(batch !== undefined ? { batch } : {}), drain: Boolean(values.drain), logger, stop });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    await pool?.close();
    await queue.close();
  }
}
