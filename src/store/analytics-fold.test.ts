import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actorActivityArgs, foldActorActivity, foldTimeSeries, seriesArgs, weekOf, type ActorActivityRow } from './analytics-fold.js';
import { KhabarError } from '../errors.js';

const row = (date: string | null, s1: boolean, other: string, fatalities: number | null): ActorActivityRow => ({
  date, event_type: 'ASSAULT', country: 'PK', fatalities, s1, s2: !s1,
  a1_id: s1 ? 'ttp' : null, a1_name: s1 ? 'TTP' : other, a2_id: s1 ? null : 'ttp', a2_name: s1 ? other : 'TTP',
});

test('analytics-fold folds an actor\'s events into counts, weeks and counterparts', () => {
  const a = foldActorActivity('ttp', [row('2024-03-14', true, 'police', 3), row('2024-03-12', false, 'police', null), row('2024-03-20', true, 'army', 1)], 20);
  assert.deepEqual([a.events, a.fatalities, a.as_actor1, a.as_actor2, a.first_date, a.last_date, a.name], [3, 4, 2, 1, '2024-03-12', '2024-03-20', 'TTP']);
  assert.deepEqual(a.weekly, [{ period: '2024-03-11', events: 2, fatalities: 3 }, { period: '2024-03-18', events: 1, fatalities: 1 }]);
  assert.deepEqual(a.counterparts.map((c) => [c.name, c.events]), [['police', 2], ['army', 1]]);
  assert.equal(foldActorActivity('ttp', [row('2024-03-14', true, 'police', 3), row('2024-03-20', true, 'army', 1)], 1).counterparts.length, 1);
});

test('analytics-fold checks arguments with E_VALIDATION and fills defaults', () => {
  assert.deepEqual(seriesArgs({}), { interval: 'day', by: 'none', top: 10 });
  assert.deepEqual(actorActivityArgs(' ttp ', {}), { key: 'ttp', limit: 20 });
  for (const bad of [() => seriesArgs({ top: 0 }), () => actorActivityArgs('  ', {}), () => actorActivityArgs('x', { counterparts: 1.5 })]) {
    assert.throws(bad, (e: unknown) => e instanceof KhabarError && e.code === 'E_VALIDATION');
  }
  assert.equal(weekOf('2024-03-17'), '2024-03-11');
});

test('analytics-fold folds day counts into weeks, keeping the top keys and pooling the rest as other', () => {
  const rows = [
    { d: '2024-03-11', k: 'ASSAULT', n: 3, f: 5 },
    { d: '2024-03-14', k: 'ASSAULT', n: 1, f: 0 },
    { d: '2024-03-14', k: 'PROTEST', n: 2, f: 0 },
    { d: '2024-03-19', k: 'COERCE', n: 1, f: 1 },
  ];
  const s = foldTimeSeries(rows, 'week', 'type', 1);
  assert.deepEqual(s.keys, ['ASSAULT', 'other']);
  assert.deepEqual(s.buckets, [
    { period: '2024-03-11', key: 'ASSAULT', events: 4, fatalities: 5 },
    { period: '2024-03-11', key: 'other', events: 2, fatalities: 0 },
    { period: '2024-03-18', key: 'other', events: 1, fatalities: 1 },
  ]);
});
