import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredArticleInput } from '../store.js';
import { SqliteStore } from './sqlite-store.js';

function article(i: number): StoredArticleInput {
  const id = `cp-${i}`;
  const text = `Note ${i}.`;
  return {
    article: { id, date: '2024-03-05', title: null, rawText: text, url: null, source: null, language: 'en', origin: { file: 'x', line: i } },
    result: { article_id: id, date: '2024-03-05', title: null, text, entities: [], events: [] },
  };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 20_000) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('SqliteStore: after many articles a thread of its own checkpoints the log, and closing leaves no log behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-cp-'));
  const file = join(dir, 'k.db');
  try {
    const store = SqliteStore.open(file);
    const write = (from: number, n: number) => store.writeBatch({ articles: Array.from({ length: n }, (_, k) => article(from + k)), quarantine: [] });
    // Small rows: far below the 1000 pages at which the writer would checkpoint by itself.
    await write(0, 1000);
    const before = statSync(file).size;
    await until('the checkpoint thread copies the log into the database file', () => statSync(file).size > before);
    await write(5000, 10);
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false, 'the last connection to close checkpointed and removed the log');
    const again = SqliteStore.open(file);
    assert.equal((await again.stats()).articles, 1010);
    assert.equal(await again.hasArticle('cp-5009'), true);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SqliteStore: a store that writes a few articles checkpoints as SQLite does, with no thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-cp-'));
  const file = join(dir, 'k.db');
  try {
    const store = SqliteStore.open(file);
    await store.writeBatch({ articles: Array.from({ length: 10 }, (_, k) => article(k)), quarantine: [] });
    const before = statSync(file).size;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(statSync(file).size, before, 'nothing copied the log into the database file');
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
