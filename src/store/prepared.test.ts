import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArticleResult, EventRecord } from '../types.js';
import { actorSearchKey } from './event-columns.js';
import { decodeEntities, encodeEntities, prepareArticle, preparedFor } from './prepared.js';

const text = 'Gunmen attacked Gao.';
function event(id: string, actorName: string): EventRecord {
  return {
    event_id: id,
    article_id: 'a',
    event_type: 'ASSAULT',
    mode: null,
    acled_event_type: null,
    acled_sub_event_type: null,
    actor1: { name: actorName, id: null, text: 'Gunmen', kind: 'armed_group', country: null },
    actor2: null,
    location: null,
    date: '2024-03-05',
    date_precision: 'day',
    fatalities: null,
    injured: null,
    count: null,
    sources: [],
    claim: 'reported',
    claimed_by: null,
    evidence: { start: 0, end: 20, text },
    evidence_all: [{ start: 0, end: 20, text }],
    trigger: { start: 7, end: 15, text: 'attacked' },
    confidence: 0.5,
  } as EventRecord;
}
const result: ArticleResult = {
  article_id: 'a',
  date: '2024-03-05',
  title: null,
  text,
  entities: [
    { text: 'Gao', start: 16, end: 19, kind: 'place', id: 'geonames:2457163', name: 'Gao' },
    { text: 'gunmen', start: 0, end: 6, kind: 'actor', id: null },
  ],
  events: [event('a:e1', 'Gunmen'), event('a:e2', 'Unknown gunmen')],
};

test('prepareArticle: record JSON, actor keys and entity JSON of each event, in order', () => {
  const p = prepareArticle(result);
  assert.deepEqual(p.records.map((r) => JSON.parse(r)), result.events);
  assert.deepEqual(p.actorSearch, result.events.map(actorSearchKey));
  assert.equal(p.entities, encodeEntities(result.entities, text));
});

test('encodeEntities: decodeEntities gives the entities back, own text kept only where it differs', () => {
  const json = encodeEntities(result.entities, text);
  assert.equal(json, '[["place",16,19,"geonames:2457163","Gao"],["actor",0,6,null,null,null,"gunmen"]]');
  assert.deepEqual(decodeEntities(json, text), result.entities);
});

const cases: [string, Partial<ReturnType<typeof prepareArticle>> | undefined, boolean][] = [
  ['none given', undefined, false],
  ['one record short', { entities: '[]', records: ['{}'], actorSearch: ['x', 'y'] }, false],
  ['one key short', { entities: '[]', records: ['{}', '{}'], actorSearch: ['x'] }, false],
  ['fits', { entities: '[]', records: ['{}', '{}'], actorSearch: ['x', 'y'] }, true],
];
for (const [name, given, used] of cases) {
  test(`preparedFor: ${name} -> ${used ? 'the given one' : 'computed'}`, () => {
    const got = preparedFor({ result, prepared: given as ReturnType<typeof prepareArticle> | undefined });
    assert.deepEqual(got, used ? given : prepareArticle(result));
  });
}
