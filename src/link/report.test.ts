import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadLinkConfig, makeLinkConfig } from './config.js';
import fc from 'fast-check';
import { decide, decodeFields, matches, encodeFields, featuresOf, fixedOrigin, IndependentSources, independentSources, outletKey, type ReportFields, type ReportOrigin } from './report.js';
import type { EventRecord } from '../types.js';

const config = loadLinkConfig();

/** A report of a checkpoint attack in a town, as hand-built fields; `over` changes some. */
function report(over: Partial<ReportFields> = {}): ReportFields {
  return {
    event_id: 'x:e1',
    article_id: 'x',
    article_date: '2024-05-06',
    event_type: 'ASSAULT',
    mode: 'small-arms',
    acled_sub_event_type: 'Armed clash',
    date: '2024-05-06',
    date_precision: 'day',
    actor1_id: 'generic.gunmen',
    actor1_name: 'gunmen',
    actor1_kind: 'militia',
    actor2_id: 'generic.police',
    actor2_name: 'police',
    actor2_kind: 'police',
    geonames_id: 1139715,
    country: 'AF',
    admin1: 'Nangarhar',
    lat: 34.43,
    lon: 70.45,
    geo_precision: 1,
    fatalities: 12,
    ...over,
  };
}

const other = (over: Partial<ReportFields>): ReportFields => report({ event_id: 'y:e1', article_id: 'y', ...over });

describe('link decision', () => {
  const cases: [string, Partial<ReportFields>, boolean, boolean][] = [
    ['the same report in another article', {}, false, true],
    ['conflicting counts (12 and 15)', { fatalities: 15 }, false, true],
    ['unknown attackers, no target, a count of 15', { actor1_id: null, actor1_name: 'Unidentified armed group', actor1_kind: 'unknown', actor2_id: null, actor2_name: null, actor2_kind: null, fatalities: 15 }, false, true],
    ['a bombing of civilians in the same town on the same day', { acled_sub_event_type: 'Remote explosive/landmine/IED', mode: 'explosive', actor2_id: 'generic.civilians', actor2_name: 'civilians', actor2_kind: 'civilians', fatalities: 3 }, false, false],
    ['the same attack reported two days later', { date: '2024-05-08' }, false, false],
    ['one day apart (ACLED codes one event per day)', { date: '2024-05-07' }, false, false],
    ['another town 300 km away', { geonames_id: 1, lat: 34.52, lon: 69.18 + 2.5 }, false, false],
    ['another family of event (a protest)', { event_type: 'PROTEST', acled_sub_event_type: 'Peaceful protest' }, false, false],
    ['another country', { country: 'PK' }, false, false],
    ['the same article', { event_id: 'x:e2', article_id: 'x' }, false, false],
    ['other actors and counts, but near-duplicate articles', { actor1_id: 'taliban', actor1_name: 'Taliban', fatalities: 30 }, true, true],
    ['other actors and counts, not near-duplicates', { actor1_id: 'taliban', actor1_name: 'Taliban', fatalities: 30 }, false, false],
    ['a week-precision report of that week', { date: '2024-05-06', date_precision: 'week', geonames_id: null, lat: null, lon: null, geo_precision: 3 }, false, true],
    ['a month-precision report (wider than maxWindowDays: too vague to link)', { date: '2024-05-01', date_precision: 'month' }, false, false],
    ['a year-precision report', { date: '2024-01-01', date_precision: 'year' }, false, false],
  ];
  for (const [name, over, dup, expected] of cases) {
    test(`link decision: ${name} → ${expected ? 'same event' : 'different events'}`, () => {
      const a = featuresOf(report(), config);
      const b = featuresOf(other(over), config);
      const ab = decide(a, b, dup, config);
      const ba = decide(b, a, dup, config);
      assert.equal(ab.match, expected, `score ${ab.score}, veto ${ab.veto}`);
      assert.deepEqual(ba, ab, 'the decision is symmetric');
    });
    test(`link decision: ${name} → matches() agrees with decide() and asks about near-duplicates only when that decides`, () => {
      const a = featuresOf(report(), config);
      const b = featuresOf(other(over), config);
      let asked = false;
      const m = matches(a, b, () => ((asked = true), dup), config);
      assert.equal(m, decide(a, b, dup, config).match);
      assert.equal(asked, decide(a, b, true, config).match !== decide(a, b, false, config).match);
    });
  }

  test('link decision: a day of tolerance, when configured, links reports one day apart and no further', () => {
    const { familyOf: _f, outletKindSet: _o, ...file } = config;
    const lenient = makeLinkConfig({ ...file, cluster: { ...file.cluster, dayTolerance: 1 } });
    const a = featuresOf(report(), lenient);
    assert.equal(decide(a, featuresOf(other({ date: '2024-05-07' }), lenient), false, lenient).match, true);
    assert.equal(decide(a, featuresOf(other({ date: '2024-05-08' }), lenient), false, lenient).veto, 'dates too far apart');
  });

  test('link decision: undated reports get a window before their article date', () => {
    const f = featuresOf(report({ date: null }), config);
    assert.equal(f.pclass, 'coarse');
    assert.equal(f.dayHi - f.dayLo, config.cluster.undatedWindowDays);
    assert.ok(f.orderKey.startsWith('2024-05-06'));
  });

  test('link decision: types of one family link when the file says so', () => {
    const { familyOf: _f, outletKindSet: _o, ...file } = config;
    const custom = makeLinkConfig({ ...file, families: { unrest: ['PROTEST', 'RIOT'] } });
    const protest = report({ event_type: 'PROTEST', acled_sub_event_type: null, fatalities: null });
    const riot = other({ event_type: 'RIOT', acled_sub_event_type: null, fatalities: null });
    assert.equal(featuresOf(protest, custom).family, 'unrest');
    assert.equal(decide(featuresOf(protest, custom), featuresOf(riot, custom), false, custom).veto, null);
    assert.equal(decide(featuresOf(protest, config), featuresOf(riot, config), false, config).veto, 'different type families');
  });
});

describe('link origins', () => {
  const ev = (over: Partial<EventRecord>): EventRecord => ({ sources: [], claim: 'reported', claimed_by: null, ...over }) as EventRecord;
  test('link origin: an actor claim, a relayed agency, or none', () => {
    assert.equal(fixedOrigin(ev({ claim: 'claimed', claimed_by: 'The Islamic State' }), config), 'actor:islamic state');
    assert.equal(fixedOrigin(ev({ sources: [{ name: 'police', kind: 'official' }, { name: 'Reuters', kind: 'agency' }] }), config), 'outlet:reuters');
    assert.equal(fixedOrigin(ev({ sources: [{ name: 'police', kind: 'official' }] }), config), null);
    assert.equal(outletKey('The  Associated-Press'), 'associated press');
  });

  const cases: [string, { fixed: string | null; dupRoot: number; article: string }[], number][] = [
    ['three copies of one text by three outlets', [
      { fixed: null, dupRoot: 1, article: 'outlet:reuters' },
      { fixed: null, dupRoot: 1, article: 'outlet:dawn' },
      { fixed: null, dupRoot: 1, article: 'outlet:the news' },
    ], 1],
    ['a rewrite relaying the wire joins the wire', [
      { fixed: null, dupRoot: 1, article: 'outlet:reuters' },
      { fixed: 'outlet:reuters', dupRoot: 4, article: 'outlet:daily star' },
    ], 1],
    ['two outlets reporting on their own', [
      { fixed: null, dupRoot: 1, article: 'outlet:reuters' },
      { fixed: null, dupRoot: 5, article: 'outlet:pajhwok' },
    ], 2],
    ['two follow-ups by one outlet count once', [
      { fixed: null, dupRoot: 5, article: 'outlet:pajhwok' },
      { fixed: null, dupRoot: 6, article: 'outlet:pajhwok' },
    ], 1],
    ['an actor claim is a source of its own', [
      { fixed: null, dupRoot: 1, article: 'outlet:reuters' },
      { fixed: 'actor:islamic state', dupRoot: 7, article: 'outlet:amaq' },
    ], 2],
  ];
  for (const [name, origins, expected] of cases) {
    test(`link independent sources: ${name} → ${expected}`, () => {
      assert.equal(independentSources(origins), expected);
      assert.equal(independentSources([...origins].reverse()), expected, 'order does not matter');
    });
  }
});

describe('link stored fields', () => {
  const cases: [string, Partial<ReportFields>][] = [
    ['a placed, dated report', {}],
    ['an unplaced, undated report with nulls', { geonames_id: null, country: null, admin1: null, lat: null, lon: null, geo_precision: null, date: null, fatalities: null, mode: null }],
    ['names with quotes and commas', { actor1_name: 'the "Front", of sorts', admin1: 'Khyber, "KP"' }],
  ];
  for (const [name, over] of cases) {
    test(`link fields round-trip as a compact array: ${name}`, () => {
      const f = report(over);
      const stored = encodeFields(f);
      assert.ok(stored.startsWith('['), stored);
      assert.deepEqual(decodeFields(stored), f);
      assert.ok(stored.length < JSON.stringify(f).length / 2, `${stored.length} vs ${JSON.stringify(f).length}`);
      assert.deepEqual(featuresOf(decodeFields(stored), config), featuresOf(f, config));
    });
  }

  test('link fields keep their stored order (each field a distinct value, so a swap shows)', () => {
    const f = report({ actor2_name: 'the police', actor2_kind: 'police', lon: 70.45, geo_precision: 2, fatalities: 12 });
    assert.equal(
      encodeFields(f),
      '["x:e1","x","2024-05-06","ASSAULT","small-arms","Armed clash","2024-05-06","day","generic.gunmen","gunmen","militia","generic.police","the police","police",1139715,"AF","Nangarhar",34.43,70.45,2,12]',
    );
  });

  test('link fields stored as an object (older stores) still decode', () => {
    const f = report();
    assert.deepEqual(decodeFields(JSON.stringify(featuresOf(f, config))), featuresOf(f, config));
  });

  // Origins over a few groups and tokens, so that reports share them often.
  const origin = fc.record({
    fixed: fc.option(fc.constantFrom('outlet:reuters', 'outlet:afp', 'actor:taliban'), { nil: null }),
    dupRoot: fc.integer({ min: 1, max: 6 }),
    article: fc.constantFrom('outlet:dawn', 'outlet:geo', 'article:a1', 'article:a2'),
  });
  const counted = (origins: readonly ReportOrigin[]): IndependentSources => {
    const s = new IndependentSources();
    for (const o of origins) s.add(o);
    return s;
  };

  test('link independent sources kept one report at a time count as the whole set does', () => {
    fc.assert(fc.property(fc.array(origin, { maxLength: 30 }), (origins) => counted(origins).count === independentSources(origins)));
  });

  test('link independent sources of two merged clusters count as their reports together', () => {
    fc.assert(
      fc.property(fc.array(origin, { maxLength: 20 }), fc.array(origin, { maxLength: 20 }), (a, b) => {
        const merged = counted(a);
        merged.absorb(counted(b));
        return merged.count === independentSources([...a, ...b]);
      }),
    );
  });

  test('link independent sources after a near-duplicate group joins another count as if its reports had rested on that one', () => {
    fc.assert(
      fc.property(fc.array(origin, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (origins, from, to) => {
        const s = counted(origins);
        s.joinGroups(from, to);
        const moved = origins.map((o) => (o.dupRoot === from ? { ...o, dupRoot: to } : o));
        return s.count === independentSources(moved);
      }),
    );
  });
});
