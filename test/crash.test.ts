/**
 * Crash safety: an ingest killed with SIGKILL in the middle of a large batch, then run again, leaves
 * every article stored exactly once (batches are transactions; re-ingest is idempotent by id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generatedArticle, runCli, startCli, tempDir } from './helpers.js';

const ARTICLES = 3000;

function countStored(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // not created yet, or the schema is being written
  }
}

test('crash an ingest killed mid-batch and re-run stores every article exactly once', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const input = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < ARTICLES; i++) lines.push(JSON.stringify(generatedArticle(i)));
    writeFileSync(input, `${lines.join('\n')}\n`);
    const db = join(dir, 'crash.db');

    const child = startCli(['ingest', input, '--db', db, '--workers', '1', '--batch', '50', '--quiet']);
    // Kill it once some batches are in, but well before the end.
    const deadline = Date.now() + 60_000;
    let stored = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      stored = countStored(db);
      if (stored >= 100 || child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const beforeRerun = countStored(db);
    assert.ok(beforeRerun > 0 && beforeRerun < ARTICLES, `killed mid-run: ${beforeRerun} of ${ARTICLES} stored`);

    const rerun = runCli(['ingest', input, '--db', db, '--workers', '1', '--json', '--quiet']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout.trim().split('\n').pop()!) as { read: number; inserted: number; duplicates: number };
    assert.equal(summary.read, ARTICLES);
    assert.equal(summary.inserted + summary.duplicates, ARTICLES);
    assert.equal(summary.duplicates, beforeRerun);

    const conn = new Database(db, { readonly: true });
    const row = conn.prepare('SELECT count(*) AS n, count(DISTINCT id) AS d FROM articles').get() as { n: number; d: number };
    const orphanEvents = conn.prepare('SELECT count(*) AS n FROM events WHERE article_id NOT IN (SELECT id FROM articles)').get() as { n: number };
    conn.close();
    assert.equal(row.n, ARTICLES);
    assert.equal(row.d, ARTICLES);
    assert.equal(orphanEvents.n, 0);

    // The same events as a run that was never interrupted.
    const cleanDb = join(dir, 'clean.db');
    assert.equal(runCli(['ingest', input, '--db', cleanDb, '--workers', '1', '--quiet']).code, 0);
    const count = (file: string): number => {
      const c = new Database(file, { readonly: true });
      const n = (c.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      c.close();
      return n;
    };
    assert.equal(count(db), count(cleanDb));
  } finally {
    cleanup();
  }
});
