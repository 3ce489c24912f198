/**
 * Fault test of the work queue: worker processes on one queue of generated articles, killed with
 * SIGKILL at random moments and restarted; at the end every article is stored exactly once and the
 * events equal a single-process run of the pipeline. Needs KHABAR_PG_URL.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createPipeline, loadKnowledge } from '../src/extract.js';
import { readInputs } from '../src/ingest/index.js';
import { toArticleResult } from '../src/pipeline.js';
import { eachEvent } from '../src/store/index.js';
import { PostgresStore } from '../src/store/postgres/pg-store.js';
import type { Article, EventRecord } from '../src/types.js';
import { generatedArticle, tempDir } from './helpers.js';
import { PG_SKIP, PG_URL, freshSchema } from './postgres-fixture.js';

const ARTICLES = Number(process.env.KHABAR_FAULT_ARTICLES ?? 2000);
const KILLS = 6;

/** Runs the CLI from this build: the sources under tsx, dist/ once compiled. */
function startKhabar(args: string[]): ChildProcess {
  const ts = import.meta.url.endsWith('.ts');
  const main = new URL(ts ? '../src/cli/main.ts' : '../src/cli/main.js', import.meta.url).href;
  const code = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv.slice(1));`;
  return spawn(process.execPath, [...(ts ? ['--import', 'tsx'] : []), '--input-type=module', '-e', code, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function finished(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

/** The fields compared between the runs, one line per event. */
function eventKey(e: EventRecord): string {
  return [e.event_id, e.article_id, e.event_type, e.date, e.fatalities, e.injured, e.location?.name ?? '', e.actor1?.name ?? '', e.actor2?.name ?? ''].join('|');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('queue fault: workers killed with SIGKILL and restarted process every article exactly once', { skip: PG_SKIP, timeout: 600_000 }, async () => {
  const { dir, cleanup } = tempDir();
  const { url, drop } = freshSchema(PG_URL as string);
  const workers = new Set<ChildProcess>();
  try {
    const input = join(dir, 'queue.jsonl');
    writeFileSync(input, `${Array.from({ length: ARTICLES }, (_, i) => JSON.stringify(generatedArticle(i))).join('\n')}\n`);

    const enqueue = startKhabar(['ingest', input, '--db', url, '--enqueue', '--json']);
    let out = '';
    enqueue.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    assert.equal(await finished(enqueue), 0);
    assert.equal((JSON.parse(out.trim()) as { queued: number }).queued, ARTICLES);

    const store = await PostgresStore.open(url);
    const done = async (): Promise<number> => {
      const rows = await store.query<{ n: number }>("SELECT count(*) AS n FROM queue_jobs WHERE state = 'done'");
      return rows[0]?.n ?? 0;
    };
    let logTail = '';
    let crashed: string | null = null;
    const start = (): void => {
      const w = startKhabar(['worker', '--db', url, '--drain', '--lease', '2', '--batch', '10', '--log-level', 'warn']);
      w.stderr?.on('data', (d: Buffer) => (logTail = (logTail + d.toString()).slice(-2000)));
      w.stdout?.resume();
      workers.add(w);
      w.once('exit', (code) => {
        workers.delete(w);
        if (code !== 0 && code !== null) crashed = `a worker exited with code ${code}: ${logTail}`;
      });
    };
    for (let i = 0; i < 3; i++) start();

    // Worker processes holding leased jobs right now. A worker spends part of its time linking, holding
    // none; killing one then would test nothing, so the victims are chosen among the holders.
    const holders = async (): Promise<ChildProcess[]> => {
      const rows = await store.query<{ pid: number }>(
        "SELECT DISTINCT w.pid AS pid FROM queue_jobs j JOIN queue_workers w ON w.id = j.worker WHERE j.state = 'running'",
      );
      const pids = new Set(rows.map((r) => Number(r.pid)));
      return [...workers].filter((w) => w.pid !== undefined && pids.has(w.pid));
    };
    // Kill a random job-holding worker each time the queue has moved on since the last kill, then start another.
    let kills = 0;
    let last = 0;
    const deadline = Date.now() + 300_000;
    while (kills < KILLS && Date.now() < deadline) {
      await sleep(200);
      assert.equal(crashed, null);
      const now = await done();
      if (now >= ARTICLES * 0.9) break;
      if (now <= last) continue;
      await sleep(Math.floor(Math.random() * 800));
      const candidates = await holders();
      const victim = candidates[Math.floor(Math.random() * candidates.length)];
      if (!victim) continue;
      victim.kill('SIGKILL');
      await finished(victim);
      kills++;
      last = await done();
      start();
    }
    assert.ok(kills >= 3, `only ${kills} workers were killed before the queue drained (done ${await done()}); worker log: ${logTail}`);
    await Promise.all([...workers].map(finished));
    assert.equal(crashed, null);

    const pg = store;
    const jobs = (await pg.query<{ state: string; n: number; retaken: number }>('SELECT state, count(*) AS n, count(*) FILTER (WHERE attempts > 1) AS retaken FROM queue_jobs GROUP BY state'))[0];
    assert.equal(jobs?.state, 'done');
    assert.equal(jobs?.n, ARTICLES);
    assert.ok((jobs?.retaken ?? 0) > 0, 'some jobs were held by a killed worker and taken again');
    const counts = (await pg.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM articles'))[0];
    assert.deepEqual(counts, { n: ARTICLES, d: ARTICLES });

    // The same articles through the pipeline in this process, one by one.
    const pipeline = createPipeline(await loadKnowledge());
    const expected: string[] = [];
    for await (const item of readInputs([input])) {
      assert.equal(item.kind, 'article');
      for (const e of toArticleResult(pipeline.run((item as { article: Article }).article)).events) expected.push(eventKey(e));
    }
    const got: string[] = [];
    for await (const e of eachEvent(store, { raw_reports: true })) got.push(eventKey(e));
    assert.ok(expected.length > ARTICLES / 2, `the generated articles give events (${expected.length})`);
    assert.deepEqual(got.sort(), expected.sort());
    await store.close();
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all([...workers].map(finished));
    await drop();
    cleanup();
  }
});
