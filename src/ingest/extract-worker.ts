/**
 * The body of one extraction worker thread (see extract-pool.ts): loads the knowledge once, then
 * answers each chunk of articles with their results or the error each failed with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPipeline, extractArticle, loadKnowledge } from '../extract.js';
import { KhabarError, errorMessage } from '../errors.js';
import type { ExtractOutcome, WorkerRequest, WorkerResponse } from './extract-pool.js';

const port = parentPort;
if (!port) throw new Error('extract-worker.ts runs only as a worker thread');

const { kbDirs } = workerData as { kbDirs: string[] };

try {
  const pipeline = createPipeline(await loadKnowledge({ kbDirs }));
  port.postMessage({ id: 0 } satisfies WorkerResponse);
  port.on('message', (request: WorkerRequest) => {
    pipeline.resetTimings();
    const outcomes: ExtractOutcome[] = request.articles.map((article) => {
      try {
        return { ok: true, result: extractArticle(pipeline, article) };
      } catch (err) {
        return { ok: false, code: err instanceof KhabarError ? err.code : 'E_STAGE', message: errorMessage(err) };
      }
    });
    port.postMessage({ id: request.id, outcomes, timings: { ...pipeline.timings } } satisfies WorkerResponse);
  });
} catch (err) {
  port.postMessage({ id: 0, fatal: errorMessage(err) } satisfies WorkerResponse);
}
