/**
 * detectEvents on ordinary news that uses conflict words in other senses: deaths, harm and "fights" of
 * disease, accident or natural hazard are no ASSAULT while those of violence still are; "hit a record",
 * "AIDS", medical "drugs" and everyday "monitoring" are no events; and the rule reads the trigger
 * lexicon's data (a user file's own causes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CUE_NAMES } from './typing/lexicon.js';
import { detectEvents, loadEventLexicon, type EventLexicon } from './detect.js';
import { makeTestDoc } from './test-doc.js';

const lexicon = loadEventLexicon();

/** The asserted events of a one-sentence text as "TYPE:trigger". */
function typed(text: string, lex: EventLexicon = lexicon): string[] {
  return detectEvents(makeTestDoc(text), lex)
    .filter((e) => e.modality === 'asserted')
    .map((e) => `${e.event_type}:${e.trigger.text.toLowerCase()}`);
}

const NOT_ASSAULT: { name: string; text: string }[] = [
  { name: 'died of a disease', text: 'Three people died of cholera in the village last week.' },
  { name: 'disease deaths rose', text: 'Ebola deaths rose to 40 on Tuesday.' },
  { name: 'a disease killed people', text: 'Measles has killed 12 children in the district.' },
  { name: 'relative clause back to the disease', text: 'The outbreak, which has killed 300 people, is spreading.' },
  { name: 'illness', text: 'The singer died after a long illness.' },
  { name: 'natural causes', text: 'The former mayor died of natural causes at his home.' },
  { name: 'heart attack (its "attack" is no violence)', text: 'The minister died of a heart attack on Sunday.' },
  { name: 'car crash', text: 'Two men died in a car crash near the bridge.' },
  { name: 'drowning', text: 'Four fishermen were found dead after drowning in the lake.' },
  { name: 'killed by a storm', text: 'Nine people were killed by the storm in the north.' },
  { name: 'injured in a flood', text: 'Dozens of residents were injured in the floods.' },
  { name: 'dead and infected in an outbreak', text: 'At least 50 people are dead and 900 others infected in the typhoid outbreak.' },
  { name: 'animals found dead', text: 'Officials found hundreds of dead birds near the lake.' },
  { name: 'a virus hit a region', text: 'The virus hit the region in the spring.' },
  { name: 'hit by a storm', text: 'The coastal town was hit by the hurricane.' },
  { name: 'hit a record', text: 'Food prices hit a record in March.' },
  { name: 'struck by an earthquake', text: 'The province was struck by an earthquake overnight.' },
  { name: 'a fight against a disease', text: 'Antibodies fight the infection within days.' },
  { name: 'a battle with an illness', text: 'The actor lost his battle with cancer.' },
  { name: 'a fight against a social ill', text: 'The ministers agreed to fight corruption.' },
  { name: 'a flu shot', text: 'Nurses gave the flu shot to 300 pupils.' },
];

for (const c of NOT_ASSAULT) {
  test(`detectEvents: no ASSAULT for harm without violence: ${c.name}`, () => {
    const events = typed(c.text);
    assert.ok(!events.some((e) => e.startsWith('ASSAULT:')), `ASSAULT in ${JSON.stringify(events)}`);
  });
}

const STILL_ASSAULT: { name: string; text: string; trigger: string }[] = [
  { name: 'killed in an attack', text: 'Two guards were killed in an attack on the depot.', trigger: 'killed' },
  { name: 'died of gunshot wounds', text: 'The driver died of gunshot wounds in hospital.', trigger: 'died' },
  { name: 'died after being beaten', text: 'A prisoner died after being beaten by guards.', trigger: 'died' },
  { name: 'a bare death with no cause', text: 'A man was found dead in his flat on Monday.', trigger: 'dead' },
  { name: 'storming a building', text: 'Troops stormed the building at dawn.', trigger: 'stormed' },
  { name: 'violence beside a disease word', text: 'Gunmen killed two cholera workers at the clinic.', trigger: 'killed' },
  { name: 'an attack in a crash', text: 'The pilot died when militants shot down the plane and it crashed.', trigger: 'died' },
  { name: 'hit by a bomb', text: 'The market was hit by a bomb on Friday.', trigger: 'bomb' },
  { name: 'an armed actor beside an animal word', text: 'Cattle rustlers have killed eleven herders near the town.', trigger: 'killed' },
  { name: 'a battle between armed groups', text: 'Troops and rebels fought a fierce battle near the border.', trigger: 'battle' },
  { name: 'the violent act after a disease death in the same sentence', text: 'Two men died of malaria while gunmen killed three farmers.', trigger: 'killed' },
];

for (const c of STILL_ASSAULT) {
  test(`detectEvents: violence still ASSAULT: ${c.name}`, () => {
    const events = typed(c.text);
    assert.ok(events.some((e) => e.startsWith('ASSAULT:') && e.includes(c.trigger)), `no ASSAULT on "${c.trigger}" in ${JSON.stringify(events)}`);
  });
}

test('detectEvents: a disaster trigger is the cause of the deaths it follows, no assault', () => {
  assert.deepEqual(typed('More than 60 people died after a tsunami hit the island.'), ['NATURAL_DISASTER:tsunami']);
});

test('detectEvents: "AIDS" is a disease, the verb "aids" still AID', () => {
  assert.deepEqual(typed('She has lived with HIV/AIDS for ten years.'), []);
  assert.deepEqual(typed('The clinic treats people with AIDS.'), []);
  assert.deepEqual(typed('The fight against Aids continues.'), []);
  assert.deepEqual(typed('The agency aids refugees at the border.'), ['AID:aids']);
});

test('detectEvents: a medicine is no drug crime; drug trafficking still is', () => {
  assert.ok(!typed('A new drug for malaria was approved.').some((e) => e.startsWith('COERCE:')));
  assert.ok(typed('Police broke up a drug trafficking ring.').some((e) => e.startsWith('COERCE:')));
});

test('detectEvents: everyday monitoring is no investigation; monitoring a ceasefire still is', () => {
  assert.ok(!typed('The estate is a gated community with 24-hour monitoring.').some((e) => e.startsWith('ACCUSE:')));
  assert.ok(!typed('Doctors are monitoring the patients closely.').some((e) => e.startsWith('ACCUSE:')));
  assert.ok(typed('Observers monitored the ceasefire along the border.').some((e) => e.startsWith('ACCUSE:')));
});

test('loadEventLexicon: a user file\'s cause-dependent group reads its own causes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-causes-'));
  const file = join(dir, 'triggers.json');
  writeFileSync(file, JSON.stringify({
    acled: { ATTACK: ['Violence against civilians', 'Attack'] },
    groups: [{ t: 'ASSAULT', m: null, a: 'ATTACK', w: 3, k: 'harm', c: true, p: ['perish'] }],
    cues: Object.fromEntries(CUE_NAMES.map((k) => [k, []])),
    causes: { nonviolent: ['frostbite'], violent: ['bayonet'] },
  }));
  const custom = loadEventLexicon(file);
  assert.deepEqual(typed('Ten climbers perished of frostbite.', custom), []);
  assert.deepEqual(typed('Ten men perished of bayonet wounds and frostbite.', custom), ['ASSAULT:perished']);
  assert.deepEqual(typed('Ten climbers perished.', custom), ['ASSAULT:perished']);
});
