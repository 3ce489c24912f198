/**
 * The linking outputs of the CLI on a hand-made store: merged events carry `reports` and
 * `independent_sources` in every export format, `--reports` lists every article's report, stats count
 * merged events apart from reports, and `khabar reports` lists an event's reports.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run as events } from '../src/cli/events.js';
import { run as reports } from '../src/cli/reports.js';
import { run as stats } from '../src/cli/stats.js';
import type { Sink } from '../src/export/stream.js';
import { openStore } from '../src/store/index.js';
import type { StoreStats } from '../src/store/store.js';
import type { EventRecord } from '../src/types.js';
import { tempDir } from './helpers.js';
import { makeArticle } from './store-fixtures.js';

const tmp = tempDir('khabar-link-cli-');
let db = '';

const BAIDOA = { name: 'Baidoa', text: 'Baidoa', geonames_id: 64435, country_code: 'SO', admin1: 'Bay', admin2: null, lat: 3.11, lon: 43.65, geo_precision: 1 as const };
const SHABAAB = { name: 'al-Shabaab', id: 'al_shabaab', text: 'al-Shabaab', kind: 'rebel', country: 'SO' };

/** One attack reported by three outlets (two of them relaying Reuters), and a protest elsewhere. */
function articles() {
  const attack = (id: string, source: string, sentence: string, fatalities: number, via: string | null) =>
    makeArticle({
      id,
      date: '2024-06-03',
      title: null,
      source,
      sentences: [sentence],
      events: [
        {
          id: `${id}:e1`,
          event_type: 'ASSAULT',
          acled: ['Battles', 'Armed clash'],
          actor1: SHABAAB,
          location: BAIDOA,
          fatalities,
          sentence,
          sources: via ? [{ name: via, kind: 'agency' }] : [],
        },
      ],
    });
  const protest = 'Hundreds marched in Hargeisa on Monday against rising prices.';
  return [
    attack('so-1', 'Garowe Online', 'Al-Shabaab fighters attacked an army base in Baidoa, killing 9 soldiers.', 9, null),
    attack('so-2', 'Hiiraan', 'Nine soldiers died when al-Shabaab stormed a base near Baidoa, Reuters reported.', 9, 'Reuters'),
    attack('so-3', 'Radio Dalsan', 'At least 11 troops were killed in an al-Shabaab raid on a Baidoa base, Reuters said.', 11, 'Reuters'),
    makeArticle({
      id: 'hg-1',
      date: '2024-06-03',
      title: null,
      source: 'Hiiraan',
      sentences: [protest],
      events: [{ id: 'hg-1:e1', event_type: 'PROTEST', acled: ['Protests', 'Peaceful protest'], sentence: protest, count: 300 }],
    }),
  ];
}

before(async () => {
  db = join(tmp.dir, 'k.db');
  const store = await openStore(db);
  await store.writeBatch({ articles: articles(), quarantine: [] });
  await store.close();
});
after(() => tmp.cleanup());

async function capture(cmd: (argv: string[], out?: Sink) => Promise<number>, argv: string[]): Promise<string> {
  const chunks: string[] = [];
  const code = await cmd(argv, { write: async (s) => void chunks.push(s), close: async () => {} });
  assert.equal(code, 0, `${argv.join(' ')} exits 0`);
  return chunks.join('');
}

/** Parses a CSV without quoted commas in the asserted columns: rows as column → value. */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split(/\r?\n/);
  const cols = (head as string).split(',');
  return lines.map((l) => {
    const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '')) ?? [];
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe('link CLI outputs', () => {
  test('link-cli: events lists merged events with reports and independent sources in json, jsonl, csv and geojson', async () => {
    const json = JSON.parse(await capture(events, ['--db', db, '--format', 'json'])) as EventRecord[];
    const counts = (list: EventRecord[]) => Object.fromEntries(list.map((e) => [e.event_id, [e.reports, e.independent_sources]]));
    // so-1's own report and the two relaying Reuters: two independent sources.
    const want = { 'so-1:e1': [3, 2], 'hg-1:e1': [1, 1] };
    assert.deepEqual(counts(json), want);
    const jsonl = (await capture(events, ['--db', db, '--format', 'jsonl'])).trimEnd().split('\n').map((l) => JSON.parse(l) as EventRecord);
    assert.deepEqual(counts(jsonl), want);
    const csv = csvRows(await capture(events, ['--db', db, '--format', 'csv']));
    assert.deepEqual(Object.fromEntries(csv.map((r) => [r.event_id, [Number(r.reports), Number(r.independent_sources)]])), want);
    const geo = JSON.parse(await capture(events, ['--db', db, '--format', 'geojson'])) as { features: { id: string; properties: EventRecord }[] };
    // The protest has no coordinates: left out of GeoJSON.
    assert.deepEqual(
      geo.features.map((f) => [f.id, f.properties.reports, f.properties.independent_sources]),
      [['so-1:e1', 3, 2]],
    );
  });

  test('link-cli: events --reports lists every article report, as written', async () => {
    const raw = JSON.parse(await capture(events, ['--db', db, '--format', 'json', '--reports', '--sort', 'date_asc'])) as EventRecord[];
    assert.deepEqual(raw.map((e) => e.event_id).sort(), ['hg-1:e1', 'so-1:e1', 'so-2:e1', 'so-3:e1']);
    assert.deepEqual(
      raw.filter((e) => e.article_id.startsWith('so-')).map((e) => e.fatalities).sort(),
      [11, 9, 9],
    );
    const csv = csvRows(await capture(events, ['--db', db, '--format', 'csv', '--reports', '--country', 'SO']));
    assert.equal(csv.length, 3);
    const merged = csvRows(await capture(events, ['--db', db, '--format', 'csv', '--country', 'SO']));
    assert.equal(merged.length, 1);
    assert.equal(merged[0]?.fatalities, '9', 'the merged event takes the lowest figure');
  });

  test('link-cli: stats count merged events and their fatalities once, reports apart', async () => {
    const s = JSON.parse(await capture(stats, ['--db', db, '--format', 'json'])) as StoreStats;
    assert.equal(s.events, 2);
    assert.equal(s.reports, 4);
    assert.equal(s.fatalities, 9);
    assert.equal(s.report_fatalities, 29);
    assert.deepEqual(s.by_country, { SO: 1, none: 1 });
    const text = await capture(stats, ['--db', db]);
    assert.match(text, /events +2 .*\(from 4 reports\)/);
  });

  test('link-cli: reports lists an event\'s reports, given any report id', async () => {
    const text = await capture(reports, ['--db', db, 'so-3:e1']);
    assert.match(text, /^event so-1:e1: /);
    assert.match(text, /3 reports, 2 independent sources/);
    assert.deepEqual([...text.matchAll(/^\d\. (\S+) in article (\S+)/gm)].map((m) => m[2]), ['so-1', 'so-2', 'so-3']);
    assert.match(text, /reports disagree on fatalities: 9 \(2\), 11 \(1\)/);
    const json = JSON.parse(await capture(reports, ['--db', db, '--format', 'json', 'hg-1:e1'])) as { event: EventRecord; reports: unknown[] };
    assert.equal(json.event.reports, 1);
    assert.equal(json.reports.length, 1);
  });
});
