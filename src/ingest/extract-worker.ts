/**
 * The body of one extraction worker thread (see extract-pool.ts): loads the knowledge once, then
 * answers each chunk of articles with their results (as JSON text, with the store's preparation and
 * the link signature) or the error each failed with.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createPipeline, extractArticle, loadKnowledge } from '../extract.js';
import { KhabarError, errorMessage } from '../errors.js';
import { loadLinkConfig } from '../link/config.js';
import { textSignature } from '../link/minhash.js';
import { prepareArticle } from '../store/prepared.js';
import type { Article } from '../types.js';
import { WIRE_PART_ARTICLES, type WireOutcome, type WorkerRequest, type WorkerResponse } from './extract-pool.js';

const port = parentPort;
if (!port) throw new Error('extract-worker.ts runs only as a worker thread');

const { kbDirs, niceness } = workerData as { kbDirs: string[]; niceness?: number };

/** This thread's id in the operating system (Linux: /proc/thread-self names it), or null elsewhere. */
function osThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    // No /proc: the thread has no id to report.
    return null;
  }
}

/**
 * Lowers this thread's scheduling priority by `steps` (Linux: a thread has its own nice value).
 * Elsewhere, or when not permitted, the thread keeps its priority.
 */
function lowerThreadPriority(tid: number | null, steps: number): void {
  if (steps <= 0 || tid === null) return;
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + steps));
  } catch {
    // No permission: run at the normal priority.
  }
}

const tid = osThreadId();
lowerThreadPriority(tid, niceness ?? 0);

try {
  const pipeline = createPipeline(await loadKnowledge({ kbDirs }));
  // Linking's MinHash signature is computed here, in parallel, instead of on the thread that writes.
  const nearDuplicate = loadLinkConfig().nearDuplicate;
  port.postMessage({ id: 0, tid } satisfies WorkerResponse);
  port.on('message', (request: WorkerRequest) => {
    pipeline.resetTimings();
    const { id, articles } = request;
    let part: WireOutcome[] = [];
    for (let i = 0; i < articles.length; i++) {
      part.push(toWire(articles[i]!));
      const done = i === articles.length - 1;
      if (part.length < WIRE_PART_ARTICLES && !done) continue;
      port.postMessage((done ? { id, outcomes: part, done, timings: { ...pipeline.timings } } : { id, outcomes: part }) satisfies WorkerResponse);
      part = [];
    }
    if (articles.length === 0) port.postMessage({ id, outcomes: [], done: true, timings: {} } satisfies WorkerResponse);
  });

  function toWire(article: Article): WireOutcome {
    try {
      const result = extractArticle(pipeline, article);
      // The entities and events travel once, as the store writes them (extract-pool.ts WireOutcome).
      const prepared = prepareArticle(result);
      return {
        ok: true,
        result: JSON.stringify({ ...result, text: '', entities: [], events: [] }),
        text: result.text,
        signature: textSignature(result.text, nearDuplicate),
        prepared,
      };
    } catch (err) {
      return { ok: false, code: err instanceof KhabarError ? err.code : 'E_STAGE', message: errorMessage(err) };
    }
  }
} catch (err) {
  port.postMessage({ id: 0, fatal: errorMessage(err) } satisfies WorkerResponse);
}
