/**
 * The work after each written batch, on a thread of its own so that the thread writing the store does
 * not pay for it: the full-text entries of the batch's articles (tokenizing ~2 KB of text each, a third
 * of a store write) and, every few thousand articles, the checkpoint that copies the write-ahead log into the
 * database file (SQLite runs it inside the commit that crosses 1000 pages otherwise). A store that writes many articles
 * starts it (sqlite-store.ts), records new articles in fts_pending instead of indexing them, and waits
 * for the thread before it reads the index or writes again.
 *
 * @example
 * const after = new AfterCommitThread('khabar.db', 10_000, (on) => store.setWriteBehind(on));
 * await after.afterCommit(); // after each written batch: resolves once the batch is indexed
 * await after.close();
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

export type AfterCommitRequest = { kind: 'run' } | { kind: 'close' };
export type AfterCommitResponse = { kind: 'ready' } | { kind: 'done' } | { kind: 'failed'; message: string };

/**
 * Writes the full-text entries of every article recorded in fts_pending and empties it; call inside a
 * write transaction. Any connection may: whichever runs first indexes them, the next finds none.
 * Returns how many articles it indexed.
 */
export function indexPendingArticles(db: Database.Database): number {
  db.exec('INSERT INTO articles_fts (rowid, title, text) SELECT a.rid, a.title, a.text FROM fts_pending p JOIN articles a ON a.rid = p.rid ORDER BY p.rid');
  return db.prepare('DELETE FROM fts_pending').run().changes;
}

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

  /**
   * Starts the thread. `onActive(true)` runs once it works for the writer, `onActive(false)` when it
   * stops or fails: the writer must then index and checkpoint by itself again.
   */
  constructor(path: string, busyTimeoutMs: number, private readonly onActive: (active: boolean) => void) {
    const { url, execArgv } = workerUrl();
    this.worker = new Worker(url, { workerData: { path, busyTimeoutMs }, execArgv });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (m: AfterCommitResponse) => this.onMessage(m));
    this.worker.on('error', () => this.fail());
    this.worker.once('exit', () => this.fail());
    // Idle, the thread does not keep the process alive: one that never closes its store may still exit
    // (the next open indexes what was left pending). After the listeners, which ref it again.
    this.worker.unref();
  }

  /** True while the thread indexes and checkpoints for the writer. */
  get active(): boolean {
    return this.ready && !this.failed;
  }

  private onMessage(m: AfterCommitResponse): void {
    if (m.kind === 'failed') return this.fail();
    if (m.kind === 'ready') {
      this.ready = true;
      this.onActive(true);
      // Started because the writer has committed much: checkpoint that now.
      void this.afterCommit();
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
    this.worker.postMessage({ kind: 'run' } satisfies AfterCommitRequest);
  }

  /**
   * Asks the thread to index and checkpoint what the writer has committed; resolves when it has (or
   * has failed: the writer then finds the pending articles itself, see sqlite-store.ts).
   */
  afterCommit(): Promise<void> {
    if (!this.active) return Promise.resolve();
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

  /** Stops the thread once its work is done; the writer indexes and checkpoints by itself again. */
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
