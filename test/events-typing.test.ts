/**
 * Event typing end to end (classifyText): one sentence per PLOVER type, per ACLED sub-event type and
 * per non-conflict category, all written for this test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyText, loadEventLexicon } from '../src/events/detect.js';

const lexicon = loadEventLexicon();

const ACLED_CASES: [string, string, string][] = [
  // [text, ACLED event type, sub-event type]
  ['Rebels and soldiers clashed near the border town on Monday.', 'Battles', 'Armed clash'],
  ['Militants attacked an army checkpoint overnight, officials said.', 'Battles', 'Armed clash'],
  ['Government troops recaptured the town from the insurgents.', 'Battles', 'Government regains territory'],
  ['Insurgents captured the district centre after days of fighting.', 'Battles', 'Non-state actor overtakes territory'],
  ['The militia withdrew from the village and rebels moved in without resistance.', 'Strategic developments', 'Non-violent transfer of territory'],
  ['A chlorine attack on the suburb left dozens struggling to breathe.', 'Explosions/Remote violence', 'Chemical weapon'],
  ['Warplanes bombed a market in the north, killing 12 people.', 'Explosions/Remote violence', 'Air/drone strike'],
  ['A suicide bomber blew himself up at a wedding hall.', 'Explosions/Remote violence', 'Suicide bomb'],
  ['Militants fired mortar shells at residential areas of the city.', 'Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  ['A roadside bomb struck a minibus carrying teachers.', 'Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  ['Attackers hurled a grenade into a crowded bus stand.', 'Explosions/Remote violence', 'Grenade'],
  ['Two women were raped by armed men in the camp.', 'Violence against civilians', 'Sexual violence'],
  ['Gunmen shot dead four farmers in their fields.', 'Violence against civilians', 'Attack'],
  ['Gunmen kidnapped three aid workers from their car.', 'Violence against civilians', 'Abduction/forced disappearance'],
  ['Thousands of people marched through the capital to demand higher wages.', 'Protests', 'Peaceful protest'],
  ['Police fired tear gas to disperse students protesting fee increases.', 'Protests', 'Protest with intervention'],
  ['Riot police used batons to break up a rally of opposition supporters.', 'Protests', 'Protest with intervention'],
  ['Security forces opened fire on peaceful demonstrators, killing six.', 'Protests', 'Excessive force against protesters'],
  ['Rioters torched cars and threw stones at police during the demonstration.', 'Riots', 'Violent demonstration'],
  ['A mob lynched a man accused of stealing a goat.', 'Riots', 'Mob violence'],
  ['The warring parties signed a ceasefire on Sunday.', 'Strategic developments', 'Agreement'],
  ['Police arrested the opposition leader at his home.', 'Strategic developments', 'Arrests'],
  ['Hundreds of fighters defected to the government side.', 'Strategic developments', 'Change to group/activity'],
  ['Soldiers defused a bomb planted near the bridge.', 'Strategic developments', 'Disrupted weapons use'],
  ['The army set up a new base near the border.', 'Strategic developments', 'Headquarters or base established'],
  ['Armed men looted shops in the market town.', 'Strategic developments', 'Looting/property destruction'],
];

for (const [text, type, sub] of ACLED_CASES) {
  test(`classifyText types "${text}" as ${sub}`, () => {
    const r = classifyText(text, lexicon);
    assert.equal(r.acled_sub_event_type, sub);
    assert.equal(r.acled_event_type, type);
    assert.equal(r.category, null);
    assert.ok(r.trigger !== null && text.slice(r.trigger.start, r.trigger.end) === r.trigger.text);
  });
}

const CATEGORY_CASES: [string, string][] = [
  ['A strong earthquake struck the coastal region on Tuesday.', 'NATURAL_DISASTER'],
  ['Nine people died when a bus collided with a truck on the highway.', 'MAN_MADE_DISASTER'],
  ['The ministry expelled two diplomats over the spying row.', 'DIPLO'],
  ['Customs officers found two tonnes of cocaine hidden in a container of bananas.', 'ORG_CRIME'],
  ['The group claimed responsibility for the bombing of the bridge.', 'ATTRIB'],
  ['A fire at a textile factory killed 30 workers.', 'MAN_MADE_DISASTER'],
  ['The border guards seized 40 kilograms of heroin from traffickers.', 'ORG_CRIME'],
];

for (const [text, category] of CATEGORY_CASES) {
  test(`classifyText puts "${text}" in ${category}, not a conflict code`, () => {
    const r = classifyText(text, lexicon);
    assert.equal(r.category, category);
    assert.equal(r.acled_sub_event_type, null);
  });
}

const PLOVER_CASES: [string, string][] = [
  ['The two leaders agreed to resume trade talks.', 'AGREE'],
  ['The foreign ministers met in Geneva on Friday.', 'CONSULT'],
  ['The president praised the mediators for their patience.', 'SUPPORT'],
  ['The government lifted the curfew in the capital.', 'CONCEDE'],
  ['The two navies held joint exercises in the gulf.', 'COOPERATE'],
  ['The agency delivered food aid to displaced families.', 'AID'],
  ['The guerrillas released twenty hostages on Sunday.', 'RETREAT'],
  ['The opposition demanded the resignation of the prime minister.', 'REQUEST'],
  ['The minister accused the neighbouring state of arming the rebels.', 'ACCUSE'],
  ['The cabinet rejected the proposal.', 'REJECT'],
  ['The militia threatened to attack the city.', 'THREATEN'],
  ['Dock workers went on strike over unpaid wages.', 'PROTEST'],
  ['The council imposed sanctions on the junta.', 'SANCTION'],
  ['The army deployed troops to the border region.', 'MOBILIZE'],
  ['Police raided the offices of the newspaper.', 'COERCE'],
  ['Soldiers tortured the prisoners.', 'ASSAULT'],
];

for (const [text, type] of PLOVER_CASES) {
  test(`classifyText gives "${text}" the PLOVER type ${type}`, () => {
    assert.equal(classifyText(text, lexicon).event_type, type);
  });
}

test('classifyText returns null fields and no events for a text that reports no event', () => {
  const r = classifyText('The museum opened a new wing dedicated to modern art.', lexicon);
  assert.deepEqual(
    [r.event_type, r.acled_sub_event_type, r.category, r.trigger, r.confidence],
    [null, null, null, null, 0],
  );
});

test('classifyText maps trigger offsets back to the text as given (before normalization)', () => {
  const text = 'Officials  said   that\u00a0a  roadside   bomb  hit a  bus.';
  const r = classifyText(text, lexicon);
  assert.ok(r.trigger);
  assert.equal(text.slice(r.trigger.start, r.trigger.end).replace(/\s+/g, ' '), 'roadside bomb');
});
