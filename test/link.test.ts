/**
 * Cross-article linking end to end: hand-written article families through the real pipeline into an
 * SQLite store — one event with many reports, two events in one town on one day, conflicting counts,
 * arrival order and batching, relink, and the two CLI commands.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPipeline, loadKnowledge } from '../src/extract.js';
import { inProcessExtractor, processItems, type Extractor, type IngestItem } from '../src/ingest/process.js';
import { loadLinkConfig } from '../src/link/config.js';
import { textSignature } from '../src/link/minhash.js';
import type { Pipeline } from '../src/pipeline.js';
import { openStore, type Store } from '../src/store/index.js';
import type { Sink } from '../src/export/stream.js';
import type { Article } from '../src/types.js';
import { tempDir } from './helpers.js';

const WIRE =
  'Gunmen attacked a police checkpoint in Jalalabad on Monday, killing 12 police officers, a provincial spokesman said. ' +
  'The attackers fled into nearby orchards after a gunfight that lasted two hours, the spokesman added. ' +
  'Residents said the shooting began shortly after dawn and that shops in the area stayed closed for the rest of the day.';

interface Text {
  id: string;
  date: string;
  source: string;
  text: string;
}

/** One attack: the wire story, two verbatim copies, a light copy edit, a rewrite citing the wire, and an outlet's own report. */
const ATTACK: Text[] = [
  { id: 'wire', date: '2024-05-06', source: 'Reuters', text: WIRE },
  { id: 'copy-dawn', date: '2024-05-06', source: 'Dawn', text: WIRE },
  { id: 'copy-star', date: '2024-05-07', source: 'Daily Star', text: WIRE },
  { id: 'copy-edited', date: '2024-05-07', source: 'The News', text: `JALALABAD: ${WIRE.replace('shortly after dawn', 'soon after dawn')}` },
  {
    id: 'rewrite',
    date: '2024-05-07',
    source: 'Gulf Times',
    text: 'Gunmen killed 12 police officers at a checkpoint in Jalalabad on Monday, Reuters reported, citing a provincial spokesman. The fighting went on for about two hours before the attackers escaped into orchards near the city.',
  },
  {
    id: 'own-report',
    date: '2024-05-06',
    source: 'Pajhwok',
    text: 'At least 15 policemen were killed when gunmen stormed a police checkpoint in Jalalabad on Monday, a local police official told Pajhwok. He said the attackers had hidden in orchards overnight.',
  },
];

/** Another attack in the same town on the same day: a bombing of civilians. */
const BOMBING: Text[] = [
  {
    id: 'bomb',
    date: '2024-05-06',
    source: 'Tolo',
    text: 'A roadside bomb hit a minibus carrying wedding guests in Jalalabad on Monday, killing three civilians and wounding eight, a hospital official said. No group claimed responsibility for the blast.',
  },
];

/** An unrelated attack elsewhere, on the same topic and in the same words as the wire. */
const ELSEWHERE: Text[] = [
  {
    id: 'kunar',
    date: '2024-05-09',
    source: 'Reuters',
    text: 'Gunmen attacked an army post in Kunar province on Thursday, killing four soldiers, a military spokesman said. The attackers fled towards the mountains after a short gunfight, officials added.',
  },
];

const ALL = [...ATTACK, ...BOMBING, ...ELSEWHERE];

function article(t: Text): Article {
  return { id: t.id, date: t.date, title: null, rawText: t.text, url: null, source: t.source, language: 'en', origin: { file: 'test', line: null } };
}

let pipeline: Pipeline;
const tmp = tempDir('khabar-link-');
let nextDb = 0;

before(async () => {
  pipeline = createPipeline(await loadKnowledge());
});
after(() => tmp.cleanup());

/** An in-process extractor that, like the worker pool, sends each text's MinHash signature along. */
function signingExtractor(p: Pipeline): Extractor {
  const inner = inProcessExtractor(p);
  const nd = loadLinkConfig().nearDuplicate;
  return {
    extractMany: async (articles) => (await inner.extractMany(articles)).map((o) => (o.ok ? { ...o, signature: textSignature(o.result.text, nd) } : o)),
  };
}

/** A fresh store filled with the texts, in `batchSize` batches, in the given order. */
async function ingest(texts: Text[], batchSize: number, signed = false): Promise<{ store: Store; path: string }> {
  const path = join(tmp.dir, `link-${nextDb++}.db`);
  const store = await openStore(path);
  const items: IngestItem[] = texts.map((t) => ({ kind: 'article', article: article(t) }));
  await processItems(items, store, signed ? signingExtractor(pipeline) : inProcessExtractor(pipeline), { batchSize });
  return { store, path };
}

/** Each merged event with its reports, in a canonical order: what must not depend on arrival. */
async function clusters(store: Store): Promise<{ event: unknown; reports: string[] }[]> {
  const out = [];
  for (const ev of await store.queryEvents({ sort: 'date_asc', limit: 10_000 })) {
    const found = await store.listReports(ev.event_id);
    assert.ok(found, ev.event_id);
    out.push({ event: found.event, reports: found.reports.map((r) => r.record.event_id).sort() });
  }
  return out.sort((a, b) => (a.reports[0]! < b.reports[0]! ? -1 : 1));
}

/** The merged attack event (the cluster holding the wire's report). */
async function attackEvent(store: Store) {
  const wireEvent = (await store.queryEvents({ article_id: 'wire', raw_reports: true })).find((e) => e.acled_sub_event_type === 'Armed clash');
  assert.ok(wireEvent, 'the pipeline finds the armed attack in the wire story');
  const found = await store.listReports(wireEvent.event_id);
  assert.ok(found);
  return found;
}

describe('linking', () => {
  test('link: wire copy, verbatim copies and rewrites are one event with six reports and two independent sources', async () => {
    const { store } = await ingest(ALL, 50);
    try {
      const { event, reports } = await attackEvent(store);
      assert.deepEqual(reports.map((r) => r.article.id).sort(), ATTACK.map((t) => t.id).sort());
      assert.equal(event.reports, 6);
      // The wire, its copies and the rewrite citing Reuters rest on one origin; Pajhwok's report on another.
      assert.equal(event.independent_sources, 2);
      const copies = Object.fromEntries(reports.map((r) => [r.article.id, r.duplicate_of]));
      // Same day: the earliest copy is the lower id ("copy-dawn"); the light edit links too, the rewrite does not.
      assert.deepEqual(copies, { 'copy-dawn': null, wire: 'copy-dawn', 'copy-star': 'copy-dawn', 'copy-edited': 'copy-dawn', rewrite: null, 'own-report': null });
      assert.equal(event.event_id, reports[0]!.record.event_id, 'the earliest report names the event');
      assert.ok(reports.every((r) => r.record.cluster_id === event.event_id));
      // Queries return the merged event once, with its counts; raw reports on request.
      const merged = await store.queryEvents({ country: 'AF', type: 'Armed clash', from: '2024-05-06', to: '2024-05-06' });
      assert.equal(merged.filter((e) => e.event_id === event.event_id).length, 1);
      assert.equal(merged.length, 1);
      assert.equal((await store.getEvent(event.event_id))?.reports, 6);
      const raw = await store.queryEvents({ country: 'AF', type: 'Armed clash', from: '2024-05-06', to: '2024-05-06', raw_reports: true });
      assert.equal(raw.length, 6);
      assert.ok(raw.every((e) => e.reports === undefined));
    } finally {
      await store.close();
    }
  });

  test('link: two different attacks in one town on one day stay two events; an attack elsewhere a third', async () => {
    const { store } = await ingest(ALL, 50);
    try {
      const { event } = await attackEvent(store);
      const bomb = (await store.queryEvents({ article_id: 'bomb', raw_reports: true })).find((e) => e.acled_sub_event_type?.startsWith('Remote explosive'));
      assert.ok(bomb, 'the pipeline finds the bombing');
      const bombEvent = await store.listReports(bomb.event_id);
      assert.notEqual(bombEvent?.event.event_id, event.event_id);
      assert.equal(bombEvent?.event.reports, 1);
      const kunar = (await store.queryEvents({ article_id: 'kunar', raw_reports: true }))[0];
      assert.ok(kunar);
      assert.equal((await store.listReports(kunar.event_id))?.event.reports, 1);
    } finally {
      await store.close();
    }
  });

  test('link: conflicting counts (12 killed, at least 15) keep the lowest figure, the range and both values', async () => {
    const { store } = await ingest(ATTACK, 50);
    try {
      const { event, reports } = await attackEvent(store);
      const figures = reports.map((r) => r.record.fatalities);
      assert.ok(figures.includes(12) && figures.includes(15), `reported ${figures.join(', ')}`);
      assert.equal(event.fatalities, 12);
      assert.deepEqual(event.fatalities_range, { min: 12, max: 15 });
      const alt = event.alternatives?.find((a) => a.field === 'fatalities');
      assert.deepEqual(alt?.values, [
        { value: 12, reports: figures.filter((f) => f === 12).length },
        { value: 15, reports: 1 },
      ]);
    } finally {
      await store.close();
    }
  });

  test('link: the same texts in two orders, in one batch or one by one, give identical events; relink too', async () => {
    const runs: [string, Text[], number, boolean][] = [
      ['in order, one batch', ALL, 100, false],
      ['reversed, one batch', [...ALL].reverse(), 100, false],
      ['in order, one by one', ALL, 1, false],
      ['interleaved, batches of 3', [ALL[4]!, ALL[7]!, ALL[0]!, ALL[6]!, ALL[2]!, ALL[5]!, ALL[1]!, ALL[3]!], 3, false],
      ['reversed, signatures computed by the extractor', [...ALL].reverse(), 2, true],
    ];
    let reference: Awaited<ReturnType<typeof clusters>> | null = null;
    for (const [name, texts, batch, signed] of runs) {
      const { store } = await ingest(texts, batch, signed);
      try {
        const got = await clusters(store);
        if (reference === null) {
          reference = got;
          assert.ok(got.length >= 3 && got.length < ALL.length, `${got.length} events`);
        } else assert.deepEqual(got, reference, name);
        const summary = await store.relink();
        assert.equal(summary.articles, ALL.length);
        assert.equal(summary.events, reference.length);
        assert.deepEqual(await clusters(store), reference, `${name}, relinked`);
      } finally {
        await store.close();
      }
    }
  });

  test('link: a copy dated within the near-duplicate window links to the earliest copy, one dated beyond it does not, in either order', async () => {
    const windowDays = loadLinkConfig().nearDuplicate.windowDays;
    const shifted = (id: string, days: number): Text => {
      const date = new Date(Date.parse('2024-05-06T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
      return { id, date, source: `Outlet ${id}`, text: WIRE };
    };
    const texts = [shifted('first', 0), shifted('near', windowDays), shifted('far', 2 * windowDays + 2)];
    for (const order of [texts, [...texts].reverse()]) {
      const { store } = await ingest(order, 1);
      try {
        const copyOf = async (id: string): Promise<string | null> => {
          const own = (await store.queryEvents({ article_id: id, raw_reports: true }))[0];
          assert.ok(own, `the pipeline finds an event in ${id}`);
          const found = await store.listReports(own.event_id);
          const report = found?.reports.find((r) => r.article.id === id);
          assert.ok(report, id);
          return report.duplicate_of;
        };
        assert.equal(await copyOf('near'), 'first');
        // Beyond the window of both: a text of its own, though it is the same words.
        assert.equal(await copyOf('far'), null);
        assert.equal(await copyOf('first'), null);
      } finally {
        await store.close();
      }
    }
  });

  test('link: two stores open on one file, writing in turn, link as one store does (neither keeps what the other changed)', async () => {
    const { store: single } = await ingest(ALL, 1);
    const reference = await clusters(single);
    await single.close();
    const path = join(tmp.dir, `link-${nextDb++}.db`);
    const stores = [await openStore(path), await openStore(path)];
    try {
      // Each store reads near-duplicate candidates and clusters before the other's turn, then must see its writes.
      for (const [i, t] of ALL.entries()) {
        await processItems([{ kind: 'article', article: article(t) }], stores[i % 2]!, inProcessExtractor(pipeline), { batchSize: 1 });
      }
      assert.deepEqual(await clusters(stores[0]!), reference);
      const { reports } = await attackEvent(stores[1]!);
      assert.equal(reports.find((r) => r.article.id === 'copy-star')?.duplicate_of, 'copy-dawn');
    } finally {
      for (const s of stores) await s.close();
    }
  });

  test('link: an article stored before linking existed is linked when the store opens', async () => {
    const { store, path } = await ingest(ATTACK, 50);
    const before = await clusters(store);
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    for (const t of ['link_reports', 'link_values', 'event_clusters', 'link_articles']) db.exec(`DELETE FROM ${t}`);
    db.exec("INSERT INTO link_state (key, value) VALUES ('relink_needed', '1')");
    db.close();
    const reopened = await openStore(path);
    try {
      assert.deepEqual(await clusters(reopened), before);
    } finally {
      await reopened.close();
    }
  });

  test('link: khabar relink extracts the stored articles again, replaces their results and relinks; --links-only does not', async () => {
    const { store, path } = await ingest(ALL, 50);
    const reference = await clusters(store);
    const results = new Map<string, unknown>();
    for (const t of ALL) results.set(t.id, (await store.getArticle(t.id))?.result);
    // What an older pipeline might have left: the same texts, no entities, no events.
    const emptied = [];
    for await (const a of store.iterateArticles()) emptied.push({ article: a.article, result: { ...a.result, entities: [], events: [] } });
    assert.ok(store.replaceResults);
    assert.equal((await store.replaceResults(emptied)).replaced, ALL.length);
    await store.close();
    const chunks: string[] = [];
    const sink: Sink = { write: async (s) => void chunks.push(s), close: async () => {} };
    const relink = await import('../src/cli/relink.js');
    assert.equal(await relink.run(['--db', path, '--links-only', '--format', 'json'], sink), 0);
    assert.equal((JSON.parse(chunks.join('')) as { reports: number }).reports, 0, '--links-only keeps the stored results');
    chunks.length = 0;
    assert.equal(await relink.run(['--db', path, '--workers', '1', '--batch', '3', '--quiet', '--format', 'json'], sink), 0);
    const summary = JSON.parse(chunks.join('')) as { articles: number; replaced: number; failed: number; reports_before: number; reports_after: number; link: { events: number } };
    const reports = reference.reduce((n, c) => n + c.reports.length, 0);
    assert.deepEqual(
      [summary.articles, summary.replaced, summary.failed, summary.reports_before, summary.reports_after, summary.link.events],
      [ALL.length, ALL.length, 0, 0, reports, reference.length],
    );
    const reopened = await openStore(path);
    try {
      for (const t of ALL) assert.deepEqual((await reopened.getArticle(t.id))?.result, results.get(t.id), t.id);
      assert.deepEqual(await clusters(reopened), reference);
    } finally {
      await reopened.close();
    }
  });

  test('link: khabar reports and khabar relink print the event, its reports and the summary', async () => {
    const { store, path } = await ingest(ALL, 50);
    const { event } = await attackEvent(store);
    await store.close();
    const chunks: string[] = [];
    const sink: Sink = { write: async (s) => void chunks.push(s), close: async () => {} };
    const reports = await import('../src/cli/reports.js');
    assert.equal(await reports.run(['--db', path, event.event_id], sink), 0);
    const text = chunks.join('');
    assert.match(text, /6 reports, 2 independent sources/);
    assert.match(text, /copy of copy-dawn/);
    assert.match(text, /reports disagree on fatalities: 12 \(\d\), 15 \(1\)/);
    chunks.length = 0;
    assert.equal(await reports.run(['--db', path, '--format', 'json', 'nope'], sink), 1);
    const relink = await import('../src/cli/relink.js');
    assert.equal(await relink.run(['--db', path, '--links-only', '--format', 'json'], sink), 0);
    const summary = JSON.parse(chunks.join('')) as { articles: number; duplicates: number };
    assert.equal(summary.articles, ALL.length);
    assert.equal(summary.duplicates, 3);
  });
});
