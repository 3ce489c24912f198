/**
 * The read commands (events, search, stats, quarantine) run in-process on a store filled with the
 * hand-made sample batch: every format, every filter flag, and the usage errors with their exit codes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run as events } from '../src/cli/events.js';
import { run as quarantine } from '../src/cli/quarantine.js';
import { queryAfterFlags, run as search } from '../src/cli/search.js';
import { run as stats } from '../src/cli/stats.js';
import { openStore } from '../src/store/index.js';
import type { Sink } from '../src/export/stream.js';
import type { ArticleHit, QuarantineRecord, StoreStats } from '../src/store/store.js';
import type { EventRecord } from '../src/types.js';
import { sampleBatch } from './store-fixtures.js';

interface Captured {
  code: number;
  out: string;
  err: string;
}

type Command = (argv: string[], out?: Sink) => Promise<number>;

/**
 * Runs a command with its standard output in memory and stderr captured. Standard output itself is
 * left alone: node's test runner reports through it.
 */
async function capture(cmd: Command, argv: string[]): Promise<Captured> {
  const parts: string[] = [];
  const out: Sink = { write: async (c) => void parts.push(c), close: async () => {} };
  const writeErr = process.stderr.write;
  let err = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await cmd(argv, out);
    return { code, out: parts.join(''), err };
  } finally {
    process.stderr.write = writeErr;
  }
}

let dir = '';
let db = '';
const savedEnv = process.env.KHABAR_DB;

before(async () => {
  delete process.env.KHABAR_DB;
  dir = mkdtempSync(join(tmpdir(), 'khabar-cli-'));
  db = join(dir, 'k.db');
  const store = await openStore(db);
  await store.writeBatch(sampleBatch());
  await store.close();
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedEnv !== undefined) process.env.KHABAR_DB = savedEnv;
});

const ALL = ['art-fj:e1', 'art-so:e2', 'art-so:e1', 'art-pk:e1', 'art-qa:e1'];

describe('khabar events', () => {
  test('events json lists full records, newest first', async () => {
    const r = await capture(events, ['--db', db, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as EventRecord[];
    assert.deepEqual(list.map((e) => e.event_id), ALL);
    // Each sample event is its merged event's only report: the record as written, with its counts.
    assert.deepEqual(list[3], { ...sampleBatch().articles[0]?.result.events[0], reports: 1, independent_sources: 1 });
  });

  test('events jsonl writes one record a line', async () => {
    const r = await capture(events, ['--db', db, '--format', 'jsonl', '--country', 'SO']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as EventRecord).event_id);
    assert.deepEqual(lines, ['art-so:e2', 'art-so:e1']);
  });

  test('events csv writes the ACLED-style header and quoted rows', async () => {
    const r = await capture(events, ['--db', db, '--format', 'csv', '--country', 'pakistan']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\r\n');
    assert.ok(lines[0]?.startsWith('event_id,event_date,year,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,interaction,country'));
    assert.equal(lines.length, 3, 'header, one row, and the final empty string');
    assert.match(lines[1] ?? '', /^art-pk:e1,2024-03-13,2024,1,Battles,Armed clash,Pakistani security forces,1,militants,2,12,Pakistan,/);
    assert.match(lines[1] ?? '', /,"Security forces killed 12 militants in an overnight raid near Dera Ismail Khan, the provincial police chief said\.",12,/);
  });

  test('events geojson keeps placed events and says how many were left out', async () => {
    const r = await capture(events, ['--db', db, '--format', 'geojson']);
    assert.equal(r.code, 0, r.err);
    const fc = JSON.parse(r.out) as { type: string; features: { id: string; geometry: { coordinates: number[] } }[] };
    assert.equal(fc.type, 'FeatureCollection');
    assert.deepEqual(fc.features.map((f) => f.id), ALL.filter((id) => id !== 'art-qa:e1'));
    assert.deepEqual(fc.features.find((f) => f.id === 'art-pk:e1')?.geometry.coordinates, [70.9, 31.83]);
    assert.match(r.err, /4 events \(1 without coordinates left out\)/);
  });

  const flagCases: { flags: string[]; expect: string[] }[] = [
    { flags: ['--country', 'PAK'], expect: ['art-pk:e1'] },
    { flags: ['--country', 'Fiji,Somalia'], expect: ['art-fj:e1', 'art-so:e2', 'art-so:e1'] },
    { flags: ['--country', 'PK', '--country', 'FJ'], expect: ['art-fj:e1', 'art-pk:e1'] },
    { flags: ['--from', '2024-03-20', '--to', '2024-03-21'], expect: ['art-so:e2', 'art-so:e1'] },
    { flags: ['--type', 'Armed clash'], expect: ['art-pk:e1'] },
    { flags: ['--type', 'ARREST,AGREE'], expect: ['art-fj:e1', 'art-qa:e1'] },
    { flags: ['--actor', 'Shabaab'], expect: ['art-so:e1'] },
    { flags: ['--near', '31.8,70.9', '--km', '25'], expect: ['art-pk:e1'] },
    { flags: ['--near=-16.8,179.95', '--km', '30'], expect: ['art-fj:e1'] },
    { flags: ['--text', 'hotel'], expect: ['art-so:e2', 'art-so:e1'] },
    { flags: ['--article', 'art-so'], expect: ['art-so:e2', 'art-so:e1'] },
    { flags: ['--min-confidence', '0.8'], expect: ['art-so:e2', 'art-pk:e1'] },
    { flags: ['--limit', '2'], expect: ALL.slice(0, 2) },
    { flags: ['--sort', 'date_asc', '--limit', '1'], expect: ['art-qa:e1'] },
    { flags: ['--sort', 'fatalities_desc', '--limit', '2'], expect: ['art-pk:e1', 'art-so:e1'] },
  ];
  for (const c of flagCases) {
    test(`events ${c.flags.join(' ')}`, async () => {
      const r = await capture(events, ['--db', db, '--format', 'jsonl', ...c.flags]);
      assert.equal(r.code, 0, r.err);
      const got = r.out === '' ? [] : r.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as EventRecord).event_id);
      assert.deepEqual(got, c.expect);
    });
  }

  test('events --out writes the file and nothing to stdout', async () => {
    const out = join(dir, 'events.csv');
    const r = await capture(events, ['--db', db, '--format', 'csv', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, /5 events written to/);
    assert.equal(readFileSync(out, 'utf8').split('\r\n').length, 7);
  });

  const usageCases: { flags: string[]; pattern: RegExp }[] = [
    { flags: ['--format', 'json'], pattern: /--db FILE \(or KHABAR_DB\) is required/ },
    { flags: ['--db', '@', '--format', 'xml'], pattern: /--format takes json, jsonl, csv, geojson/ },
    { flags: ['--db', '@', '--near', '1,2'], pattern: /--near needs --km/ },
    { flags: ['--db', '@', '--km', '5'], pattern: /--km needs --near/ },
    { flags: ['--db', '@', '--near', 'kabul', '--km', '5'], pattern: /--near takes LAT,LON/ },
    { flags: ['--db', '@', '--near', '95,0', '--km', '5'], pattern: /--near: .*90/ },
    { flags: ['--db', '@', '--from', '2024-02-30'], pattern: /--from: not a real calendar date/ },
    { flags: ['--db', '@', '--from', '2024-05-01', '--to', '2024-04-01'], pattern: /"from" must not be after "to"/ },
    { flags: ['--db', '@', '--country', 'Atlantis'], pattern: /--country "Atlantis"/ },
    { flags: ['--db', '@', '--limit', '0'], pattern: /--limit takes a whole number/ },
    { flags: ['--db', '@', '--sort', 'random'], pattern: /--sort takes/ },
    { flags: ['--db', '@', '--colour', 'red'], pattern: /Unknown option '--colour'/ },
    { flags: ['--db', '@', 'Kabul'], pattern: /unexpected argument "Kabul"/ },
  ];
  for (const c of usageCases) {
    test(`events usage error: ${c.flags.join(' ')}`, async () => {
      const r = await capture(events, c.flags.map((f) => (f === '@' ? db : f)));
      assert.equal(r.code, 2);
      assert.match(r.err, /^error E_USAGE/);
      assert.match(r.err, c.pattern);
      assert.equal(r.out, '');
    });
  }

  test('events on a missing store says how to create one, and creates nothing', async () => {
    const missing = join(dir, 'missing.db');
    const r = await capture(events, ['--db', missing]);
    assert.equal(r.code, 1);
    assert.match(r.err, /E_NOT_FOUND.*khabar ingest PATH\.\.\. --db/);
    assert.equal(existsSync(missing), false);
  });
});

describe('khabar search', () => {
  test('search prints ranked hits with marked snippets', async () => {
    const r = await capture(search, ['--db', db, 'security']);
    assert.equal(r.code, 0, r.err);
    const heads = r.out.split('\n').filter((l) => /^\s+\d+\. /.test(l));
    assert.equal(heads.length, 2);
    assert.match(heads[0] ?? '', /1\. 2024-03-21 {2}Car bomb in Mogadishu; protesters demand security {2}\[art-so\] {2}Garowe Online/);
    assert.match(r.out, /better \[security\]/);
  });

  test('search json carries scores, snippets and highlight offsets; -word excludes', async () => {
    const r = await capture(search, ['police', '-Mogadishu', '--db', db, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const hits = JSON.parse(r.out) as ArticleHit[];
    assert.deepEqual(hits.map((h) => h.article_id).sort(), ['art-fj', 'art-pk']);
    for (const h of hits) for (const s of h.highlights) assert.equal(h.snippet.slice(s.start, s.end).toLowerCase(), 'police');
  });

  test('search --limit and --offset page through hits', async () => {
    const all = JSON.parse((await capture(search, ['--db', db, '--format', 'json', 'police'])).out) as ArticleHit[];
    const r = await capture(search, ['--db', db, '--format', 'jsonl', '--limit', '1', '--offset', '1', 'police']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as ArticleHit).article_id), [all[1]?.article_id]);
  });

  test('search with no hit says so on stderr and succeeds', async () => {
    const r = await capture(search, ['--db', db, 'volcano']);
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.match(r.err, /no article matches "volcano"/);
  });

  test('search with a broken query is E_VALIDATION with the syntax', async () => {
    const r = await capture(search, ['--db', db, '"car bomb']);
    assert.equal(r.code, 1);
    assert.match(r.err, /E_VALIDATION.*quote is not closed.*"quoted phrases"/);
  });

  test('search without a query or with a bad limit is a usage error', async () => {
    assert.equal((await capture(search, ['--db', db])).code, 2);
    assert.equal((await capture(search, ['--db', db, '--limit', '5000', 'x'])).code, 2);
    assert.equal((await capture(search, ['x'])).code, 2);
  });

  test('queryAfterFlags keeps flag values and moves query words after --', () => {
    assert.deepEqual(queryAfterFlags(['police', '-drone', '--db', 'k.db', '--limit=3', 'OR', '-h']), ['--db', 'k.db', '--limit=3', '-h', '--', 'police', '-drone', 'OR']);
    assert.deepEqual(queryAfterFlags(['--db', 'k.db', '--', '--literal']), ['--db', 'k.db', '--', '--literal']);
  });
});

describe('khabar stats and quarantine', () => {
  test('stats text names the counts', async () => {
    const r = await capture(stats, ['--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /articles {5}4 \(2024-02-01 to 2024-04-02\)/);
    assert.match(r.out, /events {7}5 \(2024-03-13 to 2024-04-02\)/);
    assert.match(r.out, /Events by country\n {2}SO {4}2\n/);
  });

  test('stats json equals the store stats', async () => {
    const r = await capture(stats, ['--db', db, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const store = await openStore(db);
    try {
      assert.deepEqual(JSON.parse(r.out) as StoreStats, await store.stats());
    } finally {
      await store.close();
    }
  });

  test('quarantine text shows place, code, reason and excerpt', async () => {
    const r = await capture(quarantine, ['--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^bad\/no-date\.txt:1 {2}E_INGEST_DATE {2}the first line has no "date YYYY-MM-DD"\n {4}"Gunmen attacked/);
    assert.match(r.out, /bad\/feed\.jsonl:7 {2}E_INGEST_JSON/);
  });

  test('quarantine json and jsonl list the stored items', async () => {
    const j = JSON.parse((await capture(quarantine, ['--db', db, '--format', 'json'])).out) as QuarantineRecord[];
    assert.deepEqual(j.map((q) => [q.file, q.line, q.code]), [
      ['bad/no-date.txt', 1, 'E_INGEST_DATE'],
      ['bad/feed.jsonl', 7, 'E_INGEST_JSON'],
    ]);
    const l = (await capture(quarantine, ['--db', db, '--format', 'jsonl', '--offset', '1'])).out.trimEnd().split('\n');
    assert.deepEqual(l.map((x) => (JSON.parse(x) as QuarantineRecord).file), ['bad/feed.jsonl']);
  });

  test('stats and quarantine usage errors', async () => {
    assert.equal((await capture(stats, ['--db', db, '--format', 'csv'])).code, 2);
    assert.equal((await capture(quarantine, ['--db', db, '--limit', 'ten'])).code, 2);
    assert.equal((await capture(stats, [])).code, 2);
    const missing = await capture(quarantine, ['--db', join(dir, 'none.db')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /khabar ingest/);
  });
});

test('--help on every read command prints the usage and exits 0', async () => {
  for (const [name, cmd] of [
    ['events', events],
    ['search', search],
    ['stats', stats],
    ['quarantine', quarantine],
  ] as const) {
    const r = await capture(cmd, ['--help']);
    assert.equal(r.code, 0, name);
    assert.match(r.out, new RegExp(`^khabar ${name} — .*\\n\\nUsage: khabar ${name} --db FILE`));
    assert.match(r.out, /--db FILE/);
  }
});
