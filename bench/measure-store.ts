/**
 * The SQLite store's write cost against its size, per thread (`node dist/bench/measure-store.js [N] [stream|rounds] [DIR] [--filler M] [--json]`):
 * the benchmark's base texts are extracted once, then N articles made from them (as bench/corpus.ts
 * varies and dates them, in the given date layout) are written in batches of khabar ingest's default size (DEFAULT_BATCH_SIZE) into a fresh store, their store JSON prepared
 * beforehand as the extraction workers do. For each tenth of the run it prints CPU µs per article of
 * the writing thread outside linking, of linking, of the other threads (the after-commit thread's
 * checkpoints, and V8's helpers), of the after-commit thread alone and of the whole process, the write-ahead log
 * written per article (what each commit writes and each checkpoint copies), the bytes the writing thread
 * read from the store's files per article (pages not in its cache: SQLite drops the cache whenever
 * another connection has committed) and the blocking candidates each report was compared with (the
 * linking work the articles bring), then the merged events and reports linked (the same for any change
 * that leaves linking's output alone) and the store's bytes per article. Given a folder (DIR), the store
 * is written in that (new or empty) folder and kept there, for comparing stored content across changes.
 * `--filler M` first writes M articles dated decades later (not measured): the measured articles then
 * meet the same candidates in a store M articles larger. `--json` also prints the tenths' figures as
 * one line (`RESULT {...}`), which npm run bench reads.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir } from '../eval/data.js';
import { createPipeline, extractArticle, loadKnowledge } from '../src/extract.js';
import { DEFAULT_BATCH_SIZE } from '../src/ingest/process.js';
import { prepareArticle } from '../src/store/prepared.js';
import { BlockingState } from '../src/link/blocking.js';
import { SqliteLinker } from '../src/store/sqlite/link.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { StoredArticleInput } from '../src/store/store.js';
import type { ArticleResult } from '../src/types.js';
import { DATE_LAYOUTS, benchPlacement, loadBaseCorpus, shiftDate, varyText, type DateLayout } from './corpus.js';
import { dirBytes, threadCpuMs, threadReadBytes } from './process-measures.js';

const N = Number(process.argv[2] ?? 30000);
// After N, a date layout (stream or rounds; default stream), a folder to keep the store in, and
// --filler M, in any order.
const args = process.argv.slice(3);
/** --json: the tenths' figures as one JSON line at the end as well (`RESULT {...}`), for npm run bench. */
const JSON_OUT = args.includes('--json');
const fillerAt = args.indexOf('--filler');
const FILLER = fillerAt >= 0 ? Number(args[fillerAt + 1]) : 0;
if (!Number.isInteger(FILLER) || FILLER < 0) throw new Error(`--filler takes a number of articles, not ${args[fillerAt + 1]}`);
const rest = (fillerAt >= 0 ? [...args.slice(0, fillerAt), ...args.slice(fillerAt + 2)] : args).filter((a) => a !== '--json');
/** Filler articles are dated this many days after the measured ones: never their candidates, near-duplicates or merged events. */
const FILLER_SHIFT_DAYS = 20 * 366;
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
/** Reports linked, and the blocking candidates (stored and of the same batch) they were compared with. */
let reportsLinked = 0;
let candidates = 0;
const blockingWindow = BlockingState.prototype.blockingWindow;
BlockingState.prototype.blockingWindow = function (...args) {
  const window = blockingWindow.apply(this, args);
  candidates += window.stored.length + window.own.length;
  return window;
};
const link = SqliteLinker.prototype.link;
SqliteLinker.prototype.link = function (inputs) {
  for (const input of inputs) reportsLinked += input.events.length;
  const t = mainCpuUs();
  try {
    return link.call(this, inputs);
  } finally {
    linkUs += mainCpuUs() - t;
  }
};

function input(i: number, filler = false): StoredArticleInput {
  const r = results[i % results.length] as ArticleResult;
  const placed = benchPlacement(base, i, LAYOUT);
  const { round } = placed;
  const date = filler ? shiftDate(placed.date, FILLER_SHIFT_DAYS) : placed.date;
  const shiftDays = placed.shiftDays + (filler ? FILLER_SHIFT_DAYS : 0);
  const id = filler ? `filler-${i}` : `bench-${i}`;
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

/** Writes a batch and waits, as khabar ingest's writer does, until the store's after-commit thread is idle. */
async function write(batch: StoredArticleInput[]): Promise<void> {
  await store.writeBatch({ articles: batch, quarantine: [] });
  // One turn of the event loop, as an ingest's writer takes waiting for its extraction workers: the
  // after-commit thread's messages (that it is ready, that a run is done) arrive as events, and a loop
  // that only awaits settled promises never reads them, so the thread never took over the
  // checkpoints, which the writing thread kept doing inside its own commits.
  await new Promise((resolve) => setImmediate(resolve));
  // The next write waits for the after-commit thread: so does this one, to count its work with the batch.
  await (store as unknown as { afterCommitIdle(): Promise<void> }).afterCommitIdle();
}

// Filler first (not measured): a store this much larger whose articles are dated decades later, so that
// the measured articles meet the same candidates as without it, in larger tables and indexes.
for (let i = 0; i < FILLER; i += BATCH) await write(Array.from({ length: Math.min(BATCH, FILLER - i) }, (_, j) => input(i + j, true)));
if (FILLER > 0) {
  linkUs = 0;
  reportsLinked = 0;
  candidates = 0;
  logPages();
  console.log(`after ${FILLER} filler articles (dated ${FILLER_SHIFT_DAYS} days later):`);
}
const slice = Math.max(BATCH, Math.round(N / 10 / BATCH) * BATCH);
const per = (us: number, n: number): string => (us / n).toFixed(0).padStart(5);
console.log('articles   store µs/article  link  other threads  process  log bytes/article  after-commit  writer reads bytes/article  candidates/report');
/** What a stretch of batches cost: CPU µs (main thread, linking, process, after-commit thread), log and read bytes, articles. */
interface Costs {
  main: number;
  link: number;
  process: number;
  log: number;
  after: number;
  reads: number;
  /** Reports linked, and the candidates they were compared with. */
  reports: number;
  candidates: number;
  n: number;
}
const noCosts = (): Costs => ({ main: 0, link: 0, process: 0, log: 0, after: 0, reads: 0, reports: 0, candidates: 0, n: 0 });
/** One line of the table: a stretch's costs per article, under a label (its last article, or "total"). */
const costLine = (label: string, c: Costs): string =>
  `${label.padStart(8)}   ${per(c.main - c.link, c.n)}           ${per(c.link, c.n)}  ${per(c.process - c.main, c.n)}          ${per(c.process, c.n)}    ${per(c.log, c.n)}              ${per(c.after, c.n)}         ${per(c.reads, c.n)}                   ${(c.candidates / Math.max(1, c.reports)).toFixed(1).padStart(5)}`;
/** The tenths' figures for --json. */
const tenths: { storedBefore: number; articles: number; storeUsPerArticle: number; linkUsPerArticle: number; candidatesPerReport: number }[] = [];
const sum = noCosts();
let open = noCosts();
for (let i = 0; i < N; i += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => input(i + j));
  const l0 = linkUs;
  const reports0 = reportsLinked;
  const candidates0 = candidates;
  const m0 = mainCpuUs();
  const p0 = processCpuUs();
  const a0 = storeThreadsCpuUs();
  const r0 = mainReadBytes();
  await write(batch);
  // The after-commit thread starts once the store has written 1,000 articles.
  if (storeThreads.length === 0) storeThreads = threadIds().filter((tid) => !threadsBefore.has(tid));
  open.after += storeThreadsCpuUs() - a0;
  open.reads += mainReadBytes() - r0;
  open.main += mainCpuUs() - m0;
  open.link += linkUs - l0;
  open.process += processCpuUs() - p0;
  open.reports += reportsLinked - reports0;
  open.candidates += candidates - candidates0;
  open.n += batch.length;
  open.log += logPages() * pageSize;
  if (open.n >= slice || i + BATCH >= N) {
    console.log(costLine(String(i + batch.length), open));
    tenths.push({
      storedBefore: i + batch.length - open.n,
      articles: open.n,
      storeUsPerArticle: (open.main - open.link) / open.n,
      linkUsPerArticle: open.link / open.n,
      candidatesPerReport: open.candidates / Math.max(1, open.reports),
    });
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
console.log(`store files ${(bytes / (N + FILLER)).toFixed(0)} bytes/article while open, ${(closedBytes / (N + FILLER)).toFixed(0)} after close`);
if (!keepIn) rmSync(dir, { recursive: true, force: true });
if (JSON_OUT) console.log(`RESULT ${JSON.stringify({ articles: N, filler: FILLER, layout: LAYOUT, tenths })}`);
