/**
 * The work queue in PostgreSQL: one job per article. Workers claim jobs with FOR UPDATE SKIP LOCKED
 * and a lease; a job's result is written through the store and the job marked done in one
 * transaction, so a worker killed at any moment loses nothing (the lease expires, another worker
 * takes the job) and duplicates nothing (the article is stored once, with its job). Writes take no
 * store-wide lock; the articles are linked after the commit (PostgresStore.linkPending).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { KhabarError, errorMessage } from '../errors.js';
import type { ExtractOutcome } from '../ingest/extract-pool.js';
import { PostgresStore } from '../store/postgres/pg-store.js';
import type { Article, QuarantineItem } from '../types.js';

export interface QueueOptions {
  /** Seconds a claim lasts without a heartbeat (default 60). */
  leaseSeconds?: number;
  /** Extraction failures before an article is quarantined (default 3). */
  maxFailures?: number;
  /** Claims before an article that keeps killing its workers is quarantined (default 10). */
  maxClaims?: number;
}

/** A claimed job. */
export interface Job {
  id: number;
  article_id: string;
  article: Article;
  /** Times claimed, this claim included. */
  attempts: number;
  failures: number;
}

export interface CompleteSummary {
  done: number;
  /** Failed this time, queued again. */
  retried: number;
  /** Failed for the last time: quarantined. */
  failed: number;
  /** Jobs another worker had taken over (lease expired): nothing written for them. */
  lost: number;
  events: number;
  /** "article id: CODE: message" of each failure (retried or final). */
  errors: string[];
}

/** What `khabar status` prints. */
export interface QueueStatus {
  queued: number;
  running: number;
  done: number;
  failed: number;
  /** Workers with a heartbeat within three heartbeat intervals. */
  workers: number;
  /** Running jobs whose lease has expired (their worker died): they will be claimed again. */
  expired: number;
  /** Articles stored but not linked yet (linking runs after each batch, in one process at a time). */
  unlinked: number;
  /** Articles done per second over the last minute. */
  per_second_last_minute: number;
  /** Articles done per second from the first claim to the last completion. */
  per_second_overall: number;
  worker_list: { id: string; host: string; pid: number; concurrency: number; heartbeat_age_s: number; done: number; failed: number }[];
  recent_failures: { article_id: string; failures: number; error: string | null }[];
}

const EXCERPT_CHARS = 300;

/** Seconds between heartbeats for a lease (three beats fit in a lease). */
export function heartbeatSeconds(leaseSeconds: number): number {
  return Math.max(0.2, leaseSeconds / 3);
}

export class WorkQueue {
  readonly leaseSeconds: number;
  readonly maxFailures: number;
  readonly maxClaims: number;

  constructor(
    readonly store: PostgresStore,
    options: QueueOptions = {},
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.maxFailures = options.maxFailures ?? 3;
    this.maxClaims = options.maxClaims ?? 10;
    if (!(this.leaseSeconds > 0)) throw new KhabarError('E_USAGE', `the lease must be a positive number of seconds, got ${this.leaseSeconds}`);
  }

  /**
   * Opens the queue of a PostgreSQL store (creating its tables when needed).
   * @example const q = await WorkQueue.open('postgres://postgres@127.0.0.1/khabar'); await q.status();
   */
  static async open(target: string, options: QueueOptions & { mustExist?: boolean } = {}): Promise<WorkQueue> {
    if (!/^postgres(ql)?:\/\//i.test(target)) {
      throw new KhabarError('E_USAGE', `the work queue needs a PostgreSQL store: give --db postgres://user@host:5432/db (got ${target})`);
    }
    const store = await PostgresStore.open(target, options.mustExist ? { mustExist: true } : {});
    return new WorkQueue(store, options);
  }

  /**
   * Queues articles; an article already queued (same id) is kept once.
   * @example await q.enqueue(articles) // { queued: 118, duplicates: 2 }
   */
  async enqueue(articles: Article[]): Promise<{ queued: number; duplicates: number }> {
    if (articles.length === 0) return { queued: 0, duplicates: 0 };
    const rows = await this.store.query<{ article_id: string }>(
      `INSERT INTO queue_jobs (article_id, article)
       SELECT id, a FROM unnest($1::text[], $2::jsonb[]) AS x(id, a) ON CONFLICT (article_id) DO NOTHING RETURNING article_id`,
      [articles.map((a) => a.id), articles.map((a) => JSON.stringify(a))],
    );
    return { queued: rows.length, duplicates: articles.length - rows.length };
  }

  /** Claims up to `n` jobs: queued ones, or running ones whose lease expired. */
  async claim(workerId: string, n: number): Promise<Job[]> {
    const rows = await this.store.query<Job>(
      `WITH c AS (
         SELECT id FROM queue_jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE queue_jobs j SET state = 'running', attempts = j.attempts + 1, worker = $2,
         lease_until = now() + make_interval(secs => $3), started_at = coalesce(j.started_at, now())
       FROM c WHERE j.id = c.id
       RETURNING j.id, j.article_id, j.article, j.attempts, j.failures`,
      [n, workerId, this.leaseSeconds],
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  /**
   * Stores the results of claimed jobs and marks them done, in one transaction with the store's write;
   * failures are queued again or, the last time, quarantined. Jobs this worker no longer holds are skipped.
   */
  async complete(workerId: string, jobs: Job[], outcomes: ExtractOutcome[]): Promise<CompleteSummary> {
    try {
      return await this.store.transaction((tx) => this.completeIn(tx, workerId, jobs, outcomes));
    } catch (err) {
      if (jobs.length <= 1) {
        // The write itself failed (e.g. an event id clash): count it as this article's failure.
        const job = jobs[0];
        if (!job) throw err;
        const code = err instanceof KhabarError ? err.code : 'E_STORE';
        return this.store.transaction((tx) => this.completeIn(tx, workerId, [job], [{ ok: false, code, message: errorMessage(err) }]));
      }
      // One bad article must not sink the batch: complete them one by one.
      const total: CompleteSummary = { done: 0, retried: 0, failed: 0, lost: 0, events: 0, errors: [] };
      for (const [i, job] of jobs.entries()) {
        const s = await this.complete(workerId, [job], [outcomes[i] as ExtractOutcome]);
        total.done += s.done;
        total.retried += s.retried;
        total.failed += s.failed;
        total.lost += s.lost;
        total.events += s.events;
        total.errors.push(...s.errors);
      }
      return total;
    }
  }

  private async completeIn(tx: PoolClient, workerId: string, jobs: Job[], outcomes: ExtractOutcome[]): Promise<CompleteSummary> {
    const summary: CompleteSummary = { done: 0, retried: 0, failed: 0, lost: 0, events: 0, errors: [] };
    // The jobs' state commits with their results: a commit lost to a server crash loses both, and the
    // jobs are claimed again once their lease ends, so the write need not wait for the WAL flush.
    await tx.query('SET LOCAL synchronous_commit = off');
    const held = new Set(
      (
        await tx.query<{ id: number }>(`SELECT id FROM queue_jobs WHERE id = ANY($1::bigint[]) AND worker = $2 AND state = 'running' FOR UPDATE`, [
          jobs.map((j) => j.id),
          workerId,
        ])
      ).rows.map((r) => r.id),
    );
    const articles = [];
    const quarantine: QuarantineItem[] = [];
    const doneIds: number[] = [];
    const retry: { id: number; error: string }[] = [];
    const failed: { id: number; error: string }[] = [];
    for (const [i, job] of jobs.entries()) {
      if (!held.has(job.id)) {
        summary.lost++;
        continue;
      }
      const out = outcomes[i];
      if (out?.ok) {
        articles.push(out.signature ? { article: job.article, result: out.result, linkSignature: out.signature } : { article: job.article, result: out.result });
        doneIds.push(job.id);
        continue;
      }
      const error = out ? `${out.code}: ${out.message}` : 'E_QUEUE: no result';
      summary.errors.push(`${job.article_id}: ${error}`);
      if (job.failures + 1 >= this.maxFailures || job.attempts > this.maxClaims) {
        failed.push({ id: job.id, error });
        quarantine.push(this.quarantineItem(job, out ? out.code : 'E_QUEUE', error));
      } else retry.push({ id: job.id, error });
    }
    if (articles.length || quarantine.length) {
      const w = await this.store.writeBatchIn(tx, { articles, quarantine });
      summary.events = w.events;
    }
    if (doneIds.length) {
      await tx.query(`UPDATE queue_jobs SET state = 'done', finished_at = now(), lease_until = NULL WHERE id = ANY($1::bigint[])`, [doneIds]);
    }
    for (const r of retry) {
      await tx.query(`UPDATE queue_jobs SET state = 'queued', failures = failures + 1, last_error = $2, lease_until = NULL, worker = NULL WHERE id = $1`, [
        r.id,
        r.error,
      ]);
    }
    for (const f of failed) {
      await tx.query(`UPDATE queue_jobs SET state = 'failed', failures = failures + 1, last_error = $2, lease_until = NULL, finished_at = now() WHERE id = $1`, [
        f.id,
        f.error,
      ]);
    }
    summary.done = doneIds.length;
    summary.retried = retry.length;
    summary.failed = failed.length;
    await tx.query('UPDATE queue_workers SET done = done + $2, failed = failed + $3, heartbeat_at = now() WHERE id = $1', [workerId, summary.done, summary.failed]);
    return summary;
  }

  private quarantineItem(job: Job, code: string, error: string): QuarantineItem {
    const a = job.article;
    return {
      file: a.origin.file,
      line: a.origin.line,
      code,
      reason: `${error}. Failed ${job.failures + 1} time(s) in the work queue (claimed ${job.attempts} time(s)); fix the input or report the error with this excerpt.`,
      excerpt: a.rawText.slice(0, EXCERPT_CHARS),
      article_id: a.id,
    };
  }

  /** Registers a worker and returns its id (host:pid:random). */
  async registerWorker(concurrency: number): Promise<string> {
    const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    await this.store.query('INSERT INTO queue_workers (id, host, pid, concurrency) VALUES ($1, $2, $3, $4)', [id, hostname(), process.pid, concurrency]);
    return id;
  }

  /** Says the worker is alive and extends the leases of the jobs it holds. */
  async heartbeat(workerId: string): Promise<void> {
    await this.store.query('UPDATE queue_workers SET heartbeat_at = now() WHERE id = $1', [workerId]);
    await this.store.query(`UPDATE queue_jobs SET lease_until = now() + make_interval(secs => $2) WHERE worker = $1 AND state = 'running'`, [
      workerId,
      this.leaseSeconds,
    ]);
  }

  /** Marks a worker stopped (after a graceful shutdown). */
  async stopWorker(workerId: string): Promise<void> {
    await this.store.query('UPDATE queue_workers SET stopped_at = now() WHERE id = $1', [workerId]);
  }

  /** Jobs not finished yet (queued, or running under any lease). */
  async pending(): Promise<number> {
    const r = await this.store.query<{ n: number }>(`SELECT count(*) AS n FROM queue_jobs WHERE state IN ('queued', 'running')`);
    return r[0]?.n ?? 0;
  }

  /**
   * Queue depth, throughput, failures and live workers.
   * @example await q.status() // { queued: 120, running: 8, done: 4000, failed: 2, workers: 4, ... }
   */
  async status(aliveWithinSeconds = 30): Promise<QueueStatus> {
    const counts = await this.store.query<{ state: string; n: number; expired: number }>(
      `SELECT state, count(*) AS n, count(*) FILTER (WHERE state = 'running' AND lease_until < now()) AS expired FROM queue_jobs GROUP BY state`,
    );
    const by = (s: string): number => counts.find((c) => c.state === s)?.n ?? 0;
    const rate = (
      await this.store.query<{ last_minute: number; overall: number }>(
        `SELECT (count(*) FILTER (WHERE finished_at > now() - interval '60 seconds'))::float8 / 60 AS last_minute,
           coalesce(count(*) FILTER (WHERE state = 'done')::float8 / nullif(extract(epoch FROM max(finished_at) - min(started_at)), 0), 0) AS overall
         FROM queue_jobs WHERE finished_at IS NOT NULL`,
      )
    )[0];
    const workers = await this.store.query<QueueStatus['worker_list'][number]>(
      `SELECT id, host, pid, concurrency, extract(epoch FROM now() - heartbeat_at)::float8 AS heartbeat_age_s, done, failed
       FROM queue_workers WHERE stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => $1) ORDER BY started_at`,
      [aliveWithinSeconds],
    );
    const unlinked = (await this.store.query<{ n: number }>('SELECT count(*) AS n FROM link_pending'))[0]?.n ?? 0;
    const recent = await this.store.query<QueueStatus['recent_failures'][number]>(
      `SELECT article_id, failures, last_error AS error FROM queue_jobs WHERE failures > 0 ORDER BY finished_at DESC NULLS FIRST, id DESC LIMIT 10`,
    );
    return {
      queued: by('queued'),
      running: by('running'),
      done: by('done'),
      failed: by('failed'),
      workers: workers.length,
      expired: counts.find((c) => c.state === 'running')?.expired ?? 0,
      unlinked,
      per_second_last_minute: Math.round((rate?.last_minute ?? 0) * 100) / 100,
      per_second_overall: Math.round((rate?.overall ?? 0) * 100) / 100,
      worker_list: workers,
      recent_failures: recent,
    };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
