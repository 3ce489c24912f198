/**
 * Event records end to end over hand-written articles: the layers (actors, places, dates, numbers)
 * are built by hand, the sources by the real source stage, and the candidates are injected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSources, loadAttributionLexicon } from '../src/events/attribution.js';
import { loadArgumentLexicon } from '../src/events/arguments.js';
import { buildEventRecords, createEventStage } from '../src/events/stage.js';
import { makeCandidate, makeTestDoc, type TestDocSpec } from '../src/events/test-doc.js';
import type { EventCandidate, EventRecord, KhabarDoc } from '../src/types.js';

const attribution = loadAttributionLexicon();
const args = loadArgumentLexicon();

/** Builds the document, runs the real source finder, then the event records for the given triggers. */
function run(
  text: string,
  spec: TestDocSpec,
  triggers: (doc: KhabarDoc) => EventCandidate[],
): { doc: KhabarDoc; events: EventRecord[] } {
  const doc = makeTestDoc(text, spec);
  doc.sources = findSources(doc, attribution);
  const events = buildEventRecords(doc, triggers(doc), args, attribution);
  return { doc, events };
}

const PK_FORCES = { id: 'pak.security_forces', name: 'Pakistani security forces', kind: 'military' as const, country: 'PK' };

test('events-records: lead with overnight raid, report day, citing chain and a follow-up sentence is one full record', () => {
  const text =
    'Security forces killed 14 insurgents in an overnight operation near Tank, the district police officer said on Friday, citing intelligence reports. Three policemen were wounded in the gunfight, he added.';
  const { events } = run(
    text,
    {
      id: 'art7',
      date: '2024-05-10',
      actors: [
        { text: 'Security forces', ...PK_FORCES },
        { text: 'insurgents', kind: 'rebel' },
        { text: 'district police officer', kind: 'police', country: 'PK' },
        { text: 'policemen', id: 'pak.police', name: 'Pakistani police', kind: 'police', country: 'PK' },
      ],
      places: [{ text: 'Tank', geonames_id: 1163968, country_code: 'PK', admin1: 'Khyber Pakhtunkhwa', geo_precision: 1 }],
      dates: [{ text: 'Friday', value: '2024-05-10' }],
      quantities: [
        { text: '14 insurgents', value: 14, role: 'killed', noun: 'insurgents' },
        { text: 'Three policemen', value: 3, role: 'injured', noun: 'policemen' },
      ],
    },
    (doc) => [makeCandidate(doc, 'killed', { confidence: 0.9 }), makeCandidate(doc, 'wounded')],
  );
  assert.equal(events.length, 1);
  const e = events[0]!;
  assert.equal(e.event_id, 'art7:e1');
  assert.deepEqual(e.actor1, { name: 'Pakistani security forces', id: 'pak.security_forces', text: 'Security forces', kind: 'military', country: 'PK' });
  assert.deepEqual(e.actor2, { name: 'insurgents', id: null, text: 'insurgents', kind: 'rebel', country: 'PK' });
  assert.equal(e.location?.name, 'Tank');
  assert.equal(e.location?.geo_precision, 2);
  assert.equal(e.date, '2024-05-09');
  assert.equal(e.date_precision, 'day');
  assert.equal(e.fatalities, 14);
  assert.equal(e.injured, 3);
  assert.deepEqual(e.sources, [
    { name: 'district police officer', kind: 'official' },
    { name: 'intelligence reports', kind: 'anonymous' },
  ]);
  assert.equal(e.claim, 'reported');
  assert.equal(e.claimed_by, null);
  assert.equal(e.evidence.start, 0);
  assert.equal(e.evidence.text, text.slice(0, text.indexOf(' Three')));
  assert.equal(e.evidence_all?.length, 2);
  assert.equal(e.trigger?.text, 'killed');
  assert.ok(e.confidence > 0.8 && e.confidence < 1, `confidence ${e.confidence}`);
});
