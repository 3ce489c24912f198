/**
 * `khabar migrate-store`: SQLite to PostgreSQL and back copies articles (entities, events),
 * merged events and the quarantine without running the pipeline; a second run adds nothing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrateStore } from '../src/cli/migrate-store.js';
import { openStore } from '../src/store/index.js';
import { tempDir } from './helpers.js';
import { PG_SKIP, PG_URL, freshSchema } from './postgres-fixture.js';
import { sampleArticles, sampleBatch } from './store-fixtures.js';

test('postgres migrate-store copies sqlite to postgres and back, and a re-run adds nothing', { skip: PG_SKIP }, async () => {
  const { dir, cleanup } = tempDir();
  const pg = freshSchema(PG_URL as string);
  try {
    const from = join(dir, 'from.db');
    const back = join(dir, 'back.db');
    const src = await openStore(from);
    await src.writeBatch(sampleBatch());
    const want = await src.stats();
    await src.close();

    const first = await migrateStore(`sqlite:${from}`, pg.url, 3);
    assert.deepEqual([first.articles, first.inserted, first.duplicates, first.events, first.quarantined], [4, 4, 0, 5, 2]);
    const again = await migrateStore(`sqlite:${from}`, pg.url, 3);
    assert.deepEqual([again.inserted, again.duplicates], [0, 4]);
    await migrateStore(pg.url, `sqlite:${back}`);

    for (const target of [pg.url, back]) {
      const store = await openStore(target);
      try {
        assert.deepEqual(await store.stats(), want, target);
        for (const input of sampleArticles()) {
          const got = await store.getArticle(input.article.id);
          assert.deepEqual(got?.article, input.article);
          assert.deepEqual(got?.result, input.result);
        }
        assert.equal((await store.listQuarantine()).length, 2);
        assert.deepEqual(
          (await store.queryEvents({ sort: 'date_asc' })).map((e) => [e.event_id, e.reports]),
          [...sampleArticles().flatMap((a) => a.result.events)]
            .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.event_id.localeCompare(b.event_id))
            .map((e) => [e.event_id, 1]),
        );
      } finally {
        await store.close();
      }
    }
  } finally {
    await pg.drop();
    cleanup();
  }
});
