import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createPipeline, extractArticle, loadKnowledge } from '../extract.js';
import { prepareArticle } from '../store/prepared.js';
import type { Article } from '../types.js';
import { ExtractorPool, WIRE_PART_ARTICLES } from './extract-pool.js';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[16]);
  });
}

// Worker threads load the compiled worker: this runs in the compiled suite (node --test dist/...), on Linux.
const skip = process.platform !== 'linux' ? 'threads have their own priority on Linux only' : import.meta.url.endsWith('.ts') ? 'runs compiled' : false;

test('ExtractorPool: workers run at a lower priority than the writing thread, by the given steps', { skip }, async () => {
  const base = threadNiceness()[0]!;
  const pool = await ExtractorPool.start({ workers: 1, niceness: 3 });
  try {
    const nice = threadNiceness();
    assert.equal(nice[0], base, 'the main thread keeps its priority');
    assert.ok(nice.includes(Math.min(19, base + 3)), `a thread at niceness ${base + 3} among ${nice.join(',')}`);
    // The worker names its thread (for per-thread CPU accounting): the one at the lowered priority.
    assert.equal(pool.threadIds.length, 1);
    const stat = readFileSync(`/proc/self/task/${pool.threadIds[0]}/stat`, 'utf8');
    assert.equal(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]), Math.min(19, base + 3));
    const [outcome] = await pool.extractMany([
      { id: 'a', date: '2024-03-05', title: null, rawText: 'Gunmen killed five villagers in Gao on Monday.', url: null, source: null, language: 'en', origin: { file: 'x', line: 1 } },
    ]);
    assert.ok(outcome?.ok);
    assert.equal(outcome.signature?.length, 60, 'the worker sends the text signature');
  } finally {
    await pool.close();
  }
});

test('ExtractorPool: a worker sends the result this thread would make, with its store preparation', { skip }, async () => {
  const article: Article = {
    id: 'b',
    date: '2024-03-05',
    title: 'Raid in Gao',
    rawText: 'Gunmen killed five villagers in Gao on Monday. Soldiers arrested two suspects in Bamako on Tuesday.',
    url: null,
    source: null,
    language: 'en',
    origin: { file: 'x', line: 2 },
  };
  const expected = extractArticle(createPipeline(await loadKnowledge()), article);
  assert.ok(expected.events.length > 0 && expected.entities.length > 0, 'the article has events and entities');
  const pool = await ExtractorPool.start({ workers: 1 });
  try {
    const [outcome] = await pool.extractMany([article]);
    assert.ok(outcome?.ok);
    assert.deepEqual(outcome.result, JSON.parse(JSON.stringify(expected)));
    assert.deepEqual(outcome.prepared, prepareArticle(expected));
  } finally {
    await pool.close();
  }
});

test('ExtractorPool: a chunk longer than one message part comes back whole and in order', { skip }, async () => {
  const count = 2 * WIRE_PART_ARTICLES + 3;
  const articles: Article[] = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    date: '2024-03-05',
    title: null,
    rawText: `Gunmen killed ${i + 2} villagers in Gao on Monday.`,
    url: null,
    source: null,
    language: 'en',
    origin: { file: 'x', line: i + 1 },
  }));
  const pool = await ExtractorPool.start({ workers: 1 });
  try {
    const outcomes = await pool.extractMany(articles);
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? o.result.article_id : o.code)),
      articles.map((a) => a.id),
    );
    // The entities, decoded on first read, sit where they were: the result serializes as in this thread.
    const last = outcomes.at(-1);
    assert.ok(last?.ok);
    const expected = extractArticle(createPipeline(await loadKnowledge()), articles.at(-1)!);
    assert.ok(expected.entities.length > 0, 'the article has entities');
    assert.equal(JSON.stringify(last.result), JSON.stringify(expected));
  } finally {
    await pool.close();
  }
});
