import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BlockingState, capInWindowOrder, windowKey, type CandidateRow } from './blocking.js';
import { loadLinkConfig, makeLinkConfig } from './config.js';
import { readFileSync } from 'node:fs';
import { dataPath } from '../paths.js';
import { featuresOf, type ReportFeatures, type ReportFields } from './report.js';

const config = loadLinkConfig();

/** A report's fields on a date (null: undated, the week before its article), in a country. */
function fields(id: string, date: string | null, precision: ReportFields['date_precision'] = 'day', country = 'AF'): ReportFields {
  return {
    event_id: `${id}:e1`,
    article_id: id,
    article_date: '2024-05-10',
    event_type: 'ASSAULT',
    mode: null,
    acled_sub_event_type: null,
    date,
    date_precision: precision,
    actor1_id: null,
    actor1_name: null,
    actor1_kind: null,
    actor2_id: null,
    actor2_name: null,
    actor2_kind: null,
    geonames_id: null,
    country,
    admin1: null,
    lat: null,
    lon: null,
    geo_precision: null,
    fatalities: null,
  };
}

describe('link blocking', () => {
  test("link blocking lists the batch's own reports in its window, in the order they came, whatever their days", () => {
    const state = new BlockingState();
    const added: [string, string | null, ReportFields['date_precision'], string][] = [
      ['a', '2024-05-06', 'day', 'AF'],
      ['b', '2024-05-02', 'day', 'AF'], // a day outside the window of 2024-05-06
      ['c', null, 'day', 'AF'], // undated: 2024-05-03 to 2024-05-10, overlaps
      ['d', '2024-05-06', 'day', 'PK'], // another country
      ['e', '2024-05-01', 'week', 'AF'], // a week ending 2024-05-07, overlaps
      ['f', '2024-05-06', 'day', 'AF'],
      ['g', '2024-04-20', 'week', 'AF'], // a week ending 2024-04-26, too early
    ];
    for (const [id, date, precision, country] of added) {
      const f = featuresOf(fields(id, date, precision, country), config);
      state.addReport(f, [id.charCodeAt(0), 1, `${id}:e1`, f.orderKey]);
    }
    const probe = featuresOf(fields('z', '2024-05-06'), config);
    assert.deepEqual(
      state.candidates(probe, config, () => undefined).map((r) => r[2]),
      ['a:e1', 'c:e1', 'e:e1', 'f:e1'],
    );
  });

  test('link blocking resolves a candidate of a merged cluster to the cluster it joined', () => {
    const state = new BlockingState();
    const f = featuresOf(fields('a', '2024-05-06'), config);
    state.addReport(f, [1, 1, 'a:e1', f.orderKey]);
    state.moved.set('a:e1', ['x:e1', 'key-x']);
    assert.deepEqual(state.candidates(featuresOf(fields('z', '2024-05-06'), config), config, () => undefined), [[1, 1, 'x:e1', 'key-x']]);
  });

  /** A window's reports: [event rid, date, precision], as features and candidate rows. */
  function reports(list: [number, string, ReportFields['date_precision']][]): { rows: CandidateRow[]; features: ReportFeatures[] } {
    const features = list.map(([rid, date, precision]) => featuresOf(fields(`r${rid}`, date, precision), config));
    return { rows: list.map(([rid], i) => [rid, rid, `r${rid}:e1`, features[i]!.orderKey]), features };
  }

  test('link blocking caps a window at its first candidates in window order, stored and batch reports together', () => {
    // Stored (read in window order: day-precise by day then rid, then coarse) and the batch's own (later rids).
    const stored = reports([[1, '2024-05-05', 'day'], [3, '2024-05-06', 'day'], [2, '2024-05-01', 'week']]);
    const own = reports([[12, '2024-05-07', 'day'], [10, '2024-05-05', 'day'], [11, '2024-04-30', 'week']]);
    const batch = own.rows.map((row, seq) => ({ row, features: own.features[seq]!, seq }));
    const rids = (k: { stored: number; own: readonly { row: CandidateRow }[] }): number[] => [...stored.rows.slice(0, k.stored).map((r) => r[0]), ...k.own.map((b) => b.row[0])];
    assert.deepEqual(rids(capInWindowOrder(stored.features, stored.rows, batch, 6)), [1, 3, 2, 12, 10, 11], 'under the cap: all, as they were');
    // Window order: day 05-05 (1, 10), day 05-06 (3), day 05-07 (12), then coarse 04-30 (11), 05-01 (2).
    assert.deepEqual(rids(capInWindowOrder(stored.features, stored.rows, batch, 4)), [1, 3, 10, 12]);
    assert.deepEqual(rids(capInWindowOrder(stored.features, stored.rows, batch, 2)), [1, 10]);
    assert.deepEqual(rids(capInWindowOrder(stored.features, stored.rows, batch, 5)), [1, 3, 10, 12, 11]);
  });

  test('link blocking takes the same capped candidates whether the others were stored before the batch or came in it', () => {
    const small = makeLinkConfig({ ...JSON.parse(readFileSync(dataPath('link', 'linking.json'), 'utf8')), cluster: { ...loadLinkConfig().cluster, maxCandidates: 3 } });
    const all = reports([[1, '2024-05-06', 'day'], [2, '2024-05-06', 'day'], [3, '2024-05-01', 'week'], [4, '2024-05-06', 'day'], [5, '2024-05-06', 'day']]);
    const probe = featuresOf(fields('z', '2024-05-06'), small);
    const byRid = new Map(all.rows.map((r, i) => [r[0], all.features[i]!]));
    const answers: number[][] = [];
    // The first k reports stored before the batch (read as the store would: in window order, capped), the rest in it.
    for (let k = 0; k <= all.rows.length; k++) {
      const state = new BlockingState();
      const storedIdx = all.rows.map((_, i) => i).slice(0, k);
      storedIdx.sort((a, b) => (all.features[a]!.pclass === 'day' ? 0 : 1) - (all.features[b]!.pclass === 'day' ? 0 : 1) || all.features[a]!.dayLo - all.features[b]!.dayLo || all.rows[a]![0] - all.rows[b]![0]);
      const c = small.cluster;
      state.blocks.set(windowKey(probe.family, probe.blockCountry, probe.dayLo - c.dayTolerance, probe.dayHi + c.dayTolerance), storedIdx.slice(0, c.maxCandidates).map((i) => all.rows[i]!));
      for (let i = k; i < all.rows.length; i++) state.addReport(all.features[i]!, all.rows[i]!);
      answers.push(state.candidates(probe, small, (rid) => byRid.get(rid)).map((r) => r[0]).sort((a, b) => a - b));
    }
    assert.deepEqual(answers[0], [1, 2, 4], 'the first 3 in window order: day-precise reports by day, then rid, before the coarse one');
    for (const [k, got] of answers.entries()) assert.deepEqual(got, answers[0], `${k} stored before the batch`);
  });
});
