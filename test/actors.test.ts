/**
 * Checks on the shipped actor knowledge base: it loads fast, covers what the issue asks, and the
 * key aliases, nationality phrases and roles resolve as news uses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadActorBase, resolveActorsInText, getActor, roleAt } from '../src/actors/index.js';

const t0 = performance.now();
const base = loadActorBase();
const loadMs = performance.now() - t0;

test('shipped actor base loads within budget and validates', () => {
  assert.ok(loadMs < 1000, `load took ${loadMs.toFixed(0)} ms`);
  assert.ok(base.files.length >= 6);
});

test('shipped actor base covers at least 200 armed non-state groups across regions', () => {
  const armed = base.actors.filter((a) => !a.generic && a.file.startsWith('groups-') && ['rebel', 'insurgent', 'militia', 'terrorist'].includes(a.kind));
  assert.ok(armed.length >= 200, `only ${armed.length} armed groups`);
  const countries = new Set(armed.map((a) => a.country));
  for (const c of ['AF', 'PK', 'SY', 'IQ', 'YE', 'ML', 'NG', 'SO', 'SD', 'CD', 'CO', 'MX', 'MM', 'PH', 'UA']) assert.ok(countries.has(c), c);
});

test('shipped actor base resolves the aliases news uses', () => {
  const cases: [string, string][] = [
    ['ISIS-K', 'iskp'], ['IS-K', 'iskp'], ['Islamic State Khorasan Province', 'iskp'], ['Daesh-Khorasan', 'iskp'],
    ['Tehreek-e-Taliban Pakistan', 'ttp'], ['Pakistani Taliban', 'ttp'], ['JNIM', 'jnim'], ['al-Shabaab', 'al_shabaab'],
    ['Boko Haram', 'boko_haram'], ['ISWAP', 'iswap'], ['M23', 'm23'], ['Houthis', 'houthis'], ['Ansar Allah', 'houthis'],
    ['Hezbollah', 'hezbollah'], ['Qassam Brigades', 'qassam_brigades'], ['PKK', 'pkk'], ['HTS', 'hts'], ['YPG', 'ypg'],
    ['BLA', 'bla'], ['BLF', 'blf'], ['ELN', 'eln'], ['Segunda Marquetalia', 'segunda_marquetalia'], ['Tren de Aragua', 'tren_de_aragua'],
    ['CJNG', 'cjng'], ['Sinaloa Cartel', 'sinaloa_cartel'], ['Arakan Army', 'arakan_army'], ['KIA', 'kia'], ['NPA', 'npa'],
    ['Abu Sayyaf', 'abu_sayyaf'], ['Rapid Support Forces', 'rsf'], ['Wagner Group', 'wagner'], ['UNAMA', 'unama'],
    ['MONUSCO', 'monusco'], ['ECOWAS', 'ecowas'], ['Reuters', 'reuters'], ['Anadolu Agency', 'anadolu'], ['Tolo News', 'tolo_news'],
    ['FARDC', 'cod.military'], ['ISI', 'pak.intelligence'], ['IDF', 'isr.military'],
  ];
  for (const [alias, id] of cases) {
    const m = resolveActorsInText(base, `${alias} said on Monday that the attack took place.`, '2024-06-01')[0];
    assert.equal(m?.id, id, alias);
  }
});

test('shipped actor base types nationality phrases for every country in the demonym list', () => {
  const cases: [string, string][] = [
    ['Afghan security forces', 'afg.security_forces'], ['Pakistani army', 'pak.military'], ['Nigerian police', 'nga.police'],
    ['the Kabul government', 'afg.government'], ['Indian troops', 'ind.military'], ['Israeli air force', 'isr.military'],
    ['the Syrian regime', 'syr.government'], ['Malian soldiers', 'mli.military'], ['Colombian police', 'col.police'],
  ];
  for (const [phrase, id] of cases) {
    const ms = resolveActorsInText(base, `Officials said ${phrase} were involved.`, '2024-06-01');
    assert.ok(ms.some((m) => m.id === id), `${phrase} -> ${ms.map((m) => m.id).join(',')}`);
  }
});

test('shipped actor base: the Taliban govern from 2021-08-15, the RSF leave the state in 2023', () => {
  const taliban = getActor(base, 'taliban')!;
  assert.equal(roleAt(taliban, '2019-01-01').inter, 2);
  assert.equal(roleAt(taliban, '2022-01-01').inter, 1);
  const rsf = getActor(base, 'rsf')!;
  assert.equal(roleAt(rsf, '2020-01-01').inter, 1);
  assert.equal(roleAt(rsf, '2024-01-01').inter, 2);
  assert.equal(getActor(base, 'iskp')?.parent, 'islamic_state');
});

test('shipped actor base reads AP only as a source', () => {
  assert.equal(resolveActorsInText(base, 'The official told AP that five died.', '2024-06-01').find((m) => m.text === 'AP')?.id, 'ap');
  assert.equal(resolveActorsInText(base, 'AP BIOLOGY EXAM RESULTS OUT', '2024-06-01').find((m) => m.text === 'AP'), undefined);
});

test('shipped actor base: Haitian gangs are told apart (Gran Grif, Grand Ravine, Kraze Baryè)', () => {
  const cases: [string, string][] = [
    ['Members of the Gran Grif gang raided a market in Artibonite.', 'gran_grif'],
    ['The Grand Ravine gang blocked the road south of the capital.', 'grand_ravine'],
    ['Kraze Baryè gunmen set fire to houses.', 'kraze_barye'],
  ];
  for (const [text, id] of cases) assert.equal(resolveActorsInText(base, text, '2024-06-01')[0]?.id, id, text);
});

test('shipped actor base: an acronym the article defines wins, a name around a generic head is no generic agent', () => {
  const pti = resolveActorsInText(base, 'Leaders of Pakistan Tehreek-e-Insaf (PTI) met in Lahore, and PTI said later the talks had failed.', '2024-06-01');
  assert.deepEqual(pti.filter((m) => m.text === 'PTI').map((m) => m.id), ['pti', 'pti']);
  const eln = resolveActorsInText(base, 'Talks between the government and the National Liberation Army (ELN) resumed in Caracas.', '2024-06-01');
  assert.equal(eln.find((m) => m.text === 'National Liberation Army')?.id, 'eln');
  assert.equal(eln.some((m) => m.kind === 'military'), false);
});
