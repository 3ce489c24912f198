/**
 * `khabar serve` as a user runs it: flags, a missing store, and a server that prints its URL, answers,
 * and stops cleanly on Ctrl-C (SIGINT).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../src/store/index.js';
import { runCli, startCli, tempDir } from './helpers.js';
import { sampleBatch } from './store-fixtures.js';

const cases: { label: string; args: string[]; code: number; stderr: RegExp }[] = [
  { label: 'without --db', args: ['serve'], code: 2, stderr: /--db FILE \(or KHABAR_DB\) is required/ },
  { label: 'a bad port', args: ['serve', '--db', 'x.db', '--port', '70000'], code: 2, stderr: /--port/ },
  { label: 'a short token', args: ['serve', '--db', 'x.db', '--token', 'abc'], code: 2, stderr: /at least 8/ },
  { label: 'a store that does not exist (read-only)', args: ['serve', '--db', '/nonexistent/k.db', '--port', '0'], code: 1, stderr: /E_NOT_FOUND.*khabar ingest/ },
];
for (const c of cases) {
  test(`serve cli: ${c.label}`, () => {
    const r = runCli(c.args);
    assert.equal(r.code, c.code, r.stderr);
    assert.match(r.stderr, c.stderr);
  });
}

test('serve cli: --help lists the flags', () => {
  const r = runCli(['serve', '--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--db', '--port', '--host', '--token', '--max-body']) assert.match(r.stdout, new RegExp(flag));
});

test('serve cli: prints its URL, answers, and stops on SIGINT with exit code 0', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const db = join(dir, 'k.db');
    const store = await openStore(db);
    await store.writeBatch(sampleBatch());
    const events = await store.countEvents();
    await store.close();
    const child = startCli(['serve', '--db', db, '--port', '0']);
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const health = (await (await fetch(`${url}api/health`)).json()) as { events: number };
    assert.equal(health.events, events);
    assert.ok(events > 0);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    assert.equal(code, 0);
  } finally {
    cleanup();
  }
});
