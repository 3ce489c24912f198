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

interface ActorCase {
  name: string;
  text: string;
  spec: TestDocSpec;
  trigger: string;
  fields?: Partial<EventCandidate>;
  actor1: string | null;
  actor2: string | null;
  sources?: { name: string; kind: string }[];
}

const ACTOR_CASES: ActorCase[] = [
  {
    name: 'passive voice: the by-phrase is actor1, the subject actor2',
    text: 'A police patrol was attacked by gunmen on motorcycles in Quetta on Tuesday.',
    spec: { actors: [{ text: 'police', kind: 'police', name: 'Balochistan police' }, { text: 'gunmen', kind: 'unknown' }] },
    trigger: 'attacked',
    actor1: 'gunmen',
    actor2: 'Balochistan police',
  },
  {
    name: 'active voice: subject then object',
    text: 'Gunmen attacked a police patrol in Quetta on Tuesday.',
    spec: { actors: [{ text: 'Gunmen', name: 'gunmen' }, { text: 'police', kind: 'police', name: 'Balochistan police' }] },
    trigger: 'attacked',
    actor1: 'gunmen',
    actor2: 'Balochistan police',
  },
  {
    name: '"X surrendered to Y": the one who yields is actor1',
    text: 'Forty fighters of the Baloch Liberation Army surrendered to the Frontier Corps in Turbat, officials said.',
    spec: {
      actors: [
        { text: 'Baloch Liberation Army', id: 'pak.bla', kind: 'rebel' },
        { text: 'the Frontier Corps', id: 'pak.fc', name: 'Frontier Corps', kind: 'military' },
      ],
    },
    trigger: 'surrendered',
    fields: { event_type: 'RETREAT', acled_event_type: 'Strategic developments', acled_sub_event_type: 'Change to group/activity' },
    actor1: 'Baloch Liberation Army',
    actor2: 'Frontier Corps',
    sources: [{ name: 'officials', kind: 'official' }],
  },
  {
    name: '"clashes between X and Y": both sides, in order',
    text: 'Heavy clashes between the army and Houthi fighters in Marib killed 23 people, medical sources said.',
    spec: {
      actors: [
        { text: 'the army', id: 'yem.military', name: 'Yemeni army', kind: 'military' },
        { text: 'Houthi fighters', id: 'yem.houthis', name: 'Houthis', kind: 'rebel' },
      ],
    },
    trigger: 'clashes',
    actor1: 'Yemeni army',
    actor2: 'Houthis',
    sources: [{ name: 'medical sources', kind: 'anonymous' }],
  },
  {
    name: '"X and Y clashed": two-sided violence puts both sides as actors',
    text: 'Police and protesters clashed outside the parliament in Nairobi.',
    spec: { actors: [{ text: 'Police', name: 'Kenyan police', kind: 'police' }, { text: 'protesters', kind: 'protesters' }] },
    trigger: 'clashed',
    actor1: 'Kenyan police',
    actor2: 'protesters',
  },
  {
    name: '"attacks on X" without a doer: target only, generic doer',
    text: 'Attacks on Christian villagers in Plateau state have left dozens dead.',
    spec: { actors: [{ text: 'Christian villagers', name: 'Christian civilians', kind: 'civilians' }] },
    trigger: 'Attacks',
    fields: { acled_event_type: 'Violence against civilians', acled_sub_event_type: 'Attack' },
    actor1: 'Unidentified armed group',
    actor2: 'Christian civilians',
  },
  {
    name: 'reported speech: "X said Y attacked Z" codes Y against Z, sourced to X',
    text: 'The interior ministry said Al-Shabaab militants attacked a military base in Lower Shabelle.',
    spec: {
      actors: [
        { text: 'The interior ministry', name: 'Somali interior ministry', kind: 'government' },
        { text: 'Al-Shabaab militants', id: 'som.shabaab', name: 'Al-Shabaab', kind: 'rebel' },
        { text: 'military', name: 'Somali army', kind: 'military' },
      ],
    },
    trigger: 'attacked',
    actor1: 'Al-Shabaab',
    actor2: 'Somali army',
    sources: [{ name: 'interior ministry', kind: 'official' }],
  },
  {
    name: 'apposition: the appositive does not become an actor',
    text: 'Abdul Rauf, a commander of the Taliban, was killed by unknown gunmen in Kandahar.',
    spec: {
      actors: [
        { text: 'Abdul Rauf', kind: 'person', affiliation: 'Taliban' },
        { text: 'the Taliban', id: 'afg.taliban', name: 'Taliban', kind: 'rebel' },
        { text: 'unknown gunmen', name: 'gunmen' },
      ],
    },
    trigger: 'killed',
    actor1: 'gunmen',
    actor2: 'Abdul Rauf',
  },
  {
    name: 'apposition with an actor in it: "X, a Taliban commander, was killed" targets X',
    text: 'Mullah Karim, a Taliban commander, was killed by security forces in Helmand.',
    spec: {
      actors: [
        { text: 'Mullah Karim', kind: 'person', affiliation: 'Taliban' },
        { text: 'Taliban', id: 'afg.taliban', name: 'Taliban', kind: 'rebel' },
        { text: 'security forces', name: 'Afghan security forces', kind: 'security' },
      ],
    },
    trigger: 'killed',
    actor1: 'Afghan security forces',
    actor2: 'Mullah Karim',
  },
  {
    name: 'coreference: a pronoun-like mention takes its antecedent\'s identity',
    text: 'Islamic State fighters entered the town at dawn. The group later attacked soldiers at a checkpoint.',
    spec: {
      actors: [
        { text: 'Islamic State fighters', id: 'isis', name: 'Islamic State', kind: 'terrorist' },
        { text: 'The group', antecedent: 0 },
        { text: 'soldiers', name: 'Iraqi army', kind: 'military' },
      ],
    },
    trigger: 'attacked',
    actor1: 'Islamic State',
    actor2: 'Iraqi army',
  },
  {
    name: 'dateline: the agency and country of "CITY, Country (Agency) -" are no party',
    text: 'KISMAYO, Somalia (AFP) - Gunmen stormed a hotel in the port city on Friday.',
    spec: {
      actors: [
        { text: 'Somalia', id: 'som.state', name: 'Somalia', kind: 'state' },
        { text: 'AFP', id: 'afp', name: 'Agence France-Presse', kind: 'media' },
        { text: 'Gunmen', name: 'gunmen', kind: 'unknown' },
      ],
    },
    trigger: 'stormed',
    fields: { acled_event_type: 'Violence against civilians', acled_sub_event_type: 'Attack' },
    actor1: 'gunmen',
    actor2: 'Civilians',
  },
  {
    name: 'reported speech: a speaker that speaks of itself ("X said it had fired") is actor1',
    text: 'The rebel alliance said on Monday it had shelled an army base near the river.',
    spec: { actors: [{ text: 'rebel alliance', name: 'rebel alliance', kind: 'rebel' }, { text: 'army', name: 'national army', kind: 'military' }] },
    trigger: 'shelled',
    actor1: 'rebel alliance',
    actor2: 'national army',
  },
  {
    name: 'reported speech: "X said its fighters ambushed Y" codes X, not its fighters',
    text: 'The front said its fighters had ambushed a convoy of government troops.',
    spec: {
      actors: [
        { text: 'The front', name: 'liberation front', kind: 'rebel' },
        { text: 'fighters', name: 'fighters', kind: 'rebel' },
        { text: 'government troops', name: 'national army', kind: 'military' },
      ],
    },
    trigger: 'ambushed',
    actor1: 'liberation front',
    actor2: 'national army',
  },
  {
    name: 'reported speech: a speaker who is not the subject of the reported clause is no party, even unseen as a source',
    text: 'The state broadcaster, quoting an army officer, said rebel artillery had shelled two villages overnight.',
    spec: {
      actors: [
        { text: 'state broadcaster', name: 'state broadcaster', kind: 'media' },
        { text: 'rebel artillery', name: 'rebels', kind: 'rebel' },
      ],
    },
    trigger: 'shelled',
    fields: { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Shelling/artillery/missile attack' },
    actor1: 'rebels',
    actor2: null,
  },
  {
    name: 'reported speech: an apposition between speaker and verb does not replace the speaker',
    text: 'The river brigade, a militia that includes fighters from two clans, said it had clashed with soldiers.',
    spec: {
      actors: [
        { text: 'river brigade', name: 'river brigade', kind: 'militia' },
        { text: 'fighters', name: 'fighters', kind: 'rebel' },
        { text: 'soldiers', name: 'national army', kind: 'military' },
      ],
    },
    trigger: 'clashed',
    actor1: 'river brigade',
    actor2: 'national army',
  },
  {
    name: 'victims as subject: "A boy and two traders were among those killed" makes no civilian actor1',
    text: 'A boy and two traders were among those killed, hospital staff said.',
    spec: { actors: [{ text: 'A boy', name: 'children', kind: 'civilians' }, { text: 'two traders', name: 'traders', kind: 'civilians' }] },
    trigger: 'killed',
    fields: { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Remote explosive/landmine/IED' },
    actor1: 'Unidentified armed group',
    actor2: 'children',
  },
  {
    name: 'nominal event with a by-phrase: the sentence subject is the target ("X were killed in an ambush by Y")',
    text: 'Eight border guards were killed and others wounded in an ambush by "armed bandit groups" in the north.',
    spec: { actors: [{ text: 'border guards', name: 'border guards', kind: 'military' }, { text: 'bandit groups', name: 'bandits', kind: 'militia' }] },
    trigger: 'ambush',
    actor1: 'bandits',
    actor2: 'border guards',
  },
  {
    name: '"One X was among the dead": a victim, not the doer',
    text: 'One policeman was among the dead.',
    spec: { actors: [{ text: 'policeman', name: 'police', kind: 'police' }] },
    trigger: 'dead',
    fields: { acled_event_type: 'Violence against civilians', acled_sub_event_type: 'Attack' },
    actor1: 'Unidentified armed group',
    actor2: 'police',
  },
];

for (const c of ACTOR_CASES) {
  test(`events-records actors: ${c.name}`, () => {
    const { events } = run(c.text, c.spec, (doc) => [makeCandidate(doc, c.trigger, c.fields ?? {})]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor1?.name ?? null, c.actor1);
    assert.equal(events[0]!.actor2?.name ?? null, c.actor2);
    if (c.sources) assert.deepEqual(events[0]!.sources, c.sources);
  });
}

test('events-records: coreferent actor keeps its own text and the antecedent\'s id', () => {
  const { events } = run(
    'Islamic State fighters entered the town at dawn. The group later attacked a checkpoint.',
    { actors: [{ text: 'Islamic State fighters', id: 'isis', name: 'Islamic State', kind: 'terrorist', country: 'IQ' }, { text: 'The group', antecedent: 0 }] },
    (doc) => [makeCandidate(doc, 'attacked')],
  );
  assert.deepEqual(events[0]!.actor1, { name: 'Islamic State', id: 'isis', text: 'The group', kind: 'terrorist', country: 'IQ' });
});

test('events-records: citing chain is outermost first (the one who states, then the one cited)', () => {
  const { events } = run(
    'Citing a report by the UN mission, the foreign ministry stated that 12 civilians were killed in the air strike.',
    {
      actors: [
        { text: 'UN mission', id: 'un.mission', name: 'United Nations mission', kind: 'igo' },
        { text: 'the foreign ministry', name: 'foreign ministry', kind: 'government' },
        { text: 'civilians', kind: 'civilians' },
      ],
      quantities: [{ text: '12 civilians', value: 12, role: 'killed', noun: 'civilians' }],
    },
    (doc) => [makeCandidate(doc, 'air strike', { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Air/drone strike' })],
  );
  assert.deepEqual(events[0]!.sources, [
    { name: 'foreign ministry', kind: 'official' },
    { name: 'UN mission', kind: 'official' },
  ]);
  assert.equal(events[0]!.fatalities, 12);
});

test('events-records: "X told Reuters" puts the agency outermost', () => {
  const { events } = run(
    'A local commander told Reuters that rebels had shelled the airport in Goma.',
    { actors: [{ text: 'rebels', id: 'cod.m23', name: 'M23', kind: 'rebel' }], places: [{ text: 'Goma', geonames_id: 216281, country_code: 'CD' }] },
    (doc) => [makeCandidate(doc, 'shelled', { acled_event_type: 'Explosions/Remote violence' })],
  );
  assert.deepEqual(events[0]!.sources, [
    { name: 'Reuters', kind: 'agency' },
    { name: 'local commander', kind: 'official' },
  ]);
  assert.equal(events[0]!.actor1?.name, 'M23');
  assert.equal(events[0]!.location?.name, 'Goma');
});

test('events-records: a headline claim merged with a police report keeps claimed_by and stays reported', () => {
  const text =
    'TTP claims attack on police station in Bannu\nMilitants attacked a police station in Bannu on Monday, killing three officers, police said. The TTP claimed responsibility for the attack.';
  const { events } = run(
    text,
    {
      date: '2024-06-04',
      actors: [
        { text: 'TTP', id: 'pak.ttp', name: 'Tehrik-i-Taliban Pakistan', kind: 'rebel', country: 'PK' },
        { text: 'police', nth: 1, name: 'Pakistani police', kind: 'police', country: 'PK' },
        { text: 'Militants', name: 'militants', kind: 'rebel' },
        { text: 'police', nth: 2, name: 'Pakistani police', kind: 'police', country: 'PK' },
        { text: 'police', nth: 3, name: 'Pakistani police', kind: 'police', country: 'PK' },
        { text: 'The TTP', id: 'pak.ttp', name: 'Tehrik-i-Taliban Pakistan', kind: 'rebel', country: 'PK' },
      ],
      places: [
        { text: 'Bannu', nth: 1, geonames_id: 1183880, country_code: 'PK' },
        { text: 'Bannu', nth: 2, geonames_id: 1183880, country_code: 'PK' },
      ],
      dates: [{ text: 'Monday', value: '2024-06-03' }],
      quantities: [{ text: 'three officers', value: 3, role: 'killed', noun: 'officers' }],
    },
    (doc) => [makeCandidate(doc, 'attack', { nth: 1 }), makeCandidate(doc, 'attacked')],
  );
  assert.equal(events.length, 1);
  const e = events[0]!;
  assert.equal(e.claim, 'reported');
  assert.equal(e.claimed_by, 'Tehrik-i-Taliban Pakistan');
  assert.equal(e.actor1?.name, 'militants');
  assert.equal(e.actor2?.name, 'Pakistani police');
  assert.equal(e.fatalities, 3);
  assert.equal(e.date, '2024-06-03');
  assert.equal(e.evidence.text.startsWith('Militants attacked'), true);
  assert.equal(e.evidence_all?.length, 2);
});

test('events-records: a headline "X claims Y" backed only by the actor is a claim', () => {
  const text = 'Taliban claim capture of Dand district\nThe Taliban said on Monday their fighters had captured the district headquarters.';
  const { events } = run(
    text,
    {
      actors: [
        { text: 'Taliban', nth: 1, id: 'afg.taliban', name: 'Taliban', kind: 'rebel' },
        { text: 'The Taliban', id: 'afg.taliban', name: 'Taliban', kind: 'rebel' },
        { text: 'their fighters', antecedent: 1 },
      ],
      places: [{ text: 'Dand', geonames_id: 1142226, country_code: 'AF', geo_precision: 2 }],
      dates: [{ text: 'Monday', value: '2024-03-11' }],
    },
    (doc) => [
      makeCandidate(doc, 'capture', { acled_sub_event_type: 'Non-state actor overtakes territory' }),
      makeCandidate(doc, 'captured', { acled_sub_event_type: 'Non-state actor overtakes territory' }),
    ],
  );
  assert.equal(events.length, 1);
  assert.equal(events[0]!.claim, 'claimed');
  assert.equal(events[0]!.claimed_by, 'Taliban');
  assert.deepEqual(events[0]!.sources, [{ name: 'Taliban', kind: 'actor' }]);
  assert.equal(events[0]!.location?.name, 'Dand');
});

test('events-records: the dateline place is not the event place when the text names another', () => {
  const { events } = run(
    'PESHAWAR, Pakistan (Reuters) - A roadside bomb killed four soldiers in North Waziristan on Wednesday, the military said.',
    {
      actors: [{ text: 'soldiers', id: 'pak.military', name: 'Pakistani army', kind: 'military', country: 'PK' }],
      places: [
        { text: 'PESHAWAR', name: 'Peshawar', geonames_id: 1168197, country_code: 'PK' },
        { text: 'Pakistan', geonames_id: 1168579, country_code: 'PK', geo_precision: 3, feature_code: 'PCLI' },
        { text: 'North Waziristan', geonames_id: 1168878, country_code: 'PK', geo_precision: 2, feature_code: 'ADM3' },
      ],
      quantities: [{ text: 'four soldiers', value: 4, role: 'killed', noun: 'soldiers' }],
    },
    (doc) => [makeCandidate(doc, 'roadside bomb', { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Remote explosive/landmine/IED' })],
  );
  assert.equal(events[0]!.location?.name, 'North Waziristan');
  assert.equal(events[0]!.location?.geo_precision, 2);
  assert.equal(events[0]!.actor1?.name, 'Unidentified armed group');
  assert.equal(events[0]!.actor2?.name, 'Pakistani army');
  assert.deepEqual(events[0]!.sources, [{ name: 'military', kind: 'official' }]);
});

test('events-records: two events in one article stay apart', () => {
  const text =
    'A suicide bomber killed six people at a market in Mogadishu on Saturday. In a separate attack, gunmen shot dead two soldiers in Baidoa.';
  const { events } = run(
    text,
    {
      date: '2024-02-18',
      actors: [{ text: 'gunmen' }, { text: 'soldiers', name: 'Somali army', kind: 'military' }],
      places: [
        { text: 'Mogadishu', geonames_id: 53654, country_code: 'SO' },
        { text: 'Baidoa', geonames_id: 64013, country_code: 'SO' },
      ],
      dates: [{ text: 'Saturday', value: '2024-02-17' }],
      quantities: [
        { text: 'six people', value: 6, role: 'killed', noun: 'people' },
        { text: 'two soldiers', value: 2, role: 'killed', noun: 'soldiers' },
      ],
    },
    (doc) => [
      makeCandidate(doc, 'suicide bomber', { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Suicide bomb' }),
      makeCandidate(doc, 'shot dead'),
    ],
  );
  assert.equal(events.length, 2);
  assert.deepEqual(
    events.map((e) => [e.event_id, e.location?.name, e.fatalities, e.date]),
    [
      ['a1:e1', 'Mogadishu', 6, '2024-02-17'],
      ['a1:e2', 'Baidoa', 2, '2024-02-17'],
    ],
  );
  assert.equal(events[1]!.actor1?.name, 'gunmen');
  assert.equal(events[1]!.actor2?.name, 'Somali army');
});

test('events-records: headline and lead of one event merge, the lead is the main evidence', () => {
  const text = 'Blast kills five in Quetta\nA bomb exploded near a bus stop in Quetta on Thursday, killing five people and wounding 12, police said.';
  const { events } = run(
    text,
    {
      actors: [{ text: 'police', kind: 'police', country: 'PK' }],
      places: [
        { text: 'Quetta', nth: 1, geonames_id: 1167528, country_code: 'PK' },
        { text: 'Quetta', nth: 2, geonames_id: 1167528, country_code: 'PK' },
      ],
      dates: [{ text: 'Thursday', value: '2024-03-14' }],
      quantities: [
        { text: 'five', nth: 1, value: 5, role: 'killed', noun: null },
        { text: 'five people', value: 5, role: 'killed', noun: 'people' },
        { text: '12', value: 12, role: 'injured', noun: null },
      ],
    },
    (doc) => [
      makeCandidate(doc, 'Blast', { acled_event_type: 'Explosions/Remote violence' }),
      makeCandidate(doc, 'bomb', { acled_event_type: 'Explosions/Remote violence' }),
    ],
  );
  assert.equal(events.length, 1);
  const e = events[0]!;
  assert.deepEqual(
    e.evidence_all?.map((x) => x.text),
    ['Blast kills five in Quetta', text.slice(text.indexOf('A bomb'))],
  );
  assert.equal(e.evidence.text.startsWith('A bomb'), true);
  assert.equal(e.fatalities, 5);
  assert.equal(e.injured, 12);
  assert.equal(e.location?.name, 'Quetta');
  assert.equal(e.location?.geo_precision, 1);
  assert.equal(e.date, '2024-03-14');
  assert.equal(e.acled_event_type, 'Explosions/Remote violence');
});

test('events-records: killed of different nouns in one clause are summed, a subset is not', () => {
  const cases: [string, TestDocSpec['quantities'], number][] = [
    [
      'Twelve militants and two soldiers were killed in the fighting.',
      [
        { text: 'Twelve militants', value: 12, role: 'killed', noun: 'militants' },
        { text: 'two soldiers', value: 2, role: 'killed', noun: 'soldiers' },
      ],
      14,
    ],
    [
      'The strike killed nine people, including four children.',
      [
        { text: 'nine people', value: 9, role: 'killed', noun: 'people' },
        { text: 'four children', value: 4, role: 'killed', noun: 'children' },
      ],
      9,
    ],
  ];
  for (const [text, quantities, want] of cases) {
    const trigger = text.includes('fighting') ? 'fighting' : 'strike';
    const { events } = run(text, { quantities }, (doc) => [makeCandidate(doc, trigger)]);
    assert.equal(events[0]!.fatalities, want, text);
  }
});

test('events-records: no date in the text gives the article date with week precision; an earlier date of the paragraph is used', () => {
  const none = run('Gunmen stormed a village and torched homes.', { date: '2024-01-20' }, (doc) => [makeCandidate(doc, 'stormed')]);
  assert.deepEqual([none.events[0]!.date, none.events[0]!.date_precision], ['2024-01-20', 'week']);
  const para = run(
    'Fighting broke out on 12 January near the border. Rebels shelled an army post.',
    { date: '2024-01-20', dates: [{ text: '12 January', value: '2024-01-12' }], actors: [{ text: 'Rebels', kind: 'rebel' }, { text: 'army', kind: 'military' }] },
    (doc) => [makeCandidate(doc, 'shelled', { acled_event_type: 'Explosions/Remote violence' })],
  );
  assert.deepEqual([para.events[0]!.date, para.events[0]!.date_precision], ['2024-01-12', 'day']);
});

test('events-records: no place in the text falls back to the paragraph, then to the focus at region precision', () => {
  const focusPlace = { start: 0, end: 0, text: 'Borno', name: 'Borno', geonames_id: 2346794, feature_code: 'ADM1', country_code: 'NG', admin1: 'Borno', admin2: null, lat: 11.5, lon: 13, geo_precision: 3 as const, score: 1 };
  const { events } = run(
    'Boko Haram fighters raided a camp overnight.',
    { actors: [{ text: 'Boko Haram fighters', name: 'Boko Haram', kind: 'terrorist' }], focus: { country_code: 'NG', admin1: 'Borno', place: focusPlace } },
    (doc) => [makeCandidate(doc, 'raided')],
  );
  assert.equal(events[0]!.location?.name, 'Borno');
  assert.equal(events[0]!.location?.geo_precision, 3);
  assert.equal(events[0]!.actor1?.country, 'NG');
  const para = run(
    'Troops entered Maiduguri in the morning. Later they raided a camp.',
    { places: [{ text: 'Maiduguri', geonames_id: 2331447, country_code: 'NG', geo_precision: 1 }] },
    (doc) => [makeCandidate(doc, 'raided')],
  );
  assert.equal(para.events[0]!.location?.name, 'Maiduguri');
});

test('events-records: negated and hypothetical mentions give no record; a threat keeps its type', () => {
  const text = 'Officials denied that troops attacked the village. Rebels threatened to attack the town.';
  const { events } = run(text, {}, (doc) => [
    makeCandidate(doc, 'attacked', { modality: 'negated' }),
    makeCandidate(doc, 'attack', { nth: 2, modality: 'threat', event_type: 'THREATEN', acled_event_type: null, acled_sub_event_type: null }),
  ]);
  assert.deepEqual(events.map((e) => e.event_type), ['THREATEN']);
  const hypo = run('If the talks fail, the army could attack the rebels.', {}, (doc) => [makeCandidate(doc, 'attack', { modality: 'hypothetical' })]);
  assert.equal(hypo.events.length, 0);
});

test('events-records: a hedged, denied report scores lower than a plain one', () => {
  const plain = run('Soldiers killed five rebels in Kidal, the army said.', { actors: [{ text: 'Soldiers', kind: 'military' }, { text: 'rebels', kind: 'rebel' }], places: [{ text: 'Kidal', geonames_id: 2455290 }] }, (doc) => [makeCandidate(doc, 'killed')]);
  const denied = run('The rebels denied that soldiers had reportedly killed five fighters.', { actors: [{ text: 'soldiers', kind: 'military' }, { text: 'fighters', kind: 'rebel' }] }, (doc) => [makeCandidate(doc, 'killed')]);
  assert.equal(denied.events[0]!.claim, 'denied');
  assert.ok(denied.events[0]!.confidence < plain.events[0]!.confidence - 0.2, `${denied.events[0]!.confidence} vs ${plain.events[0]!.confidence}`);
});

test('events-records: the stage wraps a detector and requires every argument layer', () => {
  const stage = createEventStage((doc) => [makeCandidate(doc, 'attacked')]);
  assert.deepEqual([...stage.requires], ['actors', 'places', 'dates', 'quantities', 'sources']);
  assert.deepEqual([...stage.assigns], ['events']);
  const doc = stage.run(makeTestDoc('Gunmen attacked a bus.', { id: 'x9', actors: [{ text: 'Gunmen' }] }), { knowledge: {} });
  assert.deepEqual(doc.events.map((e) => [e.event_id, e.actor1?.name]), [['x9:e1', 'Gunmen']]);
});

test('events-records: the place preposition sets geo precision ("in" keeps the town, "near"/"outside" make it 2, "X-based" ties)', () => {
  const cases: [string, string, 1 | 2 | 3][] = [
    ['Gunmen attacked a checkpoint in Kohat.', 'Kohat', 1],
    ['Gunmen attacked a checkpoint outside Kohat.', 'Kohat', 2],
    ['Gunmen attacked a checkpoint near Kohat.', 'Kohat', 2],
    ['A Kohat-based militia attacked a checkpoint.', 'Kohat', 2],
  ];
  for (const [text, place, precision] of cases) {
    const { events } = run(text, { places: [{ text: place, geonames_id: 1182092, country_code: 'PK', geo_precision: 1 }] }, (doc) => [makeCandidate(doc, 'attacked')]);
    assert.deepEqual([events[0]!.location?.name, events[0]!.location?.geo_precision], [place, precision], text);
  }
});

test('events-records: the same kind of event in the same town on different days stays two events', () => {
  const { events } = run(
    'Rebels attacked an army post in Kidal on 3 May. Rebels attacked an army post in Kidal on 9 May.',
    {
      date: '2024-05-10',
      actors: [{ text: 'Rebels', nth: 1, kind: 'rebel' }, { text: 'Rebels', nth: 2, kind: 'rebel' }],
      places: [{ text: 'Kidal', nth: 1, geonames_id: 2455290 }, { text: 'Kidal', nth: 2, geonames_id: 2455290 }],
      dates: [{ text: '3 May', value: '2024-05-03' }, { text: '9 May', value: '2024-05-09' }],
    },
    (doc) => [makeCandidate(doc, 'attacked', { nth: 1 }), makeCandidate(doc, 'attacked', { nth: 2 })],
  );
  assert.deepEqual(events.map((e) => e.date), ['2024-05-03', '2024-05-09']);
});

test('events-records: people involved go to count (surrendered, arrested)', () => {
  const { events } = run(
    'Forty fighters of the Baloch Liberation Army surrendered to the Frontier Corps in Turbat.',
    {
      actors: [{ text: 'Baloch Liberation Army', kind: 'rebel' }, { text: 'the Frontier Corps', kind: 'military' }],
      quantities: [{ text: 'Forty fighters', value: 40, role: 'involved', noun: 'fighters' }],
    },
    (doc) => [makeCandidate(doc, 'surrendered', { event_type: 'RETREAT', acled_event_type: 'Strategic developments' })],
  );
  assert.deepEqual([events[0]!.count, events[0]!.fatalities, events[0]!.injured], [40, null, null]);
});

test('events-records: a mention with only a non-conflict category makes no event record', () => {
  const { events } = run(
    'A magnitude 6.1 earthquake struck near Herat on Saturday, killing 12 people, officials said.',
    { quantities: [{ text: '12 people', value: 12, role: 'killed', noun: 'people' }] },
    (doc) => [makeCandidate(doc, 'earthquake', { event_type: 'NATURAL_DISASTER', category: 'NATURAL_DISASTER', acled_event_type: null, acled_sub_event_type: null })],
  );
  assert.equal(events.length, 0);
});

test('events-records: "The attack took place ..." refers back and merges, bringing its day and place', () => {
  const text =
    'Eleven soldiers were killed in an ambush in the eastern region, the ministry said on Thursday.\n\nThe attack took place on Tuesday near the village of Kora, when a patrol came under fire.';
  const { events } = run(
    text,
    {
      date: '2024-06-14',
      actors: [{ text: 'soldiers', name: 'national army', kind: 'military' }],
      places: [
        { text: 'eastern region', name: 'Eastern Region', country_code: 'XX', geo_precision: 3, feature_code: 'ADM1' },
        { text: 'Kora', geonames_id: 42, country_code: 'XX', geo_precision: 1 },
      ],
      dates: [
        { text: 'Thursday', value: '2024-06-13' },
        { text: 'Tuesday', value: '2024-06-11' },
      ],
      quantities: [{ text: 'Eleven soldiers', value: 11, role: 'killed', noun: 'soldiers' }],
    },
    (doc) => [makeCandidate(doc, 'ambush'), makeCandidate(doc, 'attack')],
  );
  assert.equal(events.length, 1);
  assert.equal(events[0]!.date, '2024-06-11');
  assert.equal(events[0]!.location?.name, 'Kora');
  assert.equal(events[0]!.fatalities, 11);
  assert.equal(events[0]!.evidence_all?.length, 2);
});

test('events-records: an indefinite later mention on another day stays apart ("an attack" is not "the attack")', () => {
  const text = 'Gunmen killed four traders in Kora on Tuesday. Gunmen killed a farmer in an attack in Bani on Sunday.';
  const { events } = run(
    text,
    {
      date: '2024-06-14',
      actors: [{ text: 'Gunmen', name: 'gunmen' }, { text: 'Gunmen', nth: 2, name: 'gunmen' }],
      places: [
        { text: 'Kora', geonames_id: 42, country_code: 'XX' },
        { text: 'Bani', geonames_id: 43, country_code: 'XX' },
      ],
      dates: [
        { text: 'Tuesday', value: '2024-06-11' },
        { text: 'Sunday', value: '2024-06-09' },
      ],
    },
    (doc) => [makeCandidate(doc, 'killed'), makeCandidate(doc, 'attack')],
  );
  assert.equal(events.length, 2);
});

test('events-records: "no group claimed" and "neither group claimed" are no claim', () => {
  for (const sentence of ['No group has claimed the bombing.', 'Neither group immediately claimed the bombing.', 'The bombing was not claimed by any group.']) {
    const { events } = run(
      `A bomb exploded at a market in Kora on Tuesday. ${sentence}`,
      { places: [{ text: 'Kora', geonames_id: 42, country_code: 'XX' }], dates: [{ text: 'Tuesday', value: '2024-06-11' }] },
      (doc) => [makeCandidate(doc, 'bomb', { acled_event_type: 'Explosions/Remote violence' }), makeCandidate(doc, 'bombing', { acled_event_type: 'Explosions/Remote violence' })],
    );
    assert.equal(events.length, 1, sentence);
    assert.equal(events[0]!.claim, 'reported', sentence);
    assert.equal(events[0]!.claimed_by, null, sentence);
  }
});

test('events-records: the lead corrects the headline\'s roles; a target never also becomes the doer', () => {
  const text = 'Dozens killed as rebels storm hotel\nRebel fighters stormed a hotel in Kora on Friday, killing 30 guests.';
  const { events } = run(
    text,
    {
      title: 'Dozens killed as rebels storm hotel',
      actors: [
        { text: 'rebels', id: 'reb', name: 'River Front', kind: 'rebel' },
        { text: 'Rebel fighters', id: 'reb', name: 'River Front', kind: 'rebel' },
        { text: 'guests', name: 'civilians', kind: 'civilians' },
      ],
      places: [{ text: 'Kora', geonames_id: 42, country_code: 'XX' }],
      dates: [{ text: 'Friday', value: '2024-06-07' }],
      quantities: [{ text: '30 guests', value: 30, role: 'killed', noun: 'guests' }],
    },
    (doc) => {
      doc.sentences[0]!.isHeadline = true;
      return [makeCandidate(doc, 'killed', { acled_event_type: 'Violence against civilians' }), makeCandidate(doc, 'stormed', { acled_event_type: 'Violence against civilians' })];
    },
  );
  assert.equal(events.length, 1);
  assert.equal(events[0]!.actor1?.name, 'River Front');
  assert.equal(events[0]!.actor2?.name, 'civilians');
});

test('events-records: generic actors follow the record\'s sub-event type and never repeat the other side', () => {
  const { events } = run(
    'Police fired tear gas at marchers in the capital on Tuesday.',
    { actors: [{ text: 'Police', name: 'national police', kind: 'police' }], dates: [{ text: 'Tuesday', value: '2024-06-11' }] },
    (doc) => [makeCandidate(doc, 'tear gas', { event_type: 'PROTEST', acled_event_type: 'Protests', acled_sub_event_type: 'Excessive force against protesters' })],
  );
  assert.equal(events[0]!.actor1?.name, 'national police');
  assert.equal(events[0]!.actor2?.name, 'Protesters');
});

interface ShapeCase {
  name: string;
  text: string;
  spec: TestDocSpec;
  trigger: string;
  fields?: Partial<EventCandidate>;
  expect: Partial<Record<'actor1' | 'actor2' | 'location' | 'fatalities', string | number | null>>;
}

const VAC = { acled_event_type: 'Violence against civilians', acled_sub_event_type: 'Attack' };

const SHAPE_CASES: ShapeCase[] = [
  {
    name: 'an actor right before an event noun is its doer ("an army raid on the camp")',
    text: 'Four men were killed during a national army raid on the camp.',
    spec: { actors: [{ text: 'national army', name: 'national army', kind: 'military' }, { text: 'men', name: 'civilians', kind: 'civilians' }] },
    trigger: 'raid',
    fields: VAC,
    expect: { actor1: 'national army' },
  },
  {
    name: 'a possessive before an event noun is not its doer ("the hostages\' release")',
    text: 'The governor demanded the hostages\' release.',
    spec: { actors: [{ text: 'governor', name: 'governor', kind: 'government' }, { text: 'hostages', name: 'hostages', kind: 'civilians' }] },
    trigger: 'release',
    fields: { event_type: 'RETREAT', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor1: 'governor' },
  },
  {
    name: 'a verb is not an event noun: "the army retook the town" keeps its subject and object',
    text: 'After weeks of siege the army retook the town from the rebels.',
    spec: { actors: [{ text: 'army', name: 'national army', kind: 'military' }, { text: 'rebels', name: 'rebels', kind: 'rebel' }] },
    trigger: 'retook',
    fields: { acled_event_type: 'Battles', acled_sub_event_type: 'Government regains territory' },
    expect: { actor1: 'national army' },
  },
  {
    name: 'a nationality adjective before an event noun names the state ("Freedonian air strikes")',
    text: 'Freedonian air strikes on the border villages killed 12 people.',
    spec: {
      places: [{ text: 'Freedonian', name: 'Freedonia', country_code: 'FD', demonym: true, feature_code: 'PCLI', geo_precision: 3 }],
      quantities: [{ text: '12 people', value: 12, role: 'killed', noun: 'people' }],
    },
    trigger: 'air strikes',
    fields: { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Air/drone strike' },
    expect: { actor1: 'Freedonia', fatalities: 12 },
  },
  {
    name: 'a country as subject stands for its state ("Freedonia sent arms to ...")',
    text: 'Freedonia sent arms to the rebels last year.',
    spec: {
      actors: [{ text: 'rebels', name: 'rebels', kind: 'rebel' }],
      places: [{ text: 'Freedonia', country_code: 'FD', feature_code: 'PCLI', geo_precision: 3 }],
    },
    trigger: 'sent arms',
    fields: { event_type: 'AID', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor1: 'Freedonia', actor2: 'rebels' },
  },
  {
    name: 'a country that only speaks is not the doer ("Freedonia said Sylvania must ...")',
    text: 'Freedonia said on Monday that the militia must withdraw.',
    spec: {
      actors: [{ text: 'militia', name: 'militia', kind: 'militia' }],
      places: [{ text: 'Freedonia', country_code: 'FD', feature_code: 'PCLI', geo_precision: 3, metonymy: true }],
    },
    trigger: 'withdraw',
    fields: { event_type: 'RETREAT', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor1: 'militia' },
  },
  {
    name: 'a country as object stands for its state ("the minister visited Sylvania")',
    text: 'The foreign minister visited Sylvania on Tuesday.',
    spec: {
      actors: [{ text: 'foreign minister', name: 'Freedonian government', kind: 'government' }],
      places: [{ text: 'Sylvania', country_code: 'SY', feature_code: 'PCLI', geo_precision: 3 }],
    },
    trigger: 'visited',
    fields: { event_type: 'CONSULT', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor1: 'Freedonian government', actor2: 'Sylvania' },
  },
  {
    name: 'a nationality adjective in the object of a verbal act names the target state ("rejected a Sylvanian ultimatum")',
    text: 'Freedonia flatly rejected a Sylvanian ultimatum on Thursday.',
    spec: {
      places: [
        { text: 'Freedonia', country_code: 'FD', feature_code: 'PCLI', geo_precision: 3 },
        { text: 'Sylvanian', name: 'Sylvania', country_code: 'SY', feature_code: 'PCLI', geo_precision: 3, demonym: true },
      ],
    },
    trigger: 'rejected',
    fields: { event_type: 'REJECT', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor1: 'Freedonia', actor2: 'Sylvania' },
  },
  {
    name: 'the author of what a verbal act answers is its target ("rejected calls by X")',
    text: 'The council rejected calls by the opposition alliance for early elections.',
    spec: { actors: [{ text: 'council', name: 'ruling council', kind: 'government' }, { text: 'opposition alliance', name: 'opposition alliance', kind: 'party' }] },
    trigger: 'rejected',
    fields: { event_type: 'REJECT', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor1: 'ruling council', actor2: 'opposition alliance' },
  },
  {
    name: 'the place a non-violent act is aimed at is its (weak) target ("a curfew in Kora")',
    text: 'The governor imposed a curfew in Kora on Monday.',
    spec: { actors: [{ text: 'governor', name: 'governor', kind: 'government' }], places: [{ text: 'Kora', geonames_id: 42, country_code: 'XX' }] },
    trigger: 'imposed a curfew',
    fields: { event_type: 'COERCE', acled_event_type: null, acled_sub_event_type: null },
    expect: { actor2: 'Kora', location: 'Kora' },
  },
  {
    name: 'a violent event\'s town stays its location, not its target',
    text: 'Rebels shelled Kora on Monday.',
    spec: { actors: [{ text: 'Rebels', name: 'rebels', kind: 'rebel' }], places: [{ text: 'Kora', geonames_id: 42, country_code: 'XX' }] },
    trigger: 'shelled',
    fields: { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Shelling/artillery/missile attack' },
    expect: { actor1: 'rebels', actor2: null, location: 'Kora' },
  },
  {
    name: 'headline passive without "were": the subject is the victim ("Two guards killed in attack on ...")',
    text: 'Two guards killed in attack on border post',
    spec: { actors: [{ text: 'guards', name: 'border guards', kind: 'military' }] },
    trigger: 'attack',
    expect: { actor2: 'border guards' },
  },
  {
    name: 'an actor after a clause opener fills no role ("Dozens killed as rebels storm ...")',
    text: 'Dozens killed as rebels storm hotel',
    spec: { actors: [{ text: 'rebels', name: 'rebels', kind: 'rebel' }] },
    trigger: 'killed',
    fields: VAC,
    expect: { actor2: 'Civilians' },
  },
  {
    name: 'the dead belong to the violent trigger, not to a nearer "monitor" or "aid" word',
    text: 'Shelling killed nine civilians on Wednesday, a relief monitor said.',
    spec: { quantities: [{ text: 'nine civilians', value: 9, role: 'killed', noun: 'civilians' }] },
    trigger: 'Shelling',
    fields: { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Shelling/artillery/missile attack' },
    expect: { fatalities: 9 },
  },
  {
    name: 'the most specific tied place wins ("the town of X in Y region")',
    text: 'Rebels took control of the town of Kora in the Eastern region on Friday.',
    spec: {
      actors: [{ text: 'Rebels', name: 'rebels', kind: 'rebel' }],
      places: [
        { text: 'Kora', geonames_id: 42, country_code: 'XX', geo_precision: 1 },
        { text: 'Eastern region', country_code: 'XX', geo_precision: 3, feature_code: 'ADM1' },
      ],
    },
    trigger: 'took control',
    fields: { acled_event_type: 'Battles', acled_sub_event_type: 'Non-state actor overtakes territory' },
    expect: { location: 'Kora' },
  },
];

for (const c of SHAPE_CASES) {
  test(`events-records shape: ${c.name}`, () => {
    const { doc, events } = run(c.text, c.spec, (d) => {
      if (c.text === 'Two guards killed in attack on border post' || c.text === 'Dozens killed as rebels storm hotel') d.sentences[0]!.isHeadline = true;
      const others = c.trigger === 'Shelling' ? [makeCandidate(d, 'monitor', { event_type: 'ACCUSE', acled_event_type: null, acled_sub_event_type: null })] : [];
      return [makeCandidate(d, c.trigger, c.fields ?? {}), ...others];
    });
    assert.ok(doc.sentences.length > 0);
    const e = events.find((x) => x.trigger?.text === c.trigger)!;
    for (const [field, want] of Object.entries(c.expect)) {
      const got = field === 'actor1' ? e.actor1?.name : field === 'actor2' ? e.actor2?.name : field === 'location' ? e.location?.name : e.fatalities;
      assert.equal(got ?? null, want, field);
    }
  });
}

test('events-records: mentions whose doers differ stay apart, complementary roles merge', () => {
  const text = 'Gunmen killed two traders in Kora on Tuesday. Police killed three robbers in Kora on Tuesday. The traders were shot at the market.';
  const { events } = run(
    text,
    {
      actors: [
        { text: 'Gunmen', name: 'gunmen', kind: 'unknown' },
        { text: 'traders', name: 'traders', kind: 'civilians' },
        { text: 'Police', name: 'national police', kind: 'police' },
        { text: 'robbers', name: 'robbers', kind: 'unknown' },
        { text: 'traders', nth: 2, name: 'traders', kind: 'civilians' },
      ],
      places: [
        { text: 'Kora', geonames_id: 42, country_code: 'XX' },
        { text: 'Kora', nth: 2, geonames_id: 42, country_code: 'XX' },
      ],
      dates: [
        { text: 'Tuesday', value: '2024-06-11' },
        { text: 'Tuesday', nth: 2, value: '2024-06-11' },
      ],
    },
    (doc) => [makeCandidate(doc, 'killed', VAC), makeCandidate(doc, 'killed', { ...VAC, nth: 2 }), makeCandidate(doc, 'shot', VAC)],
  );
  assert.equal(events.length, 2);
  assert.equal(events[0]!.actor1?.name, 'gunmen');
  assert.equal(events[0]!.evidence_all?.length, 2);
  assert.equal(events[1]!.actor1?.name, 'national police');
});

test('events-records: one source once, in its most specific form ("officials" / "district officials")', () => {
  const text = 'Bomb kills four in Kora market, officials say\nA bomb exploded in a market in Kora on Friday, killing four people, district officials said.';
  const { events } = run(
    text,
    { places: [{ text: 'Kora', geonames_id: 42, country_code: 'XX' }, { text: 'Kora', nth: 2, geonames_id: 42, country_code: 'XX' }], dates: [{ text: 'Friday', value: '2024-06-07' }] },
    (doc) => {
      doc.sentences[0]!.isHeadline = true;
      const ev = { acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Remote explosive/landmine/IED' };
      return [makeCandidate(doc, 'Bomb', ev), makeCandidate(doc, 'bomb', ev)];
    },
  );
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.sources, [{ name: 'district officials', kind: 'official' }]);
});

test('events-records: a party\'s claim of how many it killed does not override the reported toll', () => {
  const text =
    'Rebels attacked an army base in Kora on Friday, killing three soldiers, officials said. The River Front claimed responsibility and said its fighters had killed more than 40 soldiers in the attack.';
  const { events } = run(
    text,
    {
      actors: [
        { text: 'Rebels', name: 'River Front', id: 'rf', kind: 'rebel' },
        { text: 'army', name: 'national army', kind: 'military' },
        { text: 'River Front', name: 'River Front', id: 'rf', kind: 'rebel' },
        { text: 'soldiers', nth: 2, name: 'national army', kind: 'military' },
      ],
      places: [{ text: 'Kora', geonames_id: 42, country_code: 'XX' }],
      dates: [{ text: 'Friday', value: '2024-06-07' }],
      quantities: [
        { text: 'three soldiers', value: 3, role: 'killed', noun: 'soldiers' },
        { text: 'more than 40', value: 40, role: 'killed', noun: 'soldiers', lowerBound: true },
      ],
    },
    (doc) => [makeCandidate(doc, 'attacked'), makeCandidate(doc, 'attack', { nth: 2 })],
  );
  assert.equal(events.length, 1);
  assert.equal(events[0]!.fatalities, 3);
  assert.equal(events[0]!.claimed_by, 'River Front');
  assert.equal(events[0]!.claim, 'reported');
});

test('events-records: a plural possessive stays in the source\'s name ("the Prisoners\' Society said")', () => {
  const { events } = run(
    "Troops arrested 15 people in raids overnight, the Detainees' Society said.",
    { actors: [{ text: 'Troops', name: 'national army', kind: 'military' }], quantities: [{ text: '15 people', value: 15, role: 'involved', noun: 'people' }] },
    (doc) => [makeCandidate(doc, 'arrested', { event_type: 'COERCE', acled_event_type: 'Strategic developments', acled_sub_event_type: 'Arrests' })],
  );
  assert.equal(events[0]!.sources[0]?.name, "Detainees' Society");
});

test('events-records: a town the gazetteer lacks is mapped at its admin unit, one precision coarser', () => {
  const { events } = run(
    'Gunmen abducted 40 pupils from a school in the town of Tungan Dutse on Thursday, police said.',
    {
      places: [{
        text: 'Tungan Dutse', country_code: 'NG', admin1: 'Kaduna', lat: null, lon: null, geo_precision: 1,
        fallback: { name: 'Kaduna', geonames_id: null, lat: 10.4, lon: 7.7 },
      }],
    },
    (doc) => [makeCandidate(doc, 'abducted', { event_type: 'ASSAULT', acled_event_type: 'Violence against civilians', acled_sub_event_type: 'Abduction/forced disappearance' })],
  );
  const loc = events[0]!.location!;
  assert.deepEqual([loc.name, loc.lat, loc.lon, loc.geo_precision, loc.admin1], ['Tungan Dutse', 10.4, 7.7, 2, 'Kaduna']);
});
