/**
 * The benchmark (`npm run bench`): end-to-end throughput into a fresh store at 1,000 / 10,000 /
 * 100,000 articles, on one thread and on the worker pool, with stage shares, memory, start-up time,
 * database size, growth, and the `compromise` baseline. Prints a table, writes bench/results/latest.json.
 *
 * @example npm run bench -- --sizes 1000,10000 --workers 2
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helpText, parseCommand, reportError, type CommandSpec } from '../src/cli/args.js';
import { UsageError } from '../src/errors.js';
import { createPipeline, loadKnowledge } from '../src/extract.js';
import { ExtractorPool, defaultPoolWorkers } from '../src/ingest/extract-pool.js';
import { DEFAULT_BATCH_SIZE, inProcessExtractor, processItems, type Extractor, type IngestItem } from '../src/ingest/process.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import type { Pipeline } from '../src/pipeline.js';
import type { Store } from '../src/store/store.js';
import { geoAdapter, importOptional } from '../eval/adapters.js';
import { defaultDataDir } from '../eval/data.js';
import { DATE_LAYOUTS, STREAM_PER_DAY, benchArticle, benchBatch, loadBaseCorpus, type BaseCorpus, type DateLayout } from './corpus.js';
import { dirBytes, threadCpuMs } from './process-measures.js';
import { formatBench, type BenchResult, type ExtraSection, type SizeRun, type StoreGrowth } from './report.js';
import type { StartupProbe } from './startup.js';

/**
 * Articles of the store-growth run. The corpus's events are dated up to about 400 days before their
 * articles (its base texts carry made-up dates, so "on 5 March" can resolve to a year back), and the
 * stream writes 100,000 articles in 400 days: until then each article meets more stored reports to
 * compare with, whatever the store's size. Twice that shows the cost once the dates are covered.
 */
const LINK_GROWTH_ARTICLES = 200_000;

const spec = {
  name: 'bench',
  summary: 'measure throughput, memory, start-up and growth of the pipeline into a store',
  usage: 'npm run bench -- [--sizes 1000,10000,100000] [--quick] [--workers N] [--dates stream|rounds] [--store sqlite|postgres] [--link-growth N]',
  options: {
    sizes: { type: 'string' },
    quick: { type: 'boolean' },
    workers: { type: 'string' },
    store: { type: 'string' },
    batch: { type: 'string' },
    compromise: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    'no-single': { type: 'boolean' },
    dates: { type: 'string' },
    'link-growth': { type: 'string' },
  },
  help: [
    '  --sizes LIST       corpus sizes in articles (default 1000,10000,100000)',
    '  --quick            one small size (1000) and a small compromise sample: a smoke run',
    '  --workers N        worker threads for the parallel run (default: one per core, as khabar ingest)',
    '  --no-single        skip the single-thread run at each size',
    `  --dates LAYOUT     stream (default): ${STREAM_PER_DAY} articles a day in arrival order; rounds: each round of`,
    '                     the base texts moved a day, so the articles per day grow with the size (bench/corpus.ts)',
    '  --store KIND       sqlite (default: a fresh file per size) or postgres (KHABAR_PG_URL: the work queue with',
    '                     1, 2 and 4 worker processes on a fresh schema, articles = the first of --sizes)',
    `  --batch N          articles per store transaction (default ${DEFAULT_BATCH_SIZE}, as khabar ingest)`,
    '  --compromise N     articles for the compromise baseline (default 300)',
    '  --data DIR         corpora folder (default ../shared/data; falls back to data/demo)',
    '  --out FILE         result file (default bench/results/latest.json)',
    `  --link-growth N    articles of the store-growth run (linking alone, 1 thread; default ${LINK_GROWTH_ARTICLES}, as the`,
    '                     corpus covers its dates after 100,000; 20000 with --quick; 0 to skip)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const DEFAULT_OUT = join(PACKAGE_ROOT, 'bench', 'results', 'latest.json');

function positiveInts(value: string | undefined, flag: string, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new UsageError(`khabar bench: ${flag} takes positive whole numbers separated by commas, got "${value}"`);
  }
  return list;
}

export async function run(argv: string[]): Promise<number> {
  try {
    const { values } = parseCommand(spec, argv);
    if (values.help) {
      process.stdout.write(helpText(spec));
      return 0;
    }
    const sizes = values.quick ? [1000] : positiveInts(values.sizes, '--sizes', [1000, 10_000, 100_000]);
    const linkGrowth = values['link-growth'] === '0' ? 0 : positiveInts(values['link-growth'], '--link-growth', [values.quick ? 20_000 : LINK_GROWTH_ARTICLES])[0]!;
    const [workers] = positiveInts(values.workers, '--workers', [defaultPoolWorkers()]);
    const [batchSize] = positiveInts(values.batch, '--batch', [DEFAULT_BATCH_SIZE]);
    const [compromiseN] = positiveInts(values.compromise, '--compromise', [values.quick ? 100 : 300]);
    const dates = (values.dates ?? 'stream') as DateLayout;
    if (!DATE_LAYOUTS.includes(dates)) throw new UsageError(`khabar bench: --dates is ${DATE_LAYOUTS.join(' or ')}, got "${values.dates}"`);
    const storeKind = values.store ?? 'sqlite';
    if (storeKind !== 'sqlite' && storeKind !== 'postgres') throw new UsageError(`khabar bench: --store is sqlite or postgres, got "${storeKind}"`);
    if (storeKind === 'postgres') {
      // The PostgreSQL figures are the work queue's: 1, 2 and 4 `khabar worker` processes, each run on
      // a fresh schema of KHABAR_PG_URL that is dropped afterwards (bench/postgres.ts).
      if (!process.env.KHABAR_PG_URL) throw new UsageError('khabar bench: --store postgres needs KHABAR_PG_URL=postgres://...');
      const args = [join(dirname(fileURLToPath(import.meta.url)), 'postgres.js'), '--articles', String(sizes[0]), ...(values.data ? ['--data', values.data] : [])];
      return spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;
    }

    const corpus = loadBaseCorpus(resolve(values.data ?? defaultDataDir()));
    const result = await benchmark({
      corpus,
      sizes,
      workers: workers!,
      batchSize: batchSize!,
      compromiseN: compromiseN!,
      single: !values['no-single'],
      dates,
      linkGrowth,
      dataDir: resolve(values.data ?? defaultDataDir()),
    });
    process.stdout.write(`${formatBench(result)}\n`);
    const out = resolve(values.out ?? DEFAULT_OUT);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nwrote ${out}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

interface BenchOptions {
  corpus: BaseCorpus;
  sizes: number[];
  workers: number;
  batchSize: number;
  compromiseN: number;
  single: boolean;
  dates: DateLayout;
  /** Articles of the store-growth run (0: none). */
  linkGrowth: number;
  /** The corpora folder the base texts come from. */
  dataDir: string;
}

/**
 * The store-growth run: bench/measure-store.js in a process of its own writes o.linkGrowth articles of
 * the corpus (results extracted once beforehand) into a fresh SQLite store on one thread, and reports
 * linking's CPU per article and the candidates each report met, by tenth. Null when it fails (said on
 * standard error).
 */
function storeGrowthRun(o: BenchOptions, log: (s: string) => void): StoreGrowth | null {
  log(`store growth: ${o.linkGrowth} articles, linking alone`);
  const script = join(dirname(fileURLToPath(import.meta.url)), 'measure-store.js');
  const run = spawnSync(process.execPath, [script, String(o.linkGrowth), o.dates, '--json'], {
    env: { ...process.env, KHABAR_DATA: o.dataDir },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) {
    log(`store growth run failed (exit ${run.status}): ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
    return null;
  }
  return JSON.parse(line.slice('RESULT '.length)) as StoreGrowth;
}

type OpenStore = (target: string) => Promise<Store>;

async function benchmark(o: BenchOptions): Promise<BenchResult> {
  const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
  // Other processes on the machine skew every figure: the load at start is kept with the result.
  const loadAvgAtStart = loadavg()[0] ?? 0;
  const texts = o.corpus.texts;
  const meanChars = texts.reduce((s, t) => s + t.text.length, 0) / texts.length;
  log(`corpus ${texts.length} base texts (mean ${Math.round(meanChars)} chars) from ${o.corpus.source}`);

  const startup = probeStartup(o.corpus);
  log(`start-up ${startup.totalMs.toFixed(0)} ms`);

  const storeMod = await importOptional('../src/store/index.js');
  await installLinkClock();
  const openStore = storeMod.ok && typeof storeMod.mod.openStore === 'function' ? (storeMod.mod.openStore as OpenStore) : null;
  const storeNote = openStore ? 'sqlite' : `not available (${storeMod.ok ? 'no openStore export' : storeMod.reason}): pipeline only`;

  const knowledge = await loadKnowledge();
  const pipeline = createPipeline(knowledge);
  const stages = pipeline.stages.map((s) => s.name);

  const compromise = await measureCompromise(o.corpus, o.compromiseN, pipeline);
  log(`compromise ${compromise ? `${compromise.articlesPerSec.toFixed(1)} articles/s` : 'not available'}`);

  const t0 = performance.now();
  const pool = await ExtractorPool.start({ workers: o.workers });
  const poolStartMs = performance.now() - t0;
  // Warm the workers' JIT on articles the runs do not use, so the smallest size is not a cold start.
  await pool.extractMany(benchBatch(o.corpus, 0, Math.min(1000, 2 * o.batchSize), 'warm-up'));
  for (let i = 0; i < 2; i++) for (const a of benchBatch(o.corpus, 0, Math.min(500, o.batchSize), 'warm-up')) pipeline.run(a);

  const runs: SizeRun[] = [];
  let filterLatency: ExtraSection = { name: 'event filter latency (store queries behind the API)', status: 'not available', reason: 'no store module' };
  const largest = Math.max(...o.sizes);
  const measureFilters = async (store: Store): Promise<void> => {
    filterLatency = await filterQueries(store);
  };
  const workerCounts = [o.workers];
  try {
    for (const size of o.sizes) {
      if (o.single) {
        runs.push(await runSize(o, size, 'single', 1, inProcessExtractor(pipeline), openStore, () => pipeline.timings, () => pipeline.resetTimings(), []));
        log(describe(runs.at(-1)!));
      }
      for (const w of workerCounts) {
        const p = w === pool.size ? pool : await ExtractorPool.start({ workers: w });
        try {
          const before = { ...p.timings };
          const diff = (): Record<string, number> => Object.fromEntries(Object.entries(p.timings).map(([k, v]) => [k, v - (before[k] ?? 0)]));
          const last = size === largest && w === workerCounts.at(-1);
          runs.push(await runSize(o, size, 'pool', w, p, openStore, diff, () => undefined, p.threadIds, last ? measureFilters : undefined));
          log(describe(runs.at(-1)!));
        } finally {
          if (p !== pool) await p.close();
        }
      }
    }
  } finally {
    await pool.close();
  }

  const extra: ExtraSection[] = [await geoparserAlone(o.corpus), filterLatency];
  const linkingBySize = o.linkGrowth > 0 && openStore ? storeGrowthRun(o, log) : null;

  return {
    kind: 'khabar-bench',
    version: 1,
    created: new Date().toISOString(),
    commit: gitCommit(),
    machine: { loadavg1: loadAvgAtStart, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
    corpus: { source: o.corpus.source, baseTexts: texts.length, meanChars: Math.round(meanChars), dates: o.dates === 'stream' ? `a stream of ${STREAM_PER_DAY} articles a day` : 'rounds of the base texts a day apart' },
    store: storeNote,
    stages,
    startup: { ...startup, poolStartMs, workers: o.workers },
    compromise,
    runs,
    linkingBySize,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    extra,
  };
}

function describe(r: SizeRun): string {
  return `${r.articles} articles ${r.mode}${r.mode === 'pool' ? `×${r.workers}` : ''}: ${r.articlesPerSec.toFixed(0)} articles/s`;
}

/**
 * Milliseconds of CPU the SQLite linker spends in link() on the main thread, summed over the process
 * (wall milliseconds where the platform has no per-thread CPU clock): read before and after each write
 * to split a batch's store time into rows and linking. CPU, not wall time, so that the extraction
 * workers sharing the cores do not show as linking cost. (The bench is an instrument, so it wraps the
 * linker's method rather than the store exposing timings.)
 */
const linkClock = { ms: 0, cpu: threadCpuMs(process.pid) !== null };
let linkClockInstalled = false;
async function installLinkClock(): Promise<void> {
  if (linkClockInstalled) return;
  const mod = await importOptional('../src/store/sqlite/link.js');
  const Linker = mod.ok ? (mod.mod.SqliteLinker as { prototype: { link: (...args: unknown[]) => unknown } } | undefined) : undefined;
  if (!Linker) return;
  const link = Linker.prototype.link;
  const now = (): number => (linkClock.cpu ? (threadCpuMs(process.pid) ?? 0) : performance.now());
  Linker.prototype.link = function (this: unknown, ...args: unknown[]) {
    const t = now();
    try {
      return link.apply(this, args);
    } finally {
      linkClock.ms += now() - t;
    }
  };
  linkClockInstalled = true;
}

/** Store and linking milliseconds over a stretch of a run, and the articles stored before it began. */
interface StoreSlice {
  articles: number;
  storedBefore: number;
  storeMs: number;
  linkMs: number;
}

/** How many stretches a run's store cost is reported in (for growth with the store's size). */
const SLICES = 10;

/** A store whose writes and look-ups are timed, for the store's share of the time, in slices of the run. */
function timedStore(store: Store, acc: { ms: number }, size: number, slices: StoreSlice[]): Store {
  const sliceSize = Math.max(1, Math.ceil(size / SLICES));
  let open: StoreSlice = { articles: 0, storedBefore: 0, storeMs: 0, linkMs: 0 };
  let stored = 0;
  const timedWrite = async (batch: Parameters<Store['writeBatch']>[0]): ReturnType<Store['writeBatch']> => {
    const t = performance.now();
    const l = linkClock.ms;
    try {
      return await store.writeBatch(batch);
    } finally {
      open.storeMs += performance.now() - t;
      open.linkMs += linkClock.ms - l;
      open.articles += batch.articles.length;
      stored += batch.articles.length;
      if (open.articles >= sliceSize || stored >= size) {
        slices.push(open);
        open = { articles: 0, storedBefore: stored, storeMs: 0, linkMs: 0 };
      }
    }
  };
  const time = <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t = performance.now();
      try {
        return await f(...args);
      } finally {
        acc.ms += performance.now() - t;
      }
    };
  const writeBatch = time(timedWrite);
  const hasArticle = time(store.hasArticle.bind(store));
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'writeBatch') return writeBatch;
      if (prop === 'hasArticle') return hasArticle;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** A store that keeps nothing, for when no store module is there yet (the run is then pipeline only). */
const NULL_STORE = {
  writeBatch: async (b: { articles: { result: { events: unknown[] } }[]; quarantine: unknown[] }) => ({
    inserted: b.articles.length,
    duplicates: 0,
    events: b.articles.reduce((s, a) => s + a.result.events.length, 0),
    quarantined: b.quarantine.length,
  }),
  hasArticle: async () => false,
  close: async () => undefined,
} as unknown as Store;

type RunCpu = NonNullable<SizeRun['cpu']>;

/**
 * Starts counting the CPU of the process, its main thread and the given worker threads; the returned
 * function gives their microseconds per article since then.
 */
function cpuClock(workerTids: readonly number[]): (articles: number) => RunCpu {
  const process0 = process.cpuUsage();
  const main0 = threadCpuMs(process.pid);
  const workers0 = workerTids.map(threadCpuMs);
  return (articles) => {
    const used = process.cpuUsage(process0);
    const main1 = threadCpuMs(process.pid);
    const workers1 = workerTids.map(threadCpuMs);
    const perArticle = (ms: number): number => (ms * 1000) / articles;
    const counted = workerTids.length > 0 && [...workers0, ...workers1].every((ms) => ms !== null);
    const workersMs = workers1.reduce<number>((sum, ms, i) => sum + (ms ?? 0) - (workers0[i] ?? 0), 0);
    return {
      usPerArticle: perArticle((used.user + used.system) / 1000),
      mainUsPerArticle: main0 === null || main1 === null ? null : perArticle(main1 - main0),
      workersUsPerArticle: counted ? perArticle(workersMs) : null,
    };
  };
}

async function runSize(
  o: BenchOptions,
  size: number,
  mode: 'single' | 'pool',
  workers: number,
  extractor: Extractor,
  openStore: OpenStore | null,
  timings: () => Record<string, number>,
  resetTimings: () => void,
  workerTids: readonly number[],
  after?: (store: Store) => Promise<void>,
): Promise<SizeRun> {
  globalThis.gc?.();
  const tag = `${size}-${mode}-${workers}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'khabar-bench-'));
  const storeAcc = { ms: 0 };
  const slices: StoreSlice[] = [];
  try {
    const raw = openStore ? await openStore(join(dir, 'bench.sqlite')) : NULL_STORE;
    const store = timedStore(raw, storeAcc, size, slices);
    resetTimings();
    function* items(): Generator<IngestItem> {
      for (let i = 0; i < size; i++) yield { kind: 'article', article: benchArticle(o.corpus, i, tag, o.dates) };
    }
    let nextReport = 10_000;
    const onProgress = (p: { inserted: number; duplicates: number; quarantined: number }): void => {
      const done = p.inserted + p.duplicates + p.quarantined;
      if (done < nextReport) return;
      nextReport += 10_000;
      process.stderr.write(`bench:   ${done} / ${size} (${((done / (performance.now() - t0)) * 1000).toFixed(0)} articles/s)\n`);
    };
    const t0 = performance.now();
    const cpu = cpuClock(workerTids);
    const summary = await processItems(items(), store, extractor, { batchSize: o.batchSize, onProgress });
    const ms = performance.now() - t0;
    const runCpu = cpu(size);
    if (after && openStore) await after(raw);
    await raw.close();
    const dbBytes = openStore ? dirBytes(dir) : null;
    return {
      mode,
      workers,
      articles: size,
      seconds: ms / 1000,
      articlesPerSec: (size / ms) * 1000,
      usPerArticle: (ms * 1000) / size,
      stageMs: { ...timings() },
      storeMs: storeAcc.ms,
      linkMs: slices.reduce((sum, x) => sum + x.linkMs, 0),
      storeBySize: slices.map((x) => ({
        storedBefore: x.storedBefore,
        articles: x.articles,
        storeUsPerArticle: (x.storeMs * 1000) / x.articles,
        linkUsPerArticle: (x.linkMs * 1000) / x.articles,
      })),
      wallMs: ms,
      inserted: summary.inserted,
      events: summary.events,
      quarantined: summary.quarantined,
      dbBytes,
      dbKBPer1000: dbBytes === null ? null : dbBytes / 1024 / (size / 1000),
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      cpu: runCpu,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Start-up in a fresh process: node boot, imports, knowledge, first article. */
function probeStartup(corpus: BaseCorpus): StartupProbe {
  const first = corpus.texts[0]!;
  const script = fileURLToPath(new URL('./startup.js', import.meta.url));
  const out = execFileSync(process.execPath, [script, first.text, first.date], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as StartupProbe;
}

/** compromise extracting people, places and organisations, on the first N articles; Khabar's pipeline alone on the same ones. */
async function measureCompromise(corpus: BaseCorpus, n: number, pipeline: Pipeline): Promise<BenchResult['compromise']> {
  const loaded = await importOptional('compromise');
  const nlp = loaded.ok ? (loaded.mod.default as ((text: string) => CompromiseDoc) | undefined) : undefined;
  if (typeof nlp !== 'function') return null;
  const articles = benchBatch(corpus, 0, n, 'compromise');
  for (const a of articles.slice(0, 10)) nlp(a.rawText); // warm-up: compromise compiles its lexicon on first use
  let entities = 0;
  const t0 = performance.now();
  for (const a of articles) {
    const doc = nlp(a.rawText);
    entities += doc.people().length + doc.places().length + doc.organizations().length;
  }
  const ms = performance.now() - t0;
  for (const a of articles) pipeline.run(a); // warm-up pass, so both sides are measured warm
  const t1 = performance.now();
  for (const a of articles) pipeline.run(a);
  const khabarMs = performance.now() - t1;
  return {
    articles: n,
    articlesPerSec: (n / ms) * 1000,
    entities,
    khabarPipelineArticlesPerSec: (n / khabarMs) * 1000,
  };
}

interface CompromiseDoc {
  people(): { length: number };
  places(): { length: number };
  organizations(): { length: number };
}

/** Timed passes of the geoparser alone; the median pass is reported (one pass swings with GC and the machine). */
const GEO_PASSES = 5;

/** The geoparser alone (detection + resolution) on one core, warm: the median of GEO_PASSES passes. */
async function geoparserAlone(corpus: BaseCorpus): Promise<ExtraSection> {
  const geo = await geoAdapter();
  if (!geo.ok) return { name: 'geoparser alone, 1 core', status: 'not available', reason: geo.reason };
  const n = Math.min(1000, corpus.texts.length * 3);
  const articles = benchBatch(corpus, 0, n, 'geo');
  // A warm-up pass, as the pipeline runs have, over the next articles of the corpus (later rounds: the
  // same base texts reordered, as the measured articles repeat them too): the figure is the steady state.
  for (const a of benchBatch(corpus, n, 2 * n, 'geo-warm-up')) geo.value.detect(a.rawText);
  let places = 0;
  const rates: number[] = [];
  for (let pass = 0; pass < GEO_PASSES; pass++) {
    places = 0;
    const t0 = performance.now();
    for (const a of articles) places += geo.value.detect(a.rawText).length;
    rates.push((n / (performance.now() - t0)) * 1000);
  }
  rates.sort((a, b) => a - b);
  return {
    name: `geoparser alone, 1 core (median of ${GEO_PASSES} passes)`,
    status: 'ok',
    figures: { articles: n, articles_per_s: rates[GEO_PASSES >> 1]!, slowest_pass: rates[0]!, places_per_article: places / n, gazetteer_load_ms: geo.loadMs },
  };
}

/** The store queries behind the API, each run REPEAT times on the filled store of the largest run. */
interface QueryingStore {
  countEvents(filter?: object): Promise<number>;
  queryEventPage(filter?: object): Promise<{ events: unknown[] }>;
}

const FILTERS: { name: string; filter: object }[] = [
  { name: 'first page (50)', filter: { limit: 50 } },
  { name: 'one country', filter: { country: 'AF', limit: 50 } },
  { name: 'one type', filter: { type: 'Battles', limit: 50 } },
  { name: 'date range', filter: { from: '2024-03-01', to: '2024-03-31', limit: 50 } },
  { name: 'near a point 100 km', filter: { near: { lat: 34.5, lon: 69.2, km: 100 }, limit: 50 } },
  { name: 'full text', filter: { text: 'attack', limit: 50 } },
];
const REPEAT = 15;

async function filterQueries(raw: Store): Promise<ExtraSection> {
  const name = 'event filter latency (store queries behind the API), median ms';
  const store = raw as unknown as Partial<QueryingStore>;
  if (typeof store.countEvents !== 'function' || typeof store.queryEventPage !== 'function') {
    return { name, status: 'not available', reason: 'the store has no countEvents/queryEventPage' };
  }
  const total = await store.countEvents({});
  if (total === 0) return { name, status: 'not available', reason: 'the pipeline produced no events to filter yet' };
  const figures: Record<string, number> = { events_in_store: total };
  for (const f of FILTERS) {
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t = performance.now();
      await store.queryEventPage(f.filter);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    figures[f.name] = times[REPEAT >> 1]!;
  }
  const t = performance.now();
  await store.countEvents({ country: 'AF' });
  figures['count one country'] = performance.now() - t;
  return { name, status: 'ok', figures };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (err) {
    // Not a git checkout: the result carries no commit.
    void err;
    return null;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2));
}
