import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRecord } from '../types.js';
import { formatReports } from './reports.js';

const event: EventRecord = {
  event_id: 'a1:e1',
  article_id: 'a1',
  event_type: 'ASSAULT',
  mode: null,
  acled_event_type: 'Violence against civilians',
  acled_sub_event_type: 'Attack',
  actor1: null,
  actor2: null,
  location: null,
  date: '2024-05-10',
  date_precision: 'day',
  fatalities: 3,
  injured: null,
  count: null,
  sources: [],
  claim: 'reported',
  claimed_by: null,
  evidence: { start: 0, end: 5, text: 'Gunmen killed three people.' },
  confidence: 0.8,
  reports: 30,
  independent_sources: 4,
};

test('reports text: a field whose values are not all listed says how many others, and by how many reports', () => {
  const text = formatReports({
    event: {
      ...event,
      alternatives: [{ field: 'date', values: [{ value: '2024-05-10', reports: 20 }, { value: '2024-05-11', reports: 6 }], others: { values: 3, reports: 4 } }],
    },
    reports: [],
  });
  assert.match(text, /reports disagree on date: 2024-05-10 \(20\), 2024-05-11 \(6\), and 3 other values \(4\)\n/);
  assert.match(text, /30 reports, 4 independent sources/);
});
