import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRecord } from '../types.js';
import { eventsToCsv } from './csv.js';
import { eventsToGeoJson } from './geojson.js';
import { eventsToJson, eventsToJsonl } from './json.js';
import { writeEvents, type ExportFormat, type Sink } from './stream.js';

function event(id: string, lat: number | null, lon: number | null): EventRecord {
  return {
    event_id: id,
    article_id: 'a',
    event_type: 'PROTEST',
    mode: null,
    acled_event_type: 'Protests',
    acled_sub_event_type: 'Peaceful protest',
    actor1: null,
    actor2: null,
    location: lat === null && lon === null ? null : { name: 'P', text: 'P', geonames_id: null, country_code: 'KE', admin1: null, admin2: null, lat, lon, geo_precision: 2 },
    date: '2024-01-05',
    date_precision: 'day',
    fatalities: null,
    injured: null,
    count: 200,
    sources: [],
    claim: null,
    claimed_by: null,
    evidence: { start: 0, end: 5, text: 'March' },
    confidence: 0.5,
  };
}

const events = [event('e1', -1.29, 36.82), event('e2', null, null), event('e3', 0.5, null), event('e4', 4.05, 39.67)];

test('eventsToGeoJson makes Point features at [lon, lat] and counts events left out', () => {
  const { collection, omitted } = eventsToGeoJson(events);
  assert.equal(collection.type, 'FeatureCollection');
  assert.equal(omitted, 2);
  assert.deepEqual(
    collection.features.map((f) => [f.id, f.geometry.type, f.geometry.coordinates]),
    [
      ['e1', 'Point', [36.82, -1.29]],
      ['e4', 'Point', [39.67, 4.05]],
    ],
  );
  assert.deepEqual(collection.features[0]?.properties, events[0]);
});

test('eventsToJson and eventsToJsonl hold the records unchanged', () => {
  assert.deepEqual(JSON.parse(eventsToJson(events)), events);
  const lines = eventsToJsonl(events).split('\n');
  assert.equal(lines.pop(), '');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), events);
  assert.deepEqual(JSON.parse(eventsToJson([])), []);
});

function memorySink(): Sink & { text: () => string } {
  const parts: string[] = [];
  return { write: async (c) => void parts.push(c), close: async () => {}, text: () => parts.join('') };
}

test('writeEvents streams the same documents as the whole-document exports', async () => {
  const whole: Record<ExportFormat, (e: EventRecord[]) => unknown> = {
    json: (e) => JSON.parse(eventsToJson(e)),
    jsonl: (e) => eventsToJsonl(e),
    csv: (e) => eventsToCsv(e),
    geojson: (e) => eventsToGeoJson(e).collection,
  };
  for (const list of [events, []]) {
    for (const format of Object.keys(whole) as ExportFormat[]) {
      const sink = memorySink();
      const counts = await writeEvents(list, format, sink);
      const got = format === 'json' || format === 'geojson' ? JSON.parse(sink.text()) : sink.text();
      assert.deepEqual(got, whole[format](list), `${format} of ${list.length}`);
      assert.equal(counts.omitted, format === 'geojson' && list.length ? 2 : 0);
      assert.equal(counts.written, format === 'geojson' && list.length ? 2 : list.length);
    }
  }
});
