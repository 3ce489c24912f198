/**
 * The contract of the store's aggregate queries (time series, actor activity, places) and the
 * min_sources filter, run on every store like the main contract suite.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../src/store/store.js';
import { sampleBatch, sampleArticles } from './store-fixtures.js';
import type { StoreFixture } from './store-contract.suite.js';

async function withStore(makeFixture: () => Promise<StoreFixture>, fn: (store: Store) => Promise<void>): Promise<void> {
  const fx = await makeFixture();
  const store = await fx.open();
  try {
    await store.writeBatch(sampleBatch());
    await fn(store);
  } finally {
    await store.close();
    await fx.cleanup();
  }
}

const allEvents = () => sampleArticles().flatMap((a) => a.result.events);

export function runAnalyticsContract(name: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`store analytics contract (${name})`, () => {
    test(`${name} timeSeries per day counts every dated event once`, () =>
      withStore(makeFixture, async (store) => {
        const ts = await store.timeSeries();
        const dated = allEvents().filter((e) => e.date !== null);
        assert.equal(ts.interval, 'day');
        assert.deepEqual(ts.keys, ['all']);
        assert.equal(ts.buckets.reduce((n, b) => n + b.events, 0), dated.length);
        const byDay = new Map<string, number>();
        for (const e of dated) byDay.set(e.date!, (byDay.get(e.date!) ?? 0) + 1);
        assert.deepEqual(new Map(ts.buckets.map((b) => [b.period, b.events])), byDay);
        assert.deepEqual(ts.buckets.map((b) => b.period), [...ts.buckets.map((b) => b.period)].sort());
      }));

    test(`${name} timeSeries per week by type puts each event in its Monday's week`, () =>
      withStore(makeFixture, async (store) => {
        const ts = await store.timeSeries({}, { interval: 'week', by: 'type' });
        for (const b of ts.buckets) assert.equal(new Date(`${b.period}T00:00:00Z`).getUTCDay(), 1, `${b.period} is a Monday`);
        // 2024-03-13 (Wed) and 2024-03-20 (Wed) are ASSAULT events in the weeks of 03-11 and 03-18.
        const assault = ts.buckets.filter((b) => b.key === 'ASSAULT').map((b) => [b.period, b.events, b.fatalities]);
        assert.deepEqual(assault, [['2024-03-11', 1, 12], ['2024-03-18', 1, 5]]);
        assert.equal(ts.keys[0], 'ASSAULT');
      }));

    test(`${name} timeSeries by actor counts both sides and folds the tail into "other"`, () =>
      withStore(makeFixture, async (store) => {
        const all = await store.timeSeries({}, { by: 'actor', top: 100 });
        const sides = allEvents().filter((e) => e.date !== null).reduce((n, e) => n + (e.actor1 ? 1 : 0) + (e.actor2 ? 1 : 0), 0);
        assert.equal(all.buckets.reduce((n, b) => n + b.events, 0), sides);
        const top2 = await store.timeSeries({}, { by: 'actor', top: 2 });
        assert.equal(top2.keys.length, 3);
        assert.equal(top2.keys[2], 'other');
        assert.equal(top2.buckets.reduce((n, b) => n + b.events, 0), sides);
      }));

    test(`${name} timeSeries applies the filter`, () =>
      withStore(makeFixture, async (store) => {
        const ts = await store.timeSeries({ country: 'SO' });
        assert.deepEqual(ts.buckets.map((b) => b.period), ['2024-03-20', '2024-03-21']);
      }));

    test(`${name} timeSeries rejects a bad interval`, () =>
      withStore(makeFixture, async (store) => {
        await assert.rejects(store.timeSeries({}, { interval: 'month' as 'day' }), (err: unknown) => (err as { code?: string }).code === 'E_VALIDATION');
      }));

    test(`${name} actorActivity by id and by name: counts, weeks, counterparts`, () =>
      withStore(makeFixture, async (store) => {
        const byId = await store.actorActivity('som.al_shabaab');
        assert.equal(byId.events, 1);
        assert.equal(byId.fatalities, 5);
        assert.equal(byId.as_actor1, 1);
        assert.equal(byId.name, 'al-Shabaab');
        assert.deepEqual(byId.weekly, [{ period: '2024-03-18', events: 1, fatalities: 5 }]);
        assert.deepEqual(byId.counterparts, [{ id: null, name: 'civilians', events: 1, fatalities: 5 }]);
        const byName = await store.actorActivity('Protesters (Fiji)');
        assert.equal(byName.events, 1);
        assert.equal(byName.as_actor2, 1);
        assert.deepEqual(byName.counterparts.map((c) => c.id), ['fji.police']);
        const none = await store.actorActivity('nobody.at.all');
        assert.equal(none.events, 0);
        assert.deepEqual(none.counterparts, []);
      }));

    test(`${name} listPlaces groups events by place, most first`, () =>
      withStore(makeFixture, async (store) => {
        const places = await store.listPlaces();
        assert.equal(places[0]?.name, 'Mogadishu');
        assert.equal(places[0]?.events, 2);
        assert.equal(places[0]?.fatalities, 5);
        assert.equal(places[0]?.last_date, '2024-03-21');
        const placed = allEvents().filter((e) => e.location !== null).length;
        assert.equal(places.reduce((n, p) => n + p.events, 0), placed);
        assert.deepEqual((await store.listPlaces({ country: 'PK' })).map((p) => p.name), ['Dera Ismail Khan']);
      }));

    test(`${name} min_sources: an unlinked event counts as one source`, () =>
      withStore(makeFixture, async (store) => {
        assert.equal(await store.countEvents({ min_sources: 1 }), allEvents().length);
        assert.equal(await store.countEvents({ min_sources: 2 }), 0);
      }));
  });
}
