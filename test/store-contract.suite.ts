/**
 * The store contract: one suite every Store implementation must pass. Run it with a factory:
 * `runStoreContract('sqlite', makeSqliteFixture)`; a PostgreSQL run is one more such line.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KhabarError } from '../src/errors.js';
import { haversineKm } from '../src/store/filter.js';
import type { EventFilter, Store } from '../src/store/store.js';
import type { EventRecord } from '../src/types.js';
import { makeArticle, sampleArticles, sampleBatch, sampleQuarantine } from './store-fixtures.js';
import { runSourcesContract } from './sources-contract.suite.js';

/** A fresh, empty store per test; `open` may be called again to reopen the same store. */
export interface StoreFixture {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof KhabarError, `expected a KhabarError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

const ids = (events: EventRecord[]): string[] => events.map((e) => e.event_id);
const sorted = (xs: string[]): string[] => [...xs].sort();

export function runStoreContract(name: string, makeFixture: () => Promise<StoreFixture>): void {
  // Followed sources, polls, watch rules and alert hits (issue 10).
  runSourcesContract(name, makeFixture);
  /** Runs a body with a fresh store holding the sample batch (unless empty is asked). */
  async function withStore(body: (store: Store, fx: StoreFixture) => Promise<void>, fill = true): Promise<void> {
    const fx = await makeFixture();
    const store = await fx.open();
    try {
      if (fill) await store.writeBatch(sampleBatch());
      await body(store, fx);
    } finally {
      await store.close();
      await fx.cleanup();
    }
  }

  describe(`store contract (${name})`, () => {
    test(`${name} round-trips articles, entities, events and metadata`, () =>
      withStore(async (store) => {
        for (const input of sampleArticles()) {
          const got = await store.getArticle(input.article.id);
          assert.ok(got, input.article.id);
          assert.deepEqual(got.article, input.article);
          assert.deepEqual(got.result, input.result);
          assert.ok(!Number.isNaN(Date.parse(got.ingested_at)), got.ingested_at);
          // Each sample event is the only report of its real-world event: its merged event is itself, counted.
          for (const ev of input.result.events) assert.deepEqual(await store.getEvent(ev.event_id), { ...ev, reports: 1, independent_sources: 1 });
          assert.equal(await store.hasArticle(input.article.id), true);
        }
        assert.equal(await store.getArticle('nope'), null);
        assert.equal(await store.getEvent('nope'), null);
        assert.equal(await store.hasArticle('nope'), false);
      }));

    test(`${name} writes a batch and reports what it did`, () =>
      withStore(async (store) => {
        const summary = await store.writeBatch(sampleBatch());
        assert.deepEqual(summary, { inserted: 4, duplicates: 0, events: 5, quarantined: 2 });
        // the same article twice in one batch: stored once
        const twice = (): ReturnType<typeof makeArticle> => makeArticle({ id: 'twice', date: '2024-01-01', title: null, sentences: ['Once.'] });
        const again = await store.writeBatch({ articles: [twice(), twice()], quarantine: [] });
        assert.deepEqual(again, { inserted: 1, duplicates: 1, events: 0, quarantined: 0 });
      }, false));

    test(`${name} re-writing the same batch adds nothing`, () =>
      withStore(async (store) => {
        const before = await store.stats();
        const summary = await store.writeBatch(sampleBatch());
        assert.equal(summary.inserted, 0);
        assert.equal(summary.duplicates, 4);
        assert.equal(summary.events, 0);
        const after = await store.stats();
        assert.deepEqual(after, before);
        assert.equal(after.quarantine, 2, 'the same quarantined input is kept once');
      }));

    test(`${name} a failing batch leaves nothing behind`, () =>
      withStore(async (store) => {
        const good = makeArticle({ id: 'good', date: '2024-05-01', title: 'Good', sentences: ['Rebels seized the town of Kidal.'] });
        const bad = makeArticle({
          id: 'bad',
          date: '2024-05-01',
          title: 'Bad',
          sentences: ['Troops shelled a village.'],
          events: [{ id: 'bad:e1', sentence: 'Troops shelled a village.', event_type: 'ASSAULT' }],
        });
        const badEvent = bad.result.events[0];
        assert.ok(badEvent);
        badEvent.article_id = 'someone-else';
        const q = { file: 'x.txt', line: 3, code: 'E_INGEST_EMPTY', reason: 'empty', excerpt: '' };
        await rejectsWith(store.writeBatch({ articles: [good, bad], quarantine: [q] }), 'E_VALIDATION', /someone-else/);
        assert.equal(await store.hasArticle('good'), false);
        assert.equal(await store.hasArticle('bad'), false);
        assert.equal((await store.stats()).quarantine, 2);

        // an event id already used by another article: also all or nothing
        const clash = makeArticle({
          id: 'clash',
          date: '2024-05-02',
          title: null,
          sentences: ['Gunmen attacked a bus.'],
          events: [{ id: 'art-pk:e1', sentence: 'Gunmen attacked a bus.', event_type: 'ASSAULT' }],
        });
        await rejectsWith(store.writeBatch({ articles: [good, clash], quarantine: [] }), 'E_VALIDATION', /art-pk:e1/);
        assert.equal(await store.hasArticle('good'), false);
        assert.equal((await store.stats()).articles, 4);
        // and the store still works afterwards
        assert.equal((await store.writeBatch({ articles: [good], quarantine: [] })).inserted, 1);
      }));

    const filterCases: { label: string; filter: EventFilter; expect: string[] }[] = [
      { label: 'no filter', filter: {}, expect: ['art-pk:e1', 'art-so:e1', 'art-so:e2', 'art-fj:e1', 'art-qa:e1'] },
      { label: 'from', filter: { from: '2024-03-20' }, expect: ['art-so:e1', 'art-so:e2', 'art-fj:e1'] },
      { label: 'to', filter: { to: '2024-03-20' }, expect: ['art-pk:e1', 'art-so:e1'] },
      { label: 'from and to (one day)', filter: { from: '2024-03-21', to: '2024-03-21' }, expect: ['art-so:e2'] },
      { label: 'country, any case', filter: { country: 'so' }, expect: ['art-so:e1', 'art-so:e2'] },
      { label: 'countries', filter: { country: ['PK', 'FJ'] }, expect: ['art-pk:e1', 'art-fj:e1'] },
      { label: 'admin1', filter: { admin1: 'khyber pakhtunkhwa' }, expect: ['art-pk:e1'] },
      { label: 'PLOVER type', filter: { type: 'assault' }, expect: ['art-pk:e1', 'art-so:e1'] },
      { label: 'ACLED event type', filter: { type: 'Protests' }, expect: ['art-so:e2'] },
      { label: 'ACLED sub-event type', filter: { type: 'armed clash' }, expect: ['art-pk:e1'] },
      { label: 'category', filter: { type: 'DIPLO' }, expect: ['art-qa:e1'] },
      { label: 'types, any of', filter: { type: ['ARREST', 'AGREE'] }, expect: ['art-fj:e1', 'art-qa:e1'] },
      { label: 'actor name substring', filter: { actor: 'SHABAAB' }, expect: ['art-so:e1'] },
      { label: 'actor id', filter: { actor: 'pak.security' }, expect: ['art-pk:e1'] },
      { label: 'actor words in the article (either actor)', filter: { actor: 'rebel delegation' }, expect: ['art-qa:e1'] },
      { label: 'actor matching actor1 or actor2', filter: { actor: 'protesters' }, expect: ['art-so:e2', 'art-fj:e1'] },
      { label: 'near Mogadishu 10 km', filter: { near: { lat: 2.0, lon: 45.3, km: 10 } }, expect: ['art-so:e1', 'art-so:e2'] },
      { label: 'near, too far', filter: { near: { lat: 2.0, lon: 45.3, km: 2 } }, expect: [] },
      { label: 'near across the antimeridian', filter: { near: { lat: -16.8, lon: 179.95, km: 30 } }, expect: ['art-fj:e1'] },
      { label: 'bounding box', filter: { bbox: { south: 25, west: 60, north: 40, east: 80 } }, expect: ['art-pk:e1'] },
      { label: 'bounding box across the antimeridian', filter: { bbox: { south: -20, west: 170, north: -10, east: -170 } }, expect: ['art-fj:e1'] },
      { label: 'full text of the article', filter: { text: 'hotel' }, expect: ['art-so:e1', 'art-so:e2'] },
      { label: 'full text, stemmed', filter: { text: 'raids' }, expect: ['art-pk:e1'] },
      { label: 'article id', filter: { article_id: 'art-so' }, expect: ['art-so:e1', 'art-so:e2'] },
      { label: 'minimum confidence', filter: { min_confidence: 0.8 }, expect: ['art-pk:e1', 'art-so:e2'] },
      { label: 'combined', filter: { country: 'SO', type: 'ASSAULT', from: '2024-03-01', actor: 'shabaab', near: { lat: 2.05, lon: 45.32, km: 5 } }, expect: ['art-so:e1'] },
    ];
    for (const c of filterCases) {
      test(`${name} queryEvents filter: ${c.label}`, () =>
        withStore(async (store) => {
          const got = await store.queryEvents(c.filter);
          assert.deepEqual(sorted(ids(got)), sorted(c.expect));
          assert.equal(await store.countEvents(c.filter), c.expect.length);
          if (c.filter.near) {
            const { lat, lon, km } = c.filter.near;
            for (const e of got) assert.ok(haversineKm(lat, lon, e.location?.lat ?? 0, e.location?.lon ?? 0) <= km);
          }
        }));
    }

    test(`${name} queryEvents returns full records`, () =>
      withStore(async (store) => {
        const [pk] = await store.queryEvents({ article_id: 'art-pk' });
        const stored = sampleArticles()[0]?.result.events[0];
        assert.deepEqual(pk, { ...stored, reports: 1, independent_sources: 1 });
        // raw_reports lists each article's report exactly as written
        const [raw] = await store.queryEvents({ article_id: 'art-pk', raw_reports: true });
        assert.deepEqual(raw, stored);
      }));

    test(`${name} links reports of one event in several articles into one merged event (issue 8)`, () =>
      withStore(async (store) => {
        const place = { name: 'Baidoa', text: 'Baidoa', geonames_id: 64435, country_code: 'SO', admin1: 'Bay', admin2: null, lat: 3.11, lon: 43.65, geo_precision: 1 as const };
        const gunmen = { name: 'al-Shabaab', id: 'al_shabaab', text: 'al-Shabaab', kind: 'rebel', country: 'SO' };
        const report = (id: string, source: string, sentence: string, fatalities: number) =>
          makeArticle({
            id,
            date: '2024-06-03',
            title: null,
            source,
            sentences: [sentence],
            events: [{ id: `${id}:e1`, event_type: 'ASSAULT', acled: ['Battles', 'Armed clash'], actor1: gunmen, location: place, fatalities, sentence }],
          });
        await store.writeBatch({
          articles: [
            report('so-1', 'Garowe Online', 'Al-Shabaab fighters attacked an army base in Baidoa, killing 9 soldiers.', 9),
            report('so-2', 'Hiiraan', 'Nine soldiers died when al-Shabaab stormed a base near Baidoa on Monday, officers said.', 9),
            report('so-3', 'Radio Dalsan', 'At least 11 troops were killed in an al-Shabaab raid on a Baidoa base.', 11),
          ],
          quarantine: [],
        });
        const merged = await store.queryEvents({ country: 'SO' });
        assert.equal(merged.length, 1);
        const ev = merged[0]!;
        assert.equal(ev.event_id, 'so-1:e1', 'the earliest report (date, article id) names the event');
        assert.equal(ev.reports, 3);
        assert.equal(ev.independent_sources, 3);
        assert.equal(ev.fatalities, 9);
        assert.deepEqual(ev.fatalities_range, { min: 9, max: 11 });
        assert.equal(await store.countEvents({ country: 'SO' }), 1);
        assert.equal(await store.countEvents({ country: 'SO', raw_reports: true }), 3);
        const listed = await store.listReports('so-3:e1');
        assert.deepEqual(listed?.reports.map((r) => r.article.id), ['so-1', 'so-2', 'so-3']);
        assert.equal(listed?.event.event_id, 'so-1:e1');
        assert.equal(await store.listReports('nope'), null);
        const summary = await store.relink();
        assert.equal(summary.events, 1);
        assert.deepEqual(await store.queryEvents({ country: 'SO' }), merged);
        // Stats count the merged event once, at its merged figure; the reports apart.
        const s = await store.stats();
        assert.equal(s.events, 1);
        assert.equal(s.reports, 3);
        assert.equal(s.fatalities, 9);
        assert.equal(s.report_fatalities, 9 + 9 + 11);
        assert.deepEqual(s.by_country, { SO: 1 });
        assert.deepEqual(s.by_type, { ASSAULT: 1 });
      }, false));

    test(`${name} near-duplicates are looked for among articles dated within a week of each other, in either arrival order`, () =>
      withStore(async (store) => {
        const sentences = [
          'Gunmen attacked a police checkpoint on the main road at dawn, killing four officers, a provincial spokesman said.',
          'The attackers fled into nearby orchards after a gunfight that lasted two hours, the spokesman added.',
        ];
        const copy = (id: string, date: string) =>
          makeArticle({ id, date, title: null, source: `Outlet ${id}`, sentences, events: [{ id: `${id}:e1`, event_type: 'ASSAULT', sentence: sentences[0]! }] });
        // A week after the first copy: a copy of it. Nine days after that one: a text of its own.
        await store.writeBatch({ articles: [copy('week-c', '2024-06-19')], quarantine: [] });
        await store.writeBatch({ articles: [copy('week-b', '2024-06-10'), copy('week-a', '2024-06-03')], quarantine: [] });
        const copyOf = async (id: string): Promise<string | null | undefined> =>
          (await store.listReports(`${id}:e1`))?.reports.find((r) => r.article.id === id)?.duplicate_of;
        assert.equal(await copyOf('week-a'), null);
        assert.equal(await copyOf('week-b'), 'week-a');
        assert.equal(await copyOf('week-c'), null);
        await store.relink();
        assert.equal(await copyOf('week-b'), 'week-a');
        assert.equal(await copyOf('week-c'), null);
      }, false));

    test(`${name} replaceResults swaps an article's text, entities and events, keeps its metadata; relink merges again`, () =>
      withStore(async (store) => {
        if (!store.replaceResults) return assert.fail(`${name} has no replaceResults`);
        const before = await store.getArticle('art-so');
        assert.ok(before);
        const sentence = 'A car bomb killed seven people outside a hotel in Mogadishu on Wednesday.';
        const next = makeArticle({
          id: 'art-so',
          date: '2024-03-21',
          title: 'Car bomb in Mogadishu',
          sentences: [sentence],
          entities: [{ text: 'Mogadishu', kind: 'place', id: 'geonames:53654', name: 'Mogadishu' }],
          events: [{ id: 'art-so:e9', sentence, event_type: 'ASSAULT', acled: ['Explosions/Remote violence', 'Remote explosive/landmine/IED'], fatalities: 7 }],
          source: 'Garowe Online',
        });
        const missing = makeArticle({ id: 'not-stored', date: '2024-03-21', title: null, sentences: ['Nothing.'] });
        assert.deepEqual(await store.replaceResults([next, missing]), { replaced: 1, missing: 1, events: 1 });
        const got = await store.getArticle('art-so');
        assert.deepEqual(got?.result, next.result);
        assert.equal(got?.ingested_at, before.ingested_at, 'the ingest time is kept');
        assert.equal(await store.getArticle('not-stored'), null, 'a missing article is not created');
        assert.equal(await store.getEvent('art-so:e1'), null);
        assert.equal(await store.getEvent('art-so:e2'), null);
        assert.deepEqual(ids(await store.queryEvents({ article_id: 'art-so', raw_reports: true })), ['art-so:e9']);
        assert.equal(await store.countEvents({ country: 'SO', raw_reports: true }), 0, 'the old events are gone with their places');
        assert.equal((await store.searchArticles('hotel seven'))[0]?.article_id, 'art-so', 'the full-text entry follows the new text');
        const relinked = await store.relink();
        assert.equal(relinked.reports, 4);
        assert.equal((await store.getEvent('art-so:e9'))?.reports, 1);
        assert.equal((await store.stats()).reports, 4);
        // An event id another article holds: E_VALIDATION, and nothing of the batch is written.
        const clash = makeArticle({
          id: 'art-fj',
          date: '2024-04-02',
          title: null,
          sentences: [sentence],
          events: [{ id: 'art-pk:e1', sentence, event_type: 'ASSAULT' }],
        });
        clash.result.events[0]!.article_id = 'art-fj';
        await rejectsWith(store.replaceResults([next, clash]), 'E_VALIDATION');
        assert.deepEqual(ids(await store.queryEvents({ article_id: 'art-fj', raw_reports: true })), ['art-fj:e1']);
      }));

    test(`${name} sorts by date (undated last when newest first), fatalities and confidence`, () =>
      withStore(async (store) => {
        assert.deepEqual(ids(await store.queryEvents()), ['art-fj:e1', 'art-so:e2', 'art-so:e1', 'art-pk:e1', 'art-qa:e1']);
        assert.deepEqual(ids(await store.queryEvents({ sort: 'date_asc' })), ['art-qa:e1', 'art-pk:e1', 'art-so:e1', 'art-so:e2', 'art-fj:e1']);
        const byDeaths = await store.queryEvents({ sort: 'fatalities_desc' });
        assert.deepEqual(ids(byDeaths).slice(0, 2), ['art-pk:e1', 'art-so:e1']);
        const conf = (await store.queryEvents({ sort: 'confidence_desc' })).map((e) => e.confidence);
        assert.deepEqual(conf, [...conf].sort((a, b) => b - a));
      }));

    test(`${name} pages with a cursor and with an offset, same order, nothing twice`, () =>
      withStore(async (store) => {
        for (const sort of ['date_desc', 'date_asc', 'fatalities_desc', 'confidence_desc'] as const) {
          const all = ids(await store.queryEvents({ sort }));
          const paged: string[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < 10; i++) {
            const page = await store.queryEventPage({ sort, limit: 2, ...(cursor ? { cursor } : {}) });
            paged.push(...ids(page.events));
            if (!page.next_cursor) break;
            cursor = page.next_cursor;
          }
          assert.deepEqual(paged, all, sort);
          assert.deepEqual(ids(await store.queryEvents({ sort, limit: 2, offset: 2 })), all.slice(2, 4));
        }
        const last = await store.queryEventPage({ limit: 5 });
        assert.equal(last.next_cursor, null);
      }));

    const badFilters: { label: string; filter: EventFilter; pattern: RegExp }[] = [
      { label: 'a date that is not YYYY-MM-DD', filter: { from: '14/03/2024' }, pattern: /from/ },
      { label: 'an impossible date', filter: { to: '2024-02-30' }, pattern: /calendar/ },
      { label: 'from after to', filter: { from: '2024-05-01', to: '2024-04-01' }, pattern: /after/ },
      { label: 'a latitude out of range', filter: { near: { lat: 95, lon: 0, km: 5 } }, pattern: /near\.lat/ },
      { label: 'a zero radius', filter: { near: { lat: 0, lon: 0, km: 0 } }, pattern: /near\.km/ },
      { label: 'a zero limit', filter: { limit: 0 }, pattern: /limit/ },
      { label: 'a limit too large', filter: { limit: 1_000_000 }, pattern: /limit/ },
      { label: 'a forged cursor', filter: { cursor: 'not-a-cursor' }, pattern: /cursor/ },
      { label: 'an unknown field', filter: { colour: 'red' } as EventFilter, pattern: /colour/ },
      { label: 'broken full-text syntax', filter: { text: '"unclosed' }, pattern: /quote/ },
    ];
    for (const c of badFilters) {
      test(`${name} queryEvents rejects ${c.label} with E_VALIDATION`, () =>
        withStore(async (store) => {
          await rejectsWith(store.queryEvents(c.filter), 'E_VALIDATION', c.pattern);
        }));
    }

    test(`${name} a cursor from another sort order is rejected`, () =>
      withStore(async (store) => {
        const page = await store.queryEventPage({ limit: 1, sort: 'date_asc' });
        assert.ok(page.next_cursor);
        await rejectsWith(store.queryEvents({ cursor: page.next_cursor, sort: 'fatalities_desc' }), 'E_VALIDATION', /cursor/);
      }));

    test(`${name} searchArticles ranks title matches first and returns highlighted snippets`, () =>
      withStore(async (store) => {
        // "ceasefire" is in art-qa's title and text; "security" is in one title (art-so) and in art-pk's text only
        const hits = await store.searchArticles('security');
        assert.deepEqual(hits.map((h) => h.article_id), ['art-so', 'art-pk']);
        assert.ok((hits[0]?.score ?? 0) >= (hits[1]?.score ?? 0));
        for (const h of hits) {
          assert.ok(h.highlights.length > 0, h.snippet);
          for (const s of h.highlights) assert.equal(h.snippet.slice(s.start, s.end).toLowerCase(), 'security');
          assert.ok(!/[\u0002\u0003]/.test(h.snippet));
        }
        const so = hits[0];
        assert.equal(so?.title, 'Car bomb in Mogadishu; protesters demand security');
        assert.equal(so?.date, '2024-03-21');
        assert.equal(so?.source, 'Garowe Online');
      }));

    const searchCases: { q: string; expect: string[] }[] = [
      { q: 'Mogadishu hotel', expect: ['art-so'] },
      { q: '"car bomb"', expect: ['art-so'] },
      { q: '"bomb car"', expect: [] },
      { q: 'Doha OR Taveuni', expect: ['art-qa', 'art-fj'] },
      { q: 'police -Mogadishu', expect: ['art-pk', 'art-fj'] },
      { q: 'Mogad*', expect: ['art-so'] },
      { q: 'Tav* OR Dera', expect: ['art-fj', 'art-pk'] },
      { q: 'al-Shabaab', expect: [] },
      { q: 'Ismail-Khan', expect: ['art-pk'] },
      { q: 'kill', expect: ['art-pk', 'art-so'] },
    ];
    for (const c of searchCases) {
      test(`${name} searchArticles query ${c.q}`, () =>
        withStore(async (store) => {
          assert.deepEqual(sorted((await store.searchArticles(c.q)).map((h) => h.article_id)), sorted(c.expect));
        }));
    }

    for (const q of ['"unclosed phrase', 'OR police', 'police OR', '-police', '   ', '!!!']) {
      test(`${name} searchArticles rejects ${JSON.stringify(q)} with E_VALIDATION`, () =>
        withStore(async (store) => {
          await rejectsWith(store.searchArticles(q), 'E_VALIDATION', /search query/);
        }));
    }

    test(`${name} searchArticles limit and offset`, () =>
      withStore(async (store) => {
        const all = (await store.searchArticles('police')).map((h) => h.article_id);
        assert.equal(all.length, 3);
        assert.deepEqual((await store.searchArticles('police', { limit: 1, offset: 1 })).map((h) => h.article_id), all.slice(1, 2));
        await rejectsWith(store.searchArticles('police', { limit: 0 }), 'E_VALIDATION', /limit/);
      }));

    test(`${name} quarantine round trip, oldest first, kept once`, () =>
      withStore(async (store) => {
        const items = await store.listQuarantine();
        assert.equal(items.length, 2);
        const want = sampleQuarantine();
        items.forEach((it, i) => {
          const { id, at, ...rest } = it;
          assert.deepEqual(rest, want[i]);
          assert.equal(typeof id, 'number');
          assert.ok(!Number.isNaN(Date.parse(at)));
        });
        assert.deepEqual((await store.listQuarantine({ limit: 1, offset: 1 })).map((q) => q.file), ['bad/feed.jsonl']);
        await store.writeBatch({ articles: [], quarantine: [{ ...want[0]!, line: null, article_id: 'art-x' }] });
        const more = await store.listQuarantine();
        assert.equal(more.length, 3, 'same file and code at another line is another item');
        assert.equal(more[2]?.line, null);
        assert.equal(more[2]?.article_id, 'art-x');
      }));

    test(`${name} stats counts what the store holds`, () =>
      withStore(async (store) => {
        const s = await store.stats();
        assert.equal(s.articles, 4);
        assert.equal(s.events, 5);
        assert.equal(s.entities, 3);
        assert.equal(s.quarantine, 2);
        assert.deepEqual(s.article_dates, { from: '2024-02-01', to: '2024-04-02' });
        assert.deepEqual(s.event_dates, { from: '2024-03-13', to: '2024-04-02' });
        assert.equal(s.fatalities, 17);
        assert.deepEqual(s.by_type, { ASSAULT: 2, AGREE: 1, ARREST: 1, PROTEST: 1 });
        assert.deepEqual(Object.keys(s.by_type), ['ASSAULT', 'AGREE', 'ARREST', 'PROTEST']);
        assert.deepEqual(s.by_country, { SO: 2, FJ: 1, PK: 1, none: 1 });
        assert.equal(s.by_acled_type.none, 1);
        assert.deepEqual(s.quarantine_by_code, { E_INGEST_DATE: 1, E_INGEST_JSON: 1 });
      }));

    test(`${name} stats of an empty store`, () =>
      withStore(async (store) => {
        const s = await store.stats();
        assert.equal(s.articles, 0);
        assert.deepEqual(s.article_dates, { from: null, to: null });
        assert.equal(s.fatalities, 0);
        assert.deepEqual(s.by_type, {});
      }, false));

    test(`${name} iterateArticles yields every article once, in storage order`, () =>
      withStore(async (store) => {
        const seen: string[] = [];
        for await (const a of store.iterateArticles({ batchSize: 3 })) {
          seen.push(a.article.id);
          assert.equal(a.result.article_id, a.article.id);
        }
        assert.deepEqual(seen, sampleArticles().map((a) => a.article.id));
      }));

    test(`${name} keeps everything across close and reopen`, () =>
      withStore(async (store, fx) => {
        const before = await store.stats();
        await store.close();
        const again = await fx.open();
        try {
          assert.deepEqual(await again.stats(), before);
          assert.equal((await again.writeBatch(sampleBatch())).inserted, 0);
          assert.deepEqual(ids(await again.queryEvents({ country: 'PK' })), ['art-pk:e1']);
        } finally {
          await again.close();
        }
      }));

    test(`${name} a closed store says so`, () =>
      withStore(async (store) => {
        await store.close();
        await rejectsWith(store.stats(), 'E_STORE', /closed/);
      }));
  });
}
