/**
 * The real pipeline (full knowledge: gazetteer, actor base, lexicons) over the demo articles in
 * data/demo, checked against what an analyst reading each article would code for its main event (the
 * event its lead sentence reports). Only facts the text states unambiguously are asserted; fields that
 * depend on a reading (conflicting tolls, the day of a night-long clash) are left out.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createPipeline, extractArticle, loadKnowledge } from '../src/extract.js';
import { parseDatedText } from '../src/ingest/dated.js';
import { dataPath } from '../src/paths.js';
import type { Pipeline } from '../src/pipeline.js';
import type { ArticleResult, EventRecord } from '../src/types.js';

let pipeline: Pipeline;
const results = new Map<string, ArticleResult>();

function result(file: string): ArticleResult {
  const r = results.get(file);
  if (!r) throw new Error(`demo article ${file} was not extracted`);
  return r;
}

before(async () => {
  pipeline = createPipeline(await loadKnowledge());
  for (const file of readdirSync(dataPath('demo')).filter((f) => f.endsWith('.txt')).sort()) {
    const item = parseDatedText(readFileSync(dataPath('demo', file), 'utf8'), file);
    if (item.kind !== 'article') throw new Error(`demo article ${file} does not parse`);
    results.set(file, extractArticle(pipeline, item.article));
  }
});

/** The event the lead (first body sentence) reports, of the expected type. */
function leadEvent(r: ArticleResult, eventType: string, subType: string | null): EventRecord {
  const leadStart = r.text.indexOf('\n') + 1;
  const found = r.events.find(
    (e) => (e.evidence_all ?? [e.evidence]).some((ev) => ev.start === leadStart) && e.event_type === eventType && e.acled_sub_event_type === subType,
  );
  assert.ok(
    found,
    `no ${eventType}/${subType} event on the lead; lead events: ${JSON.stringify(
      r.events.filter((e) => (e.evidence_all ?? [e.evidence]).some((ev) => ev.start === leadStart)).map((e) => [e.event_type, e.acled_sub_event_type]),
    )}`,
  );
  return found;
}

interface Expect {
  file: string;
  type: [string, string | null];
  /** actor id (or name when the id is null) of each side; omitted when the text leaves it open. */
  actor1?: string;
  actor2?: string;
  location?: [string, string];
  date?: string;
  precision?: string;
  fatalities?: number | null;
  injured?: number | null;
  count?: number | null;
  claim?: string;
  claimedBy?: string | null;
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const actorKey = (a: EventRecord['actor1']): string | null => (a ? (a.id ?? a.name) : null);

const CASES: Expect[] = [
  {
    file: '01-afghanistan-jalalabad-bombing-wire.txt',
    type: ['ASSAULT', 'Suicide bomb'],
    location: ['Jalālābād', 'AF'],
    date: '2024-12-01',
    precision: 'day',
    fatalities: 14,
    injured: 31,
    claim: 'reported',
    claimedBy: 'Islamic State Khorasan Province',
  },
  {
    file: '02-afghanistan-jalalabad-bombing-copy.txt',
    type: ['ASSAULT', 'Suicide bomb'],
    location: ['Jalālābād', 'AF'],
    date: '2024-12-01',
    fatalities: 14,
    injured: 31,
  },
  {
    file: '03-afghanistan-jalalabad-bombing-rewrite.txt',
    type: ['ASSAULT', 'Suicide bomb'],
    actor1: 'islamic_state',
    location: ['Jalālābād', 'AF'],
    date: '2024-12-01',
    fatalities: 19,
    injured: 27,
  },
  {
    file: '04-pakistan-peshawar-market-blast.txt',
    type: ['ASSAULT', 'Remote explosive/landmine/IED'],
    location: ['Peshawar', 'PK'],
    date: '2024-05-16',
    fatalities: 6,
    injured: 20,
  },
  {
    file: '05-pakistan-peshawar-checkpoint-attack.txt',
    type: ['ASSAULT', 'Armed clash'],
    actor2: 'pak.police',
    location: ['Peshawar', 'PK'],
    date: '2024-05-16',
    fatalities: 2,
    injured: 3,
  },
  {
    file: '06-somalia-mogadishu-hotel-wire.txt',
    type: ['ASSAULT', 'Attack'],
    actor1: 'al_shabaab',
    date: '2024-08-02',
    fatalities: 32,
    injured: 63,
  },
  {
    file: '09-india-kashmir-encounter.txt',
    type: ['ASSAULT', 'Armed clash'],
    location: ['Kupwara', 'IN'],
    fatalities: 4,
  },
  {
    file: '11-iraq-anbar-raid.txt',
    type: ['ASSAULT', 'Armed clash'],
    actor1: 'irq.military',
    actor2: 'islamic_state',
    date: '2024-02-12',
    fatalities: 5,
  },
  {
    file: '13-israel-palestine-westbank-raid.txt',
    type: ['ASSAULT', 'Attack'],
    actor1: 'isr.military',
    location: ['Janīn', 'PS'],
    date: '2024-09-01',
    fatalities: 5,
    injured: 11,
  },
  {
    file: '14-lebanon-drone-strike.txt',
    type: ['ASSAULT', 'Air/drone strike'],
    location: ['Tyre', 'LB'],
    date: '2024-07-08',
    fatalities: 1,
  },
  {
    file: '15-sudan-rsf-darfur.txt',
    type: ['ASSAULT', 'Attack'],
    actor1: 'rsf',
    location: ['El Fasher', 'SD'],
    date: '2024-06-08',
    fatalities: 2,
  },
  {
    file: '18-nigeria-zamfara-abduction.txt',
    type: ['ASSAULT', 'Abduction/forced disappearance'],
    date: '2024-03-07',
    count: 280,
  },
  {
    file: '21-niger-tillaberi-ambush.txt',
    type: ['ASSAULT', 'Armed clash'],
    actor2: 'ner.military',
    date: '2024-12-09',
  },
  {
    file: '25-myanmar-airstrike-sagaing.txt',
    type: ['ASSAULT', 'Air/drone strike'],
    actor1: 'mmr.military',
    location: ['Sagaing', 'MM'],
    date: '2024-01-07',
    fatalities: 17,
  },
  {
    file: '26-philippines-npa-surrender.txt',
    type: ['RETREAT', 'Change to group/activity'],
    actor1: 'npa',
    actor2: 'phl.military',
    date: '2024-06-22',
    precision: 'week',
    count: 21,
    fatalities: null,
  },
  {
    file: '29-pakistan-islamabad-protest.txt',
    type: ['PROTEST', 'Excessive force against protesters'],
    actor1: 'pak.police',
    location: ['Islamabad', 'PK'],
    date: '2024-11-26',
  },
  {
    file: '30-kenya-nairobi-peaceful-protest.txt',
    type: ['PROTEST', 'Peaceful protest'],
    location: ['Nairobi', 'KE'],
    date: '2024-06-18',
    fatalities: null,
  },
  {
    file: '33-afghanistan-pakistan-airstrikes.txt',
    type: ['ASSAULT', 'Air/drone strike'],
    date: '2024-12-24',
  },
  {
    file: '34-somalia-puntland-weapons-seized.txt',
    type: ['COERCE', 'Disrupted weapons use'],
    location: ['Bosaso', 'SO'],
    date: '2025-01-04',
    precision: 'week',
  },
  {
    file: '35-myanmar-arakan-army-town.txt',
    type: ['ASSAULT', 'Armed clash'],
    actor1: 'arakan_army',
    actor2: 'mmr.military',
  },
];

for (const c of CASES) {
  test(`demo-extract ${c.file}: the lead's event as an analyst codes it`, () => {
    const e = leadEvent(result(c.file), c.type[0], c.type[1]);
    if (c.actor1 !== undefined) assert.equal(actorKey(e.actor1), c.actor1, 'actor1');
    if (c.actor2 !== undefined) assert.equal(actorKey(e.actor2), c.actor2, 'actor2');
    // Names compared without diacritics: "Jalālābād" (GeoNames) and "Jalalabad" are one place.
    if (c.location) assert.deepEqual([fold(e.location?.name ?? ''), e.location?.country_code], [fold(c.location[0]), c.location[1]], 'location');
    if (c.date !== undefined) assert.equal(e.date, c.date, 'date');
    if (c.precision !== undefined) assert.equal(e.date_precision, c.precision, 'date_precision');
    if (c.fatalities !== undefined) assert.equal(e.fatalities, c.fatalities, 'fatalities');
    if (c.injured !== undefined) assert.equal(e.injured, c.injured, 'injured');
    if (c.count !== undefined) assert.equal(e.count, c.count, 'count');
    if (c.claim !== undefined) assert.equal(e.claim, c.claim, 'claim');
    if (c.claimedBy !== undefined) assert.equal(e.claimed_by, c.claimedBy, 'claimed_by');
  });
}

test('demo-extract: the headline and the lead of one event make one record (one event once)', () => {
  for (const c of CASES) {
    const r = result(c.file);
    const e = leadEvent(r, c.type[0], c.type[1]);
    const sameKind = r.events.filter((x) => x.acled_sub_event_type === e.acled_sub_event_type && x.evidence.start === e.evidence.start);
    assert.equal(sameKind.length, 1, c.file);
  }
  // 01: headline, lead, the claim paragraph and the toll details are one bombing.
  const bombing = leadEvent(result('01-afghanistan-jalalabad-bombing-wire.txt'), 'ASSAULT', 'Suicide bomb');
  assert.equal(bombing.evidence_all?.[0]?.start, 0, 'the headline is evidence of the lead event');
});

test('demo-extract: distinct events stay apart (arrests, a separate earlier bombing)', () => {
  const r = result('01-afghanistan-jalalabad-bombing-wire.txt');
  const bombing = leadEvent(r, 'ASSAULT', 'Suicide bomb');
  const arrests = r.events.find((e) => e.acled_sub_event_type === 'Arrests');
  assert.ok(arrests, 'the detention of three suspects is its own event');
  assert.equal(arrests.count, 3);
  assert.equal(arrests.date, '2024-11-30');
  const roadside = r.events.find((e) => e.evidence.text.includes('roadside bomb'));
  assert.ok(roadside && roadside !== bombing, 'the earlier roadside bomb is another event');
  assert.equal(roadside.claim, 'reported', '"no group claimed that attack" is no claim');
  assert.equal(roadside.injured, 4);
});

test('demo-extract: claims, denials and a headline "X says" stay what they are', () => {
  const denial = result('15-sudan-rsf-darfur.txt').events.find((e) => e.claim === 'denied');
  assert.ok(denial, 'the RSF denial is read');
  const peshawar = leadEvent(result('05-pakistan-peshawar-checkpoint-attack.txt'), 'ASSAULT', 'Armed clash');
  assert.equal(peshawar.claimed_by, 'Tehreek-e-Taliban Pakistan');
  assert.equal(peshawar.claim, 'reported', 'a police report claimed by a faction stays reported');
});

test('demo-extract: every entity and evidence span equals its text; every event has a date and evidence', () => {
  let events = 0;
  for (const [file, r] of results) {
    for (const ent of r.entities) assert.equal(r.text.slice(ent.start, ent.end), ent.text, `${file} entity ${ent.kind} "${ent.text}"`);
    for (const e of r.events) {
      events++;
      assert.ok(e.date !== null && /^\d{4}-\d{2}-\d{2}$/.test(e.date), `${file} ${e.event_id} date`);
      assert.equal(r.text.slice(e.evidence.start, e.evidence.end), e.evidence.text, `${file} ${e.event_id} evidence`);
      assert.ok(e.evidence.text.length > 0, `${file} ${e.event_id} evidence is empty`);
      for (const ev of e.evidence_all ?? []) assert.equal(r.text.slice(ev.start, ev.end), ev.text, `${file} ${e.event_id} evidence_all`);
      if (e.trigger) assert.equal(r.text.slice(e.trigger.start, e.trigger.end), e.trigger.text, `${file} ${e.event_id} trigger`);
      assert.ok(e.confidence > 0 && e.confidence < 1, `${file} ${e.event_id} confidence ${e.confidence}`);
      for (const a of [e.actor1, e.actor2]) if (a && a.text !== '') assert.ok(r.text.includes(a.text), `${file} ${e.event_id} actor text "${a.text}"`);
    }
  }
  assert.ok(events >= results.size, 'every demo article yields events');
});

test('demo-extract: the dateline is no party to the event ("MOGADISHU (AFP) -", "JALALABAD, Afghanistan (Reuters) -")', () => {
  for (const file of ['01-afghanistan-jalalabad-bombing-wire.txt', '06-somalia-mogadishu-hotel-wire.txt']) {
    const r = result(file);
    const lead = r.text.slice(r.text.indexOf('\n') + 1);
    const dateline = lead.slice(0, lead.indexOf(' - ') + 3);
    assert.ok(/\((?:AFP|Reuters)\)/.test(dateline), `${file} has a wire dateline`);
    for (const e of r.events) {
      for (const a of [e.actor1, e.actor2]) {
        if (!a || a.text === '') continue;
        assert.ok(!dateline.includes(a.text), `${file} ${e.event_id}: "${a.text}" of the dateline is a party`);
      }
    }
  }
});
