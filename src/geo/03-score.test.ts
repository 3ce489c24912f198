/**
 * Unit tests of step 3 (scores), through geoparseText on the small hand-built fixture gazetteer:
 * containment weighed by the other side's reading, and which reading of "X, <name>" contains X.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureGazetteer } from './fixture.test-helper.js';
import type { PlaceInput } from './gazetteer.js';
import { geoparseText } from './index.js';

function place(p: Partial<PlaceInput> & Pick<PlaceInput, 'name' | 'lat' | 'lon' | 'fcode'>): PlaceInput {
  return { id: null, country: null, admin1: null, admin2: null, population: 0, names: [], ...p };
}

const gaz = fixtureGazetteer([
  place({ id: 2643743, name: 'London', lat: 51.51, lon: -0.13, fcode: 'PPLC', country: 'GB', admin1: 'ENG', population: 8.9e6 }),
  place({ id: 9100001, name: 'United Kingdom', lat: 54, lon: -2, fcode: 'PCLI', country: 'GB', population: 66e6 }),
  // A small Texan namesake of London, in the same state as the small Texan Paris of the fixture.
  place({ id: 9100002, name: 'London', lat: 30.68, lon: -99.58, fcode: 'PPL', country: 'US', admin1: 'TX', population: 2000 }),
  place({ id: 5128638, name: 'New York', lat: 43, lon: -75.5, fcode: 'ADM1', country: 'US', admin1: 'NY', population: 19e6 }),
  place({ id: 5128581, name: 'New York City', lat: 40.71, lon: -74.01, fcode: 'PPL', country: 'US', admin1: 'NY', population: 8.8e6, names: ['New York'] }),
  place({ id: 5110629, name: 'Buffalo', lat: 42.89, lon: -78.88, fcode: 'PPLA2', country: 'US', admin1: 'NY', population: 260000 }),
  // Two readings each unlikely alone that agree with each other: the US town in the US state.
  place({ id: 264371, name: 'Athens', lat: 37.98, lon: 23.73, fcode: 'PPLC', country: 'GR', admin1: 'ESYE31', population: 660000 }),
  place({ id: 4180386, name: 'Athens', lat: 33.96, lon: -83.38, fcode: 'PPLA2', country: 'US', admin1: 'GA', population: 120000 }),
  place({ id: 614540, name: 'Georgia', lat: 42, lon: 43.5, fcode: 'PCLI', country: 'GE', population: 3.7e6 }),
  place({ id: 4197000, name: 'Georgia', lat: 32.75, lon: -83.5, fcode: 'ADM1', country: 'US', admin1: 'GA', population: 10e6 }),
  place({ id: 611717, name: 'Tbilisi', lat: 41.69, lon: 44.83, fcode: 'PPLC', country: 'GE', admin1: '51', population: 1.1e6 }),
  // A large city section and a smaller town of its name; a small section and a larger town of its name.
  place({ id: 5357527, name: 'Hollywood', lat: 34.1, lon: -118.33, fcode: 'PPLX', country: 'US', admin1: 'CA', population: 167000 }),
  place({ id: 4158928, name: 'Hollywood', lat: 26.01, lon: -80.15, fcode: 'PPL', country: 'US', admin1: 'FL', population: 150000 }),
  place({ id: 9100003, name: 'Oakwood', lat: 39.1, lon: -84.2, fcode: 'PPLX', country: 'US', admin1: 'OH', population: 12000 }),
  place({ id: 9100004, name: 'Oakwood', lat: 31.1, lon: -95.8, fcode: 'PPL', country: 'US', admin1: 'TX', population: 10000 }),
  place({ id: 5110302, name: 'Brooklyn', lat: 40.65, lon: -73.95, fcode: 'PPLA2', country: 'US', admin1: 'NY', population: 2.6e6 }),
]);

/** Resolves the given names of `text` (every occurrence, as gold spans list them) and returns the `nth` result for `span`. */
function resolve(text: string, names: readonly string[], span: string, nth = 0): { country: string | null; fcode: string | null; id: number | null } {
  const spans: { start: number; end: number; name: string }[] = [];
  for (const n of names) for (let at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + 1)) spans.push({ start: at, end: at + n.length, name: n });
  spans.sort((a, b) => a.start - b.start);
  const out = geoparseText(gaz, text, { givenSpans: spans.map(({ start, end }) => ({ start, end })) });
  const p = out.filter((_, i) => spans[i]!.name === span)[nth];
  assert.ok(p, `no result for "${span}"`);
  return { country: p.country_code, fcode: p.feature_code, id: p.geonames_id };
}

test('score containment counts as much as the container\'s reading is likely: "Paris, London" is no Texan pair', () => {
  // London is the British capital here; the pair (Paris, Texas) inside (London, Texas) must not win.
  const text = 'The train left London at nine. After Paris, London is the second stop on the line.';
  assert.equal(resolve(text, ['London', 'Paris'], 'Paris').country, 'FR');
  assert.equal(resolve(text, ['London', 'Paris'], 'London', 1).country, 'GB');
});

test('score containment with a certain container still decides: "Paris, Texas"', () => {
  assert.equal(resolve('A storm hit Paris, Texas, on Monday.', ['Paris', 'Texas'], 'Paris').country, 'US');
});

test('score containment: two unlikely readings that agree win together ("Athens, Georgia")', () => {
  const text = 'She studied in Athens, Georgia, for two years.';
  assert.equal(resolve(text, ['Athens', 'Georgia'], 'Athens').country, 'US');
  assert.equal(resolve(text, ['Athens', 'Georgia'], 'Georgia').fcode, 'ADM1');
  // Alone, each name keeps its larger reading.
  assert.equal(resolve('She studied in Athens for two years.', ['Athens'], 'Athens').country, 'GR');
});

const containerCases: { name: string; text: string; names: string[]; fcode: string; id: number | null }[] = [
  // A town far from the city of the same name lies in the state.
  { name: '"Buffalo, New York" is the state', text: 'A girl from Buffalo, New York, fell ill.', names: ['Buffalo', 'New York'], fcode: 'ADM1', id: 5128638 },
  // A borough beside the city lies in the city.
  { name: '"Brooklyn, New York" is the city', text: 'Funeral homes across Brooklyn, New York, were full.', names: ['Brooklyn', 'New York'], fcode: 'PPL', id: 5128581 },
];

for (const c of containerCases) {
  test(`score the container of "X, <name>": ${c.name}`, () => {
    const r = resolve(c.text, c.names, 'New York');
    assert.equal(r.fcode, c.fcode);
    assert.equal(r.id, c.id);
  });
}

test('score an admin-1 cue that names countries too ("territory of X") lets the country reading win on context', () => {
  const text = 'Tbilisi says troops mined the border territory of Georgia last year.';
  assert.equal(resolve(text, ['Tbilisi', 'Georgia'], 'Georgia').fcode, 'PCLI');
  // Without other names the cue still asks for the unit.
  assert.equal(resolve('Storms hit the state of Georgia last year.', ['Georgia'], 'Georgia').fcode, 'ADM1');
});

test('score a city section as populous as a city takes no section penalty; a small one still does', () => {
  assert.equal(resolve('She left for Hollywood to act.', ['Hollywood'], 'Hollywood').id, 5357527);
  assert.equal(resolve('She left for Oakwood to act.', ['Oakwood'], 'Oakwood').id, 9100004);
});
