/**
 * The body of a store's after-commit thread (see after-commit.ts): its own connection to the store
 * file, which after each written batch writes the full-text entries of the articles left pending and
 * then copies the write-ahead log into the database (a passive checkpoint, which never blocks the writer).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { indexPendingArticles, type AfterCommitRequest, type AfterCommitResponse } from './after-commit.js';

const port = parentPort;
if (!port) throw new Error('after-commit-worker.ts runs only as a worker thread');
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };

let db: Database.Database | null = null;
try {
  db = new Database(path, { fileMustExist: true, timeout: busyTimeoutMs });
  db.pragma('synchronous = NORMAL');
  // Checkpoints are this connection's own job, after each run: not inside its commits, nor at close.
  db.pragma('wal_autocheckpoint = 0');
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
    const conn = db;
    conn.transaction(() => indexPendingArticles(conn)).immediate();
    conn.pragma('wal_checkpoint(PASSIVE)');
    port.postMessage({ kind: 'done' } satisfies AfterCommitResponse);
  } catch (err) {
    port.postMessage({ kind: 'failed', message: errorMessage(err) } satisfies AfterCommitResponse);
  }
});
