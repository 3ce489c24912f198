/**
 * The SQLite store's write cost against its size, per thread (`node dist/bench/measure-store.js [N] [stream|rounds] [DIR]`):
 * the benchmark's base texts are extracted once, then N articles made from them (as bench/corpus.ts
 * varies and dates them, in the given date layout) are written in batches of khabar ingest's default size (DEFAULT_BATCH_SIZE) into a fresh store, their store JSON prepared
 * beforehand as the extraction workers do. For each tenth of the run it prints CPU µs per article of
 * the writing thread outside linking, of linking, of the other threads (the after-commit thread's
 * checkpoints, and V8's helpers), of the after-commit thread alone and of the whole process, the write-ahead log
 * written per article (what each commit writes and each checkpoint copies), the bytes the writing thread
 * read from the store's files per article (pages not in its cache: SQLite drops the cache whenever
 * another connection has committed), then the merged events
 * and reports linked (the same for any change that leaves linking's output alone) and the store's bytes
 * per article. Given a folder (DIR), the store is written in that (new or empty) folder and kept there,
 * for comparing stored content across changes.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir } from '../eval/data.js';
import { createPipeline, extractArticle, loadKnowledge } from '../src/extract.js';
import { DEFAULT_BATCH_SIZE } from '../src/ingest/process.js';
import { prepareArticle } from '../src/store/prepared.js';
import { SqliteLinker } from '../src/store/sqlite/link.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { StoredArticleInput } from '../src/store/store.js';
import type { ArticleResult } from '../src/types.js';
import { DATE_LAYOUTS, benchPlacement, loadBaseCorpus, shiftDate, varyText, type DateLayout } from './corpus.js';
import { dirBytes, threadCpuMs, threadReadBytes } from './process-measures.js';

const N = Number(process.argv[2] ?? 30000);
// After N, a date layout (stream or rounds; default stream) and a folder to keep the store in, in either order.
const rest = process.argv.slice(3);
const LAYOUT: DateLayout = (rest.find((a) => (DATE_LAYOUTS as readonly string[]).includes(a)) as DateLayout | undefined) ?? 'stream';
const keepIn = rest.find((a) => !(DATE_LAYOUTS as readonly string[]).includes(a));
const BATCH = DEFAULT_BATCH_SIZE;

/** CPU microseconds of the main thread (the one that writes) so far (Linux). */
function mainCpuUs(): number {
  const ms = threadCpuMs(process.pid);
  if (ms === null) throw new Error('measure-store reads thread CPU times from /proc: run it on Linux');
  return ms * 1000;
}

/** Bytes the main thread has read from files so far (Linux). */
function mainReadBytes(): number {
  const bytes = threadReadBytes(process.pid);
  if (bytes === null) throw new Error('measure-store reads thread I/O counts from /proc: run it on Linux');
  return bytes;
}

/** Ids of this process's threads (Linux). */
function threadIds(): number[] {
  return readdirSync('/proc/self/task').map(Number);
}

/** The threads that started with the store's first batch (its after-commit thread, see src/store/sqlite/after-commit.ts). */
let storeThreads: number[] = [];

/** CPU microseconds of the store's own threads so far. */
function storeThreadsCpuUs(): number {
  return storeThreads.reduce((sum, tid) => sum + (threadCpuMs(tid) ?? 0) * 1000, 0);
}

/** CPU microseconds of the whole process so far, every thread included. */
function processCpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

const base = loadBaseCorpus(process.env.KHABAR_DATA ?? defaultDataDir());
const pipeline = createPipeline(await loadKnowledge());
const results: ArticleResult[] = base.texts.map((b, i) =>
  extractArticle(pipeline, { id: `b${i}`, date: b.date, title: b.title, rawText: b.text, url: null, source: 'bench', language: 'en', origin: { file: 'b', line: null } }),
);
console.log(`${results.length} base texts, ${results.reduce((n, r) => n + r.events.length, 0)} events`);

let linkUs = 0;
const link = SqliteLinker.prototype.link;
SqliteLinker.prototype.link = function (inputs) {
  const t = mainCpuUs();
  try {
    return link.call(this, inputs);
  } finally {
    linkUs += mainCpuUs() - t;
  }
};

function input(i: number): StoredArticleInput {
  const r = results[i % results.length] as ArticleResult;
  const { round, date, shiftDays } = benchPlacement(base, i, LAYOUT);
  const id = `bench-${i}`;
  const text = varyText(r.text, round);
  const result: ArticleResult = {
    ...r,
    article_id: id,
    date,
    text,
    events: r.events.map((e) => ({ ...e, event_id: `${id}:${e.event_id}`, article_id: id, date: e.date ? shiftDate(e.date, shiftDays) : null })),
  };
  return {
    article: { id, date, title: r.title, rawText: text, url: null, source: 'bench', language: 'en', origin: { file: 'b', line: null } },
    result,
    prepared: prepareArticle(result),
  };
}

const dir = keepIn ?? mkdtempSync(join(tmpdir(), 'khabar-storebench-'));
if (keepIn) mkdirSync(keepIn, { recursive: true });
const store = SqliteStore.open(join(dir, 'b.db'));
// The write-ahead log's frames are counted from its index (the -shm file's header: the last valid frame
// and the salt that changes each time the log restarts from its start), so that measuring neither
// checkpoints nor waits for the log's lock: the after-commit thread decides when to checkpoint.
const shm = openSync(join(dir, 'b.db-shm'), 'r');
const header = Buffer.alloc(48);
const walState = (): { frames: number; salt: string } => {
  readSync(shm, header, 0, 48, 0);
  return { frames: header.readUInt32LE(16), salt: header.subarray(32, 40).toString('hex') };
};
let wal = walState();
const pageSize = header.readUInt16LE(14) === 1 ? 65536 : header.readUInt16LE(14);
/** Frames appended to the log since the last call (a restart, at most one per batch, begins the count again). */
const logPages = (): number => {
  const now = walState();
  const frames = now.salt === wal.salt ? now.frames - wal.frames : now.frames;
  wal = now;
  return frames;
};
const threadsBefore = new Set(threadIds());
const slice = Math.max(BATCH, Math.round(N / 10 / BATCH) * BATCH);
const per = (us: number, n: number): string => (us / n).toFixed(0).padStart(5);
console.log('articles   store µs/article  link  other threads  process  log bytes/article  after-commit  writer reads bytes/article');
/** What a stretch of batches cost: CPU µs (main thread, linking, process, after-commit thread), log and read bytes, articles. */
interface Costs {
  main: number;
  link: number;
  process: number;
  log: number;
  after: number;
  reads: number;
  n: number;
}
const noCosts = (): Costs => ({ main: 0, link: 0, process: 0, log: 0, after: 0, reads: 0, n: 0 });
/** One line of the table: a stretch's costs per article, under a label (its last article, or "total"). */
const costLine = (label: string, c: Costs): string =>
  `${label.padStart(8)}   ${per(c.main - c.link, c.n)}           ${per(c.link, c.n)}  ${per(c.process - c.main, c.n)}          ${per(c.process, c.n)}    ${per(c.log, c.n)}              ${per(c.after, c.n)}         ${per(c.reads, c.n)}`;
const sum = noCosts();
let open = noCosts();
for (let i = 0; i < N; i += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => input(i + j));
  const l0 = linkUs;
  const m0 = mainCpuUs();
  const p0 = processCpuUs();
  const a0 = storeThreadsCpuUs();
  const r0 = mainReadBytes();
  await store.writeBatch({ articles: batch, quarantine: [] });
  // One turn of the event loop, as an ingest's writer takes waiting for its extraction workers: the
  // after-commit thread's messages (that it is ready, that a run is done) arrive as events, and a loop
  // that only awaits settled promises never reads them, so the thread never took over the
  // checkpoints, which the writing thread kept doing inside its own commits.
  await new Promise((resolve) => setImmediate(resolve));
  // The next write waits for the after-commit thread: so does this one, to count its work here.
  await (store as unknown as { afterCommitIdle(): Promise<void> }).afterCommitIdle();
  // The after-commit thread starts once the store has written 1,000 articles.
  if (storeThreads.length === 0) storeThreads = threadIds().filter((tid) => !threadsBefore.has(tid));
  open.after += storeThreadsCpuUs() - a0;
  open.reads += mainReadBytes() - r0;
  open.main += mainCpuUs() - m0;
  open.link += linkUs - l0;
  open.process += processCpuUs() - p0;
  open.n += batch.length;
  open.log += logPages() * pageSize;
  if (open.n >= slice || i + BATCH >= N) {
    console.log(costLine(String(i + batch.length), open));
    for (const key of Object.keys(sum) as (keyof Costs)[]) sum[key] += open[key];
    open = noCosts();
  }
}
console.log(costLine('total', sum));
closeSync(shm);
console.log(`merged events ${await store.countEvents()}, reports ${await store.countEvents({ raw_reports: true })}`);
const bytes = dirBytes(dir);
await store.close();
const closedBytes = dirBytes(dir);
console.log(`store files ${(bytes / N).toFixed(0)} bytes/article while open, ${(closedBytes / N).toFixed(0)} after close`);
if (!keepIn) rmSync(dir, { recursive: true, force: true });
