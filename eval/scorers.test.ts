import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACC_KM,
  EARTH_RADIUS_KM,
  classify,
  codePointOffsets,
  haversineKm,
  matchSpans,
  prf,
  scoreResolution,
  textMatches,
  withinKm,
  worstLabels,
} from './scorers.js';

/** Degrees of latitude that span `km` along a meridian. */
const degreesFor = (km: number): number => (km / EARTH_RADIUS_KM) * (180 / Math.PI);

test('haversineKm one degree of longitude at the equator', () => {
  assert.ok(Math.abs(haversineKm(0, 0, 0, 1) - 111.195) < 0.01);
  assert.equal(haversineKm(33.7, 73.1, 33.7, 73.1), 0);
});

test('scoreResolution counts a point exactly 161 km away as correct (inclusive) and 162 km as wrong', () => {
  const at161 = degreesFor(ACC_KM);
  const at162 = degreesFor(162);
  assert.ok(withinKm(haversineKm(10, 20, 10 + at161, 20)));
  assert.ok(!withinKm(haversineKm(10, 20, 10 + at162, 20)));
  const score = scoreResolution([
    { gold: { lat: 10, lon: 20 }, pred: { lat: 10 + at161, lon: 20, geonames_id: null } },
    { gold: { lat: 10, lon: 20 }, pred: { lat: 10 + at162, lon: 20, geonames_id: null } },
  ]);
  assert.equal(score.accAt161, 0.5);
  assert.equal(score.resolved, 1);
});

test('scoreResolution: no prediction is wrong, ids scored only where gold has one', () => {
  const score = scoreResolution([
    { gold: { lat: 0, lon: 0, geonameid: 7 }, pred: { lat: 0, lon: 0, geonames_id: 7 } },
    { gold: { lat: 0, lon: 0, geonameid: 8 }, pred: { lat: 0, lon: 0.1, geonames_id: 9 } },
    { gold: { lat: 0, lon: 0, geonameid: null }, pred: { lat: 50, lon: 50, geonames_id: 3 } },
    { gold: { lat: 0, lon: 0, geonameid: 4 }, pred: null },
  ]);
  assert.equal(score.n, 4);
  assert.equal(score.accAt161, 2 / 4);
  assert.equal(score.resolved, 3 / 4);
  assert.equal(score.idN, 3);
  assert.equal(score.idExact, 1 / 3);
});

test('matchSpans: an unmatched prediction and an unmatched gold span', () => {
  const gold = [
    { start: 0, end: 5 },
    { start: 10, end: 16 },
  ];
  const pred = [
    { start: 0, end: 5 },
    { start: 10, end: 15 }, // boundary off by one: not a match
    { start: 20, end: 25 },
  ];
  const m = matchSpans(gold, pred);
  assert.deepEqual({ tp: m.tp, fp: m.fp, fn: m.fn }, { tp: 1, fp: 2, fn: 1 });
  assert.deepEqual(m.pairs, [[0, 0]]);
  const s = prf(m.tp, m.fp, m.fn);
  assert.equal(s.precision, 1 / 3);
  assert.equal(s.recall, 1 / 2);
  assert.ok(Math.abs(s.f1 - 0.4) < 1e-12);
});

test('matchSpans: a gold span matches one prediction only', () => {
  const m = matchSpans([{ start: 1, end: 2 }], [{ start: 1, end: 2 }, { start: 1, end: 2 }]);
  assert.deepEqual({ tp: m.tp, fp: m.fp, fn: m.fn }, { tp: 1, fp: 1, fn: 0 });
});

test('prf with empty denominators is 0, not NaN', () => {
  assert.deepEqual(prf(0, 0, 0), { precision: 0, recall: 0, f1: 0 });
});

test('classify: weighted vs macro F1 computed by hand, a label never predicted scores 0', () => {
  // A: tp 1, predicted 2, support 2 -> P .5 R .5 F .5
  // B: tp 1, predicted 2, support 1 -> P .5 R 1 F 2/3
  // C: tp 0, predicted 0, support 1 -> F 0 (never predicted)
  const r = classify(['A', 'A', 'B', 'C'], ['A', 'B', 'B', 'A'], ['A', 'B', 'C']);
  const byLabel = Object.fromEntries(r.perLabel.map((l) => [l.label, l]));
  assert.equal(byLabel.A!.f1, 0.5);
  assert.ok(Math.abs(byLabel.B!.f1 - 2 / 3) < 1e-12);
  assert.equal(byLabel.C!.f1, 0);
  assert.equal(byLabel.C!.predicted, 0);
  assert.ok(Math.abs(r.macroF1 - (0.5 + 2 / 3 + 0) / 3) < 1e-12);
  assert.ok(Math.abs(r.weightedF1 - (2 * 0.5 + 1 * (2 / 3) + 1 * 0) / 4) < 1e-12);
  assert.equal(r.accuracy, 0.5);
});

test('classify: a null prediction is wrong and shows as (none) in the confusions', () => {
  const r = classify(['A', 'B', 'B', 'B'], [null, 'B', null, null], ['A', 'B']);
  assert.equal(r.accuracy, 1 / 4);
  assert.deepEqual(r.confusions, [
    { gold: 'B', predicted: '(none)', count: 2 },
    { gold: 'A', predicted: '(none)', count: 1 },
  ]);
  assert.equal(r.perLabel[1]!.f1, 0.5);
  const worst = worstLabels(r, 1);
  assert.deepEqual(worst, [{ label: 'A', f1: 0, support: 1, mostlyPredictedAs: '(none)' }]);
});

test('classify: a label in the set but absent from the gold lowers macro F1 only', () => {
  const r = classify(['A'], ['A'], ['A', 'Z']);
  assert.equal(r.weightedF1, 1);
  assert.equal(r.macroF1, 0.5);
});

test('codePointOffsets converts Python offsets past an astral character', () => {
  const text = 'a\u{1F600}b Kabul';
  const toU16 = codePointOffsets(text);
  // code points: a, 😀, b, ' ', K... -> "Kabul" starts at code point 4, UTF-16 index 5
  assert.equal(toU16(4), 5);
  assert.equal(text.slice(toU16(4), toU16(9)), 'Kabul');
  assert.throws(() => toU16(99), RangeError);
});

for (const [a, b, expected] of [
  ['Jordan', 'jordan', true],
  ['British Defence Secretary Tom King', 'Tom King', true],
  ['the army', 'army', true],
  ['Iran', 'Iraq', false],
  ['Iran', 'Iranian', false],
  ['', 'army', false],
] as const) {
  test(`textMatches ${JSON.stringify(a)} vs ${JSON.stringify(b)} is ${expected}`, () => {
    assert.equal(textMatches(a, b), expected);
  });
}
