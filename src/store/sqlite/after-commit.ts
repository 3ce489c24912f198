/**
 * The checkpoints after written batches, on a thread of its own so that the thread writing the store
 * does not pay for them: every few thousand articles, the thread copies the write-ahead log into the
 * database file (SQLite runs that inside the commit that crosses 1000 pages otherwise). A store that
 * writes many articles starts it (sqlite-store.ts) and waits for it before it writes again.
 *
 * The thread commits nothing: in WAL mode a connection drops its whole page cache when another one has
 * committed, so a thread that wrote (the full-text entries did, until migration 13) made the writer
 * re-read every page it touched in its next batch. A checkpoint leaves the writer's cache valid.
 *
 * @example
 * const after = new AfterCommitThread('khabar.db', 10_000, (on) => store.setCheckpointing(on));
 * await after.afterCommit(5000); // after each written batch of 5,000 articles
 * await after.close();
 */
import { Worker } from 'node:worker_threads';

export type AfterCommitRequest = { kind: 'checkpoint' } | { kind: 'close' };
export type AfterCommitResponse = { kind: 'ready' } | { kind: 'done' } | { kind: 'failed'; message: string };

/**
 * Articles written between checkpoints (the thread's first run checkpoints too). A batch rewrites most
 * pages of the trees it inserts into at random keys (sort and link indexes), and a checkpoint copies
 * each page once however many batches changed it since the last one: every 4,000 articles (4 batches of
 * 1,000), the checkpoints of a 20,000-article benchmark store cost about half the CPU of one each 1,000,
 * for a log that holds up to that many articles (about 240 MB at 20,000 articles, reused in place).
 * Counted in articles, not batches, so that larger batches do not grow the log further.
 */
const CHECKPOINT_ARTICLES = 4000;

function workerUrl(): { url: URL; execArgv: string[] } {
  // Compiled: dist/src/store/sqlite/after-commit.js beside after-commit-worker.js. Under tsx the sources are .ts.
  const ts = import.meta.url.endsWith('.ts');
  return { url: new URL(ts ? './after-commit-worker.ts' : './after-commit-worker.js', import.meta.url), execArgv: ts ? ['--import', 'tsx'] : [] };
}

interface Waiter {
  promise: Promise<void>;
  resolve: () => void;
}

function waiter(): Waiter {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class AfterCommitThread {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private ready = false;
  private failed = false;
  /** The run in progress (covering the commits made before it started), if any. */
  private running: Waiter | null = null;
  /** The run asked for while one was in progress: it starts when that one ends. */
  private queued: Waiter | null = null;
  /** Articles written since the last checkpoint was asked of the thread (the first run checkpoints whatever it is). */
  private sinceCheckpoint = CHECKPOINT_ARTICLES;

  /**
   * Starts the thread. `onActive(true)` runs once it works for the writer, `onActive(false)` when it
   * stops or fails: the writer must then checkpoint by itself again.
   */
  constructor(path: string, busyTimeoutMs: number, private readonly onActive: (active: boolean) => void) {
    const { url, execArgv } = workerUrl();
    this.worker = new Worker(url, { workerData: { path, busyTimeoutMs }, execArgv });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (m: AfterCommitResponse) => this.onMessage(m));
    this.worker.on('error', () => this.fail());
    this.worker.once('exit', () => this.fail());
    // Idle, the thread does not keep the process alive: one that never closes its store may still exit
    // (its last checkpoint is then left to the next connection). After the listeners, which ref it again.
    this.worker.unref();
  }

  /** True while the thread checkpoints for the writer. */
  get active(): boolean {
    return this.ready && !this.failed;
  }

  private onMessage(m: AfterCommitResponse): void {
    if (m.kind === 'failed') return this.fail();
    if (m.kind === 'ready') {
      this.ready = true;
      this.onActive(true);
      // Started because the writer has committed much: checkpoint that now.
      void this.afterCommit(0);
      return;
    }
    this.running?.resolve();
    this.running = null;
    const next = this.queued;
    this.queued = null;
    if (next) this.start(next);
    else this.worker.unref();
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.running?.resolve();
    this.queued?.resolve();
    this.running = this.queued = null;
    if (this.ready) this.onActive(false);
    void this.worker.terminate();
  }

  private start(w: Waiter): void {
    // Someone may await this run: the process stays alive until it is done.
    this.worker.ref();
    this.running = w;
    this.worker.postMessage({ kind: 'checkpoint' } satisfies AfterCommitRequest);
  }

  /**
   * Tells the thread that the writer has committed `articles` more articles; once CHECKPOINT_ARTICLES
   * were written since the last checkpoint, asks it for one and resolves when it is done (or has failed:
   * the writer then checkpoints by itself).
   */
  afterCommit(articles: number): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.sinceCheckpoint += articles;
    if (this.sinceCheckpoint < CHECKPOINT_ARTICLES) return this.idle();
    this.sinceCheckpoint = 0;
    if (!this.running) {
      const w = waiter();
      this.start(w);
      return w.promise;
    }
    this.queued ??= waiter();
    return this.queued.promise;
  }

  /** Resolves when nothing asked of the thread is left to do. */
  idle(): Promise<void> {
    return (this.queued ?? this.running)?.promise ?? Promise.resolve();
  }

  /** Stops the thread once its work is done; the writer checkpoints by itself again. */
  async close(): Promise<void> {
    await this.idle();
    if (this.active) this.onActive(false);
    this.failed = true;
    // Waited for now: an unreferenced thread would let the process end before it closes.
    this.worker.ref();
    this.worker.postMessage({ kind: 'close' } satisfies AfterCommitRequest);
    await this.exited;
  }
}
