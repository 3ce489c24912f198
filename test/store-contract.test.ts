/**
 * The store contract on SQLite (temporary files), plus what only SQLite has: the migration table,
 * WAL mode, opening by target. A PostgreSQL run is one more runStoreContract line (issue 11).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { KhabarError } from '../src/errors.js';
import { openStore } from '../src/store/index.js';
import type { EventFilter } from '../src/store/filter.js';
import type { Store } from '../src/store/store.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations/index.js';
import { runStoreContract, type StoreFixture } from './store-contract.suite.js';
import { PG_SKIP, PG_URL, postgresFixture } from './postgres-fixture.js';
import { runAnalyticsContract } from './store-analytics.suite.js';
import { sampleBatch } from './store-fixtures.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'khabar-store-'));
}

async function sqliteFixture(): Promise<StoreFixture> {
  const dir = tempDir();
  const file = join(dir, 'khabar.db');
  return {
    open: () => openStore(file),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

runStoreContract('sqlite', sqliteFixture);
runAnalyticsContract('sqlite', sqliteFixture);
if (PG_URL) {
  runStoreContract('postgres', () => postgresFixture(PG_URL as string));
  runAnalyticsContract('postgres', () => postgresFixture(PG_URL as string));
} else test('store contract (postgres)', { skip: PG_SKIP }, () => undefined);

function isCode(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof KhabarError, String(err));
    assert.equal(err.code, code);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

test('sqlite store applies each migration once and runs in WAL mode with foreign keys and 8 KB pages', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'k.db');
    for (let i = 0; i < 3; i++) {
      const store = await openStore(`sqlite:${file}`);
      if (i === 0) await store.writeBatch(sampleBatch());
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('page_size', { simple: true }), 8192);
      assert.equal((db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n, 4);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite store deleting an article removes its entities, events, sources and index rows', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'k.db');
    const store = await openStore(file);
    await store.writeBatch(sampleBatch());
    await store.close();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM articles WHERE id = 'art-so'").run();
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(count('SELECT count(*) AS n FROM events'), 3);
    assert.equal(count('SELECT count(*) AS n FROM event_sources'), 2);
    assert.equal(count('SELECT count(*) AS n FROM events INDEXED BY events_place WHERE lat IS NOT NULL AND lon IS NOT NULL'), 2);
    assert.equal(count("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'mogadishu'"), 0);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite store migration 9 replaces the R*Tree over event locations by an index that answers the same place filters', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'k.db');
    const store = await openStore(file);
    await store.writeBatch(sampleBatch());
    const near = { near: { lat: 2.0, lon: 45.3, km: 10 }, raw_reports: true };
    const box = { bbox: { south: -20, west: 170, north: -10, east: -170 }, raw_reports: true };
    const expected = [(await store.queryEvents(near)).map((e) => e.event_id), (await store.queryEvents(box)).map((e) => e.event_id)];
    await store.close();
    // The store as migration 8 left it: the R*Tree filled, no place index.
    const db = new Database(file);
    db.exec(`DROP INDEX events_place;
      CREATE VIRTUAL TABLE event_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);
      INSERT INTO event_geo SELECT rid, lat, lat, lon, lon FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL;
      CREATE TRIGGER events_geo_delete AFTER DELETE ON events BEGIN DELETE FROM event_geo WHERE id = old.rid; END;
      DELETE FROM schema_migrations WHERE version = 9;`);
    db.close();
    const upgraded = await openStore(file);
    assert.deepEqual([(await upgraded.queryEvents(near)).map((e) => e.event_id), (await upgraded.queryEvents(box)).map((e) => e.event_id)], expected);
    assert.deepEqual(expected, [['art-so:e2', 'art-so:e1'], ['art-fj:e1']]);
    await upgraded.close();
    const check = new Database(file, { readonly: true });
    const names = (check.prepare("SELECT name FROM sqlite_schema WHERE name IN ('event_geo', 'events_geo_delete', 'events_place') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    check.close();
    assert.deepEqual(names, ['events_place']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite store migration 11 keys the merged events\' country index by country alone, which country filters read', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'k.db');
    const store = await openStore(file);
    await store.writeBatch(sampleBatch());
    const filters = [{ country: 'SO' }, { country: ['so', 'FJ'], sort: 'date_asc' as const }, { country: 'FJ', from: '2024-01-01' }];
    const expected = await Promise.all(filters.map(async (f) => [(await store.queryEvents(f)).map((e) => e.event_id), await store.countEvents(f)]));
    await store.close();
    // The store as migration 10 left it.
    const db = new Database(file);
    db.exec(`DROP INDEX event_clusters_country;
      CREATE INDEX event_clusters_country_date ON event_clusters(country, date);
      DELETE FROM schema_migrations WHERE version = 11;`);
    db.close();
    const upgraded = await openStore(file);
    assert.deepEqual(await Promise.all(filters.map(async (f) => [(await upgraded.queryEvents(f)).map((e) => e.event_id), await upgraded.countEvents(f)])), expected);
    assert.equal((expected[0]?.[1] as number) > 0, true);
    await upgraded.close();
    const check = new Database(file, { readonly: true });
    const names = (check.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'event_clusters_country%'").all() as { name: string }[]).map((r) => r.name);
    const plan = (check.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM event_clusters e WHERE e.country IN ('SO')").all() as { detail: string }[]).map((r) => r.detail).join(' ');
    check.close();
    assert.deepEqual(names, ['event_clusters_country']);
    assert.match(plan, /event_clusters_country \(country=\?\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite store migration 12 keys the confidence and report country indexes by value alone; every order pages through the same events', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'k.db');
    const store = await openStore(file);
    await store.writeBatch(sampleBatch());
    const sorts = ['date_desc', 'date_asc', 'fatalities_desc', 'confidence_desc'] as const;
    const filters: EventFilter[] = [];
    for (const raw_reports of [false, true]) {
      for (const sort of sorts) filters.push({ sort, raw_reports }, { sort, raw_reports, country: ['SO', 'FJ'] }, { sort, raw_reports, from: '2024-01-01' });
    }
    // Each filter's events, paged two at a time through the cursors, and its count.
    const answer = async (s: Store) =>
      Promise.all(
        filters.map(async (f) => {
          const ids: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await s.queryEventPage({ ...f, limit: 2, cursor });
            ids.push(...page.events.map((e) => e.event_id));
            cursor = page.next_cursor ?? undefined;
          } while (cursor);
          return [ids, await s.countEvents(f)];
        }),
      );
    const expected = await answer(store);
    await store.close();
    // The store as migration 11 left it.
    const db = new Database(file);
    db.exec(`DROP INDEX events_confidence; DROP INDEX events_country; DROP INDEX event_clusters_confidence;
      CREATE INDEX events_sort_confidence ON events(confidence, event_id);
      CREATE INDEX events_country_sort_date ON events(country, coalesce(date, ''), event_id);
      CREATE INDEX event_clusters_sort_confidence ON event_clusters(confidence, event_id);
      DELETE FROM schema_migrations WHERE version = 12;`);
    db.close();
    const upgraded = await openStore(file);
    assert.deepEqual(await answer(upgraded), expected);
    assert.deepEqual(expected[1]?.[0], ['art-fj:e1', 'art-so:e2', 'art-so:e1']);
    assert.equal((expected[12]?.[0] as string[]).length, 5);
    await upgraded.close();
    const check = new Database(file, { readonly: true });
    const names = (check.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('events', 'event_clusters') AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const plan = (sql: string): string => (check.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    const plans = [
      plan("SELECT count(*) FROM events e WHERE e.country IN ('SO')"),
      plan('SELECT e.rid FROM event_clusters e ORDER BY e.confidence DESC, e.event_id DESC LIMIT 51'),
      plan('SELECT e.rid FROM events e ORDER BY e.confidence DESC, e.event_id DESC LIMIT 51'),
    ];
    check.close();
    assert.deepEqual(names, [
      'event_clusters_confidence',
      'event_clusters_country',
      'event_clusters_rid',
      'event_clusters_sort_date',
      'event_clusters_sort_fatalities',
      'events_article',
      'events_confidence',
      'events_country',
      'events_place',
      'events_sort_date',
      'events_sort_fatalities',
    ]);
    assert.match(plans[0] as string, /events_country \(country=\?\)/);
    assert.match(plans[1] as string, /SCAN e USING INDEX event_clusters_confidence USE TEMP B-TREE FOR (LAST TERM|RIGHT PART) OF ORDER BY/);
    assert.match(plans[2] as string, /SCAN e USING INDEX events_confidence USE TEMP B-TREE FOR (LAST TERM|RIGHT PART) OF ORDER BY/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStore with mustExist on a missing file says how to create one', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'missing.db');
    await assert.rejects(openStore(file, { mustExist: true }), isCode('E_NOT_FOUND', /khabar ingest .*--db/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStore on a file that is not a database is E_STORE', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'these are my notes, not a database '.repeat(200));
    await assert.rejects(openStore(file), isCode('E_STORE', /not an SQLite database/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStore on an unreachable postgres URL is E_STORE and hides the password', async () => {
  await assert.rejects(openStore('postgres://user:secret@127.0.0.1:1/khabar'), (err: unknown) => {
    assert.ok(err instanceof KhabarError);
    assert.equal(err.code, 'E_STORE');
    assert.match(err.message, /cannot open the store postgres:\/\/user:\*\*\*@/);
    assert.doesNotMatch(JSON.stringify(err.toJSON()), /secret/);
    return true;
  });
});
