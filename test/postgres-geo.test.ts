/**
 * Places in the PostgreSQL store: with PostGIS, near and bbox filters go through the geography GiST
 * indexes and give the same events as the plain lat/lon path (`?postgis=off`), which must pass the
 * whole store contract on its own. Needs KHABAR_PG_URL; the PostGIS cases need the extension on the server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haversineKm } from '../src/store/filter.js';
import { openStore } from '../src/store/index.js';
import { PostgresStore } from '../src/store/postgres/pg-store.js';
import type { EventFilter } from '../src/store/store.js';
import { PG_SKIP, PG_URL, freshSchema } from './postgres-fixture.js';
import { runStoreContract, type StoreFixture } from './store-contract.suite.js';
import { runAnalyticsContract } from './store-analytics.suite.js';
import { makeArticle } from './store-fixtures.js';

/** A store contract fixture on a fresh schema that never uses PostGIS. */
async function noPostgisFixture(base: string): Promise<StoreFixture> {
  const { url, drop } = freshSchema(base);
  const u = new URL(url);
  u.searchParams.set('postgis', 'off');
  return { open: () => openStore(u.toString()), cleanup: drop };
}

if (PG_URL) {
  runStoreContract('postgres-no-postgis', () => noPostgisFixture(PG_URL as string));
  runAnalyticsContract('postgres-no-postgis', () => noPostgisFixture(PG_URL as string));
}

/** Places on a grid around the antimeridian, the equator and a mid latitude (lat, lon). */
const PLACES: [number, number][] = [];
for (const [lat0, lon0] of [
  [0, 179.5],
  [34.5, 69.2],
  [-17.8, 178.0],
] as const) {
  for (let i = -3; i <= 3; i++) for (let j = -3; j <= 3; j++) PLACES.push([lat0 + i * 0.4, ((lon0 + j * 0.4 + 540) % 360) - 180]);
}

function placeBatch() {
  // One article per place, each event on its own day and type family so that none merge.
  return PLACES.map(([lat, lon], i) =>
    makeArticle({
      id: `geo-${i}`,
      date: `2024-0${1 + (i % 9)}-${String(1 + (i % 27)).padStart(2, '0')}`,
      title: null,
      sentences: [`Event ${i} happened here.`],
      events: [
        {
          id: `geo-${i}:e1`,
          sentence: `Event ${i} happened here.`,
          event_type: i % 2 ? 'PROTEST' : 'ASSAULT',
          location: { name: `P${i}`, text: `P${i}`, geonames_id: 9_000_000 + i, country_code: 'XX', admin1: null, admin2: null, lat, lon, geo_precision: 1 },
        },
      ],
    }),
  );
}

const filters: { label: string; filter: EventFilter; want: (lat: number, lon: number) => boolean }[] = [
  { label: 'near Kabul 60 km', filter: { near: { lat: 34.5, lon: 69.2, km: 60 } }, want: (lat, lon) => haversineKm(34.5, 69.2, lat, lon) <= 60 },
  { label: 'near the antimeridian 100 km', filter: { near: { lat: 0, lon: 179.9, km: 100 } }, want: (lat, lon) => haversineKm(0, 179.9, lat, lon) <= 100 },
  {
    label: 'bbox over Afghanistan',
    filter: { bbox: { south: 34.0, west: 68.5, north: 35.0, east: 69.7 } },
    want: (lat, lon) => lat >= 34.0 && lat <= 35.0 && lon >= 68.5 && lon <= 69.7,
  },
  {
    label: 'bbox across the antimeridian',
    filter: { bbox: { south: -18.5, west: 177.5, north: 0.5, east: -179.5 } },
    want: (lat, lon) => lat >= -18.5 && lat <= 0.5 && (lon >= 177.5 || lon <= -179.5),
  },
];

test('postgres near and bbox give the same events with and without PostGIS, and use the GiST index with it', { skip: PG_SKIP }, async (t) => {
  const on = freshSchema(PG_URL as string);
  const off = freshSchema(PG_URL as string);
  const offUrl = new URL(off.url);
  offUrl.searchParams.set('postgis', 'off');
  const geo = await PostgresStore.open(on.url);
  const plain = await PostgresStore.open(offUrl.toString());
  try {
    assert.equal(plain.postgis, false, 'postgis=off keeps the plain path');
    if (!geo.postgis) {
      t.skip('PostGIS is not installed on this server (apt-get install postgresql-15-postgis-3)');
      return;
    }
    await geo.writeBatch({ articles: placeBatch(), quarantine: [] });
    await plain.writeBatch({ articles: placeBatch(), quarantine: [] });
    for (const c of filters) {
      const expected = PLACES.flatMap(([lat, lon], i) => (c.want(lat, lon) ? [`geo-${i}:e1`] : [])).sort();
      assert.ok(expected.length > 0 && expected.length < PLACES.length, `${c.label}: a filter that selects some places`);
      for (const [name, store] of [
        ['postgis', geo],
        ['plain', plain],
      ] as const) {
        for (const raw of [false, true]) {
          const got = (await store.queryEvents({ ...c.filter, raw_reports: raw, limit: 1000 })).map((e) => e.event_id).sort();
          assert.deepEqual(got, expected, `${c.label} (${name}, raw_reports ${raw})`);
        }
      }
    }
    // The planner must be able to answer near and bbox from the geography index (sequential scans off).
    const plan = async (store: PostgresStore, filter: EventFilter): Promise<string> => {
      const b = await import('../src/store/postgres/pg-store.js');
      const { normalizeFilter } = await import('../src/store/filter.js');
      const binder = new b.Binder();
      const where = b.buildWhere(normalizeFilter(filter), binder, store.postgis);
      return store.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT e.event_id FROM event_clusters e WHERE ${where.join(' AND ')}`, binder.values);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    for (const c of filters) {
      const p = await plan(geo, c.filter);
      // A box split at the antimeridian is an OR of two boxes: on a table this small the planner may
      // prefer the lat/lon btree for it; the geography prefilter must still be there.
      const split = c.filter.bbox !== undefined && c.filter.bbox.west > c.filter.bbox.east;
      assert.match(p, split ? /geog &&/ : /Index Cond: .*geog|event_clusters_geog/, `${c.label}: PostGIS plan:\n${p.slice(0, 300)}`);
      assert.doesNotMatch(await plan(plain, c.filter), /geog/, `${c.label}: the plain plan never names geography`);
    }
  } finally {
    await geo.close();
    await plain.close();
    await on.drop();
    await off.drop();
  }
});
