import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processItems, type Extractor, type IngestItem } from './process.js';
import type { ExtractOutcome } from './extract-pool.js';
import type { Store, WriteBatch, WriteSummary } from '../store/store.js';
import type { Article } from '../types.js';

function article(id: string): Article {
  return { id, date: '2024-03-05', title: null, rawText: `Text of ${id}.`, url: null, source: null, language: 'en', origin: { file: 'x.jsonl', line: 1 } };
}

/** A store that records the order of its writes and the log of calls. */
function fakeStore(log: string[], failOn?: number): Store & { written: string[] } {
  const written: string[] = [];
  let n = 0;
  const store = {
    written,
    async hasArticle(id: string): Promise<boolean> {
      return written.includes(id);
    },
    async writeBatch(b: WriteBatch): Promise<WriteSummary> {
      n++;
      log.push(`write ${b.articles.map((a) => a.article.id).join(',')}`);
      if (n === failOn) throw new Error('disk full');
      for (const a of b.articles) written.push(a.article.id);
      return { inserted: b.articles.length, duplicates: 0, events: 0, quarantined: b.quarantine.length };
    },
  };
  return store as unknown as Store & { written: string[] };
}

/** An extractor that answers after a tick, like the worker pool, and logs when each batch starts. */
function asyncExtractor(log: string[]): Extractor {
  return {
    async extractMany(articles: Article[]): Promise<ExtractOutcome[]> {
      log.push(`extract ${articles.map((a) => a.id).join(',')}`);
      await new Promise((r) => setTimeout(r, 5));
      return articles.map((a) => ({ ok: true, result: { article_id: a.id, date: a.date, title: null, text: a.rawText, entities: [], events: [] } }));
    },
  };
}

function items(ids: string[]): IngestItem[] {
  return ids.map((id) => ({ kind: 'article', article: article(id) }));
}

test('processItems pipelining: the next batch is extracted before the previous one is written; writes keep their order', async () => {
  const log: string[] = [];
  const store = fakeStore(log);
  const summary = await processItems(items(['a', 'b', 'c', 'd', 'e']), store, asyncExtractor(log), { batchSize: 2 });
  assert.deepEqual(store.written, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(summary.inserted, 5);
  // Batch c,d starts extracting before a,b is written.
  assert.ok(log.indexOf('extract c,d') < log.indexOf('write a,b'), log.join(' | '));
  assert.deepEqual(
    log.filter((l) => l.startsWith('write')),
    ['write a,b', 'write c,d', 'write e'],
  );
});

test('processItems pipelining: a repeat of an article still in flight is a duplicate, extracted once', async () => {
  const log: string[] = [];
  const store = fakeStore(log);
  const summary = await processItems(items(['a', 'b', 'a', 'c']), store, asyncExtractor(log), { batchSize: 2 });
  assert.deepEqual(store.written, ['a', 'b', 'c']);
  assert.equal(summary.duplicates, 1);
  assert.equal(log.filter((l) => l.startsWith('extract ') && l.slice(8).split(',').includes('a')).length, 1);
});

test('processItems pipelining: a failed write rejects the run and nothing after it is written', async () => {
  const log: string[] = [];
  const store = fakeStore(log, 1);
  await assert.rejects(processItems(items(['a', 'b', 'c', 'd', 'e', 'f']), store, asyncExtractor(log), { batchSize: 2 }), /disk full/);
  assert.deepEqual(store.written, []);
  assert.ok(!log.includes('write e,f'));
});

test('processItems hands an outcome\'s precomputed signature to the store with its article', async () => {
  const seen: (number[] | undefined)[] = [];
  const store = {
    async hasArticle(): Promise<boolean> {
      return false;
    },
    async writeBatch(b: WriteBatch): Promise<WriteSummary> {
      for (const a of b.articles) seen.push(a.linkSignature ? [...a.linkSignature] : undefined);
      return { inserted: b.articles.length, duplicates: 0, events: 0, quarantined: 0 };
    },
  } as unknown as Store;
  const extractor: Extractor = {
    extractMany: (articles: Article[]): ExtractOutcome[] =>
      articles.map((a, i) => {
        const result = { article_id: a.id, date: a.date, title: null, text: a.rawText, entities: [], events: [] };
        return i === 0 ? { ok: true, result, signature: Uint32Array.of(7, 8, 9) } : { ok: true, result };
      }),
  };
  await processItems([{ kind: 'article', article: article('a') }, { kind: 'article', article: article('b') }], store, extractor, { batchSize: 10 });
  assert.deepEqual(seen, [[7, 8, 9], undefined]);
});
