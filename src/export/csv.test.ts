import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventActor, EventRecord } from '../types.js';
import { countryName, interCode, interaction, timePrecision } from './acled.js';
import { CSV_COLUMNS, csvField, eventToRow, eventsToCsv } from './csv.js';

/** A small RFC 4180 reader, enough to read back what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field, '', 'the document ends with CRLF');
  return rows;
}

function event(over: Partial<EventRecord> = {}): EventRecord {
  return {
    event_id: 'a1:e1',
    article_id: 'a1',
    event_type: 'ASSAULT',
    mode: 'small-arms',
    acled_event_type: 'Battles',
    acled_sub_event_type: 'Armed clash',
    actor1: { name: 'Military Forces of Mali', id: 'mli.military', text: 'the army', kind: 'military', country: 'ML' },
    actor2: { name: 'JNIM', id: 'jnim', text: 'JNIM', kind: 'rebel', country: null },
    location: { name: 'Kidal', text: 'Kidal', geonames_id: 2455290, country_code: 'ML', admin1: 'Kidal', admin2: null, lat: 18.44, lon: 1.41, geo_precision: 1 },
    date: '2024-06-02',
    date_precision: 'week',
    fatalities: 3,
    injured: null,
    count: null,
    sources: [
      { name: 'Reuters', kind: 'agency' },
      { name: 'a local official', kind: 'official' },
    ],
    claim: 'reported',
    claimed_by: null,
    evidence: { start: 10, end: 80, text: 'The army said, "we repelled them", after a clash\nnear Kidal.' },
    confidence: 0.7,
    ...over,
  };
}

test('csvField quotes only what needs quoting', () => {
  const cases: [string | number | null, string][] = [
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\ronly', '"cr\ronly"'],
    [12.5, '12.5'],
    [0, '0'],
    [null, ''],
    ['', ''],
  ];
  for (const [input, want] of cases) assert.equal(csvField(input), want, String(input));
});

test('eventsToCsv writes ACLED-style columns and reads back field for field', () => {
  const events = [event(), event({ event_id: 'a1:e2', location: null, actor2: null, date: null, date_precision: 'month', fatalities: null })];
  const text = eventsToCsv(events);
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, 3);
  for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
  const col = (row: string[] | undefined, name: string): string | undefined => row?.[CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number])];
  const first = rows[1];
  assert.equal(col(first, 'notes'), events[0]?.evidence.text);
  assert.equal(col(first, 'source'), 'Reuters; a local official');
  assert.equal(col(first, 'source_kinds'), 'agency; official');
  assert.equal(col(first, 'event_date'), '2024-06-02');
  assert.equal(col(first, 'year'), '2024');
  assert.equal(col(first, 'time_precision'), '2');
  assert.equal(col(first, 'country'), 'Mali');
  assert.equal(col(first, 'latitude'), '18.44');
  assert.equal(col(first, 'inter1'), '1');
  assert.equal(col(first, 'inter2'), '2');
  assert.equal(col(first, 'interaction'), '12');
  assert.equal(col(first, 'plover_event_type'), 'ASSAULT');
  const second = rows[2];
  assert.equal(col(second, 'event_date'), '');
  assert.equal(col(second, 'time_precision'), '3');
  assert.equal(col(second, 'fatalities'), '', 'an unknown toll is empty, not zero');
  assert.equal(col(second, 'country'), '');
  assert.equal(col(second, 'interaction'), '10');
});

test('interCode maps actor kinds to ACLED inter codes, foreign state forces to 8', () => {
  const actor = (kind: string, country: string | null): EventActor => ({ name: 'x', id: null, text: 'x', kind, country });
  const cases: [EventActor | null, string | null, number | null][] = [
    [actor('police', 'ML'), 'ML', 1],
    [actor('military', 'FR'), 'ML', 8],
    [actor('military', null), 'ML', 1],
    [actor('rebel', 'ML'), 'ML', 2],
    [actor('militia', null), null, 3],
    [actor('rioters', null), null, 5],
    [actor('protesters', 'FR'), 'ML', 6],
    [actor('civilians', null), null, 7],
    [actor('igo', null), 'ML', 8],
    [actor('person', null), null, null],
    [null, 'ML', null],
  ];
  for (const [a, cc, want] of cases) assert.equal(interCode(a, cc), want, `${a?.kind} ${a?.country} in ${cc}`);
});

test('interaction puts the lower code first; one actor alone ends in 0', () => {
  assert.equal(interaction(7, 1), '17');
  assert.equal(interaction(2, 2), '22');
  assert.equal(interaction(6, null), '60');
  assert.equal(interaction(null, 3), '30');
  assert.equal(interaction(null, null), '');
});

test('timePrecision and countryName', () => {
  assert.deepEqual((['day', 'week', 'month', 'year'] as const).map(timePrecision), [1, 2, 3, 3]);
  assert.equal(countryName('pk'), 'Pakistan');
  assert.equal(countryName(null), '');
});

test('eventToRow keeps the link to the article and the evidence offsets', () => {
  const row = eventToRow(event());
  assert.equal(row.article_id, 'a1');
  assert.equal(row.evidence_start, 10);
  assert.equal(row.evidence_end, 80);
});
