/**
 * The store contract for followed sources, polls, seen items, watch rules, alert hits and the
 * not-extracted flag (issue 10). Called from runStoreContract, so every store runs it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KhabarError } from '../src/errors.js';
import type { PollRecord, Store } from '../src/store/store.js';
import type { EventRecord } from '../src/types.js';
import { sampleArticles, sampleBatch } from './store-fixtures.js';

interface Fixture {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

async function withStore(makeFixture: () => Promise<Fixture>, body: (store: Store, fx: Fixture) => Promise<void>): Promise<void> {
  const fx = await makeFixture();
  const store = await fx.open();
  try {
    await body(store, fx);
  } finally {
    await store.close();
    await fx.cleanup();
  }
}

function isCode(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof KhabarError, String(err));
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

function poll(sourceId: number, status: PollRecord['status'], fresh: number): PollRecord {
  return {
    source_id: sourceId, started_at: '2024-06-01T10:00:00.000Z', finished_at: '2024-06-01T10:00:02.000Z', status,
    http_status: status === 'failed' ? 500 : 200, items: 3, new: fresh, duplicates: 0, failed: status === 'failed' ? 0 : 1,
    error_code: status === 'failed' ? 'E_FETCH' : null, error: status === 'failed' ? 'HTTP 500' : null,
    item_errors: status === 'failed' ? [] : [{ item: 'https://example.org/a', code: 'E_FETCH', message: 'HTTP 404' }],
  };
}

export function runSourcesContract(name: string, makeFixture: () => Promise<Fixture>): void {
  describe(`store contract: sources and alerts (${name})`, () => {
    test(`${name} keeps sources with their polling state, polls newest first, and seen items`, () =>
      withStore(makeFixture, async (store, fx) => {
        const a = await store.addSource({ name: 'Wire', location: 'https://example.org/feed.xml', every_s: 900 });
        const b = await store.addSource({ name: 'Atlas', location: '/tmp/feed.xml', every_s: 3600 });
        assert.deepEqual([a.failures, a.etag, a.last_polled_at], [0, null, null]);
        assert.ok(Date.parse(a.next_poll_at) <= Date.now(), 'a new source is due at once');
        await assert.rejects(store.addSource({ name: 'Wire', location: 'https://x.org', every_s: 900 }), isCode('E_VALIDATION', /already exists/));
        assert.deepEqual((await store.listSources()).map((s) => s.name), ['Atlas', 'Wire']);

        const state = { etag: '"v2"', last_modified: 'Sat, 01 Jun 2024 10:00:00 GMT', next_poll_at: '2024-06-01T10:15:00.000Z', failures: 2, last_polled_at: '2024-06-01T10:00:00.000Z', last_error: 'E_FETCH: HTTP 500' };
        await store.updateSourceState(a.id, state);
        const wire = (await store.listSources()).find((s) => s.id === a.id);
        assert.deepEqual({ ...wire, id: undefined, added_at: undefined }, { ...state, id: undefined, added_at: undefined, name: 'Wire', location: 'https://example.org/feed.xml', every_s: 900 });

        const p1 = await store.recordPoll(poll(a.id, 'failed', 0));
        const p2 = await store.recordPoll(poll(a.id, 'ok', 2));
        await store.recordPoll(poll(b.id, 'not_modified', 0));
        assert.ok(p2 > p1);
        const wirePolls = await store.listPolls({ source: 'Wire' });
        assert.deepEqual(wirePolls.map((p) => [p.status, p.new, p.source_name]), [['ok', 2, 'Wire'], ['failed', 0, 'Wire']]);
        assert.deepEqual(wirePolls[0]?.item_errors, [{ item: 'https://example.org/a', code: 'E_FETCH', message: 'HTTP 404' }]);
        assert.equal((await store.listPolls()).length, 3);
        assert.equal((await store.listPolls({ limit: 1 })).length, 1);

        assert.deepEqual(await store.unseenItems(a.id, ['g1', 'g2', 'g3']), ['g1', 'g2', 'g3']);
        await store.markItemsSeen(a.id, [{ key: 'g2', article_id: 'art-1' }, { key: 'g3', article_id: null }]);
        await store.markItemsSeen(a.id, [{ key: 'g2', article_id: 'art-other' }]);
        assert.deepEqual(await store.unseenItems(a.id, ['g1', 'g2', 'g3']), ['g1']);
        assert.deepEqual(await store.unseenItems(b.id, ['g2']), ['g2'], 'seen items belong to their source');

        // Reopened, the state is all there.
        await store.close();
        const again = await fx.open();
        try {
          assert.deepEqual(await again.unseenItems(a.id, ['g1', 'g2']), ['g1']);
          assert.equal(await again.removeSource('Wire'), true);
          assert.equal(await again.removeSource('Wire'), false);
          assert.deepEqual((await again.listPolls()).map((p) => p.source_name), ['Atlas']);
          const c = await again.addSource({ name: 'Wire', location: 'https://example.org/feed.xml', every_s: 900 });
          assert.deepEqual(await again.unseenItems(c.id, ['g2']), ['g2']);
        } finally {
          await again.close();
        }
        // withStore closes `store` again: closing twice is harmless.
      }));

    test(`${name} records each rule's hit once per event and per merged event, newest first`, () =>
      withStore(makeFixture, async (store) => {
        await store.writeBatch(sampleBatch());
        const rule = await store.addAlertRule({ name: 'Somalia', filter: { country: 'SO', limit: 5, sort: 'date_asc' }, webhook: 'http://127.0.0.1:9/hook' });
        assert.deepEqual(rule.filter, { country: 'SO' }, 'paging keys are not part of a rule');
        const other = await store.addAlertRule({ name: 'Pakistan', filter: { country: 'PK' }, webhook: null });
        await assert.rejects(store.addAlertRule({ name: 'Somalia', filter: { country: 'KE' }, webhook: null }), isCode('E_VALIDATION', /already exists/));
        await assert.rejects(store.addAlertRule({ name: 'Bad', filter: { from: '2024-13-01' }, webhook: null }), isCode('E_VALIDATION'));
        assert.deepEqual((await store.listAlertRules()).map((r) => r.name), ['Pakistan', 'Somalia']);

        const so = sampleArticles().flatMap((a) => a.result.events).filter((e) => e.location?.country_code === 'SO');
        const pk = sampleArticles().flatMap((a) => a.result.events).filter((e) => e.location?.country_code === 'PK');
        assert.ok(so.length >= 1 && pk.length >= 1);
        const first = await store.recordAlertHits([...so.map((event) => ({ rule_id: rule.id, event })), { rule_id: other.id, event: pk[0]! }]);
        assert.deepEqual(first.map((h) => [h.rule_name, h.event_id]), [...so.map((e) => ['Somalia', e.event_id]), ['Pakistan', pk[0]!.event_id]]);
        assert.deepEqual(first[0]?.event, so[0]);
        assert.equal(first[0]?.article_id, so[0]!.article_id);
        // The same matches again: nothing new.
        assert.deepEqual(await store.recordAlertHits(so.map((event) => ({ rule_id: rule.id, event }))), []);
        // Another report of an already-hit merged event does not fire again; a new merged event does.
        const sameCluster: EventRecord = { ...pk[0]!, event_id: 'other-report:e1', cluster_id: 'cluster-1' };
        const firstOfCluster: EventRecord = { ...pk[0]!, event_id: 'first-report:e1', cluster_id: 'cluster-1' };
        assert.equal((await store.recordAlertHits([{ rule_id: other.id, event: firstOfCluster }])).length, 1);
        assert.deepEqual(await store.recordAlertHits([{ rule_id: other.id, event: sameCluster }]), []);
        assert.equal((await store.recordAlertHits([{ rule_id: rule.id, event: sameCluster }])).length, 1, 'per rule');

        const all = await store.listAlertHits();
        assert.equal(all.length, so.length + 3);
        assert.ok(all.every((h, i) => i === 0 || all[i - 1]!.id > h.id), 'newest first');
        assert.deepEqual((await store.listAlertHits({ rule: 'Pakistan' })).map((h) => h.event_id), ['first-report:e1', pk[0]!.event_id]);
        const newest = all[0]!;
        assert.deepEqual(await store.listAlertHits({ after_id: newest.id }), []);
        assert.deepEqual((await store.listAlertHits({ after_id: all[1]!.id })).map((h) => h.id), [newest.id]);
        assert.equal((await store.listAlertHits({ limit: 2 })).length, 2);

        assert.equal(await store.removeAlertRule('Pakistan'), true);
        assert.equal(await store.removeAlertRule('Pakistan'), false);
        assert.deepEqual([...new Set((await store.listAlertHits()).map((h) => h.rule_name))], ['Somalia']);
      }));

    test(`${name} stores an article flagged not extracted and reads the flag back`, () =>
      withStore(makeFixture, async (store) => {
        const [a, b] = sampleArticles();
        const fr = { ...a!, article: { ...a!.article, language: 'fr' }, result: { ...a!.result, entities: [], events: [] }, extracted: false };
        const summary = await store.writeBatch({ articles: [fr, b!], quarantine: [] });
        assert.deepEqual([summary.inserted, summary.events], [2, b!.result.events.length]);
        const got = await store.getArticle(a!.article.id);
        assert.equal(got?.extracted, false);
        assert.equal(got?.article.language, 'fr');
        assert.equal((await store.getArticle(b!.article.id))?.extracted, undefined);
        const word = a!.result.text.split(' ').find((w) => w.length > 6)!.replace(/\W/g, '');
        assert.ok((await store.searchArticles(word)).some((h) => h.article_id === a!.article.id), `searching "${word}"`);
      }));
  });
}
