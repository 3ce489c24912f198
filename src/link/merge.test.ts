import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeCluster, reportValues, type TalliedValue } from './merge.js';
import type { EventRecord } from '../types.js';

/** A report; `over` changes some fields. */
function ev(id: string, over: Partial<EventRecord> = {}): EventRecord {
  return {
    event_id: `${id}:e1`,
    article_id: id,
    event_type: 'ASSAULT',
    mode: 'small-arms',
    acled_event_type: 'Battles',
    acled_sub_event_type: 'Armed clash',
    actor1: { name: 'gunmen', id: 'generic.gunmen', text: 'Gunmen', kind: 'militia', country: null },
    actor2: null,
    location: { name: 'Jalalabad', text: 'Jalalabad', geonames_id: 1139715, country_code: 'AF', admin1: 'Nangarhar', admin2: null, lat: 34.43, lon: 70.45, geo_precision: 1 },
    date: '2024-05-06',
    date_precision: 'day',
    fatalities: 12,
    injured: null,
    count: null,
    sources: [{ name: 'provincial spokesman', kind: 'official' }],
    claim: 'reported',
    claimed_by: null,
    evidence: { start: 0, end: 10, text: 'Gunmen ...' },
    confidence: 0.7,
    ...over,
  };
}

/** Tallies as the store keeps them, from reports in a given order (rid = position + 1). */
function tally(reports: EventRecord[]): TalliedValue[] {
  const byKey = new Map<string, TalliedValue>();
  reports.forEach((r, i) => {
    const first = `${r.date}\u0000${r.article_id}`;
    for (const v of reportValues(r)) {
      const k = `${v.field}\u0000${v.key}`;
      const t = byKey.get(k);
      const f = v.rank ? `${first}\u0001${v.rank}` : first;
      if (!t) byKey.set(k, { ...v, n: 1, first: f, rid: i + 1 });
      else {
        t.n++;
        if (f < t.first) Object.assign(t, { first: f, rid: i + 1, value: v.value });
      }
    }
  });
  return [...byKey.values()];
}

describe('link merge', () => {
  const family = [ev('a'), ev('b', { fatalities: 15, confidence: 0.9 }), ev('c', { sources: [{ name: 'Reuters', kind: 'agency' }] })];

  test('link merge: conflicting fatalities keep the lowest figure, the range and every value', () => {
    const { record } = mergeCluster(family[0]!, 1, tally(family), 3, 2);
    assert.equal(record.fatalities, 12);
    assert.deepEqual(record.fatalities_range, { min: 12, max: 15 });
    assert.deepEqual(record.alternatives, [{ field: 'fatalities', values: [{ value: 12, reports: 2 }, { value: 15, reports: 1 }] }]);
    assert.equal(record.reports, 3);
    assert.equal(record.independent_sources, 2);
    assert.equal(record.confidence, 0.9);
    assert.deepEqual(record.sources.map((s) => s.name), ['provincial spokesman', 'Reuters']);
  });

  test('link merge: the best-supported place and actor win; agreement leaves no alternatives', () => {
    const kabul = { name: 'Kabul', text: 'Kabul', geonames_id: 1138958, country_code: 'AF', admin1: 'Kabul', admin2: null, lat: 34.53, lon: 69.17, geo_precision: 1 as const };
    const reports = [ev('a', { location: kabul }), ev('b'), ev('c')];
    const { record, placeRid } = mergeCluster(reports[0]!, 1, tally(reports), 3, 3);
    assert.equal(record.location?.name, 'Jalalabad');
    assert.equal(placeRid, 2, 'the earliest report giving the chosen place');
    assert.equal(record.event_id, 'a:e1', 'the earliest report names the event');
    assert.deepEqual(record.alternatives?.map((a) => a.field), ['location']);
    const same = mergeCluster(family[0]!, 1, tally([ev('a'), ev('b')]), 2, 1).record;
    assert.equal(same.alternatives, undefined);
    assert.equal(same.fatalities_range, undefined);
  });

  test('link merge: the result does not depend on the order reports were tallied in', () => {
    const forward = mergeCluster(family[0]!, 1, tally(family), 3, 2).record;
    const backward = mergeCluster(family[0]!, 1, tally([...family].reverse()), 3, 2).record;
    assert.deepEqual(backward, forward);
  });

  const town = { name: 'Behsud', text: 'Behsud', geonames_id: 1147290, country_code: 'AF', admin1: 'Nangarhar', admin2: null, lat: 34.4, lon: 70.5, geo_precision: 2 as const };
  // Equal support: the more precise value wins, then the earliest report's; the alternatives list every value in that order.
  const ties: [string, EventRecord[], (r: EventRecord) => unknown, unknown[]][] = [
    ['a day date outranks an earlier month date', [ev('a', { date: '2024-05', date_precision: 'month' }), ev('b', { date: '2024-05-07' })], (r) => r.date, ['2024-05-07', '2024-05 (month)']],
    ['between equally precise dates the earliest report wins', [ev('a', { date: '2024-05-08' }), ev('b', { date: '2024-05-07' })], (r) => r.date, ['2024-05-07', '2024-05-08']],
    ['a precise place outranks an earlier coarser one', [ev('a', { location: town }), ev('b')], (r) => r.location?.name, ['Jalalabad', 'Behsud']],
  ];
  for (const [name, reports, chosen, order] of ties) {
    test(`link merge: ${name}`, () => {
      const { record } = mergeCluster(reports[0]!, 1, tally(reports), reports.length, 1);
      assert.equal(chosen(record), order[0]);
      const alternatives = record.alternatives?.find((a) => a.field === 'date' || a.field === 'location');
      assert.deepEqual(alternatives?.values.map((v) => (typeof v.value === 'object' && v.value !== null && 'name' in v.value ? v.value.name : v.value)), order);
    });
  }

  test('link merge: a report stating the event outweighs an actor claiming it', () => {
    const reports = [ev('a', { claim: 'claimed', claimed_by: 'Islamic State' }), ev('b', { claim: 'claimed', claimed_by: 'Islamic State' }), ev('c')];
    const { record } = mergeCluster(reports[0]!, 1, tally(reports), 3, 2);
    assert.equal(record.claim, 'reported');
    assert.deepEqual(record.alternatives?.find((a) => a.field === 'claim')?.values, [
      { value: 'claimed by Islamic State', reports: 2 },
      { value: 'reported', reports: 1 },
    ]);
  });

  test('link merge: a field with many values lists the ten best supported, counts the others, and still picks the best', () => {
    // 14 dates, reported by these many reports each (dates 2024-05-10 onwards).
    const support = [4, 1, 3, 1, 2, 1, 1, 2, 1, 1, 3, 1, 1, 1];
    const reports: EventRecord[] = [];
    support.forEach((n, i) => {
      for (let j = 0; j < n; j++) reports.push(ev(`r${i}-${j}`, { date: `2024-05-${10 + i}` }));
    });
    for (const order of [reports, [...reports].reverse()]) {
      const { record } = mergeCluster(order[0]!, 1, tally(order), order.length, 1);
      assert.equal(record.date, '2024-05-10', 'the most reported date');
      const dates = record.alternatives?.find((a) => a.field === 'date');
      // Most reported first, then the earliest report's (the earlier date here).
      assert.deepEqual(
        dates?.values.map((v) => [v.value, v.reports]),
        [['2024-05-10', 4], ['2024-05-12', 3], ['2024-05-20', 3], ['2024-05-14', 2], ['2024-05-17', 2], ['2024-05-11', 1], ['2024-05-13', 1], ['2024-05-15', 1], ['2024-05-16', 1], ['2024-05-18', 1]],
      );
      assert.deepEqual(dates?.others, { values: 4, reports: 4 });
    }
  });
});
