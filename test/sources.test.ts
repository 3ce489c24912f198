/**
 * Sources: feed parsing, fetching (validators, redirects, caps, content types, charsets, time-outs),
 * schedules and the watcher, against a fixture server on 127.0.0.1 started by the test.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KhabarError } from '../src/errors.js';
import type { Extractor } from '../src/ingest/process.js';
import { HostLimiter, Watcher, backoffSeconds, extractOrSkip, fetchText, formatEvery, parseEvery, parseFeed } from '../src/sources/index.js';
import { openStore } from '../src/store/index.js';
import type { SourceRecord, Store } from '../src/store/store.js';
import { normalizeText } from '../src/text/normalize.js';
import type { Article } from '../src/types.js';
import { tempDir } from './helpers.js';
import { fixtureText, startFixtureServer, type FixtureServer } from './sources-server.js';

/** An extractor that finds nothing and remembers what it was given. */
function recordingExtractor(): Extractor & { seen: Article[] } {
  const seen: Article[] = [];
  return {
    seen,
    extractMany(articles) {
      seen.push(...articles);
      return articles.map((a) => ({
        ok: true as const,
        result: { article_id: a.id, date: a.date, title: a.title, text: normalizeText(a.rawText).text, entities: [], events: [] },
      }));
    },
  };
}

function isCode(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof KhabarError, String(err));
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

let server: FixtureServer;
before(async () => {
  server = await startFixtureServer();
});
after(() => server.close());

interface Env {
  store: Store;
  extractor: ReturnType<typeof recordingExtractor>;
  clock: { ms: number };
  watcher: Watcher;
  add(name: string, location: string, every?: string): Promise<SourceRecord>;
  done(): Promise<void>;
}

async function env(options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<Env> {
  const tmp = tempDir('khabar-sources-');
  const store = await openStore(join(tmp.dir, 'k.db'));
  const extractor = recordingExtractor();
  const clock = { ms: Date.now() + 1000 };
  const watcher = new Watcher({ store, extractor, limiter: new HostLimiter(0), now: () => clock.ms, ...options });
  return {
    store,
    extractor,
    clock,
    watcher,
    add: (name, location, every = '15m') => store.addSource({ name, location, every_s: parseEvery(every) }),
    done: async () => {
      await store.close();
      tmp.cleanup();
    },
  };
}

describe('feed parsing', () => {
  const base = 'http://127.0.0.1:9';
  const cases = [
    { file: 'rss.xml', format: 'rss', title: 'Frontier Wire', keys: ['fw-1001', 'fw-1002'], links: [`${base}/pages/jalalabad.html`, null], dates: ['Mon, 04 Mar 2024 18:00:00 GMT', 'Tue, 05 Mar 2024 07:30:00 GMT'] },
    { file: 'atom.xml', format: 'atom', title: 'Horn Monitor', keys: ['urn:uuid:horn-entry-77'], links: [`${base}/pages/baidoa.html`], dates: ['2024-04-01T08:00:00Z'] },
    { file: 'feed.json', format: 'json', title: 'Sahel Notes', keys: ['sahel-42'], links: [`${base}/pages/gao.html`], dates: ['2024-05-10T12:00:00Z'] },
  ];
  for (const c of cases) {
    test(`parseFeed reads ${c.format} items (key, link, date, language)`, () => {
      const feed = parseFeed(fixtureText(c.file, base), `${base}/${c.file}`);
      assert.equal(feed.format, c.format);
      assert.equal(feed.title, c.title);
      assert.deepEqual(feed.items.map((i) => i.key), c.keys);
      assert.deepEqual(feed.items.map((i) => i.link), c.links);
      assert.deepEqual(feed.items.map((i) => i.date), c.dates);
      assert.ok(feed.items.every((i) => i.language === 'en'));
    });
  }

  test('parseFeed keeps an RSS item\'s CDATA content with entities decoded', () => {
    const item = parseFeed(fixtureText('rss.xml', base)).items[1]!;
    assert.match(item.content ?? '', /^<p>Heavy rain washed away/);
    assert.match(item.content ?? '', /end of the week &amp; traffic/);
    assert.equal(item.summary, null);
  });

  test('parseFeed rejects malformed XML with its line, and roots that are not feeds', () => {
    assert.throws(() => parseFeed(fixtureText('broken.xml', base), 'broken.xml'), isCode('E_FEED', /malformed XML at line \d+/));
    assert.throws(() => parseFeed('<html><body>hi</body></html>', 'x'), isCode('E_FEED', /root is <html>/));
    assert.throws(() => parseFeed('{"version":"https://jsonfeed.org/version/1.1","items":[{"title":"no id"}]}', 'j'), isCode('E_FEED', /not a JSON Feed \(items\.0\.id/));
    assert.throws(() => parseFeed('{"version": ', 'j'), isCode('E_FEED', /not valid JSON/));
  });
});

describe('schedules', () => {
  const table: [string, number][] = [['90s', 90], ['15m', 900], ['2h', 7200], ['1d', 86_400], ['1.5h', 5400]];
  for (const [text, seconds] of table) test(`parseEvery("${text}") is ${seconds}s`, () => assert.equal(parseEvery(text), seconds));
  test('parseEvery refuses junk and too-frequent polling', () => {
    assert.throws(() => parseEvery('often'), isCode('E_USAGE', /30m, 2h or 1d/));
    assert.throws(() => parseEvery('10s'), isCode('E_USAGE', /at least 60s/));
  });
  test('formatEvery writes the largest whole unit', () => {
    assert.deepEqual([900, 7200, 86_400, 90].map((s) => formatEvery(s)), ['15m', '2h', '1d', '90s']);
  });
  test('backoffSeconds doubles per failure, caps at a day, honours a longer Retry-After', () => {
    assert.deepEqual([1, 2, 3].map((n) => backoffSeconds(900, n)), [1800, 3600, 7200]);
    assert.equal(backoffSeconds(900, 12), 86_400);
    assert.equal(backoffSeconds(900, 1, 5000), 5000);
    assert.equal(backoffSeconds(900, 1, 10), 1800);
  });
  test('HostLimiter spaces requests to one host, not to different hosts', async () => {
    const slept: number[] = [];
    const limiter = new HostLimiter(120, async (ms) => void slept.push(ms));
    const a = new URL('http://127.0.0.1:1/a');
    await limiter.wait(a);
    await limiter.wait(new URL('http://localhost:2/b'));
    assert.deepEqual(slept, [], 'a first request and another host do not wait');
    await limiter.wait(a);
    await limiter.wait(new URL('http://127.0.0.1:1/other-path'));
    assert.equal(slept.length, 2);
    assert.ok(slept[0]! > 60 && slept[0]! <= 120, `first wait ${slept[0]}`);
    assert.ok(slept[1]! > 180 && slept[1]! <= 240, `second wait queues behind the first: ${slept[1]}`);
  });
});

describe('language gate', () => {
  test('extractOrSkip runs the extractor on English and unknown-language articles only, keeping order', async () => {
    const extractor = recordingExtractor();
    const make = (id: string, language: string | null): Article => ({
      id, date: '2024-03-04', title: id, rawText: `Text of ${id}.`, url: null, source: null, language, origin: { file: `${id}.txt`, line: null },
    });
    const articles = [make('en1', 'en'), make('fr1', 'fr'), make('unknown', null), make('ps1', 'ps')];
    const outcomes = await extractOrSkip(extractor, articles);
    assert.deepEqual(extractor.seen.map((a) => a.id), ['en1', 'unknown']);
    assert.deepEqual(outcomes.map((o) => [o.ok && o.result.article_id, o.extracted ?? true]), [['en1', true], ['fr1', false], ['unknown', true], ['ps1', false]]);
    const fr = outcomes[1]!;
    assert.ok(fr.ok && fr.result.text === 'Text of fr1.' && fr.result.events.length === 0 && fr.result.entities.length === 0);
  });
});

describe('fetchText', () => {
  test('follows a redirect and reports the final URL', async () => {
    server.route('/old-feed', (_req, res, base) => {
      res.writeHead(301, { location: `${base}/rss.xml` });
      res.end();
    });
    const r = await fetchText(`${server.base}/old-feed`);
    assert.equal(r.status, 'ok');
    assert.ok(r.status === 'ok' && r.url === `${server.base}/rss.xml` && r.text.includes('Frontier Wire'));
  });

  test('gives up on a redirect loop with a clear error', async () => {
    server.route('/loop', (_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    });
    await assert.rejects(fetchText(`${server.base}/loop`, { maxRedirects: 3 }), isCode('E_FETCH', /more than 3 redirects/));
  });

  test('a matching ETag gets not_modified', async () => {
    const first = await fetchText(`${server.base}/rss.xml`);
    assert.ok(first.status === 'ok' && first.etag === '"rss.xml-v1"');
    const second = await fetchText(`${server.base}/rss.xml`, { etag: '"rss.xml-v1"' });
    assert.equal(second.status, 'not_modified');
  });

  test('stops a huge chunked body at the size cap while streaming', async () => {
    let sent = 0;
    server.route('/huge', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    await assert.rejects(fetchText(`${server.base}/huge`, { maxBytes: 256 * 1024 }), isCode('E_INGEST_TOO_LARGE', /passed the 262144-byte cap while downloading/));
    assert.ok(sent < 50 * 1024 * 1024, `the server sent all ${sent} bytes: the download was not stopped`);
  });

  test('refuses a declared Content-Length over the cap before reading', async () => {
    server.route('/big-declared', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(2_000_000) });
      res.end(Buffer.alloc(2_000_000, 0x61));
    });
    await assert.rejects(fetchText(`${server.base}/big-declared`, { maxBytes: 1_000_000 }), isCode('E_INGEST_TOO_LARGE', /2000000 bytes, over the 1000000-byte cap/));
  });

  test('refuses content that is not text', async () => {
    server.route('/logo.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    });
    await assert.rejects(fetchText(`${server.base}/logo.png`), isCode('E_FETCH', /content type is image\/png/));
  });

  test('decodes a legacy charset the header declares, and rejects bytes that do not match the declared one', async () => {
    const html = fixtureText('pages/legacy-latin.html', server.base);
    server.route('/latin.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' });
      res.end(Buffer.from(html, 'latin1'));
    });
    server.route('/mislabelled.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(Buffer.from(html, 'latin1'));
    });
    server.route('/weird-charset.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=x-klingon' });
      res.end('hello');
    });
    const ok = await fetchText(`${server.base}/latin.html`);
    assert.ok(ok.status === 'ok' && ok.text.includes('Société minière du Sahel') && ok.text.includes('café district'));
    await assert.rejects(fetchText(`${server.base}/mislabelled.html`), isCode('E_INGEST_ENCODING', /not valid utf-8 as its Content-Type declares/));
    await assert.rejects(fetchText(`${server.base}/weird-charset.html`), isCode('E_INGEST_ENCODING', /"x-klingon"/));
  });

  test('times out on a host that never answers', async () => {
    server.route('/hang', () => undefined);
    await assert.rejects(fetchText(`${server.base}/hang`, { timeoutMs: 200 }), isCode('E_FETCH', /within 200 ms \(time-out\)/));
  });
});

describe('watcher', () => {
  test('an RSS poll stores each item: the page without its boilerplate, else the feed content, with date sources', async () => {
    const e = await env();
    try {
      const source = await e.add('Frontier Wire', `${server.base}/rss.xml`);
      const [out] = await e.watcher.pollDue();
      assert.ok(out);
      assert.equal(out.poll.status, 'ok', out.poll.error ?? '');
      assert.deepEqual([out.poll.items, out.poll.new, out.poll.failed], [2, 2, 0]);
      const byTitle = new Map(e.extractor.seen.map((a) => [a.title, a]));
      const page = byTitle.get('Gunmen kill three policemen in Jalalabad');
      assert.ok(page, [...byTitle.keys()].join(' | '));
      assert.equal(page.date, '2024-03-04');
      assert.equal(page.dateSource, 'meta');
      assert.equal(page.source, 'Frontier Wire');
      assert.equal(page.url, `${server.base}/pages/jalalabad.html`);
      assert.match(page.rawText, /Gunmen attacked a police checkpoint in Jalalabad/);
      assert.match(page.rawText, /fled towards the river on motorcycles/);
      for (const junk of ['Subscribe today', 'Celebrity chef', 'Cookie settings']) assert.ok(!page.rawText.includes(junk), `boilerplate "${junk}" kept`);
      const noPage = byTitle.get('Flooding cuts the road to Torkham');
      assert.ok(noPage);
      assert.equal(noPage.dateSource, 'feed');
      assert.equal(noPage.date, '2024-03-05');
      assert.match(noPage.rawText, /end of the week & traffic is being diverted/);
      assert.equal((await e.store.getArticle(page.id))?.article.title, page.title);
      const [state] = await e.store.listSources();
      assert.equal(state?.etag, '"rss.xml-v1"');
      assert.equal(Date.parse(state!.next_poll_at), e.clock.ms + source.every_s * 1000);
      assert.equal((await e.store.listPolls({ source: 'Frontier Wire' }))[0]?.new, 2);
    } finally {
      await e.done();
    }
  });

  test('a 304 adds nothing, and a restarted watch does not fetch seen items again', async () => {
    const e = await env();
    try {
      await e.add('Frontier Wire', `${server.base}/rss.xml`);
      await e.watcher.pollDue();
      const stats0 = await e.store.stats();
      e.clock.ms += 16 * 60_000;
      const before = server.log.length;
      const [again] = await e.watcher.pollDue();
      assert.equal(again?.poll.status, 'not_modified');
      assert.equal(again?.poll.http_status, 304);
      assert.equal(again?.poll.new, 0);
      assert.deepEqual(server.log.slice(before), ['GET /rss.xml']);
      // A restart without validators (the feed changed its ETag): the items are seen, no page is fetched.
      server.route('/rss.xml', (_req, res, base) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"rss.xml-v2"' });
        res.end(fixtureText('rss.xml', base));
      });
      try {
        const restarted = new Watcher({ store: e.store, extractor: e.extractor, limiter: new HostLimiter(0), now: () => e.clock.ms + 16 * 60_000 });
        const mark = server.log.length;
        const [third] = await restarted.pollDue();
        assert.equal(third?.poll.status, 'ok');
        assert.equal(third?.poll.new, 0);
        assert.deepEqual(server.log.slice(mark), ['GET /rss.xml']);
        assert.equal((await e.store.stats()).articles, stats0.articles);
      } finally {
        server.route('/rss.xml', (await import('./sources-server.js')).serveFixture('rss.xml', 'application/rss+xml', { etag: '"rss.xml-v1"' }));
      }
    } finally {
      await e.done();
    }
  });

  test('Atom and JSON Feed sources store their linked pages with the page date, else the item date', async () => {
    const e = await env();
    try {
      await e.add('Horn Monitor', `${server.base}/atom.xml`);
      await e.add('Sahel Notes', `${server.base}/feed.json`);
      const outs = await e.watcher.pollDue();
      assert.deepEqual(outs.map((o) => [o.source.name, o.poll.status, o.poll.new]).sort(), [['Horn Monitor', 'ok', 1], ['Sahel Notes', 'ok', 1]]);
      const byTitle = new Map(e.extractor.seen.map((a) => [a.title, a]));
      const baidoa = byTitle.get('Market reopens in Baidoa after repairs');
      const gao = byTitle.get('Water project finished near Gao');
      assert.deepEqual([baidoa?.date, baidoa?.dateSource], ['2024-04-01', 'feed']);
      assert.deepEqual([gao?.date, gao?.dateSource], ['2024-05-09', 'json-ld']);
      assert.match(baidoa?.rawText ?? '', /three months of repairs/);
    } finally {
      await e.done();
    }
  });

  test('a failing host backs off exponentially and never stops the other sources', async () => {
    let hits = 0;
    server.route('/down.xml', (_req, res) => {
      hits++;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom');
    });
    const e = await env();
    try {
      await e.add('Down', `${server.base}/down.xml`);
      await e.add('Horn Monitor', `${server.base}/atom.xml`);
      const first = await e.watcher.pollDue();
      const down = first.find((o) => o.source.name === 'Down');
      assert.equal(down?.poll.status, 'failed');
      assert.equal(down?.poll.error_code, 'E_FETCH');
      assert.match(down?.poll.error ?? '', /HTTP 500/);
      assert.equal(down?.poll.http_status, 500);
      assert.equal(first.find((o) => o.source.name === 'Horn Monitor')?.poll.new, 1);
      const t0 = e.clock.ms;
      assert.equal(Date.parse(down!.source.next_poll_at), t0 + 2 * 900_000);
      assert.equal(down?.source.failures, 1);
      assert.match(down?.source.last_error ?? '', /^E_FETCH: .*HTTP 500/);
      // At the normal interval the healthy source is due, the failing one is still backing off.
      e.clock.ms = t0 + 900_000;
      assert.deepEqual((await e.watcher.pollDue()).map((o) => o.source.name), ['Horn Monitor']);
      e.clock.ms = t0 + 2 * 900_000;
      const second = (await e.watcher.pollDue()).find((o) => o.source.name === 'Down');
      assert.equal(second?.source.failures, 2);
      assert.equal(Date.parse(second!.source.next_poll_at), e.clock.ms + 4 * 900_000);
      assert.equal(hits, 2);
      const polls = await e.store.listPolls({ source: 'Down' });
      assert.deepEqual(polls.map((p) => p.status), ['failed', 'failed']);
    } finally {
      await e.done();
    }
  });

  test('malformed XML, a huge page and a missing page are recorded with their reasons', async () => {
    server.route('/huge-items.xml', (_req, res, base) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
        <item><title>Big page</title><guid>big-1</guid><link>${base}/huge-page.html</link><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
          <description>A summary long enough to stand in for the page: the district council met on Wednesday to discuss the water supply.</description></item>
        <item><title>Gone</title><guid>gone-1</guid><link>${base}/missing.html</link></item>
      </channel></rss>`);
    });
    server.route('/huge-page.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><body><p>${'word '.repeat(100_000)}</p></body></html>`);
    });
    const e = await env({ maxBytes: 100_000 });
    try {
      await e.add('Broken', `${server.base}/broken.xml`);
      await e.add('Huge', `${server.base}/huge-items.xml`);
      const outs = await e.watcher.pollDue();
      const broken = outs.find((o) => o.source.name === 'Broken')!;
      assert.deepEqual([broken.poll.status, broken.poll.error_code], ['failed', 'E_FEED']);
      assert.match(broken.poll.error ?? '', /malformed XML at line \d+, column \d+/);
      const huge = outs.find((o) => o.source.name === 'Huge')!;
      assert.deepEqual([huge.poll.status, huge.poll.items, huge.poll.new, huge.poll.failed], ['ok', 2, 1, 1]);
      const codes = huge.poll.item_errors.map((x) => [x.item.replace(server.base, ''), x.code]);
      assert.deepEqual(codes, [['/huge-page.html', 'E_INGEST_TOO_LARGE'], ['/missing.html', 'E_FETCH']]);
      assert.match(huge.poll.item_errors[0]!.message, /stored the feed item's own text instead/);
      const q = await e.store.listQuarantine();
      assert.deepEqual(q.map((x) => [x.file.replace(server.base, ''), x.code]), [['/missing.html', 'E_FETCH']]);
      assert.match(q[0]!.reason, /HTTP 404/);
    } finally {
      await e.done();
    }
  });

  test('a page without an article gives way to the feed item\'s text, and without one is quarantined', async () => {
    server.route('/index-page.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Home</title></head><body><nav><a href="/a">World</a> <a href="/b">Sport</a></nav><footer><p>Copyright 2024 Valley News. All rights reserved.</p></footer></body></html>');
    });
    server.route('/index-items.xml', (_req, res, base) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
        <item><title>Council votes on water supply</title><guid>w-1</guid><link>${base}/index-page.html</link><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
          <description>The district council voted on Wednesday to build two new reservoirs, the mayor said after a long session on the town's water supply.</description></item>
        <item><title>Nothing here</title><guid>w-2</guid><link>${base}/index-page.html?2</link></item>
      </channel></rss>`);
    });
    const e = await env();
    try {
      await e.add('Index', `${server.base}/index-items.xml`);
      const [out] = await e.watcher.pollDue();
      assert.deepEqual([out?.poll.status, out?.poll.new, out?.poll.failed], ['ok', 1, 1]);
      assert.deepEqual(e.extractor.seen.map((a) => [a.title, a.dateSource]), [['Council votes on water supply', 'feed']]);
      assert.match(e.extractor.seen[0]!.rawText, /two new reservoirs/);
      const q = await e.store.listQuarantine();
      assert.deepEqual(q.map((x) => x.code), ['E_INGEST_HTML']);
      assert.match(q[0]!.reason, /no article \(\d+ characters of text\)/);
    } finally {
      await e.done();
    }
  });

  test('a non-English article is stored, searchable and flagged as not extracted', async () => {
    server.route('/fr.xml', (_req, res, base) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Le Fil</title>
        <item><title>Trois policiers tués à Jalalabad</title><guid>fr-1</guid><link>${base}/pages/kaboul-fr.html</link></item>
        <item><title>Gunmen kill three policemen in Jalalabad</title><guid>en-1</guid><link>${base}/pages/jalalabad.html</link></item>
      </channel></rss>`);
    });
    const e = await env();
    try {
      await e.add('Le Fil', `${server.base}/fr.xml`);
      const [out] = await e.watcher.pollDue();
      assert.equal(out?.poll.new, 2);
      assert.deepEqual(e.extractor.seen.map((a) => a.language), ['en']);
      const [fr, en] = out!.articleIds;
      const stored = await e.store.getArticle(fr!);
      assert.equal(stored?.article.language, 'fr');
      assert.equal(stored?.extracted, false);
      assert.deepEqual([stored?.result.entities.length, stored?.result.events.length], [0, 0]);
      assert.match(stored?.result.text ?? '', /Des hommes armés ont attaqué/);
      assert.equal((await e.store.getArticle(en!))?.extracted, undefined);
      const hits = await e.store.searchArticles('policiers');
      assert.deepEqual(hits.map((h) => h.article_id), [fr]);
    } finally {
      await e.done();
    }
  });

  test('a page source and a feed file on disk are polled like URLs; an unchanged file is not modified', async () => {
    const tmp = tempDir('khabar-src-files-');
    const e = await env();
    try {
      const feedFile = join(tmp.dir, 'feed.xml');
      writeFileSync(feedFile, fixtureText('atom.xml', server.base));
      await e.add('Local feed', feedFile);
      await e.add('Gao page', `${server.base}/pages/gao.html`);
      const outs = await e.watcher.pollDue();
      assert.deepEqual(outs.map((o) => [o.source.name, o.poll.status, o.poll.new]).sort(), [['Gao page', 'ok', 1], ['Local feed', 'ok', 1]]);
      e.clock.ms += 16 * 60_000;
      const again = await e.watcher.pollDue();
      assert.deepEqual(again.map((o) => [o.source.name, o.poll.status, o.poll.new]).sort(), [['Gao page', 'not_modified', 0], ['Local feed', 'not_modified', 0]]);
    } finally {
      await e.done();
      tmp.cleanup();
    }
  });

  test('a redirected feed source is followed', async () => {
    server.route('/moved.json', (_req, res, base) => {
      res.writeHead(308, { location: `${base}/feed.json` });
      res.end();
    });
    const e = await env();
    try {
      await e.add('Moved', `${server.base}/moved.json`);
      const [out] = await e.watcher.pollDue();
      assert.deepEqual([out?.poll.status, out?.poll.new], ['ok', 1]);
    } finally {
      await e.done();
    }
  });
});
