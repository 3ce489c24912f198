/**
 * detectEvents on hand-built documents: the hard cases (negation, threat and future, hypothetical,
 * passive voice, nominal events, headlines, two events in one sentence, actor-aware targets) and
 * the trigger lexicon's loader.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KnowledgeError } from '../errors.js';
import { createDoc } from '../pipeline.js';
import { normalizeText } from '../text/normalize.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type { ActorMention, EventCandidate, KhabarDoc } from '../types.js';
import { detectEvents, loadEventLexicon } from './detect.js';

const lexicon = loadEventLexicon();

function makeDoc(raw: string, actors: Partial<ActorMention>[] = []): KhabarDoc {
  const doc = createDoc({ id: 't', date: '2024-01-01', title: null, rawText: raw, url: null, source: null, language: 'en', origin: { file: 'test', line: null } });
  const n = normalizeText(raw);
  doc.text = n.text;
  doc.toRaw = n.toRaw;
  doc.sentences = splitSentences(n.text);
  doc.tokens = tokenizeSentences(n.text, doc.sentences);
  for (const a of actors) {
    const start = doc.text.indexOf(a.text!);
    assert.ok(start >= 0, `actor text "${a.text}" not in the document`);
    doc.actors.push({ id: null, name: a.text!, kind: 'unknown', country: null, inter: null, score: 1, ...a, text: a.text!, start, end: start + a.text!.length });
  }
  return doc;
}

/** The candidate whose trigger text is `trigger` (fails the test when absent). */
function byTrigger(events: EventCandidate[], trigger: string): EventCandidate {
  const e = events.find((x) => x.trigger.text === trigger);
  assert.ok(e, `no candidate with trigger "${trigger}" in ${JSON.stringify(events.map((x) => x.trigger.text))}`);
  return e;
}

const MODALITY_CASES: { name: string; text: string; trigger: string; type: string; modality: string }[] = [
  { name: 'negation', text: 'The army did not attack the village.', trigger: 'attack', type: 'ASSAULT', modality: 'negated' },
  { name: 'negation with never', text: 'Police never arrested the suspects.', trigger: 'arrested', type: 'COERCE', modality: 'negated' },
  { name: 'threat', text: 'The rebels threatened to attack the capital.', trigger: 'attack', type: 'ASSAULT', modality: 'threat' },
  { name: 'the threat itself', text: 'The rebels threatened to attack the capital.', trigger: 'threatened', type: 'THREATEN', modality: 'asserted' },
  { name: 'hypothetical', text: 'The editor could face arrest for the article.', trigger: 'arrest', type: 'COERCE', modality: 'hypothetical' },
  { name: 'demand', text: 'The union urged the government to release the detained workers.', trigger: 'release', type: 'RETREAT', modality: 'demand' },
  { name: 'reported past event', text: 'The report said soldiers killed three civilians last week.', trigger: 'killed', type: 'ASSAULT', modality: 'asserted' },
  { name: 'attempt counts as the act', text: 'Gunmen tried to assassinate the governor on Monday.', trigger: 'assassinate', type: 'ASSAULT', modality: 'asserted' },
];

for (const c of MODALITY_CASES) {
  test(`detectEvents modality: ${c.name}`, () => {
    const e = byTrigger(detectEvents(makeDoc(c.text), lexicon), c.trigger);
    assert.equal(e.event_type, c.type);
    assert.equal(e.modality, c.modality);
  });
}

test('detectEvents: an announced future withdrawal is CONCEDE (PLOVER), not a RETREAT', () => {
  const e = byTrigger(detectEvents(makeDoc('The government plans to withdraw its troops from the region.'), lexicon), 'withdraw');
  assert.equal(e.event_type, 'CONCEDE');
  assert.equal(e.acled_sub_event_type, null);
});

test('detectEvents: refusing to meet is REJECT', () => {
  const events = detectEvents(makeDoc('The president will not meet the rebel envoy.'), lexicon);
  assert.equal(byTrigger(events, 'meet').event_type, 'REJECT');
});

const TARGET_CASES: { name: string; text: string; sub: string }[] = [
  { name: 'passive, civilian victims', text: 'Three villagers were killed by militants near the river.', sub: 'Attack' },
  { name: 'passive, armed victims', text: 'Five soldiers were killed by militants near the river.', sub: 'Armed clash' },
  { name: 'active, armed target', text: 'Insurgents killed four policemen at a checkpoint.', sub: 'Armed clash' },
  { name: 'active, civilian target', text: 'Insurgents killed four shepherds in the hills.', sub: 'Attack' },
];

for (const c of TARGET_CASES) {
  test(`detectEvents ACLED target rule: ${c.name}`, () => {
    const events = detectEvents(makeDoc(c.text), lexicon).filter((e) => e.modality === 'asserted');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.acled_sub_event_type, c.sub);
  });
}

test('detectEvents uses doc.actors: an armed group named as target makes an armed clash', () => {
  const text = 'Fighters killed five members of the Northern Front.';
  const without = detectEvents(makeDoc(text), lexicon);
  const withActors = detectEvents(makeDoc(text, [{ text: 'Northern Front', kind: 'rebel', inter: 2 }]), lexicon);
  assert.equal(without[0]!.acled_sub_event_type, 'Attack');
  assert.equal(withActors[0]!.acled_sub_event_type, 'Armed clash');
});

test('detectEvents: a nominal event ("a suicide bombing at a mosque") with its victims is one Suicide bomb', () => {
  const events = detectEvents(makeDoc('A suicide bombing at a mosque killed 20 worshippers.'), lexicon);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.trigger.text, 'suicide bombing');
  assert.equal(events[0]!.acled_sub_event_type, 'Suicide bomb');
  assert.equal(events[0]!.mode, 'suicide-attack');
});

test('detectEvents: a headline ("Blast kills 5 in Kabul") reports an explosion', () => {
  const doc = makeDoc('Blast kills 5 in Kabul\n\nThe explosion went off near a market on Friday.');
  assert.equal(doc.sentences[0]!.isHeadline, true);
  const head = detectEvents(doc, lexicon).filter((e) => e.sentence === 0);
  assert.deepEqual(head.map((e) => [e.trigger.text, e.acled_sub_event_type, e.modality]), [['Blast', 'Remote explosive/landmine/IED', 'asserted']]);
});

test('detectEvents: two events in one sentence, in order', () => {
  const events = detectEvents(makeDoc('Gunmen killed two farmers and police later arrested four suspects.'), lexicon);
  assert.deepEqual(events.map((e) => e.acled_sub_event_type), ['Attack', 'Arrests']);
  assert.deepEqual(events.map((e) => e.sentence), [0, 0]);
});

test('detectEvents: weapons found and defused are a disrupted weapons use, not an explosion', () => {
  const events = detectEvents(makeDoc('Troops found a cache of rockets and mortar rounds in an abandoned farm.'), lexicon);
  assert.ok(events.length >= 1);
  for (const e of events) assert.equal(e.acled_sub_event_type, 'Disrupted weapons use');
});

test('detectEvents: a gas tank exploding at a factory is a man-made disaster', () => {
  const [e] = detectEvents(makeDoc('A gas tank exploded at a fertiliser factory, injuring four workers.'), lexicon);
  assert.equal(e?.category, 'MAN_MADE_DISASTER');
  assert.equal(e?.acled_sub_event_type, null);
});

test('detectEvents: capitalised words inside a name are not triggers ("Storm Brigade")', () => {
  const events = detectEvents(makeDoc('A commander of the Storm Brigade spoke to reporters in the city.'), lexicon);
  assert.deepEqual(events, []);
});

test('detectEvents: trigger offsets point into doc.text and sentences are in order', () => {
  const doc = makeDoc('Police arrested six men. Later, a grenade exploded near the court.');
  const events = detectEvents(doc, lexicon);
  for (const e of events) assert.equal(doc.text.slice(e.trigger.start, e.trigger.end), e.trigger.text);
  assert.deepEqual(events.map((e) => e.sentence), [0, 1]);
  assert.equal(events[1]!.acled_sub_event_type, 'Grenade');
});

test('loadEventLexicon: a user trigger file adds its own triggers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-triggers-'));
  const file = join(dir, 'triggers.json');
  writeFileSync(file, JSON.stringify({
    acled: { ATTACK: ['Violence against civilians', 'Attack'] },
    groups: [{ t: 'ASSAULT', m: 'beat', a: 'ATTACK', w: 3, k: 'violent', p: ['thrash * villager|villagers'] }],
    cues: Object.fromEntries(['negation', 'future', 'threat', 'hypothetical', 'demand', 'asserted_governors', 'clause_breaks', 'passive', 'state', 'nonstate', 'civilian', 'clash', 'mob', 'protest', 'protest_violent', 'protest_lethal', 'protest_intervention', 'industrial', 'attack_context', 'withdraw_transfer', 'conflict_context', 'disrupt', 'weapon', 'crime', 'strike_verbs', 'allegation', 'transfer'].map((k) => [k, []])),
  }));
  const custom = loadEventLexicon(file);
  const events = detectEvents(makeDoc('Guards thrashed the two villagers.'), custom);
  assert.deepEqual(events.map((e) => [e.trigger.text, e.acled_sub_event_type]), [['thrashed the two villagers', 'Attack']]);
});

test('loadEventLexicon: a file with an unknown code fails with E_KNOWLEDGE naming the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-triggers-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ acled: {}, groups: [{ t: 'ASSAULT', m: null, a: 'NO_SUCH_CODE', w: 1, k: 'harm', p: ['x'] }], cues: {} }));
  assert.throws(() => loadEventLexicon(file), (err: unknown) => err instanceof KnowledgeError && err.code === 'E_KNOWLEDGE' && /cues/.test(err.message));
  writeFileSync(file, '{ not json');
  assert.throws(() => loadEventLexicon(file), (err: unknown) => err instanceof KnowledgeError && /not valid JSON/.test(err.message));
});
