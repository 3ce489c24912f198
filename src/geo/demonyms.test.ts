import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDemonyms, loadDemonyms } from './demonyms.js';

const cases: [string, string | null][] = [
  ['Afghan', 'AF'],
  ['Afghans', 'AF'],
  ['pakistanis', 'PK'],
  ['Nigerien', 'NE'],
  ['Nigerian', 'NG'],
  ['Congolese', 'CD'],
  ['Emirati', 'AE'],
  ['Ivorian', 'CI'],
  ['Burkinabe', 'BF'],
  ['U.S.', 'US'],
  ['British', 'GB'],
  ['Saudi', 'SA'],
  ['Tigrayan', 'ET'],
  ['Rohingya', 'MM'],
  // "Korean" alone is the South ("Korean women", "a Korean chef"); the North is named as such.
  ['Korean', 'KR'],
  ['North Korean', 'KP'],
  ['Serb', 'RS'],
  ['Kurdish', null],
  ['Pashtun', null],
  ['Paris', null],
];

test('demonyms countryOf maps nationality words to their country', () => {
  const d = loadDemonyms();
  for (const [word, country] of cases) assert.equal(d.countryOf(word), country, word);
});

test('demonyms group words keep every country they span', () => {
  const d = loadDemonyms();
  assert.deepEqual(d.lookup('Kurds')?.countries, ['IQ', 'SY', 'TR', 'IR']);
  assert.equal(d.lookup('Kurds')?.group, 'Kurdish');
  assert.equal(d.lookup('Afghans')?.kind, 'people');
});

test('demonyms a regional adjective stands for its region, within its country', () => {
  const d = loadDemonyms();
  for (const [word, place, country] of [['Sicilian', 'Sicily', 'IT'], ['Siberian', 'Siberia', 'RU'], ['Texans', 'Texas', 'US']] as const) {
    assert.equal(d.lookup(word)?.place, place, word);
    assert.deepEqual(d.lookup(word)?.countries, [country], word);
  }
});

test('demonyms the first country listed wins a shared word', () => {
  const d = buildDemonyms({
    countries: [
      { country: 'CD', adjectives: ['Congolese'], people: [] },
      { country: 'CG', adjectives: ['Congolese'], people: [] },
    ],
    groups: [],
  });
  assert.equal(d.countryOf('Congolese'), 'CD');
});

test('demonyms the data file lists each country once', async () => {
  const { readFileSync } = await import('node:fs');
  const { dataPath } = await import('../paths.js');
  const file = JSON.parse(readFileSync(dataPath('geo', 'demonyms.json'), 'utf8')) as { countries: { country: string }[] };
  const codes = file.countries.map((c) => c.country);
  assert.equal(new Set(codes).size, codes.length);
});
