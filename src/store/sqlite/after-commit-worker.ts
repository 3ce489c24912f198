/**
 * The body of a store's after-commit thread (see after-commit.ts): its own connection to the store
 * file, which once CHECKPOINT_ARTICLES were written since the last time copies the write-ahead log into
 * the database (a passive checkpoint, which never blocks the writer). It never writes a transaction.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import type { AfterCommitRequest, AfterCommitResponse } from './after-commit.js';

const port = parentPort;
if (!port) throw new Error('after-commit-worker.ts runs only as a worker thread');
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };

/**
 * Articles written between checkpoints (the first run checkpoints too). A batch rewrites most pages of
 * the trees it inserts into at random keys (sort and link indexes), and a checkpoint copies each page
 * once however many batches changed it since the last one: every 4,000 articles (4 batches of 1,000),
 * the checkpoints of a 20,000-article benchmark store cost about half the CPU of one each 1,000, for a
 * log that holds up to that many articles (about 240 MB at 20,000 articles, reused in place). Counted in
 * articles, not batches, so that larger batches do not grow the log further.
 */
const CHECKPOINT_ARTICLES = 4000;
/** Articles written since the last checkpoint; null before the first run. */
let sinceCheckpoint: number | null = null;

let db: Database.Database | null = null;
try {
  db = new Database(path, { fileMustExist: true, timeout: busyTimeoutMs });
  db.pragma('synchronous = NORMAL');
  port.postMessage({ kind: 'ready' } satisfies AfterCommitResponse);
} catch (err) {
  port.postMessage({ kind: 'failed', message: errorMessage(err) } satisfies AfterCommitResponse);
}

port.on('message', (request: AfterCommitRequest) => {
  if (!db) return;
  if (request.kind === 'close') {
    db.close();
    db = null;
    port.close();
    return;
  }
  try {
    sinceCheckpoint = sinceCheckpoint === null ? CHECKPOINT_ARTICLES : sinceCheckpoint + request.articles;
    if (sinceCheckpoint >= CHECKPOINT_ARTICLES) {
      db.pragma('wal_checkpoint(PASSIVE)');
      sinceCheckpoint = 0;
    }
    port.postMessage({ kind: 'done' } satisfies AfterCommitResponse);
  } catch (err) {
    port.postMessage({ kind: 'failed', message: errorMessage(err) } satisfies AfterCommitResponse);
  }
});
