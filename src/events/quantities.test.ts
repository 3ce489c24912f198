import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findQuantities, loadQuantityLexicon, quantityStage } from './quantities.js';
import { Pipeline } from '../pipeline.js';
import { normalizeStage } from '../text/normalize.js';
import { sentenceStage } from '../text/sentences.js';
import { tokenStage } from '../text/tokens.js';
import { dataPath } from '../paths.js';
import type { QuantityRole } from '../types.js';

/** [span text, value, lowerBound, role, noun] */
type Want = [string, number, boolean, QuantityRole, string | null];

const CASES: { name: string; text: string; want: Want[] }[] = [
  { name: 'digits with a passive role', text: 'At least 12 people were killed in the blast.', want: [['At least 12', 12, true, 'killed', 'people']] },
  { name: 'thousands separator and "more than"', text: 'Police arrested more than 1,200 protesters.', want: [['more than 1,200', 1200, true, 'involved', 'protesters']] },
  { name: 'hyphenated number word', text: 'Sixty-five soldiers died in the ambush.', want: [['Sixty-five', 65, false, 'killed', 'soldiers']] },
  { name: 'a dozen is exact', text: 'A dozen villagers were abducted.', want: [['A dozen', 12, false, 'involved', 'villagers']] },
  { name: 'dozens is a lower bound of 12', text: 'Dozens of people were wounded.', want: [['Dozens', 12, true, 'injured', 'people']] },
  { name: 'hundreds', text: 'Hundreds of students rallied outside parliament.', want: [['Hundreds', 100, true, 'involved', 'students']] },
  { name: 'scores', text: 'Scores of fighters were killed, the army said.', want: [['Scores', 20, true, 'killed', 'fighters']] },
  { name: 'tens of thousands', text: 'Tens of thousands of residents have been displaced.', want: [['Tens of thousands', 10000, true, 'involved', 'residents']] },
  { name: 'nearly is not a lower bound', text: 'Nearly 40 people were injured.', want: [['Nearly 40', 40, false, 'injured', 'people']] },
  { name: 'up to', text: 'Up to 30 militants surrendered to the army.', want: [['Up to 30', 30, false, 'involved', 'militants']] },
  { name: 'number and scale word', text: 'More than 1.5 million people fled the fighting.', want: [['More than 1.5 million', 1500000, true, 'involved', 'people']] },
  {
    name: 'the role reaches across a coordination',
    text: '12 militants and two soldiers were killed in the clash.',
    want: [['12', 12, false, 'killed', 'militants'], ['two', 2, false, 'killed', 'soldiers']],
  },
  {
    name: 'a singular conjunct of a counted list is one more ("and a soldier")',
    text: 'Four rebels and a police officer were killed in the fighting.',
    want: [['Four', 4, false, 'killed', 'rebels'], ['a', 1, false, 'killed', 'officer']],
  },
  {
    name: 'a singular conjunct before a number, through "of his" ("a commander and three of his guards")',
    text: 'Troops killed a rebel commander and three of his bodyguards near the river.',
    want: [['a', 1, false, 'killed', 'commander'], ['three', 3, false, 'killed', 'bodyguards']],
  },
  {
    name: '"an unknown number of" is not one person',
    text: 'At least three soldiers and an unknown number of insurgents were killed.',
    want: [['At least three', 3, true, 'killed', 'soldiers']],
  },
  { name: 'a lone "a <person>" is not counted', text: 'A gunman opened fire and killed nine worshippers.', want: [['nine', 9, false, 'killed', 'worshippers']] },
  {
    name: 'active verbs before the number, two roles',
    text: 'The bomber struck on Sunday, killing at least 14 people and wounding 31 others.',
    want: [['at least 14', 14, true, 'killed', 'people'], ['31', 31, false, 'injured', 'others']],
  },
  {
    name: 'object list shares the verb',
    text: 'The strike killed 12 militants and two civilians.',
    want: [['12', 12, false, 'killed', 'militants'], ['two', 2, false, 'killed', 'civilians']],
  },
  { name: 'killing N without a noun', text: 'Gunmen opened fire, killing 12.', want: [['12', 12, false, 'killed', null]] },
  { name: 'left N dead', text: 'The clashes left 12 dead.', want: [['12', 12, false, 'killed', null]] },
  { name: 'death toll rose to', text: 'The death toll rose to 15 on Monday.', want: [['15', 15, false, 'killed', null]] },
  { name: 'toll phrased with the role far back', text: 'The number of people killed in the attack on the market has risen to 19.', want: [['19', 19, false, 'killed', null]] },
  { name: 'lost their lives', text: '12 people lost their lives in the flood of violence.', want: [['12', 12, false, 'killed', 'people']] },
  { name: 'bodies recovered', text: 'Rescuers recovered 9 bodies from the rubble.', want: [['9', 9, false, 'killed', 'bodies']] },
  { name: 'hurt', text: 'Six police officers were hurt.', want: [['Six', 6, false, 'injured', 'officers']] },
  { name: 'killed then wounded', text: 'Five Palestinians were killed and 11 wounded.', want: [['Five', 5, false, 'killed', 'Palestinians'], ['11', 11, false, 'injured', null]] },
  { name: 'adjectives before the noun', text: 'Troops killed three suspected militants.', want: [['three', 3, false, 'killed', 'militants']] },
  { name: 'quoted figure', text: 'The army said it had killed "dozens of terrorists".', want: [['dozens', 12, true, 'killed', 'terrorists']] },
  { name: 'people without a role', text: 'Around 200 people were inside the store.', want: [['Around 200', 200, false, 'other', 'people']] },
  { name: 'protesters count as involved by their noun', text: 'Thousands of demonstrators filled the square.', want: [['Thousands', 1000, true, 'involved', 'demonstrators']] },
  { name: 'a part of a counted whole is not counted twice', text: 'He was one of 12 people killed in the raid.', want: [['12', 12, false, 'killed', 'people']] },
  { name: 'one with a noun after "which"', text: 'A clash in which one soldier died.', want: [['one', 1, false, 'killed', 'soldier']] },
];

for (const c of CASES) {
  test(`findQuantities ${c.name}`, () => {
    const found = findQuantities(c.text);
    assert.deepEqual(
      found.map((q) => [q.text, q.value, q.lowerBound, q.role, q.noun]),
      c.want,
    );
    for (const q of found) assert.equal(c.text.slice(q.start, q.end), q.text);
  });
}

// Numbers that are not people.
const NOT_PEOPLE: string[] = [
  'Police seized 12 vehicles at the checkpoint.',
  'Troops recovered two AK-47 rifles and 300 rounds.',
  'The convoy travelled 1,200 km across the desert.',
  'The group was founded in 2019.',
  'The attack on 30 November was claimed by JNIM.',
  'The raid on Nov. 30 was claimed by JNIM.',
  'The blast happened at 9:30 am.',
  'A 25-year-old man was arrested.',
  'Officials announced a two-day curfew.',
  'Prices rose by 16 percent.',
  'No one was hurt in the fire.',
  'It is one of the deadliest attacks this year.',
  'The 403rd Infantry Brigade led the operation.',
  'The suspects, aged 19 and 22, were questioned.',
  'Drones flew 70 nautical miles.',
  'Two suicide belts were found.',
  'Zachary Brooks, 24, was arrested on Monday.',
  'The strike killed 24 animals at the farm.',
];

for (const text of NOT_PEOPLE) {
  test(`findQuantities finds no people in ${JSON.stringify(text)}`, () => {
    assert.deepEqual(findQuantities(text), []);
  });
}

test('findQuantities keeps each sentence apart: a role in the next sentence does not reach back', () => {
  const found = findQuantities('Twelve soldiers patrolled the road. Two were killed later.');
  assert.deepEqual(found.map((q) => [q.text, q.role]), [['Twelve', 'other'], ['Two', 'killed']]);
});

test('quantityStage fills doc.quantities with spans into the normalized text', () => {
  const pipeline = new Pipeline([normalizeStage, sentenceStage, tokenStage, quantityStage], { knowledge: {} });
  const doc = pipeline.run({
    id: 'q1',
    date: '2024-05-16',
    title: null,
    rawText: 'Bomb kills six in Peshawar\nA bomb exploded in a market, killing six people and injuring more than 20.',
    url: null,
    source: null,
    language: 'en',
    origin: { file: 'test', line: null },
  });
  assert.deepEqual(
    doc.quantities.map((q) => [q.text, q.value, q.role]),
    [['six', 6, 'killed'], ['six', 6, 'killed'], ['more than 20', 20, 'injured']],
  );
  for (const q of doc.quantities) assert.equal(doc.text.slice(q.start, q.end), q.text);
});

test('loadQuantityLexicon rejects a file that breaks the schema with E_KNOWLEDGE', () => {
  const good = JSON.parse(readFileSync(dataPath('events', 'quantities.json'), 'utf8')) as Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'khabar-q-'));
  const bad = join(dir, 'q.json');
  writeFileSync(bad, JSON.stringify({ ...good, vague: [{ phrase: 'dozens', value: -12, lowerBound: true }] }));
  assert.throws(() => loadQuantityLexicon(bad), (err: unknown) => (err as { code?: string }).code === 'E_KNOWLEDGE' && /vague/.test((err as Error).message));
  const ok = join(dir, 'ok.json');
  writeFileSync(ok, JSON.stringify(good));
  assert.equal(loadQuantityLexicon(ok).roleOf.get('wounded'), 'injured');
});

test('findQuantities on random text: never throws, spans match, values are non-negative integers', async () => {
  const fc = await import('fast-check');
  const words = ['at', 'least', '12', 'people', 'were', 'killed', 'and', 'two', 'soldiers', 'wounded', 'dozens', 'of', '1,200', 'km',
    'sixty-five', 'a', 'dozen', 'tens', 'thousands', 'one', 'no', 'arrested', 'the', 'toll', 'rose', 'to', ',', '"', '2019', 'November'];
  const textArb = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.array(fc.constantFrom(...words), { maxLength: 14 }).map((ws) => ws.join(' ')),
  );
  fc.assert(
    fc.property(textArb, (text) => {
      for (const q of findQuantities(text)) {
        assert.equal(text.slice(q.start, q.end), q.text);
        assert.ok(Number.isInteger(q.value) && q.value >= 0, `${q.text} -> ${q.value}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('quantityStage uses the quantity lexicon given in the knowledge', () => {
  const good = JSON.parse(readFileSync(dataPath('events', 'quantities.json'), 'utf8')) as { peopleNouns: string[] };
  const dir = mkdtempSync(join(tmpdir(), 'khabar-q-'));
  const path = join(dir, 'q.json');
  writeFileSync(path, JSON.stringify({ ...good, peopleNouns: [...good.peopleNouns, 'wazalendo'] }));
  const article = { id: 'q', date: '2024-12-04', title: null, rawText: 'About 40 Wazalendo stood near Sake.', url: null, source: null, language: 'en', origin: { file: 't', line: null } };
  const stages = [normalizeStage, sentenceStage, tokenStage, quantityStage];
  assert.deepEqual(new Pipeline(stages, { knowledge: {} }).run(article).quantities, []);
  const custom = new Pipeline(stages, { knowledge: { quantityLexicon: loadQuantityLexicon(path) } }).run(article);
  assert.deepEqual(custom.quantities.map((q) => [q.text, q.value, q.role, q.noun]), [['About 40', 40, 'other', 'Wazalendo']]);
});
