/**
 * Extraction on every core: a small pool of worker threads, each with the knowledge loaded once and
 * its own pipeline, fed with chunks of articles. The main thread keeps reading and writing the store.
 *
 * @example
 * const pool = await ExtractorPool.start({ workers: 2 });
 * const outcomes = await pool.extractMany(articles); // [{ ok: true, result }, { ok: false, error }]
 * await pool.close();
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { KhabarError } from '../errors.js';
import type { KnowledgeOptions } from '../extract.js';
import { decodeEntities, type PreparedArticle } from '../store/prepared.js';
import type { Article, ArticleResult, Entity, EventRecord } from '../types.js';

/**
 * The outcome of extracting one article: its result (with the near-duplicate signature of its text and
 * its store preparation when a worker computed them, so the writing thread need not), or the error
 * (message and code) it failed with.
 */
export type ExtractOutcome =
  | { ok: true; result: ArticleResult; signature?: Uint32Array; prepared?: PreparedArticle }
  | { ok: false; code: string; message: string };

/**
 * An outcome as a worker sends it: the text on its own, the rest of the result as JSON text with an
 * empty text, no entities and no events, and the entities and events as the store's preparation of
 * them (the compact entity encoding, each event's record JSON). Strings cost a fraction of an object
 * graph to pass between threads, and the receiving thread (the one that writes the store) parses them
 * faster than it would deserialize the graph; the text, which would be the most of that JSON, is
 * neither escaped nor parsed, and the entities are decoded only if something reads them (the SQLite
 * store writes their encoding as it is).
 */
export type WireOutcome =
  | { ok: true; result: string; text: string; signature: Uint32Array; prepared: PreparedArticle }
  | { ok: false; code: string; message: string };

export interface WorkerRequest {
  id: number;
  articles: Article[];
}

/**
 * A worker answers a request in parts of at most WIRE_PART_ARTICLES outcomes, in order; the last part
 * says `done` and carries the chunk's timings.
 */
export interface WorkerResponse {
  id: number;
  outcomes?: WireOutcome[];
  done?: boolean;
  /** Per-stage milliseconds spent on this chunk. */
  timings?: Record<string, number>;
  fatal?: string;
  /** In the ready message: the worker's operating-system thread id, where it has one (Linux). */
  tid?: number | null;
}

/**
 * Outcomes a worker sends in one message. A worker that kept a whole chunk's outcomes until its end
 * would carry them through several young-generation collections and promote them all to its old
 * generation, to be marked and compacted there; sent in small parts they die young.
 */
export const WIRE_PART_ARTICLES = 16;

/**
 * Worker threads a pool starts by default: one per core. The thread that writes the store shares the
 * cores with them; the operating system gives it its share. With one worker on 2 cores, the worker was
 * the slower side once store transactions grew to 5,000 articles (extraction ~1,100 us of CPU per
 * article against ~650 on the writing thread), so a core sat idle about a quarter of the time: two
 * workers ran the 30,000-article benchmark at 897 and 880 articles/s against 689 and 714 (alternating
 * runs, session 5) for the same CPU per article, and ~250 MB more memory (a second copy of the
 * knowledge and its compiled code). Session 3 had measured the opposite (one worker used 8-10% less
 * CPU than two) when writing was the slower side.
 * @example defaultPoolWorkers() // 2 on a 2-core machine, 8 on 8 cores
 */
export function defaultPoolWorkers(): number {
  return Math.max(1, availableParallelism());
}

export interface PoolOptions extends KnowledgeOptions {
  /** Worker threads (default: defaultPoolWorkers()). */
  workers?: number;
  /**
   * Old-generation heap limit of each worker, MB (default 512). A worker holds its knowledge (~100 MB
   * of heap) and one chunk's results; without a limit V8 sizes the heap from the machine's memory and
   * lets garbage pile up, so resident memory grows with the articles processed.
   */
  heapMb?: number;
  /**
   * How much lower the workers' scheduling priority is than this thread's (Linux nice steps, 0-19;
   * default 5). The thread that writes the store is the serial stage: when the workers outnumber the
   * free cores they yield to it instead of taking an equal share. Ignored where threads have no
   * priority of their own.
   */
  niceness?: number;
}

/**
 * Gives `result` its `entities` from their encoding (encodeEntities, over `text`) on first read: the
 * property stays where it was among the result's keys, is enumerable, and can be assigned, as a plain one.
 */
function entitiesOnDemand(result: ArticleResult, encoded: string, text: string): void {
  const settle = (target: ArticleResult, value: Entity[]): void => {
    Object.defineProperty(target, 'entities', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(result, 'entities', {
    get(this: ArticleResult): Entity[] {
      const entities = decodeEntities(encoded, text);
      settle(this, entities);
      return entities;
    },
    set(this: ArticleResult, value: Entity[]): void {
      settle(this, value);
    },
    enumerable: true,
    configurable: true,
  });
}

/**
 * The outcome a worker sent, its result parsed from the JSON on first read. Outcomes wait while the rest
 * of their batch is extracted and the previous batch is written: as strings they cost the young
 * generation's collections a copy of a few flat strings, where the parsed object graph (the result, its
 * event records) was copied by each collection until promoted, then marked by the old generation's.
 * @example fromWire({ ok: true, result: '{"article_id":"a",...,"text":"","entities":[],"events":[]}', text: 'Gunmen ...', prepared: { entities: '[["place",...]]', records: ['{"event_id":"a:e1",...}'], ... }, signature }).result.events[0].event_id // 'a:e1'
 */
function fromWire(wire: WireOutcome): ExtractOutcome {
  if (!wire.ok) return wire;
  let parsed: ArticleResult | null = null;
  return {
    ok: true,
    get result(): ArticleResult {
      if (parsed === null) {
        parsed = JSON.parse(wire.result) as ArticleResult;
        // Assigned to the key the JSON holds, the text keeps its place among the result's keys.
        parsed.text = wire.text;
        entitiesOnDemand(parsed, wire.prepared.entities, wire.text);
        parsed.events = wire.prepared.records.map((r) => JSON.parse(r) as EventRecord);
      }
      return parsed;
    },
    signature: wire.signature,
    prepared: wire.prepared,
  };
}

const DEFAULT_WORKER_HEAP_MB = 512;
const DEFAULT_WORKER_NICENESS = 5;

interface Pending {
  resolve: (outcomes: ExtractOutcome[]) => void;
  reject: (err: Error) => void;
  /** The outcomes of the parts received so far. */
  outcomes: ExtractOutcome[];
}

function workerUrl(): { url: URL; execArgv: string[] } {
  // Compiled: dist/src/ingest/extract-pool.js beside extract-worker.js. Under tsx the sources are .ts.
  const ts = import.meta.url.endsWith('.ts');
  return { url: new URL(ts ? './extract-worker.ts' : './extract-worker.js', import.meta.url), execArgv: ts ? ['--import', 'tsx'] : [] };
}

export class ExtractorPool {
  readonly size: number;
  /** Summed per-stage milliseconds reported by the workers. */
  readonly timings: Record<string, number> = {};
  /** The workers' operating-system thread ids (Linux; empty elsewhere), for per-thread CPU accounting. */
  readonly threadIds: number[];
  private readonly workers: Worker[];
  private readonly idle: Worker[] = [];
  private readonly waiting: { request: WorkerRequest; pending: Pending }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing = false;

  private constructor(workers: Worker[], threadIds: number[]) {
    this.workers = workers;
    this.size = workers.length;
    this.threadIds = threadIds;
  }

  /** Starts the workers and waits until each has loaded its knowledge. */
  static async start(options: PoolOptions = {}): Promise<ExtractorPool> {
    const count = Math.max(1, options.workers ?? defaultPoolWorkers());
    const { url, execArgv } = workerUrl();
    const resourceLimits = { maxOldGenerationSizeMb: options.heapMb ?? DEFAULT_WORKER_HEAP_MB };
    const niceness = Math.max(0, Math.min(19, Math.round(options.niceness ?? DEFAULT_WORKER_NICENESS)));
    const workerData = { kbDirs: options.kbDirs ?? [], niceness };
    const workers = Array.from({ length: count }, () => new Worker(url, { workerData, execArgv, resourceLimits }));
    const ready = await Promise.all(
      workers.map(
        (w) =>
          new Promise<WorkerResponse>((resolve, reject) => {
            w.once('message', (m: WorkerResponse) => (m.fatal ? reject(new KhabarError('E_KNOWLEDGE', `extraction worker could not start: ${m.fatal}`)) : resolve(m)));
            w.once('error', reject);
            // A worker that dies while loading (killed, out of memory) would otherwise leave start() waiting forever.
            w.once('exit', (code) => reject(new KhabarError('E_KNOWLEDGE', `extraction worker exited with code ${code} while loading its knowledge`)));
          }),
      ),
    );
    const pool = new ExtractorPool(workers, ready.flatMap((m) => (typeof m.tid === 'number' ? [m.tid] : [])));
    for (const w of workers) {
      w.on('message', (m: WorkerResponse) => pool.onMessage(w, m));
      w.on('error', (err) => pool.failAll(err));
      w.on('exit', (code) => {
        if (!pool.closing) pool.failAll(new KhabarError('E_PIPELINE', `an extraction worker exited with code ${code}: run again, or with --workers 1 to see the error in this thread`));
      });
      pool.idle.push(w);
    }
    return pool;
  }

  private onMessage(worker: Worker, m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.fatal === undefined && m.outcomes) for (const wire of m.outcomes) p.outcomes.push(fromWire(wire));
    if (m.fatal === undefined && !m.done) return;
    this.pending.delete(m.id);
    if (m.timings) for (const [k, v] of Object.entries(m.timings)) this.timings[k] = (this.timings[k] ?? 0) + v;
    if (m.fatal !== undefined) p.reject(new KhabarError('E_PIPELINE', `extraction worker failed: ${m.fatal}`));
    else p.resolve(p.outcomes);
    const next = this.waiting.shift();
    if (next) this.send(worker, next.request, next.pending);
    else this.idle.push(worker);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const w of this.waiting.splice(0)) w.pending.reject(err);
  }

  private send(worker: Worker, request: WorkerRequest, pending: Pending): void {
    this.pending.set(request.id, pending);
    worker.postMessage(request);
  }

  /** Extracts one chunk of articles on the next free worker. */
  extractChunk(articles: Article[]): Promise<ExtractOutcome[]> {
    return new Promise((resolve, reject) => {
      const request: WorkerRequest = { id: this.nextId++, articles };
      const pending: Pending = { resolve, reject, outcomes: [] };
      const worker = this.idle.pop();
      if (worker) this.send(worker, request, pending);
      else this.waiting.push({ request, pending });
    });
  }

  /** Extracts many articles, split into one chunk per worker, keeping their order. */
  async extractMany(articles: Article[]): Promise<ExtractOutcome[]> {
    if (articles.length === 0) return [];
    const chunk = Math.ceil(articles.length / this.size);
    const parts: Promise<ExtractOutcome[]>[] = [];
    for (let i = 0; i < articles.length; i += chunk) parts.push(this.extractChunk(articles.slice(i, i + chunk)));
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
