/**
 * `khabar ingest --enqueue`: read inputs, quarantine the bad ones in the store, queue the rest for
 * workers (no extraction here). Articles already stored are not queued again.
 */
import type { IngestItem } from '../ingest/process.js';
import type { Article, QuarantineItem } from '../types.js';
import type { WorkQueue } from './pg-queue.js';

export interface EnqueueSummary {
  read: number;
  queued: number;
  /** Already queued, or already stored. */
  duplicates: number;
  quarantined: number;
  ms: number;
}

/**
 * @example await enqueueItems(readInputs(['news/']), queue) // { read: 120, queued: 118, duplicates: 2, quarantined: 1, ms: 40 }
 */
export async function enqueueItems(
  items: AsyncIterable<IngestItem> | Iterable<IngestItem>,
  queue: WorkQueue,
  options: { batchSize?: number; onProgress?: (s: EnqueueSummary) => void } = {},
): Promise<EnqueueSummary> {
  const t0 = performance.now();
  const size = options.batchSize ?? 500;
  const summary: EnqueueSummary = { read: 0, queued: 0, duplicates: 0, quarantined: 0, ms: 0 };
  let articles: Article[] = [];
  let quarantine: QuarantineItem[] = [];
  const flush = async (): Promise<void> => {
    if (articles.length) {
      const stored = new Set(
        (await queue.store.query<{ id: string }>('SELECT id FROM articles WHERE id = ANY($1::text[])', [articles.map((a) => a.id)])).map((r) => r.id),
      );
      const fresh = articles.filter((a) => !stored.has(a.id));
      const r = await queue.enqueue(fresh);
      summary.queued += r.queued;
      summary.duplicates += r.duplicates + stored.size;
    }
    if (quarantine.length) summary.quarantined += (await queue.store.writeBatch({ articles: [], quarantine })).quarantined;
    articles = [];
    quarantine = [];
    options.onProgress?.({ ...summary, ms: performance.now() - t0 });
  };
  for await (const item of items) {
    if (item.kind === 'article') {
      summary.read++;
      articles.push(item.article);
    } else quarantine.push(item.item);
    if (articles.length + quarantine.length >= size) await flush();
  }
  await flush();
  summary.ms = Math.round(performance.now() - t0);
  return summary;
}
