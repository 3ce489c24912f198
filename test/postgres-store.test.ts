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
import { sampleBatch } from './store-fixtures.js';

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
