/**
 * `khabar status --db postgres://... [--format json]`: queue depth, throughput, failures and workers
 * alive of a PostgreSQL store's work queue.
 */
import { WorkQueue } from '../queue/pg-queue.js';
import { helpText, numberFlag, parseCommand, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'status',
  summary: 'queue depth, throughput, failures and workers of a PostgreSQL store',
  usage: 'khabar status --db postgres://... [--format text|json] [--alive S]',
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
    alive: { type: 'string' },
  },
  help: [
    '--db URL        the PostgreSQL store (or set KHABAR_DB)',
    '--format F      text (default) or json: {queued, running, done, failed, workers, expired,',
    '                per_second_last_minute, per_second_overall, worker_list, recent_failures}',
    '--alive S       a worker counts as alive with a heartbeat in the last S seconds (default 30)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const db = storeTarget(values.db as string | undefined, 'status');
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`error E_USAGE: khabar status: --format must be text or json, got "${format}".\n`);
    return 2;
  }
  const alive = numberFlag(values.alive as string | undefined, '--alive', 'status') ?? 30;
  const queue = await WorkQueue.open(db, { mustExist: true });
  try {
    const s = await queue.status(alive);
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    const lines = [
      `queued   ${s.queued}`,
      `running  ${s.running}${s.expired ? ` (${s.expired} with an expired lease, to be retaken)` : ''}`,
      `done     ${s.done}`,
      `failed   ${s.failed}`,
      `unlinked ${s.unlinked} (stored, waiting for the linker)`,
      `workers  ${s.workers} alive`,
      `rate     ${s.per_second_last_minute}/s over the last minute, ${s.per_second_overall}/s overall`,
      ...s.worker_list.map((w) => `  ${w.id}  concurrency ${w.concurrency}  done ${w.done}  failed ${w.failed}  heartbeat ${w.heartbeat_age_s.toFixed(1)}s ago`),
      ...(s.recent_failures.length ? ['recent failures:', ...s.recent_failures.map((f) => `  ${f.article_id} (${f.failures}x): ${f.error ?? ''}`)] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await queue.close();
  }
}
