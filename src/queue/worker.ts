/**
 * A queue worker: claims batches of jobs, extracts them (in this thread, or on N extraction threads),
 * stores the results and marks the jobs done in one transaction, beats its heart (which also extends
 * its leases), and on SIGTERM finishes the jobs in hand and stops claiming.
 */
import type { Logger } from 'pino';
import type { ExtractOutcome } from '../ingest/extract-pool.js';
import type { Extractor } from '../ingest/process.js';
import { errorMessage } from '../errors.js';
import { heartbeatSeconds, type WorkQueue } from './pg-queue.js';

export interface WorkerOptions {
  /** Claim loops run at once (use as many extraction threads). Default 1. */
  concurrency?: number;
  /** Jobs claimed at a time by one loop (default 20). */
  batch?: number;
  /** Exit once no job is queued or running (instead of waiting for more). */
  drain?: boolean;
  /** Wait between claims when the queue is empty, ms (default 1000). */
  idleMs?: number;
  logger?: Logger;
  /** Resolves when the worker should stop (e.g. on SIGTERM): jobs in hand finish, no new claims. */
  stop?: Promise<void>;
}

export interface WorkerSummary {
  worker: string;
  done: number;
  retried: number;
  failed: number;
  lost: number;
  events: number;
  /** Articles this worker linked (its own and others'; linking runs in one process at a time). */
  linked: number;
  /** Milliseconds spent extracting, storing batches (write + job updates, one transaction each), and linking. */
  extract_ms: number;
  store_ms: number;
  link_ms: number;
  ms: number;
}

/**
 * Runs a worker until it is stopped (or, with `drain`, the queue is empty).
 * @example await runWorker(queue, extractor, { concurrency: 4, drain: true }) // { done: 4000, failed: 0, ... }
 */
export async function runWorker(queue: WorkQueue, extractor: Extractor, options: WorkerOptions = {}): Promise<WorkerSummary> {
  const concurrency = options.concurrency ?? 1;
  const batch = options.batch ?? 20;
  const idleMs = options.idleMs ?? 1000;
  const log = options.logger;
  const t0 = performance.now();
  const id = await queue.registerWorker(concurrency);
  const summary: WorkerSummary = { worker: id, done: 0, retried: 0, failed: 0, lost: 0, events: 0, linked: 0, extract_ms: 0, store_ms: 0, link_ms: 0, ms: 0 };
  let stopping = false;
  let wake: (() => void) | null = null;
  void options.stop?.then(() => {
    stopping = true;
    log?.info({ worker: id }, 'stopping: finishing the jobs in hand, claiming no more');
    wake?.();
  });
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const beat = setInterval(() => {
    queue.heartbeat(id).catch((err: unknown) => log?.warn({ worker: id, err: errorMessage(err) }, 'heartbeat failed'));
  }, heartbeatSeconds(queue.leaseSeconds) * 1000);
  log?.info({ worker: id, concurrency, batch, lease_s: queue.leaseSeconds }, 'worker started');

  async function loop(n: number): Promise<void> {
    while (!stopping) {
      const jobs = await queue.claim(id, batch);
      if (jobs.length === 0) {
        if (options.drain && (await queue.pending()) === 0) return;
        await sleep(idleMs);
        continue;
      }
      const t = performance.now();
      let outcomes: ExtractOutcome[];
      try {
        outcomes = await extractor.extractMany(jobs.map((j) => j.article));
      } catch (err) {
        outcomes = jobs.map(() => ({ ok: false as const, code: 'E_PIPELINE', message: errorMessage(err) }));
      }
      const tStore = performance.now();
      summary.extract_ms += tStore - t;
      let s;
      try {
        s = await queue.complete(id, jobs, outcomes);
        summary.store_ms += performance.now() - tStore;
      } catch (err) {
        // The store could not be reached or the write lock not taken in time: the jobs stay leased
        // to this worker and are taken again once the lease ends; nothing was written for them.
        log?.error({ worker: id, jobs: jobs.length, err: errorMessage(err) }, 'could not complete a batch; its jobs will be retried');
        await sleep(idleMs);
        continue;
      }
      if (s.done) {
        // Link what was written (and what other workers wrote), unless another process is linking:
        // that linker looks again once it releases its lock, so nothing committed is left behind.
        const tLink = performance.now();
        try {
          summary.linked += await queue.store.linkPending({ wait: false });
          summary.link_ms += performance.now() - tLink;
        } catch (err) {
          log?.error({ worker: id, err: errorMessage(err) }, 'linking failed; the articles stay pending and are linked by the next run');
        }
      }
      summary.done += s.done;
      summary.retried += s.retried;
      summary.failed += s.failed;
      summary.lost += s.lost;
      summary.events += s.events;
      const { errors, ...counts } = s;
      log?.debug({ worker: id, loop: n, jobs: jobs.length, ...counts, ms: Math.round(performance.now() - t) }, 'batch complete');
      if (errors.length) log?.warn({ worker: id, retried: s.retried, failed: s.failed, errors: errors.slice(0, 5) }, 'articles failed');
    }
  }

  try {
    await Promise.all(Array.from({ length: concurrency }, (_, n) => loop(n)));
    // Nothing left pending when this worker stops (a linker killed mid-run leaves its articles pending).
    const tLink = performance.now();
    summary.linked += await queue.store.linkPending({ wait: true });
    summary.link_ms += performance.now() - tLink;
  } finally {
    clearInterval(beat);
    await queue.stopWorker(id).catch(() => undefined);
  }
  summary.ms = Math.round(performance.now() - t0);
  summary.extract_ms = Math.round(summary.extract_ms);
  summary.store_ms = Math.round(summary.store_ms);
  summary.link_ms = Math.round(summary.link_ms);
  log?.info({ ...summary }, 'worker stopped');
  return summary;
}
