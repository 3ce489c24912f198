import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { PACKAGE_ROOT } from '../paths.js';
import { KhabarError } from '../errors.js';
import { adminNameVariants, countryCentroids, extentCentre } from './build.js';
import { foldToken, nameKey } from './fold.js';
import { Gazetteer, PLACE_KIND, buildGazetteerData, decodeGazetteer, encodeGazetteer } from './gazetteer.js';
import { parseDumpLine, readDump } from './geonames-dump.js';
import { geoparseText } from './index.js';
import { loadCues, loadExtraPlaces } from './knowledge.js';
import { mergeGazetteerData } from './load.js';
import { FIXTURE_PLACES, fixtureGazetteer } from './fixture.test-helper.js';

const DUMP = join(PACKAGE_ROOT, 'test', 'fixtures', 'geo', 'allCountries-sample.txt');

const keys: [string, string][] = [
  ['Jalālābād', 'jalalabad'],
  ['JALALABAD', 'jalalabad'],
  ['Mazār-e Sharīf', 'mazar e sharif'],
  ['St. Louis', 'st louis'],
  ['Łódź', 'lodz'],
  ["Queen Anne's County", 'queen anne county'],
  ['Ma’arrat al-Nu’man', 'maarrat al numan'],
];

test('fold nameKey folds diacritics, case, hyphens, dots and possessives', () => {
  for (const [name, key] of keys) assert.equal(nameKey(name), key, name);
});

// Plain ASCII words, ASCII with punctuation and other scripts take different paths through foldToken.
const tokenFolds: [string, string][] = [
  ['kabul', 'kabul'],
  ['KABUL', 'kabul'],
  ['1,200', '1,200'],
  ['U.S.-led', 'us led'],
  ["O'Brien", 'obrien'],
  ['a.-.-b', 'a b'],
  ['--', ''],
  ['Jalālābād', 'jalalabad'],
  ['Kabul‐based', 'kabul based'],
  ['Straße', 'strasse'],
];

for (const [text, folded] of tokenFolds) {
  test(`fold foldToken folds ${JSON.stringify(text)} to ${JSON.stringify(folded)}`, () => {
    assert.equal(foldToken(text), folded);
  });
}

test('gazetteer kind gives the kind bits of a place by its feature code', () => {
  const g = fixtureGazetteer();
  const one = (name: string): number => g.find(name)[0]!;
  assert.equal(g.kind(one('Afghanistan')), PLACE_KIND.country);
  assert.equal(g.kind(one('Nangarhar')), PLACE_KIND.admin1);
  assert.equal(g.kind(one('Kabul')), PLACE_KIND.capital);
  assert.equal(g.kind(one('Jalalabad')), 0);
});

test('gazetteer postingsSummary unites the kinds and takes the largest population of a name\'s places, the same when asked again', () => {
  const g = fixtureGazetteer();
  const nangarhar = g.postings('nangarhar')!;
  assert.deepEqual(g.postingsSummary(nangarhar), { kinds: PLACE_KIND.admin1, maxPopulation: 5e6 });
  assert.deepEqual(g.postingsSummary(g.postings('jalalabad')!), { kinds: 0, maxPopulation: 900000 });
  assert.deepEqual(g.postingsSummary(g.postings('kabul')!), { kinds: PLACE_KIND.capital, maxPopulation: 4.4e6 });
  assert.equal(g.postingsSummary(nangarhar), g.postingsSummary(nangarhar));
});

test('gazetteer keyOf is nameKey, asked twice or not', () => {
  const g = fixtureGazetteer();
  for (const [name, key] of keys) {
    assert.equal(g.keyOf(name), key, name);
    assert.equal(g.keyOf(name), key, name);
  }
});

test('gazetteer cache encodes and decodes to the same places and names', () => {
  const data = buildGazetteerData(FIXTURE_PLACES);
  const { data: back, stamp } = decodeGazetteer(encodeGazetteer(data, 'stamp-1'));
  assert.equal(stamp, 'stamp-1');
  const a = new Gazetteer(data);
  const b = new Gazetteer(back);
  assert.equal(b.size, a.size);
  for (const name of ['Paris', 'Tripoli', 'Hyderabad', 'Jalalabad']) {
    assert.deepEqual(b.find(name).map((p) => b.record(p)), a.find(name).map((p) => a.record(p)), name);
  }
  assert.equal(b.admin1Place('AF', '18') !== null && b.fcode(b.admin1Place('AF', '18')!), 'ADM1');
  assert.equal(b.countryOf('LY') !== null && b.name(b.countryOf('LY')!), 'Libya');
});

/** Whether V8 holds a string as two bytes a character: the structured-clone tag of a two-byte string is 'c'. */
function isTwoByte(s: string): boolean {
  const bytes = serialize(s);
  let at = 2; // after the version header
  while (bytes[at] === 0) at++; // padding before a two-byte string
  return bytes[at] === 0x63;
}

test('gazetteer cache decodes ASCII names, admin names and codes one byte a character, beside a name that needs two', () => {
  const places = [
    ...FIXTURE_PLACES,
    { id: 264371, name: 'Ἀθῆναι', lat: 37.98, lon: 23.73, fcode: 'PPLC', country: 'GR', admin1: 'Ἀττική', admin2: null, population: 664046, names: [] },
  ];
  const data = buildGazetteerData(places);
  const g = new Gazetteer(decodeGazetteer(encodeGazetteer(data, 'stamp-1')).data);
  const athens = g.find('Ἀθῆναι')[0]!;
  assert.equal(g.name(athens), 'Ἀθῆναι');
  assert.equal(g.admin1(athens), 'Ἀττική');
  const nangarhar = g.find('Nangarhar')[0]!;
  for (const s of [g.name(nangarhar), g.admin1(nangarhar)!, g.country(nangarhar)!, g.fcode(nangarhar), g.name(g.countryOf('LY')!)]) {
    assert.equal(isTwoByte(s), false, s);
  }
  assert.equal(isTwoByte(g.name(athens)), true, 'the control: a Greek name is two-byte');
});

test('geonames dump reader keeps admin units, places, terrain and water, drops spots and bad lines', async () => {
  const places = await readDump(DUMP, { altNamesMinPopulation: 1000 });
  assert.deepEqual(places.map((p) => p.name), ['Kabul', 'Jalālābād', 'Nangarhār', 'Afghanistan', 'Spīn Ghar', 'Kabul River']);
  const nangarhar = places[2]!;
  assert.equal(nangarhar.fcode, 'ADM1');
  assert.equal(nangarhar.admin1, '18');
  assert.ok(nangarhar.names.includes('Ningrahar'));
  // Imported places extend the gazetteer: the mountain range is now found, diacritics folded.
  const g = fixtureGazetteer(places);
  const p = geoparseText(g, 'Fighting in the Spin Ghar mountains near Jalalabad, Nangarhar.').find((x) => x.text === 'Spin Ghar');
  assert.equal(p?.geonames_id, 1132000);
});

test('geonames dump line parser rejects short lines and skips unwanted classes', () => {
  assert.equal(parseDumpLine('1\tX', { altNamesMinPopulation: 0 }), 'bad');
  assert.equal(parseDumpLine('1140000\tSome Hotel\tSome Hotel\t\t34.5\t69.2\tS\tHTL\tAF\t\t13\t\t\t\t0\t\t1800\tAsia/Kabul\t2020-01-01', { altNamesMinPopulation: 0 }), null);
  const small = parseDumpLine('5\tTiny\tTiny\tTinyville,Tinytown\t1\t2\tP\tPPL\tAF\t\t13\t\t\t\t50\t\t1\tAsia/Kabul\t2020-01-01', { altNamesMinPopulation: 1000 });
  assert.ok(small && small !== 'bad');
  assert.deepEqual(small.names, []);
});

test('geonames dump line parser keeps the alternate names of a seat of government without a population', () => {
  const line = (fcode: string): string => `7\tAl Tawn\tAl Tawn\tTawn,Et Tawniye\t36\t41\tP\t${fcode}\tSY\t\t06\t\t\t\t0\t\t450\tAsia/Damascus\t2020-01-01`;
  const seat = parseDumpLine(line('PPLA2'), { altNamesMinPopulation: 1000 });
  assert.ok(seat && seat !== 'bad');
  assert.deepEqual(seat.names, ['Tawn', 'Et Tawniye']);
  const village = parseDumpLine(line('PPL'), { altNamesMinPopulation: 1000 });
  assert.ok(village && village !== 'bad');
  assert.deepEqual(village.names, []);
});

test('geonames dump reader refuses a file that is not a dump', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-geo-'));
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'hello\nworld\n');
  await assert.rejects(readDump(file, { altNamesMinPopulation: 0 }), (err: unknown) => err instanceof KhabarError && err.code === 'E_KNOWLEDGE');
});

test('extra places from CSV and JSON join the gazetteer and win a shared name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-geo-'));
  const csv = join(dir, 'places.csv');
  writeFileSync(csv, 'name,lat,lon,country,fcode,names\n"Camp Bastion",31.86,64.22,AF,MILB,Bastion;Camp Leatherneck\nKabul,34.0,69.0,AF,PPL,\n');
  const json = join(dir, 'places.json');
  writeFileSync(json, JSON.stringify({ places: [{ name: 'Zzyzx', lat: 35.14, lon: -116.1, country: 'US' }] }));
  const extra = [...loadExtraPlaces(csv), ...loadExtraPlaces(json)];
  assert.equal(extra.length, 3);
  const base = buildGazetteerData(FIXTURE_PLACES);
  const g = new Gazetteer(mergeGazetteerData(base, buildGazetteerData(extra)));
  assert.equal(g.size, FIXTURE_PLACES.length + 3);
  const bastion = g.find('Camp Leatherneck');
  assert.equal(bastion.length, 1);
  assert.equal(g.name(bastion[0]!), 'Camp Bastion');
  assert.equal(g.find('Zzyzx').length, 1);
  // The user's Kabul is listed first for the shared name.
  assert.equal(g.lat(g.find('Kabul')[0]!), 34);
});

test('extra places CSV without a lat column is refused with the header it needs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-geo-'));
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, 'name,lon\nX,1\n');
  assert.throws(() => loadExtraPlaces(csv), /"lat"/);
});

test('admin names also index without their generic word', () => {
  const cues = loadCues();
  assert.ok(adminNameVariants('Damascus Governorate', cues).includes('damascus'));
  assert.ok(adminNameVariants('Nangarhar Province', cues).includes('nangarhar'));
  assert.deepEqual(adminNameVariants('Sindh', cues), ['Sindh']);
});

test('extent centre is the middle of the places, not their mean, and handles the antimeridian', () => {
  // Dense cluster in the east, one place in the west: the middle ignores density.
  const c = extentCentre({ lats: [0, 0, 0, 0, 10], lons: [10, 10, 10, 10, 0] });
  assert.deepEqual(c, { lat: 5, lon: 5 });
  const fiji = extentCentre({ lats: [-17, -17], lons: [178, -179] });
  assert.ok(Math.abs(fiji.lon - 179.5) < 1e-9, String(fiji.lon));
});

// Fallback country centres from the world-atlas shapes (an installed package, not eval data):
// islands across the antimeridian must not land mid-globe.
const centroidCases: { name: string; numeric: string; lat: [number, number]; lon: (x: number) => boolean }[] = [
  { name: 'Fiji (across the antimeridian)', numeric: '242', lat: [-19, -15.5], lon: (x) => x > 176 || x < -178 },
  { name: 'Bolivia (inland)', numeric: '068', lat: [-20, -14], lon: (x) => x > -68 && x < -61 },
];
for (const c of centroidCases) {
  test(`country centroid of the largest polygon: ${c.name}`, () => {
    const p = countryCentroids().get(c.numeric);
    assert.ok(p, 'centroid present');
    assert.ok(p.lat >= c.lat[0] && p.lat <= c.lat[1], `lat ${p.lat}`);
    assert.ok(c.lon(p.lon), `lon ${p.lon}`);
  });
}
