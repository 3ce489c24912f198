/**
 * The work-queue benchmark (`node dist/bench/postgres.js`, or `npm run bench -- --store postgres` for
 * the in-process variant): queue N realistic articles in a fresh schema of KHABAR_PG_URL, then drain
 * it with 1, 2 and 4 `khabar worker` processes and print articles per second for each.
 *
 * @example KHABAR_PG_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/postgres.js --articles 2000
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { helpText, parseCommand, reportError, type CommandSpec } from '../src/cli/args.js';
import { UsageError } from '../src/errors.js';
import { WorkQueue } from '../src/queue/pg-queue.js';
import { PostgresStore } from '../src/store/postgres/pg-store.js';
import { defaultDataDir } from '../eval/data.js';
import { benchBatch, loadBaseCorpus } from './corpus.js';

const spec = {
  name: 'bench-postgres',
  summary: 'throughput of the PostgreSQL work queue with 1, 2 and 4 worker processes',
  usage: 'node dist/bench/postgres.js [--articles N] [--workers 1,2,4] [--batch N] [--data DIR] [--json]',
  options: {
    articles: { type: 'string' },
    workers: { type: 'string' },
    batch: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: [
    '  --articles N   articles queued per run (default 2000)',
    '  --workers L    worker process counts to run (default 1,2,4), each on a fresh schema',
    '  --batch N      jobs a worker claims at a time (default 20)',
    '  --data DIR     corpora folder (default ../shared/data; falls back to data/demo)',
    'Needs KHABAR_PG_URL; each run uses its own schema, dropped afterwards.',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

interface Run {
  workers: number;
  articles: number;
  events: number;
  seconds: number;
  per_second: number;
  /** Seconds from the first claim to the last completion (worker start-up excluded). */
  busy_seconds: number;
  busy_per_second: number;
  /** Per article, summed over the workers: extraction, the store write (with the job updates), linking. */
  extract_ms_per_article: number;
  store_ms_per_article: number;
  link_ms_per_article: number;
}

interface WorkerTimes {
  done: number;
  extract_ms: number;
  store_ms: number;
  link_ms: number;
}

function startKhabar(args: string[]): ChildProcess {
  const ts = import.meta.url.endsWith('.ts');
  const main = new URL(ts ? '../src/cli/main.ts' : '../src/cli/main.js', import.meta.url).href;
  const code = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv.slice(1));`;
  return spawn(process.execPath, [...(ts ? ['--import', 'tsx'] : []), '--input-type=module', '-e', code, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The summary line a worker prints on stdout at exit. */
function summaryOf(p: ChildProcess): Promise<WorkerTimes | null> {
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) =>
    p.once('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as WorkerTimes);
      } catch {
        // An older worker without a summary line: no breakdown.
        resolve(null);
      }
    }),
  );
}

async function oneRun(base: string, workers: number, articles: number, batch: number, dataDir: string | null): Promise<Run> {
  const schema = `khabar_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  const queue = new WorkQueue(await PostgresStore.open(url.toString()));
  try {
    const corpus = loadBaseCorpus(dataDir);
    for (let i = 0; i < articles; i += 1000) await queue.enqueue(benchBatch(corpus, i, Math.min(articles, i + 1000), schema));
    const t0 = performance.now();
    const procs = Array.from({ length: workers }, () => startKhabar(['worker', '--db', url.toString(), '--drain', '--batch', String(batch), '--log-level', 'warn']));
    const times = procs.map(summaryOf);
    const codes = await Promise.all(procs.map((p) => new Promise<number | null>((r) => p.once('exit', r))));
    const per = (await Promise.all(times)).filter((t): t is WorkerTimes => t !== null);
    const seconds = (performance.now() - t0) / 1000;
    if (codes.some((c) => c !== 0)) throw new Error(`a worker exited with ${codes.join(', ')}`);
    const s = await queue.status();
    const busy = (await queue.store.query<{ s: number }>('SELECT extract(epoch FROM max(finished_at) - min(started_at))::float8 AS s FROM queue_jobs'))[0]?.s ?? seconds;
    const events = (await queue.store.stats()).events;
    return {
      workers,
      articles: s.done,
      events,
      seconds: Math.round(seconds * 10) / 10,
      per_second: Math.round((s.done / seconds) * 10) / 10,
      busy_seconds: Math.round(busy * 10) / 10,
      busy_per_second: Math.round((s.done / busy) * 10) / 10,
      extract_ms_per_article: Math.round((per.reduce((a, t) => a + t.extract_ms, 0) / s.done) * 100) / 100,
      store_ms_per_article: Math.round((per.reduce((a, t) => a + t.store_ms, 0) / s.done) * 100) / 100,
      link_ms_per_article: Math.round((per.reduce((a, t) => a + t.link_ms, 0) / s.done) * 100) / 100,
    };
  } finally {
    await queue.close();
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const base = process.env.KHABAR_PG_URL;
  if (!base) throw new UsageError('bench-postgres: set KHABAR_PG_URL=postgres://... (a database it may create schemas in)');
  const articles = Number(values.articles ?? 2000);
  const batch = Number(values.batch ?? 20);
  const counts = String(values.workers ?? '1,2,4').split(',').map(Number);
  if (!Number.isInteger(articles) || articles < 1 || counts.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError('bench-postgres: --articles and --workers take positive integers');
  const dataDir = (values.data as string | undefined) ?? defaultDataDir();
  const runs: Run[] = [];
  for (const w of counts) {
    const r = await oneRun(base, w, articles, batch, dataDir);
    runs.push(r);
    process.stderr.write(
      `workers ${w}: ${r.articles} articles, ${r.events} events in ${r.seconds}s = ${r.per_second}/s (busy ${r.busy_seconds}s = ${r.busy_per_second}/s); ` +
        `per article: extract ${r.extract_ms_per_article} ms, store ${r.store_ms_per_article} ms, link ${r.link_ms_per_article} ms\n`,
    );
  }
  const machine = { cpus: cpus().length, load_average: loadavg().map((x) => Math.round(x * 100) / 100) };
  if (values.json) process.stdout.write(`${JSON.stringify({ machine, runs })}\n`);
  else {
    process.stdout.write(`PostgreSQL work queue, ${articles} articles, ${machine.cpus} CPUs, load ${machine.load_average.join(' ')}\n`);
    process.stdout.write('workers  articles/s (wall, incl. start-up)  articles/s (first claim to last done)  ms/article: extract  store  link\n');
    for (const r of runs) {
      process.stdout.write(
        `${String(r.workers).padStart(7)}  ${String(r.per_second).padStart(32)}  ${String(r.busy_per_second).padStart(37)}  ` +
          `${String(r.extract_ms_per_article).padStart(19)}  ${String(r.store_ms_per_article).padStart(5)}  ${String(r.link_ms_per_article).padStart(4)}\n`,
      );
    }
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => (process.exitCode = reportError(err)),
);
