/**
 * The body of a store's checkpoint thread (see checkpointer.ts): its own connection to the store file,
 * copying the write-ahead log into the database after each written batch (a passive checkpoint,
 * which never blocks the writer), so the thread that writes does not pay for it.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import type { CheckpointRequest, CheckpointResponse } from './checkpointer.js';

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.ts runs only as a worker thread');
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };

let db: Database.Database | null = null;
try {
  db = new Database(path, { fileMustExist: true, timeout: busyTimeoutMs });
  db.pragma('synchronous = NORMAL');
  // This connection only checkpoints: closing it must not checkpoint (and block) either.
  db.pragma('wal_autocheckpoint = 0');
  port.postMessage({ kind: 'ready' } satisfies CheckpointResponse);
} catch (err) {
  port.postMessage({ kind: 'failed', message: errorMessage(err) } satisfies CheckpointResponse);
}

port.on('message', (request: CheckpointRequest) => {
  if (!db) return;
  if (request.kind === 'close') {
    db.close();
    db = null;
    port.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    port.postMessage({ kind: 'done' } satisfies CheckpointResponse);
  } catch (err) {
    port.postMessage({ kind: 'failed', message: errorMessage(err) } satisfies CheckpointResponse);
  }
});
