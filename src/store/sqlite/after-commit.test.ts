import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredArticleInput } from '../store.js';
import { sql as ftsPendingMigration } from './migrations/008-fts-pending.js';
import { SqliteStore } from './sqlite-store.js';

function article(i: number, text = `Note ${i}.`): StoredArticleInput {
  const id = `cp-${i}`;
  return {
    article: { id, date: '2024-03-05', title: null, rawText: text, url: null, source: null, language: 'en', origin: { file: 'x', line: i } },
    result: { article_id: id, date: '2024-03-05', title: null, text, entities: [], events: [] },
  };
}

function articles(from: number, n: number): StoredArticleInput[] {
  return Array.from({ length: n }, (_, k) => article(from + k));
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 20_000) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function withDir(fn: (file: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'khabar-after-'));
    try {
      await fn(join(dir, 'k.db'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Waits for the run the store's after-commit thread was asked for after its last write. */
async function threadDone(store: SqliteStore): Promise<void> {
  await (store as unknown as { afterCommitIdle(): Promise<void> }).afterCommitIdle();
}

/** The full-text index's own consistency check against the articles table: throws when they disagree. */
function checkIndex(file: string): void {
  const db = new Database(file);
  try {
    db.exec("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)");
  } finally {
    db.close();
  }
}

test(
  'SqliteStore: after many articles a thread of its own checkpoints the log, and closing leaves no log behind',
  withDir(async (file) => {
    const store = SqliteStore.open(file);
    // Small rows: far below the 1000 pages at which the writer would checkpoint by itself.
    await store.writeBatch({ articles: articles(0, 1000), quarantine: [] });
    const before = statSync(file).size;
    await until('the thread copies the log into the database file', () => statSync(file).size > before);
    await store.writeBatch({ articles: articles(5000, 10), quarantine: [] });
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false, 'the last connection to close checkpointed and removed the log');
    checkIndex(file);
    const again = SqliteStore.open(file);
    assert.equal((await again.stats()).articles, 1010);
    assert.equal((await again.searchArticles('note 5009')).length, 1);
    await again.close();
  }),
);

test(
  'SqliteStore: the thread checkpoints at its first run and then once 4,000 articles were written since, the log holding those between',
  withDir(async (file) => {
    const store = SqliteStore.open(file);
    await store.writeBatch({ articles: articles(0, 1000), quarantine: [] });
    const before = statSync(file).size;
    await until('the thread copies the log into the database file', () => statSync(file).size > before);
    const sizes: number[] = [];
    for (let batch = 1; batch <= 4; batch++) {
      await store.writeBatch({ articles: articles(batch * 1000, 1000), quarantine: [] });
      await threadDone(store);
      sizes.push(statSync(file).size);
    }
    const first = sizes[0] as number;
    assert.deepEqual(sizes.slice(0, 3), [first, first, first], 'batches 1 to 3 stay in the log');
    assert.ok((sizes[3] as number) > first, 'the run after the 4,000th article copied the log into the database file');
    // One batch of 4,000 articles is checkpointed at its own run: larger batches do not grow the log further.
    await store.writeBatch({ articles: articles(5000, 4000), quarantine: [] });
    await threadDone(store);
    assert.ok(statSync(file).size > (sizes[3] as number), 'the run after a 4,000-article batch copied the log into the database file');
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false);
    checkIndex(file);
  }),
);

test(
  'SqliteStore: while the thread works for the store, articles are found as soon as their write returns',
  withDir(async (file) => {
    const store = SqliteStore.open(file);
    await store.writeBatch({ articles: articles(0, 1000), quarantine: [] });
    const before = statSync(file).size;
    await until('the thread works for the store', () => statSync(file).size > before);
    for (let round = 0; round < 3; round++) {
      await store.writeBatch({ articles: [article(2000 + round, `Flooding reached Beledweyne${round} overnight.`)], quarantine: [] });
      const hits = await store.searchArticles(`beledweyne${round}`);
      assert.deepEqual(hits.map((h) => h.article_id), [`cp-${2000 + round}`]);
      assert.equal(await store.countEvents({ text: `beledweyne${round}`, raw_reports: true }), 0);
    }
    await store.close();
    checkIndex(file);
  }),
);

test(
  'SqliteStore: migration 13 indexes the articles a writer left pending, and updates and deletes keep the index whole',
  withDir(async (file) => {
    const store = SqliteStore.open(file);
    await store.writeBatch({ articles: articles(0, 3), quarantine: [] });
    await store.close();
    // A store before migration 13, left by a writer killed before its thread ran: rows with no
    // full-text entry, listed as pending, one of them updated and one deleted since.
    const db = new Database(file);
    db.prepare('DELETE FROM schema_migrations WHERE version = 13').run();
    db.exec(ftsPendingMigration);
    const add = db.prepare(
      `INSERT INTO articles (id, date, title, text, origin_file, ingested_at) VALUES (?, '2024-03-05', NULL, ?, 'x', '2024-03-05T00:00:00Z')`,
    );
    for (const [id, text] of [
      ['p1', 'Shelling hit Kharkiv.'],
      ['p2', 'Protest in Dhaka.'],
      ['p3', 'Ceasefire talks in Doha.'],
    ] as const) {
      db.prepare('INSERT INTO fts_pending (rid) VALUES (?)').run(Number(add.run(id, text).lastInsertRowid));
    }
    db.prepare("UPDATE articles SET text = 'Shelling hit Sumy.' WHERE id = 'p1'").run();
    db.prepare("DELETE FROM articles WHERE id = 'p2'").run();
    db.close();
    const again = SqliteStore.open(file);
    assert.deepEqual((await again.searchArticles('sumy')).map((h) => h.article_id), ['p1']);
    assert.deepEqual(await again.searchArticles('kharkiv'), []);
    assert.deepEqual(await again.searchArticles('dhaka'), []);
    assert.deepEqual((await again.searchArticles('doha')).map((h) => h.article_id), ['p3']);
    assert.equal((await again.searchArticles('note 2')).length, 1);
    await again.close();
    checkIndex(file);
    // The triggers of migration 1 again: an update and a delete of indexed articles.
    const raw = new Database(file);
    assert.equal(raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'fts_pending'").get(), undefined);
    raw.prepare("UPDATE articles SET text = 'Shelling hit Odesa.' WHERE id = 'p1'").run();
    raw.prepare("DELETE FROM articles WHERE id = 'p3'").run();
    raw.close();
    checkIndex(file);
    const last = SqliteStore.open(file);
    assert.deepEqual((await last.searchArticles('odesa')).map((h) => h.article_id), ['p1']);
    assert.deepEqual(await last.searchArticles('sumy'), []);
    assert.deepEqual(await last.searchArticles('doha'), []);
    await last.close();
  }),
);

test(
  'SqliteStore: a store that writes a few articles indexes and checkpoints as before, with no thread',
  withDir(async (file) => {
    const store = SqliteStore.open(file);
    await store.writeBatch({ articles: articles(0, 10), quarantine: [] });
    const before = statSync(file).size;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(statSync(file).size, before, 'nothing copied the log into the database file');
    assert.equal((await store.searchArticles('note 7')).length, 1);
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false);
  }),
);
