/**
 * The HTTP API end to end: a server on a free port over a temporary store filled with hand-built
 * articles (test/store-fixtures.ts), every endpoint, filter and error; ingest over HTTP with the real
 * pipeline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { loadActorBase } from '../src/actors/index.js';
import { createPipeline, loadKnowledge } from '../src/extract.js';
import { inProcessExtractor } from '../src/ingest/process.js';
import { createApp, startServer, type RunningServer } from '../src/server/app.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/store.js';
import type { EventRecord } from '../src/types.js';
import { sampleBatch, sampleArticles } from './store-fixtures.js';
import { tempDir } from './helpers.js';

const TOKEN = 'test-token-123456';
const all = sampleArticles().flatMap((a) => a.result.events);
const ids = (events: { event_id: string }[]): string[] => events.map((e) => e.event_id).sort();

let dir: { dir: string; cleanup: () => void };
let store: Store;
let ro: RunningServer;
let rw: RunningServer;
let rwStore: Store;

async function get(server: RunningServer, path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(new URL(path, server.url), init);
  const text = await res.text();
  let body: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}

before(async () => {
  dir = tempDir('khabar-api-');
  store = await openStore(join(dir.dir, 'ro.db'));
  await store.writeBatch(sampleBatch());
  const actors = loadActorBase();
  ro = await startServer({ store, port: 0, actors, log: () => {} });
  rwStore = await openStore(join(dir.dir, 'rw.db'));
  const extractor = inProcessExtractor(createPipeline(await loadKnowledge()));
  rw = await startServer({ store: rwStore, port: 0, token: TOKEN, actors, extractor, maxBodyBytes: 64 * 1024, log: () => {} });
});

after(async () => {
  await ro?.close();
  await rw?.close();
  await store?.close();
  await rwStore?.close();
  dir?.cleanup();
});

describe('health, stats, openapi', () => {
  test('health answers on /api/health and /health with what the store holds', async () => {
    for (const path of ['/api/health', '/health']) {
      const r = await get(ro, path);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { status: 'ok', dialect: 'sqlite', writable: false, articles: 4, events: all.length });
    }
    assert.equal((await get(rw, '/api/health')).body.writable, true);
  });

  test('stats counts the store', async () => {
    const r = await get(ro, '/api/stats');
    assert.equal(r.status, 200);
    assert.equal(r.body.events, all.length);
    assert.equal(r.body.by_country.SO, 2);
  });

  test('openapi.json describes every route and nothing else', async () => {
    const r = await get(ro, '/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const described = new Set<string>();
    for (const [path, ops] of Object.entries(r.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) described.add(`${method.toUpperCase()} ${path}`);
    }
    const routes = new Set(createApp({ store }).routes.map((x) => `${x.method} ${x.path.replace(/:(\w+)/g, '{$1}')}`));
    assert.deepEqual([...described].sort(), [...routes].sort());
  });
});

describe('GET /api/events filters', () => {
  const cases: { label: string; query: string; expect: (e: EventRecord) => boolean }[] = [
    { label: 'no filter', query: '', expect: () => true },
    { label: 'country', query: 'country=so', expect: (e) => e.location?.country_code === 'SO' },
    { label: 'countries comma-separated', query: 'country=PK,FJ', expect: (e) => ['PK', 'FJ'].includes(e.location?.country_code ?? '') },
    { label: 'countries repeated', query: 'country=PK&country=SO', expect: (e) => ['PK', 'SO'].includes(e.location?.country_code ?? '') },
    { label: 'admin1', query: 'admin1=banaadir', expect: (e) => e.location?.admin1 === 'Banaadir' },
    { label: 'from/to', query: 'from=2024-03-14&to=2024-03-31', expect: (e) => e.date !== null && e.date >= '2024-03-14' && e.date <= '2024-03-31' },
    { label: 'type (PLOVER)', query: 'type=assault', expect: (e) => e.event_type === 'ASSAULT' },
    { label: 'plover', query: 'plover=PROTEST', expect: (e) => e.event_type === 'PROTEST' },
    { label: 'acled event type', query: 'acled=Riots', expect: (e) => e.acled_event_type === 'Riots' },
    { label: 'acled sub-event type', query: 'acled=Armed%20clash', expect: (e) => e.acled_sub_event_type === 'Armed clash' },
    { label: 'category', query: 'type=DIPLO', expect: (e) => e.category === 'DIPLO' },
    { label: 'actor substring', query: 'actor=shabaab', expect: (e) => e.actor1?.name === 'al-Shabaab' },
    { label: 'full text', query: 'q=ceasefire', expect: (e) => e.article_id === 'art-qa' },
    { label: 'bbox', query: 'bbox=40,-5,50,10', expect: (e) => e.location?.name === 'Mogadishu' },
    { label: 'bbox across the antimeridian', query: 'bbox=179,-20,-179,-10', expect: (e) => e.location?.name === 'Taveuni' },
    { label: 'near + km', query: 'near=31.8,70.9&km=50', expect: (e) => e.location?.name === 'Dera Ismail Khan' },
    { label: 'min_confidence', query: 'min_confidence=0.75', expect: (e) => e.confidence >= 0.75 },
    { label: 'min_sources 1 (unlinked events count 1)', query: 'min_sources=1', expect: () => true },
    { label: 'min_sources 2', query: 'min_sources=2', expect: (e) => (e.independent_sources ?? 1) >= 2 },
    { label: 'article', query: 'article=art-so', expect: (e) => e.article_id === 'art-so' },
    { label: 'combined', query: 'country=SO&type=ASSAULT', expect: (e) => e.location?.country_code === 'SO' && e.event_type === 'ASSAULT' },
  ];
  for (const c of cases) {
    test(`filter: ${c.label}`, async () => {
      const r = await get(ro, `/api/events?${c.query}`);
      assert.equal(r.status, 200, r.text);
      const expected = ids(all.filter(c.expect));
      assert.deepEqual(ids(r.body.events), expected);
      assert.equal(r.body.total, expected.length);
      assert.equal(r.body.next_cursor, null);
    });
  }

  test('cursor pages cover every event once, in the sort order', async () => {
    const full = (await get(ro, '/api/events?sort=fatalities_desc')).body.events as EventRecord[];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/events?sort=fatalities_desc&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await get(ro, q);
      assert.equal(r.status, 200);
      assert.equal(r.body.total, all.length);
      seen.push(...(r.body.events as EventRecord[]).map((e) => e.event_id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, Math.ceil(all.length / 2));
    assert.deepEqual(seen, full.map((e) => e.event_id));
    const deaths = full.map((e) => e.fatalities ?? -1);
    assert.deepEqual(deaths, [...deaths].sort((a, b) => b - a));
  });

  test('sort by date ascending puts undated events first', async () => {
    const r = await get(ro, '/api/events?sort=date_asc');
    const dates = (r.body.events as EventRecord[]).map((e) => e.date ?? '');
    assert.deepEqual(dates, [...dates].sort());
  });
});

describe('errors', () => {
  const bad: { label: string; path: string; status: number; code: string; message?: RegExp }[] = [
    { label: 'unknown parameter', path: '/api/events?contry=PK', status: 400, code: 'E_VALIDATION', message: /contry/ },
    { label: 'bad date', path: '/api/events?from=2024-02-30', status: 400, code: 'E_VALIDATION', message: /from/ },
    { label: 'from after to', path: '/api/events?from=2024-05-01&to=2024-01-01', status: 400, code: 'E_VALIDATION' },
    { label: 'bbox with three numbers', path: '/api/events?bbox=1,2,3', status: 400, code: 'E_VALIDATION', message: /bbox/ },
    { label: 'near without km', path: '/api/events?near=1,2', status: 400, code: 'E_VALIDATION', message: /km/ },
    { label: 'latitude out of range', path: '/api/events?near=95,2&km=3', status: 400, code: 'E_VALIDATION' },
    { label: 'limit too large', path: '/api/events?limit=100000', status: 400, code: 'E_VALIDATION' },
    { label: 'limit not a number', path: '/api/events?limit=ten', status: 400, code: 'E_VALIDATION', message: /limit/ },
    { label: 'a single-valued parameter twice', path: '/api/events?actor=a&actor=b', status: 400, code: 'E_VALIDATION', message: /once/ },
    { label: 'bad sort', path: '/api/events?sort=random', status: 400, code: 'E_VALIDATION', message: /sort/ },
    { label: 'forged cursor', path: '/api/events?cursor=bm90LWEtY3Vyc29y', status: 400, code: 'E_VALIDATION', message: /cursor/ },
    { label: 'bad full-text query', path: '/api/events?q=%22unclosed', status: 400, code: 'E_VALIDATION' },
    { label: 'min_sources 0', path: '/api/events?min_sources=0', status: 400, code: 'E_VALIDATION' },
    { label: 'unknown event', path: '/api/events/nope', status: 404, code: 'E_NOT_FOUND' },
    { label: 'unknown article', path: '/api/articles/nope', status: 404, code: 'E_NOT_FOUND' },
    { label: 'unknown actor', path: '/api/actors/nobody-at-all-xyz', status: 404, code: 'E_NOT_FOUND' },
    { label: 'unknown endpoint', path: '/api/nothing', status: 404, code: 'E_NOT_FOUND' },
    { label: 'unknown page', path: '/secret.txt', status: 404, code: 'E_NOT_FOUND' },
    { label: 'path traversal', path: '/..%2f..%2fpackage.json', status: 404, code: 'E_NOT_FOUND' },
    { label: 'search without q', path: '/api/articles', status: 400, code: 'E_VALIDATION', message: /q/ },
    { label: 'bad interval', path: '/api/timeseries?interval=year', status: 400, code: 'E_VALIDATION' },
    { label: 'bad split', path: '/api/timeseries?by=colour', status: 400, code: 'E_VALIDATION' },
    { label: 'bad export format', path: '/api/export?format=xlsx', status: 400, code: 'E_VALIDATION', message: /format/ },
    { label: 'parameter on an endpoint without any', path: '/api/stats?x=1', status: 400, code: 'E_VALIDATION' },
  ];
  for (const c of bad) {
    test(`${c.label} → ${c.status} ${c.code}`, async () => {
      const r = await get(ro, c.path);
      assert.equal(r.status, c.status, r.text);
      assert.equal(r.body.error.code, c.code);
      assert.equal(typeof r.body.error.message, 'string');
      if (c.message) assert.match(r.body.error.message, c.message);
      assert.deepEqual(Object.keys(r.body), ['error']);
    });
  }

  test('a method a path does not take is 405 with Allow', async () => {
    const r = await get(ro, '/api/events', { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET');
    assert.equal(r.body.error.code, 'E_USAGE');
  });

  test('POST /api/articles on a read-only server is 403 and says how to enable it', async () => {
    const r = await get(ro, '/api/articles', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'date 2024-01-01 Text.' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'E_AUTH');
    assert.match(r.body.error.message, /--token/);
  });

  test('POST without or with a wrong token is 401', async () => {
    for (const auth of [undefined, 'Bearer wrong-token-000', 'Basic abc']) {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (auth) headers.authorization = auth;
      const r = await get(rw, '/api/articles', { method: 'POST', headers, body: 'date 2024-01-01 Text.' });
      assert.equal(r.status, 401, String(auth));
      assert.equal(r.body.error.code, 'E_AUTH');
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    }
  });

  test('POST with an unsupported content type is 415', async () => {
    const r = await get(rw, '/api/articles', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/xml' }, body: '<a/>' });
    assert.equal(r.status, 415);
  });

  test('POST over the size limit is 413', async () => {
    const body = `date 2024-01-01 ${'Gunmen attacked a village. '.repeat(4000)}`;
    const r = await get(rw, '/api/articles', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'E_INGEST_TOO_LARGE');
  });

  test('POST with broken JSON or an empty body is 400', async () => {
    for (const [type, body] of [['application/json', '{"date": '], ['text/plain', '   ']] as const) {
      const r = await get(rw, '/api/articles', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type }, body });
      assert.equal(r.status, 400, body);
    }
  });
});

describe('one event, articles, search', () => {
  test('an event with its report, evidence and attribution chain', async () => {
    const r = await get(ro, '/api/events/art-pk%3Ae1');
    assert.equal(r.status, 200);
    assert.equal(r.body.event.event_id, 'art-pk:e1');
    assert.equal(r.body.article.source, 'Dawn');
    assert.equal(r.body.reports.length, 1);
    assert.equal(r.body.reports[0].evidence[0].text, all.find((e) => e.event_id === 'art-pk:e1')!.evidence.text);
    assert.deepEqual(r.body.attribution, {
      publisher: 'Dawn',
      sources: [
        { name: 'provincial police chief', kind: 'official' },
        { name: 'intelligence reports', kind: 'anonymous' },
      ],
      claim: 'reported',
      claimed_by: null,
    });
  });

  test('an article with its text and entity and event spans that point into it', async () => {
    const r = await get(ro, '/api/articles/art-pk');
    assert.equal(r.status, 200);
    const text: string = r.body.text;
    assert.ok(r.body.entities.length > 0);
    for (const e of r.body.entities) assert.equal(text.slice(e.start, e.end), e.text);
    for (const e of r.body.events) assert.equal(text.slice(e.evidence.start, e.evidence.end), e.evidence.text);
    assert.equal(r.body.article.title, 'Raid near Dera Ismail Khan');
  });

  test('article search ranks hits with snippets', async () => {
    const r = await get(ro, '/api/articles?q=Mogadishu');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.hits.map((h: { article_id: string }) => h.article_id), ['art-so']);
    const hit = r.body.hits[0];
    assert.ok(hit.highlights.length > 0);
    for (const h of hit.highlights) assert.match(hit.snippet.slice(h.start, h.end), /mogadishu/i);
  });
});

describe('actors, places, time series', () => {
  test('actor search finds the knowledge-base entry', async () => {
    const r = await get(ro, '/api/actors?q=TTP&limit=5');
    assert.equal(r.status, 200);
    assert.equal(r.body.actors[0].id, 'ttp');
  });

  test('actor profile joins the knowledge base and the stored events', async () => {
    const r = await get(ro, '/api/actors/som.al_shabaab');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.activity.events, 1);
    assert.equal(r.body.activity.fatalities, 5);
    assert.deepEqual(r.body.activity.counterparts.map((c: { name: string }) => c.name), ['civilians']);
  });

  test('an actor only named in events has a profile without a base entry', async () => {
    const r = await get(ro, `/api/actors/${encodeURIComponent('Protesters (Fiji)')}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.actor, null);
    assert.equal(r.body.activity.events, 1);
  });

  test('places with counts, filtered', async () => {
    const r = await get(ro, '/api/places?country=SO');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.places.map((p: { name: string; events: number }) => [p.name, p.events]), [['Mogadishu', 2]]);
  });

  test('time series per week by type sums to the dated events', async () => {
    const r = await get(ro, '/api/timeseries?interval=week&by=type');
    assert.equal(r.status, 200);
    assert.equal(r.body.interval, 'week');
    const dated = all.filter((e) => e.date !== null).length;
    assert.equal(r.body.buckets.reduce((n: number, b: { events: number }) => n + b.events, 0), dated);
    const d = await get(ro, '/api/timeseries?from=2024-03-20');
    assert.deepEqual(d.body.buckets.map((b: { period: string }) => b.period), ['2024-03-20', '2024-03-21', '2024-04-02']);
  });
});

describe('exports', () => {
  test('CSV with ACLED-style columns, one row per matching event, as a download', async () => {
    const r = await get(ro, '/api/export?format=csv&country=SO');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(r.headers.get('content-disposition') ?? '', /attachment; filename="khabar-events\.csv"/);
    const lines = r.text.trim().split(/\r?\n/);
    assert.match(lines[0]!, /event_date/);
    assert.match(lines[0]!, /sub_event_type/);
    assert.equal(lines.length, 1 + 2);
  });

  test('JSON and GeoJSON of a filter', async () => {
    const j = await get(ro, '/api/export?format=json&type=ASSAULT');
    assert.deepEqual(ids(j.body), ids(all.filter((e) => e.event_type === 'ASSAULT')));
    const g = await get(ro, '/api/export?format=geojson');
    assert.equal(g.body.type, 'FeatureCollection');
    assert.equal(g.body.features.length, all.filter((e) => e.location?.lat != null).length);
    assert.match(g.headers.get('content-type') ?? '', /geo\+json/);
  });
});

describe('POST /api/articles with a token (real pipeline)', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };

  test('a dated text is ingested, its events are then served, a repeat is a duplicate', async () => {
    const body = 'date 2024-06-02 Gunmen killed seven villagers in an attack on a village near Maiduguri, Borno State, police said on Sunday.';
    const r = await get(rw, '/api/articles', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.inserted, 1);
    assert.equal(r.body.article_ids.length, 1);
    const id = r.body.article_ids[0];
    const article = await get(rw, `/api/articles/${encodeURIComponent(id)}`);
    assert.equal(article.status, 200);
    const events = await get(rw, `/api/events?article=${encodeURIComponent(id)}`);
    assert.equal(events.body.total, r.body.events);
    assert.ok(r.body.events >= 1, 'the pipeline finds the killing');
    const again = await get(rw, '/api/articles', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body });
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicates, 1);
    assert.equal(again.body.inserted, 0);
  });

  test('JSON records (one, an array, JSON Lines); a bad record is rejected with its reason, the rest go in', async () => {
    const rec = (i: number) => ({ date: `2024-07-0${i}`, text: `Protesters marched in Nairobi on day ${i} to demand lower taxes, witnesses said.`, source: 'Test Wire' });
    const one = await get(rw, '/api/articles', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(rec(1)) });
    assert.equal(one.status, 201, one.text);
    assert.equal(one.body.inserted, 1);
    const arr = await get(rw, '/api/articles', { method: 'POST', headers: { ...auth, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify([rec(2), { text: 'no date' }, rec(3)]) });
    assert.equal(arr.status, 201);
    assert.equal(arr.body.inserted, 2);
    assert.equal(arr.body.rejected.length, 1);
    assert.equal(arr.body.rejected[0].code, 'E_INGEST_FIELD');
    const lines = [rec(4), rec(5)].map((r) => JSON.stringify(r)).join('\n');
    const nd = await get(rw, '/api/articles', { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: lines });
    assert.equal(nd.body.inserted, 2);
    const stored = await get(rw, '/api/articles?q=Nairobi&limit=10');
    assert.equal(stored.body.hits.length, 5);
  });
});

describe('the app files', () => {
  test('the page, with a strict content security policy', async () => {
    const r = await get(ro, '/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(r.text, /<script type="module" src="\/app.js">/);
  });

  test('the bundle, the style sheet and the base map are served from the package', async () => {
    const js = await get(ro, '/app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.ok(js.text.length > 1000);
    const css = await get(ro, '/app.css');
    assert.equal(css.status, 200);
    const world = await get(ro, '/world.json');
    assert.equal(world.status, 200);
    assert.equal(world.body.type, 'Topology');
    assert.ok(world.body.objects.countries);
  });

  test('HEAD of the page has the headers and no body', async () => {
    const r = await fetch(new URL('/', ro.url), { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '');
  });
});
