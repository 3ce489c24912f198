import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BlockingState } from './blocking.js';
import { loadLinkConfig } from './config.js';
import { featuresOf, type ReportFields } from './report.js';

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
      state.candidates(probe, config).map((r) => r[2]),
      ['a:e1', 'c:e1', 'e:e1', 'f:e1'],
    );
  });

  test('link blocking resolves a candidate of a merged cluster to the cluster it joined', () => {
    const state = new BlockingState();
    const f = featuresOf(fields('a', '2024-05-06'), config);
    state.addReport(f, [1, 1, 'a:e1', f.orderKey]);
    state.moved.set('a:e1', ['x:e1', 'key-x']);
    assert.deepEqual(state.candidates(featuresOf(fields('z', '2024-05-06'), config), config), [[1, 1, 'x:e1', 'key-x']]);
  });
});
