/**
 * Actor resolver behaviour on a small hand-built knowledge base (the shipped rules and state
 * template, five countries, a handful of groups), so that each case depends only on its fixture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '../paths.js';
import { loadActorBase, resolveActorsInText, roleAt, getActor, searchActors, type ActorBase } from './index.js';
import { KnowledgeError, StageError } from '../errors.js';
import { Pipeline } from '../pipeline.js';
import { normalizeStage } from '../text/normalize.js';
import { sentenceStage } from '../text/sentences.js';
import { tokenStage } from '../text/tokens.js';
import { actorStage } from './index.js';
import type { Article } from '../types.js';

const DEMONYMS = {
  countries: [
    { country: 'AF', adjectives: ['Afghan'], people: ['Afghans'] },
    { country: 'PK', adjectives: ['Pakistani'], people: ['Pakistanis'] },
    { country: 'IN', adjectives: ['Indian'], people: ['Indians'] },
    { country: 'SD', adjectives: ['Sudanese'], people: ['Sudanese'] },
    { country: 'NG', adjectives: ['Nigerian'], people: ['Nigerians'] },
    { country: 'IL', adjectives: ['Israeli'], people: ['Israelis'] },
    { country: 'PS', adjectives: ['Palestinian'], people: ['Palestinians'] },
    { country: 'US', adjectives: ['American', 'U.S.'], people: ['Americans'] },
    { country: 'RS', adjectives: ['Serbian'], people: ['Serbs'] },
  ],
  groups: [
    { name: 'Fulani', forms: ['Fulani'], countries: ['NG', 'ML'] },
    { name: 'Hazara', forms: ['Hazara', 'Hazaras'], countries: ['AF'] },
  ],
};

const GENERIC = {
  actors: [
    { id: 'generic.soldiers', name: 'soldiers', aliases: ['troops', 'army', 'military', 'air force', 'forces'], kind: 'military', inter: 1, agent: 'military', generic: true },
    { id: 'generic.military_equipment', name: 'military equipment', aliases: ['drones', 'warplanes', 'aircraft'], kind: 'military', inter: 1, agent: 'military', generic: true, equipment: true },
    { id: 'generic.militiamen', name: 'militiamen', aliases: ['armed group', 'militia'], kind: 'militia', inter: 3, generic: true },
    { id: 'generic.fighters', name: 'fighters', kind: 'rebel', inter: 2, generic: true },
    { id: 'generic.police', name: 'police', aliases: ['policemen'], kind: 'police', inter: 1, agent: 'police', generic: true },
    { id: 'generic.security_forces', name: 'security forces', kind: 'security', inter: 1, agent: 'security_forces', generic: true },
    { id: 'generic.government', name: 'government', aliases: ['regime', 'authorities', 'officials'], kind: 'government', inter: 1, agent: 'government', generic: true },
    { id: 'generic.militants', name: 'militants', aliases: ['militant'], kind: 'rebel', inter: 2, generic: true },
    { id: 'generic.civilians', name: 'civilians', aliases: ['villagers', 'lawyers'], kind: 'civilians', inter: 7, generic: true },
  ],
};

const GROUPS = {
  actors: [
    { id: 'islamic_state', name: 'Islamic State', aliases: ['ISIS', 'Daesh', { text: 'IS', context: 'jihadist' }], kind: 'terrorist', inter: 2 },
    { id: 'iskp', name: 'Islamic State Khorasan Province', aliases: ['ISKP', 'ISIS-K', 'IS-K', 'Islamic State Khorasan', 'Daesh-Khorasan'], kind: 'terrorist', inter: 2, country: 'AF', parent: 'islamic_state' },
    { id: 'ttp', name: 'Tehreek-e-Taliban Pakistan', aliases: ['TTP', 'Tehrik-i-Taliban Pakistan', 'Pakistani Taliban'], kind: 'terrorist', inter: 2, country: 'PK' },
    {
      id: 'taliban', name: 'Taliban', kind: 'insurgent', inter: 2, country: 'AF',
      roles: [
        { role: 'insurgency', kind: 'insurgent', inter: 2, to: '2021-08-15' },
        { role: 'governing authority of Afghanistan', kind: 'government', inter: 1, from: '2021-08-15' },
      ],
    },
    { id: 'jaish_e_mohammed', name: 'Jaish-e-Mohammed', aliases: [{ text: 'JEM', case: 'exact' }], kind: 'terrorist', inter: 2, country: 'PK' },
    { id: 'jem_sudan', name: 'Justice and Equality Movement', aliases: ['JEM'], kind: 'rebel', inter: 2, country: 'SD' },
    { id: 'hamas', name: 'Hamas', kind: 'terrorist', inter: 2, country: 'PS' },
    { id: 'pti', name: 'Pakistan Tehreek-e-Insaf', aliases: [{ text: 'PTI', case: 'exact', context: 'armed' }], kind: 'party', country: 'PK' },
    { id: 'pti_news', name: 'Press Trust of India', aliases: [{ text: 'PTI', case: 'exact', context: 'source' }], kind: 'media', country: 'IN' },
    { id: 'eln', name: 'National Liberation Army (Colombia)', aliases: ['ELN'], kind: 'rebel', inter: 2, country: 'CO' },
    { id: 'vlf', name: 'Valley Liberation Front', kind: 'rebel', inter: 2, country: 'AF' },
  ],
  extend: [{ id: 'isr.military', aliases: ['IDF'] }],
};

function fixtureDir(extra: Record<string, unknown> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'khabar-actors-'));
  const dir = join(root, 'actors');
  mkdirSync(dir);
  copyFileSync(dataPath('actors', 'rules.json'), join(dir, 'rules.json'));
  copyFileSync(dataPath('actors', 'state.json'), join(dir, 'state.json'));
  writeFileSync(join(root, 'demonyms.json'), JSON.stringify(DEMONYMS));
  writeFileSync(join(dir, 'generic.json'), JSON.stringify(GENERIC));
  writeFileSync(join(dir, 'groups.json'), JSON.stringify(GROUPS));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), JSON.stringify(content));
  return root;
}

const root = fixtureDir();
const base: ActorBase = loadActorBase({ baseDir: join(root, 'actors'), demonymsFile: join(root, 'demonyms.json') });

function ids(text: string, date = '2024-03-14'): (string | null)[] {
  return resolveActorsInText(base, text, date).map((m) => m.id);
}

test('resolver maps aliases to ids', () => {
  const cases: [string, string][] = [
    ['ISIS-K fighters attacked a checkpoint.', 'iskp'],
    ['IS-K claimed the blast.', 'iskp'],
    ['The Islamic State Khorasan Province said it carried out the attack.', 'iskp'],
    ['Daesh-Khorasan claimed it.', 'iskp'],
    ['Tehrik-i-Taliban Pakistan denied involvement.', 'ttp'],
    ['The Pakistani Taliban denied involvement.', 'ttp'],
    ['Daesh took the town.', 'islamic_state'],
    ['The IDF said it struck a target.', 'isr.military'],
  ];
  for (const [text, id] of cases) assert.equal(ids(text)[0], id, text);
});

test('resolver keeps the longest match and its span', () => {
  const m = resolveActorsInText(base, 'A cell of the Islamic State Khorasan Province struck.', '2024-01-01').find((x) => x.id === 'iskp');
  assert.equal(m?.text, 'Islamic State Khorasan Province');
});

test('resolver reads "IS" as the Islamic State only near related words', () => {
  assert.deepEqual(ids('IS militants claimed the attack.'), ['islamic_state']);
  assert.deepEqual(ids('WHAT IS NEXT FOR THE ECONOMY'), []);
});

test('resolver chooses between groups sharing an alias by the article country', () => {
  const sudan = resolveActorsInText(base, 'Sudanese troops clashed with JEM near El Fasher.', '2024-01-01');
  assert.equal(sudan.find((m) => m.text === 'JEM')?.id, 'jem_sudan');
  const pakistan = resolveActorsInText(base, 'Pakistani police arrested two JEM members.', '2024-01-01');
  assert.equal(pakistan.find((m) => m.text.startsWith('JEM'))?.id, 'jaish_e_mohammed');
});

test('resolver applies time-bounded roles on both sides of a date', () => {
  const cases: [string, string, number][] = [
    ['2021-08-14', 'insurgent', 2],
    ['2021-08-15', 'government', 1],
    ['2023-05-01', 'government', 1],
  ];
  for (const [date, kind, inter] of cases) {
    const m = resolveActorsInText(base, 'The Taliban arrested a journalist.', date)[0];
    assert.equal(m?.id, 'taliban');
    assert.equal(m?.kind, kind, date);
    assert.equal(m?.inter, inter, date);
  }
  const taliban = getActor(base, 'taliban')!;
  assert.equal(roleAt(taliban, '2020-01-01').role, 'insurgency');
  assert.equal(roleAt(taliban, null).kind, 'insurgent');
});

test('resolver turns nationality + agent phrases into state entries', () => {
  const cases: [string, string, string][] = [
    ['Pakistani army units moved in.', 'Pakistani army', 'pak.military'],
    ['Afghan security forces repelled the attack.', 'Afghan security forces', 'afg.security_forces'],
    ['Nigerian police said five died.', 'Nigerian police', 'nga.police'],
    ['the Kabul government said it had no role.', 'Kabul government', 'afg.government'],
    ['Indian troops fired across the line.', 'Indian troops', 'ind.military'],
    ['The Israeli air force struck overnight.', 'Israeli air force', 'isr.military'],
    ["Pakistan's army denied it.", "Pakistan's army", 'pak.military'],
    ['The government of Pakistan protested.', 'government of Pakistan', 'pak.government'],
    ['Pakistani paramilitary troops arrived.', 'Pakistani paramilitary troops', 'pak.military'],
  ];
  for (const [text, span, id] of cases) {
    const m = resolveActorsInText(base, text, '2024-01-01').find((x) => x.id === id);
    assert.equal(m?.text, span, text);
    assert.equal(m?.inter, 1, text);
  }
});

test('resolver gives agents without a nationality the article country, and non-state agents their type', () => {
  const ms = resolveActorsInText(base, 'TTP militants attacked a post. Security forces killed five militants.', '2024-01-01');
  assert.equal(ms.find((m) => m.text === 'Security forces')?.id, 'pak.security_forces');
  const mil = ms.find((m) => m.text === 'militants');
  assert.equal(mil?.kind, 'rebel');
  assert.equal(mil?.inter, 2);
  const civ = resolveActorsInText(base, 'Afghan villagers fled.', '2024-01-01')[0];
  assert.equal(civ?.id, 'generic.civilians');
  assert.equal(civ?.country, 'AF');
  assert.equal(civ?.inter, 7);
});

test('resolver types group words: identity militias and group civilians', () => {
  const cases: [string, string, string, number, string | null][] = [
    ['Fulani militants attacked a village in Nigeria.', 'Fulani militants', 'militia', 4, 'NG'],
    ['Hazaras gathered in Kabul.', 'Hazaras', 'civilians', 7, 'AF'],
    ['Afghan Hazaras fled.', 'Afghan Hazaras', 'civilians', 7, 'AF'],
  ];
  for (const [text, span, kind, inter, country] of cases) {
    const m = resolveActorsInText(base, text, '2024-01-01')[0];
    assert.deepEqual([m?.text, m?.kind, m?.inter, m?.country], [span, kind, inter, country], text);
  }
  assert.deepEqual(ids('Hazara elders met.'), []);
});

test('resolver links anaphors and short forms to their antecedents', () => {
  const a = resolveActorsInText(base, 'Tehreek-e-Taliban Pakistan (TTP) claimed the attack. The TTP said the group would fight on.', '2024-01-01');
  assert.deepEqual(a.map((m) => [m.text, m.id, m.antecedent ?? null]), [
    ['Tehreek-e-Taliban Pakistan', 'ttp', null],
    ['TTP', 'ttp', 0],
    ['TTP', 'ttp', 0],
    ['the group', 'ttp', 0],
  ]);
  const b = resolveActorsInText(base, 'ISKP claimed the bombing. Police said the militants had planned it for weeks.', '2024-01-01');
  const def = b.find((m) => m.text === 'militants');
  assert.equal(def?.id, 'iskp');
  assert.equal(def?.antecedent, 0);
  const c = resolveActorsInText(base, 'The Popular Front for Justice (PFJ) attacked a convoy. PFJ fighters then withdrew.', '2024-01-01');
  const long = c.findIndex((m) => m.text === 'Popular Front for Justice');
  assert.ok(long >= 0);
  assert.equal(c[long]!.id, null);
  assert.equal(c[long]!.kind, 'rebel');
  const short = c.filter((m) => m.text === 'PFJ');
  assert.equal(short.length, 2);
  for (const s of short) assert.equal(s.antecedent, long);
});

test('resolver drops an anaphor with nothing to point to', () => {
  assert.deepEqual(ids('The group said it would meet on Friday.'), []);
});

test('resolver reads titled persons with role and affiliation', () => {
  const cases: [string, string, string, string | null][] = [
    ['Former Interior Minister Rehman Malik said so.', 'Rehman Malik', 'Former Interior Minister', null],
    ['Pakistani Interior Minister Mohsin Naqvi visited.', 'Mohsin Naqvi', 'Interior Minister', 'pak.government'],
    ['TTP commander Qari Amjad was killed.', 'Qari Amjad', 'commander', 'ttp'],
    ['Gen. Asim Munir met the delegation.', 'Asim Munir', 'Gen', null],
    ['Opposition leader Omar Ayub walked out.', 'Omar Ayub', 'Opposition leader', 'opposition'],
  ];
  for (const [text, name, role, aff] of cases) {
    const m = resolveActorsInText(base, text, '2024-01-01').find((x) => x.kind === 'person');
    assert.equal(m?.name, name, text);
    assert.equal(m?.role, role, text);
    assert.equal(m?.affiliation ?? null, aff, text);
  }
  const lead = resolveActorsInText(base, 'Noor Wali Mehsud, who leads the TTP, issued a statement.', '2024-01-01')
    .find((x) => x.kind === 'person');
  assert.equal(lead?.name, 'Noor Wali Mehsud');
  assert.equal(lead?.role, 'leader');
  assert.equal(lead?.affiliation, 'ttp');
});

test('resolver reads a country name as an actor, but not after a locative', () => {
  assert.deepEqual(ids('Pakistan summoned the envoy.'), ['pak.state']);
  assert.deepEqual(ids('Two died in Pakistan on Friday.'), []);
});

test('resolver marks Hamas as an organisation, never a place', () => {
  const m = resolveActorsInText(base, 'Hamas fighters fired rockets.', '2024-01-01')[0];
  assert.equal(m?.id, 'hamas');
  assert.equal(m?.text, 'Hamas fighters');
});

test('searchActors ranks exact alias matches first', () => {
  assert.equal(searchActors(base, 'isis-k')[0]?.id, 'iskp');
  assert.equal(searchActors(base, 'nothing like this')[0], undefined);
});

test('loadActorBase names the file and entry of a schema error', () => {
  const bad = fixtureDir({ 'broken.json': { actors: [{ id: 'ok_group', name: 'OK', kind: 'rebel' }, { id: 'bad_group', name: 'Bad', kind: 'warlord' }] } });
  assert.throws(
    () => loadActorBase({ baseDir: join(bad, 'actors'), demonymsFile: join(bad, 'demonyms.json') }),
    (err: unknown) => err instanceof KnowledgeError && /broken\.json/.test(err.message) && /actors\[1\] \(id "bad_group"\) field "kind"/.test(err.message),
  );
  const dup = fixtureDir({ 'dup.json': { actors: [{ id: 'ttp', name: 'Again', kind: 'rebel' }] } });
  assert.throws(
    () => loadActorBase({ baseDir: join(dup, 'actors'), demonymsFile: join(dup, 'demonyms.json') }),
    (err: unknown) => err instanceof KnowledgeError && /"ttp" is already defined/.test(err.message),
  );
  const ext = fixtureDir({ 'ext.json': { extend: [{ id: 'nowhere.military', aliases: ['X'] }] } });
  assert.throws(
    () => loadActorBase({ baseDir: join(ext, 'actors'), demonymsFile: join(ext, 'demonyms.json') }),
    (err: unknown) => err instanceof KnowledgeError && /nowhere\.military/.test(err.message),
  );
});

test('loadActorBase adds user folders (--kb)', () => {
  const user = mkdtempSync(join(tmpdir(), 'khabar-kb-'));
  writeFileSync(join(user, 'mine.json'), JSON.stringify({ actors: [{ id: 'valley_front', name: 'Valley Front', aliases: ['VF'], kind: 'rebel', inter: 2, country: 'AF' }] }));
  const b = loadActorBase({ baseDir: join(root, 'actors'), demonymsFile: join(root, 'demonyms.json'), extraDirs: [user] });
  assert.equal(resolveActorsInText(b, 'VF fighters seized the pass.', '2024-01-01')[0]?.id, 'valley_front');
});

function article(rawText: string, date: string): Article {
  return { id: 'a1', date, title: null, rawText, url: null, source: null, language: 'en', origin: { file: 'test', line: null } };
}

test('actorStage fills doc.actors from knowledge.actors, with roles at the article date', () => {
  const pipeline = new Pipeline([normalizeStage, sentenceStage, tokenStage, actorStage], { knowledge: { actors: base } });
  const before = pipeline.run(article('The Taliban detained two men.', '2020-05-01')).actors[0];
  const after = pipeline.run(article('The Taliban detained two men.', '2022-05-01')).actors[0];
  assert.deepEqual([before?.id, before?.inter, after?.id, after?.inter], ['taliban', 2, 'taliban', 1]);
});

test('actorStage without an actor base fails with a knowledge error', () => {
  const pipeline = new Pipeline([normalizeStage, sentenceStage, tokenStage, actorStage], { knowledge: {} });
  assert.throws(() => pipeline.run(article('Troops moved.', '2024-01-01')), (err: unknown) => err instanceof StageError && err.cause instanceof KnowledgeError);
});

function mentions(text: string, date = '2024-03-14'): [string, string | null][] {
  return resolveActorsInText(base, text, date).map((m) => [m.text, m.id]);
}

test('resolver: an acronym the article defines wins over a base alias of the same letters', () => {
  const ms = resolveActorsInText(base, 'Leaders of Pakistan Tehreek-e-Insaf (PTI) met in Lahore. PTI said on Monday, the news agency reported, that the talks had failed.', '2024-03-14');
  const pti = ms.filter((m) => m.text === 'PTI');
  assert.equal(pti.length, 2);
  for (const m of pti) assert.equal(m.id, 'pti');
  // Without the definition the source reading stays.
  assert.equal(resolveActorsInText(base, 'Five died, PTI reported.', '2024-03-14').find((m) => m.text === 'PTI')?.id, 'pti_news');
});

test('resolver: a generic head inside a longer capitalised name is no generic agent', () => {
  const eln = resolveActorsInText(base, 'Talks between the government and the National Liberation Army (ELN) resumed in Caracas.', '2024-03-14');
  assert.deepEqual(eln.filter((m) => m.id === 'eln').map((m) => m.text), ['National Liberation Army', 'ELN']);
  assert.equal(eln.some((m) => m.id === 'generic.soldiers' || m.kind === 'military'), false);
  const ngo = resolveActorsInText(base, 'The Valley Lawyers, a rights group, said six villagers died.', '2024-03-14');
  assert.deepEqual(ngo.map((m) => [m.text, m.kind]), [['Valley Lawyers', 'ngo'], ['villagers', 'civilians']]);
  const army = resolveActorsInText(base, 'The Afghan National Army said it repelled the attack.', '2024-03-14')[0];
  assert.deepEqual([army?.text, army?.id], ['Afghan National Army', 'afg.military']);
});

test('resolver: a generic description in apposition to a named group refers to it', () => {
  const ms = resolveActorsInText(base, 'The Valley Liberation Front, an ethnic armed group fighting Afghan troops, said it had taken the pass.', '2024-03-14');
  const desc = ms.find((m) => m.text === 'armed group');
  assert.equal(desc?.id, 'vlf');
  assert.equal(desc?.antecedent, 0);
  // Not after a comma and "a/an": a generic agent of its own.
  assert.equal(resolveActorsInText(base, 'The Valley Liberation Front said an armed group attacked.', '2024-03-14').find((m) => m.text === 'armed group')?.id, 'generic.militiamen');
});

test('resolver: an "X-linked group" is a description of another group, not X', () => {
  const back = resolveActorsInText(base, 'TTP militants ambushed a convoy in Khyber. The Islamic State-linked group said it killed six soldiers.', '2024-03-14');
  assert.equal(back.some((m) => m.id === 'islamic_state'), false);
  assert.equal(back.find((m) => m.text === 'Islamic State-linked group')?.id, 'ttp');
  const alone = resolveActorsInText(base, 'An Islamic State-linked group attacked a checkpoint.', '2024-03-14')[0];
  assert.deepEqual([alone?.text, alone?.id, alone?.kind, alone?.affiliation], ['Islamic State-linked group', null, 'terrorist', 'islamic_state']);
  const first = resolveActorsInText(base, 'The Islamic State-linked group claimed the attack.', '2024-03-14')[0];
  assert.deepEqual([first?.text, first?.id, first?.affiliation], ['Islamic State-linked group', null, 'islamic_state']);
  const aff = resolveActorsInText(base, 'ISKP, the Islamic State affiliate in the region, claimed the blast.', '2024-03-14');
  assert.deepEqual(aff.map((m) => m.id), ['iskp', 'iskp']);
  // "Pakistan-backed militants" are militants, not Pakistan.
  assert.deepEqual(mentions('Pakistan-backed militants attacked the post.').map((m) => m[1]), ['generic.militants']);
});

test('resolver: an "X-led coalition" is a coalition led by X', () => {
  const m = resolveActorsInText(base, 'The U.S.-led coalition said it struck a depot.', '2024-03-14')[0];
  assert.deepEqual([m?.text, m?.kind, m?.inter, m?.country, m?.affiliation], ['U.S.-led coalition', 'military', 8, 'US', 'usa.military']);
});

test('resolver: weapons and vehicles are actors only through their owner', () => {
  assert.deepEqual(mentions('Pakistani troops shot down three drones.'), [['Pakistani troops', 'pak.military']]);
  const its = resolveActorsInText(base, 'The Pakistani government said its aircraft struck a hideout.', '2024-03-14');
  assert.deepEqual(its.map((m) => [m.text, m.id]), [['Pakistani government', 'pak.government'], ['aircraft', 'pak.military']]);
  assert.deepEqual(mentions('The TTP said its drones hit a post.'), [['TTP', 'ttp'], ['drones', 'ttp']]);
  assert.deepEqual(mentions('Afghan warplanes bombed the ridge.'), [['Afghan warplanes', 'afg.military']]);
});

test('resolver: an agent word before a non-agent noun is an adjective ("military aid")', () => {
  assert.deepEqual(mentions('Pakistan promised military aid to the region.'), [['Pakistan', 'pak.state']]);
  assert.deepEqual(mentions('Indian military exercises began on Monday.'), []);
  assert.deepEqual(mentions('The military said five died.').map((m) => m[0]), ['military']);
});

test('resolver: ethnic nationality adjectives with an agent noun ("Serb forces")', () => {
  assert.deepEqual(mentions('Serb forces shelled the village.'), [['Serb forces', 'srb.military']]);
});

test('resolver: "Fighters of X" is X', () => {
  assert.deepEqual(mentions('Fighters of the TTP stormed a post.'), [['Fighters of the TTP', 'ttp']]);
  // Victims are not members.
  assert.equal(mentions('Victims of the TTP were buried.').some((m) => m[0].startsWith('Victims of')), false);
});

test('resolver: coordinated nationality adjectives share the agent noun', () => {
  assert.deepEqual(mentions('Pakistani and Afghan troops exchanged fire.'), [['Pakistani', 'pak.military'], ['Afghan troops', 'afg.military']]);
  assert.deepEqual(mentions('Indian, Pakistani and Afghan police met.').map((m) => m[1]), ['ind.police', 'pak.police', 'afg.police']);
  // A coordinated country with no agent after it stays as it was.
  assert.deepEqual(mentions('Pakistani and Afghan elders met.').map((m) => m[0]).includes('Pakistani'), false);
});

test('resolver: organisation names with two connectors in a row ("for the", "of the")', () => {
  const ms = resolveActorsInText(base, 'Police detained members of the Movement for the Defence of the Valley (MDV). MDV denied it.', '2024-03-14');
  const long = ms.find((m) => m.text === 'Movement for the Defence of the Valley');
  assert.ok(long !== undefined, ms.map((m) => m.text).join('|'));
  assert.equal(ms.filter((m) => m.text === 'MDV' && m.name === long.name).length, 2);
});

test('resolver: capitalised words between a nationality and a title belong to the role', () => {
  const m = resolveActorsInText(base, 'Pakistani Labour Minister Ali Khan resigned.', '2024-03-14').find((x) => x.kind === 'person');
  assert.deepEqual([m?.name, m?.role, m?.affiliation], ['Ali Khan', 'Labour Minister', 'pak.government']);
});

test('resolver: civilians and protesters without a nationality take the article country', () => {
  const civ = resolveActorsInText(base, 'Pakistani troops fired on villagers near the border.', '2024-03-14').find((m) => m.text === 'villagers');
  assert.deepEqual([civ?.id, civ?.country], ['generic.civilians', 'PK']);
});

test('resolver: a country coordinated with a place is a place; a visited country is an actor', () => {
  assert.deepEqual(mentions('Two died in Pakistan and Afghanistan on Friday.'), []);
  assert.deepEqual(mentions('The envoy will visit Pakistan and India next week.').map((m) => m[1]), ['pak.state', 'ind.state']);
});

test('resolver: a description right before a capitalised name types it ("the newspaper Valley Times")', () => {
  const m = resolveActorsInText(base, 'Police raided the opposition newspaper Valley Times on Monday.', '2024-03-14').find((x) => x.text === 'Valley Times');
  assert.deepEqual([m?.kind, m?.id], ['media', null]);
});

test('resolver: "Name, [the] ORG title" is a person with that role and affiliation', () => {
  const m = resolveActorsInText(base, 'Ali Khan, the TTP commander, was killed on Monday.', '2024-03-14').find((x) => x.kind === 'person');
  assert.deepEqual([m?.name, m?.role, m?.affiliation], ['Ali Khan', 'TTP commander', 'ttp']);
  const g = resolveActorsInText(base, "Omar Zaman, Pakistan's interior minister, said five died.", '2024-03-14').find((x) => x.kind === 'person');
  assert.deepEqual([g?.name, g?.affiliation, g?.country], ['Omar Zaman', 'pak.government', 'PK']);
});

test('resolver: a singular agent word before a noun or an organisation name is an adjective', () => {
  assert.deepEqual(mentions('The TTP threatened to resume terrorist activities in the north.'), [['TTP', 'ttp']]);
  assert.deepEqual(mentions('The rebel Popular Front for Justice said it withdrew.').map((m) => m[0]), ['Popular Front for Justice']);
  // Before a person's name it stays a noun; before a verb it is the agent.
  assert.deepEqual(mentions('Police arrested suspected militant Ali Khan.').map((m) => m[1]), ['generic.police', 'generic.militants']);
  assert.deepEqual(mentions('A militant was killed.').map((m) => m[1]), ['generic.militants']);
  assert.deepEqual(mentions('Armed militant groups attacked the post.').map((m) => m[1]), ['generic.militants']);
});

test('resolver: a member noun after a nationality + non-state agent stays in the mention', () => {
  assert.deepEqual(mentions('Afghan militant commanders said they would meet.').slice(0, 1), [['Afghan militant commanders', 'generic.militants']]);
});

test('resolver: weapons coordinated with an armed mention share its owner', () => {
  assert.deepEqual(mentions('Pakistani warplanes and drones struck the ridge.'), [['Pakistani warplanes', 'pak.military'], ['drones', 'pak.military']]);
});

test('resolver: a name after "anti-"/"pro-" in one word is a modifier, not a party', () => {
  assert.deepEqual(mentions('Anti-TTP militants attacked the post.').map((m) => m[1]), ['generic.militants']);
  assert.deepEqual(mentions('Pro-Pakistan militants attacked the post.').map((m) => m[1]), ['generic.militants']);
});
