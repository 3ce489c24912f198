/**
 * What only the PostgreSQL store has: migrations applied once when several processes open a new
 * store at the same moment (advisory lock), events in month partitions made on demand, the tsquery
 * translation of the search language. Needs KHABAR_PG_URL (the translation test does not).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTextQuery } from '../src/store/query.js';
import { PG_MIGRATIONS } from '../src/store/postgres/migrations.js';
import { PostgresStore, monthOf, parsePgTarget, redactUrl, toTsquery } from '../src/store/postgres/pg-store.js';
import { PG_SKIP, PG_URL, freshSchema } from './postgres-fixture.js';
import { makeArticle, sampleBatch } from './store-fixtures.js';

const tsqueryCases: { q: string; want: string }[] = [
  { q: 'Mogadishu hotel', want: "'Mogadishu' & 'hotel'" },
  { q: '"car bomb"', want: "('car' <-> 'bomb')" },
  { q: 'Doha OR Taveuni', want: "('Doha' | 'Taveuni')" },
  { q: 'police -Mogadishu', want: "'police' & !'Mogadishu'" },
  { q: 'Mogad*', want: "'Mogad':*" },
  { q: "al-Shabaab's", want: "('al' <-> 'Shabaab' <-> 's')" },
  { q: "x'); DROP TABLE articles; --", want: "'x' & 'DROP' & 'TABLE' & 'articles'" },
];
for (const c of tsqueryCases) {
  test(`postgres toTsquery ${c.q}`, () => assert.equal(toTsquery(parseTextQuery(c.q)), c.want));
}

test('postgres monthOf gives the partition month, null for no date', () => {
  assert.deepEqual(['2024-03-21', '2024-12-01', null, 'someday'].map(monthOf), ['2024-03-01', '2024-12-01', null, null]);
});

test('postgres store URLs: schema parameter, password hidden', () => {
  assert.deepEqual(parsePgTarget('postgres://u:pw@h:5432/db?schema=k_1'), { connectionString: 'postgres://u:pw@h:5432/db', schema: 'k_1' });
  assert.throws(() => parsePgTarget('postgres://h/db?schema=a;drop'), /invalid schema name/);
  assert.equal(redactUrl('postgres://u:pw@h/db'), 'postgres://u:***@h/db');
});

test('postgres stores opened at once on a new schema apply each migration once', { skip: PG_SKIP }, async () => {
  const { url, drop } = freshSchema(PG_URL as string);
  try {
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, { poolSize: 1 })));
    const rows = await stores[0]!.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows, PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    await Promise.all(stores.map((s) => s.close()));
  } finally {
    await drop();
  }
});

test('postgres events go to month partitions made on demand, undated ones to the default', { skip: PG_SKIP }, async () => {
  const { url, drop } = freshSchema(PG_URL as string);
  try {
    const store = await PostgresStore.open(url);
    try {
      await store.writeBatch(sampleBatch());
      const parts = await store.query<{ part: string; n: number }>(
        `SELECT tableoid::regclass::text AS part, count(*) AS n FROM events GROUP BY 1 ORDER BY 1`,
      );
      const months = new Map<string, number>();
      for (const ev of sampleBatch().articles.flatMap((a) => a.result.events)) {
        const m = monthOf(ev.date);
        const name = m ? `events_m${m.slice(0, 4)}${m.slice(5, 7)}` : 'events_undated';
        months.set(name, (months.get(name) ?? 0) + 1);
      }
      assert.deepEqual(
        parts.map((p) => [p.part, p.n]),
        [...months.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      );
      const count = async (): Promise<number> => (await store.query<{ n: number }>("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'events'::regclass"))[0]!.n;
      assert.equal(await count(), months.size + (months.has('events_undated') ? 0 : 1));
    } finally {
      await store.close();
    }
  } finally {
    await drop();
  }
});

/** Reports of a few real-world events, each told by several outlets (some of them copies of one text). */
function reportsOfEvents() {
  const places = [
    { name: 'Baidoa', geonames_id: 64435, country_code: 'SO', admin1: 'Bay', lat: 3.11, lon: 43.65 },
    { name: 'Kismayo', geonames_id: 55671, country_code: 'SO', admin1: 'Lower Juba', lat: -0.36, lon: 42.55 },
    { name: 'Quetta', geonames_id: 1167528, country_code: 'PK', admin1: 'Balochistan', lat: 30.19, lon: 67.01 },
  ];
  const outlets = ['Garowe Online', 'Hiiraan', 'Radio Dalsan', 'Dawn', 'Reuters'];
  const out = [];
  for (let e = 0; e < 9; e++) {
    const p = places[e % places.length]!;
    const place = { ...p, text: p.name, admin2: null, geo_precision: 1 as const };
    const day = `2024-06-${String(3 + Math.floor(e / 3)).padStart(2, '0')}`;
    for (let r = 0; r < 4; r++) {
      const id = `ev${e}-r${r}`;
      const sentence = r === 3 ? `Gunmen attacked a base in ${p.name}, killing ${5 + e} soldiers.` : `Fighters stormed a base near ${p.name} (${outlets[r]}), ${5 + e + r} dead.`;
      out.push(
        makeArticle({
          id,
          date: day,
          title: null,
          source: outlets[(e + r) % outlets.length]!,
          sentences: [sentence],
          events: [{ id: `${id}:e1`, event_type: 'ASSAULT', acled: ['Battles', 'Armed clash'], location: place, fatalities: 5 + e + (r % 2), sentence, date: day }],
        }),
      );
    }
  }
  return out;
}

test('postgres concurrent writers link to the same merged events as one writer', { skip: PG_SKIP }, async () => {
  const one = freshSchema(PG_URL as string);
  const many = freshSchema(PG_URL as string);
  const articles = reportsOfEvents();
  const summary = (events: { event_id: string; reports?: number; independent_sources?: number; fatalities: number | null }[]) =>
    events.map((e) => `${e.event_id}|${e.reports}|${e.independent_sources}|${e.fatalities}`).sort();
  try {
    const single = await PostgresStore.open(one.url);
    for (let i = 0; i < articles.length; i += 5) await single.writeBatch({ articles: articles.slice(i, i + 5), quarantine: [] });
    const expected = summary(await single.queryEvents({ limit: 1000 }));
    await single.close();
    assert.ok(expected.length < articles.length, 'reports merged');

    // Three processes' worth of stores write shuffled batches at once, linking without waiting.
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open(many.url)));
    const shuffled = [...articles].sort((a, b) => (a.article.id.split('').reverse().join('') < b.article.id.split('').reverse().join('') ? -1 : 1));
    const batches: (typeof articles)[] = [];
    for (let i = 0; i < shuffled.length; i += 3) batches.push(shuffled.slice(i, i + 3));
    await Promise.all(
      stores.map(async (s, k) => {
        for (let i = k; i < batches.length; i += stores.length) {
          await s.transaction((tx) => s.writeBatchIn(tx, { articles: batches[i]!, quarantine: [] }));
          await s.linkPending({ wait: false });
        }
      }),
    );
    await stores[0]!.linkPending({ wait: true });
    assert.deepEqual((await stores[0]!.query<{ n: number }>('SELECT count(*) AS n FROM link_pending'))[0]?.n, 0);
    assert.deepEqual(summary(await stores[0]!.queryEvents({ limit: 1000 })), expected);
    await Promise.all(stores.map((s) => s.close()));
  } finally {
    await one.drop();
    await many.drop();
  }
});
