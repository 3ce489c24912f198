import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline, toArticleResult, type Stage } from './pipeline.js';
import { KhabarError, StageError } from './errors.js';
import { normalizeStage } from './text/normalize.js';
import { sentenceStage } from './text/sentences.js';
import { tokenStage } from './text/tokens.js';
import type { Article } from './types.js';

const article: Article = {
  id: 'a1', date: '2024-03-14', title: null, rawText: 'Troops  left.  Rebels came.', url: null, source: null, language: 'en',
  origin: { file: 'test', line: null },
};

test('pipeline runs stages in order and records them', () => {
  const p = new Pipeline([normalizeStage, sentenceStage, tokenStage], { knowledge: {} });
  const doc = p.run(article);
  assert.equal(doc.text, 'Troops left. Rebels came.');
  assert.deepEqual(doc.stagesRun, ['normalize', 'sentences', 'tokens']);
  assert.equal(doc.sentences.length, 2);
  assert.equal(doc.tokens.length, 6);
  assert.ok((p.timings['tokens'] ?? -1) >= 0);
});

test('pipeline refuses a stage whose required layer no earlier stage assigns', () => {
  assert.throws(() => new Pipeline([sentenceStage], { knowledge: {} }), (err: unknown) => {
    assert.ok(err instanceof KhabarError);
    assert.equal(err.code, 'E_PIPELINE');
    assert.match(err.message, /"sentences" requires "text"/);
    return true;
  });
});

test('pipeline wraps a stage failure with the stage name and the article id', () => {
  const failing: Stage = { name: 'boom', requires: ['text'], assigns: [], run() { throw new Error('bad input'); } };
  const p = new Pipeline([normalizeStage, failing], { knowledge: {} });
  assert.throws(() => p.run(article), (err: unknown) => {
    assert.ok(err instanceof StageError);
    assert.equal(err.context.stage, 'boom');
    assert.equal(err.context.articleId, 'a1');
    assert.match(err.message, /bad input/);
    return true;
  });
});

test('pipeline result lists entities sorted by offset with spans equal to the text', () => {
  const p = new Pipeline([normalizeStage], { knowledge: {} });
  const doc = p.run(article);
  doc.places.push({ start: 13, end: 19, text: 'Rebels', name: 'x', geonames_id: 1, feature_code: null, country_code: null, admin1: null, admin2: null, lat: null, lon: null, geo_precision: 1, score: 1 });
  doc.dates.push({ start: 0, end: 6, text: 'Troops', value: '2024-03-14', precision: 'day' });
  const result = toArticleResult(doc);
  assert.deepEqual(result.entities.map((e) => [e.kind, e.start]), [['date', 0], ['place', 13]]);
  assert.equal(result.entities[1]!.id, 'geonames:1');
  for (const e of result.entities) assert.equal(result.text.slice(e.start, e.end), e.text);
});
