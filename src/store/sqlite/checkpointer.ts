/**
 * Checkpoints off the writing thread. SQLite copies its write-ahead log into the database file every
 * 1000 pages, inside the commit that crossed the mark: a tenth of the writing thread's time when it
 * writes batch after batch. A store that writes many articles starts this helper thread instead, which
 * checkpoints after each batch over its own connection, and turns the writer's automatic checkpoints off.
 *
 * @example
 * const cp = new BackgroundCheckpointer('khabar.db', 10_000, (on) => db.pragma(`wal_autocheckpoint = ${on ? 0 : 1000}`));
 * cp.afterCommit(); // after each written batch
 * await cp.close();
 */
import { Worker } from 'node:worker_threads';

export type CheckpointRequest = { kind: 'checkpoint' } | { kind: 'close' };
export type CheckpointResponse = { kind: 'ready' } | { kind: 'done' } | { kind: 'failed'; message: string };

function workerUrl(): { url: URL; execArgv: string[] } {
  // Compiled: dist/src/store/sqlite/checkpointer.js beside checkpoint-worker.js. Under tsx the sources are .ts.
  const ts = import.meta.url.endsWith('.ts');
  return { url: new URL(ts ? './checkpoint-worker.ts' : './checkpoint-worker.js', import.meta.url), execArgv: ts ? ['--import', 'tsx'] : [] };
}

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private ready = false;
  private failed = false;
  private inFlight = false;
  /** A batch committed while a checkpoint ran: run another when it is done. */
  private again = false;

  /**
   * Starts the thread. `onActive(true)` runs once it checkpoints (the writer's own checkpoints can
   * go off), `onActive(false)` if it fails (they must come back on).
   */
  constructor(path: string, busyTimeoutMs: number, private readonly onActive: (active: boolean) => void) {
    const { url, execArgv } = workerUrl();
    this.worker = new Worker(url, { workerData: { path, busyTimeoutMs }, execArgv });
    // A process that never closes its store may still exit; the next open finishes the checkpoint.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (m: CheckpointResponse) => this.onMessage(m));
    this.worker.on('error', () => this.fail());
    this.worker.once('exit', () => this.fail());
  }

  /** True while the thread checkpoints for the writer. */
  get active(): boolean {
    return this.ready && !this.failed;
  }

  private onMessage(m: CheckpointResponse): void {
    if (m.kind === 'failed') return this.fail();
    if (m.kind === 'ready') {
      this.ready = true;
      this.onActive(true);
      // Started because the writer has committed much: checkpoint that now.
      this.again = true;
    }
    this.inFlight = false;
    if (this.again) {
      this.again = false;
      this.afterCommit();
    }
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    if (this.ready) this.onActive(false);
    void this.worker.terminate();
  }

  /** Asks for a checkpoint of what the writer has committed (one at a time; a request while one runs waits for it). */
  afterCommit(): void {
    if (!this.active) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.worker.postMessage({ kind: 'checkpoint' } satisfies CheckpointRequest);
  }

  /** Stops the thread once its checkpoint (if one runs) is done; the writer's own checkpoints come back on. */
  async close(): Promise<void> {
    if (this.active) this.onActive(false);
    this.failed = true;
    // Waited for now: an unreferenced thread would let the process end before it closes.
    this.worker.ref();
    this.worker.postMessage({ kind: 'close' } satisfies CheckpointRequest);
    await this.exited;
  }
}
