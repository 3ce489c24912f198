/**
 * The body of a store's after-commit thread (see after-commit.ts): its own connection to the store
 * file, which copies the write-ahead log into the database when asked (a passive checkpoint, which
 * never blocks the writer). It never writes a transaction.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import type { AfterCommitRequest, AfterCommitResponse } from './after-commit.js';

const port = parentPort;
if (!port) throw new Error('after-commit-worker.ts runs only as a worker thread');
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };

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
    db.pragma('wal_checkpoint(PASSIVE)');
    port.postMessage({ kind: 'done' } satisfies AfterCommitResponse);
  } catch (err) {
    port.postMessage({ kind: 'failed', message: errorMessage(err) } satisfies AfterCommitResponse);
  }
});
