/**
 * The PostgreSQL work queue, in process: claims and leases, a job another worker took over is not
 * written twice, failures retried then quarantined, status counts, graceful stop. Needs KHABAR_PG_URL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExtractOutcome } from '../src/ingest/extract-pool.js';
import type { Extractor } from '../src/ingest/process.js';
import { WorkQueue } from '../src/queue/pg-queue.js';
import { runWorker } from '../src/queue/worker.js';
import { PostgresStore } from '../src/store/postgres/pg-store.js';
import type { Article } from '../src/types.js';
import { PG_SKIP, PG_URL, freshSchema } from './postgres-fixture.js';
import { sampleArticles } from './store-fixtures.js';

/** An extractor that returns the fixtures' results, failing on the ids it is told to. */
function fixtureExtractor(failing: Set<string> = new Set()): Extractor & { calls: number } {
  const results = new Map(sampleArticles().map((a) => [a.article.id, a.result]));
  const ex = {
    calls: 0,
    extractMany(articles: Article[]): ExtractOutcome[] {
      ex.calls++;
      return articles.map((a) => {
        const r = results.get(a.id);
        return failing.has(a.id) || !r ? { ok: false, code: 'E_STAGE', message: `stage "events" failed on article ${a.id}` } : { ok: true, result: r };
      });
    },
  };
  return ex;
}

async function withQueue(body: (q: WorkQueue) => Promise<void>, options: { leaseSeconds?: number; maxFailures?: number } = {}): Promise<void> {
  const { url, drop } = freshSchema(PG_URL as string);
  const q = new WorkQueue(await PostgresStore.open(url), options);
  try {
    await body(q);
  } finally {
    await q.close();
    await drop();
  }
}

const articles = (): Article[] => sampleArticles().map((a) => a.article);

describe('work queue (postgres)', { skip: PG_SKIP }, () => {
  test('queue enqueue keeps an article once and claims hand out each job to one worker', () =>
    withQueue(async (q) => {
      assert.deepEqual(await q.enqueue(articles()), { queued: 4, duplicates: 0 });
      assert.deepEqual(await q.enqueue(articles().slice(0, 2)), { queued: 0, duplicates: 2 });
      const [a, b] = await Promise.all([q.claim('w1', 3), q.claim('w2', 3)]);
      const ids = [...a, ...b].map((j) => j.article_id).sort();
      assert.deepEqual(ids, articles().map((x) => x.id).sort());
      assert.deepEqual(await q.claim('w3', 3), []);
      const s = await q.status();
      assert.equal(s.queued, 0);
      assert.equal(s.running, 4);
    }));

  test('queue an expired lease is claimed again and the first holder writes nothing', () =>
    withQueue(
      async (q) => {
        await q.enqueue(articles().slice(0, 1));
        const first = await q.claim('w1', 1);
        assert.equal(first.length, 1);
        assert.deepEqual(await q.claim('w2', 1), [], 'the lease still holds');
        await new Promise((r) => setTimeout(r, 1200));
        const second = await q.claim('w2', 1);
        assert.equal(second[0]?.attempts, 2);
        const ex = fixtureExtractor();
        const late = await q.complete('w1', first, await ex.extractMany(first.map((j) => j.article)));
        assert.equal(late.lost, 1);
        assert.equal(late.done, 0);
        assert.equal(await q.store.hasArticle(first[0]!.article_id), false);
        const done = await q.complete('w2', second, await ex.extractMany(second.map((j) => j.article)));
        assert.equal(done.done, 1);
        assert.equal((await q.store.stats()).articles, 1);
        assert.equal((await q.status()).done, 1);
      },
      { leaseSeconds: 1 },
    ));

  test('queue failures are retried, then quarantined with the error', () =>
    withQueue(
      async (q) => {
        await q.enqueue(articles());
        const failing = new Set(['art-fj']);
        const summary = await runWorker(q, fixtureExtractor(failing), { drain: true, batch: 2, idleMs: 10 });
        assert.equal(summary.done, 3);
        assert.equal(summary.retried, 1);
        assert.equal(summary.failed, 1);
        const s = await q.status();
        assert.deepEqual([s.queued, s.running, s.done, s.failed], [0, 0, 3, 1]);
        assert.equal(s.recent_failures[0]?.article_id, 'art-fj');
        const quarantined = await q.store.listQuarantine();
        assert.equal(quarantined.length, 1);
        assert.equal(quarantined[0]?.article_id, 'art-fj');
        assert.equal(quarantined[0]?.code, 'E_STAGE');
        assert.match(quarantined[0]?.reason ?? '', /Failed 2 time/);
        assert.equal(await q.store.hasArticle('art-fj'), false);
        assert.equal((await q.store.stats()).events, 4);
      },
      { maxFailures: 2 },
    ));

  test('queue a worker stops claiming when told to stop and reports itself alive until then', () =>
    withQueue(async (q) => {
      await q.enqueue(articles());
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((r) => (stop = r));
      const ex = fixtureExtractor();
      const slow: Extractor = {
        async extractMany(a: Article[]) {
          await new Promise((r) => setTimeout(r, 150));
          return ex.extractMany(a);
        },
      };
      const running = runWorker(q, slow, { batch: 1, idleMs: 10, stop: stopped });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await q.status()).workers, 1);
      stop();
      const summary = await running;
      assert.equal(summary.done, 1, 'the job in hand finishes, no other is claimed');
      const s = await q.status();
      assert.deepEqual([s.queued, s.running, s.done, s.workers], [3, 0, 1, 0]);
    }));
});
