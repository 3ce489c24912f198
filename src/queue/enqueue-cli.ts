/**
 * The `khabar ingest --enqueue` branch: open the queue, read the inputs, queue them, print a summary.
 */
import { readInputs } from '../ingest/index.js';
import { enqueueItems } from './enqueue.js';
import { WorkQueue } from './pg-queue.js';

/** Runs `khabar ingest PATH... --db postgres://... --enqueue`; exit code 1 only when nothing could be read. */
export async function enqueueInputs(db: string, paths: string[], options: { maxBytes?: number; defaultDate?: string; json: boolean }): Promise<number> {
  const queue = await WorkQueue.open(db);
  try {
    const { json, ...read } = options;
    const s = await enqueueItems(readInputs(paths, { stdin: process.stdin, ...read }), queue);
    process.stdout.write(
      json ? `${JSON.stringify(s)}\n` : `articles read ${s.read}, queued ${s.queued}, duplicate ${s.duplicates}, quarantined ${s.quarantined}, time ${(s.ms / 1000).toFixed(2)}s\n`,
    );
    if (s.queued > 0 && !json) process.stderr.write(`start workers with: khabar worker --db ${queue.store.label} --concurrency N\n`);
    return s.read === 0 ? 1 : 0;
  } finally {
    await queue.close();
  }
}
