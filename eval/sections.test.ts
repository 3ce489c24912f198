import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArticleResult, EventRecord, PlaceMention, Span } from '../src/types.js';
import type { GeoAdapter, PipelineAdapter } from './adapters.js';
import type { GeoDoc, PloverRecord } from './data.js';
import { toCaseLabel, toPloverType } from './data.js';
import { caseTyping, geoEndToEnd, geoResolution, ploverSections, section, sectorKinds, type Adapters } from './sections.js';

/** A hand-made document: an emoji before the places, so code-point and UTF-16 offsets differ. */
const TEXT = '\u{1F4F0} Clashes in Kabul and Herat; the Afghan army said.';
const DOC: GeoDoc = {
  id: 'd1',
  corpus: 'hand',
  text: TEXT,
  toponyms: [
    // code-point offsets, as the corpora give them
    { start: 13, end: 18, phrase: 'Kabul', lat: 34.53, lon: 69.17, geonameid: 1138958 },
    { start: 23, end: 28, phrase: 'Herat', lat: 34.35, lon: 62.2, geonameid: 1139715 },
    { start: 34, end: 40, phrase: 'Afghan', lat: null, lon: null, type: 'Demonym' },
  ],
};

function place(span: Span, lat: number | null, lon: number | null, id: number | null): PlaceMention {
  return { ...span, text: TEXT.slice(span.start, span.end), name: '', geonames_id: id, feature_code: null, country_code: null, admin1: null, admin2: null, lat, lon, geo_precision: 3, score: 1 };
}

test('geoResolution gets UTF-16 gold spans and scores one right, one 600 km off', () => {
  const seen: string[] = [];
  const geo: GeoAdapter = {
    resolveSpans: (text, spans) => {
      spans.forEach((s) => seen.push(text.slice(s.start, s.end)));
      return [place(spans[0]!, 34.5, 69.2, 1138958), place(spans[1]!, 34.53, 69.17, 1138958)];
    },
    detect: () => [],
  };
  const r = geoResolution(geo, [DOC]);
  assert.deepEqual(seen, ['Kabul', 'Herat']); // the demonym span has no coordinates: not a place
  assert.equal(r.n, 2);
  assert.equal(r.metrics.acc_at_161, 0.5);
  assert.equal(r.metrics.geonames_id_exact, 0.5);
});

test('geoEndToEnd: exact spans, a false positive, a missed place; acc@161 over matched spans only', () => {
  const kabul = { start: TEXT.indexOf('Kabul'), end: TEXT.indexOf('Kabul') + 5 };
  const clashes = { start: TEXT.indexOf('Clashes'), end: TEXT.indexOf('Clashes') + 7 };
  const afghan = { start: TEXT.indexOf('Afghan'), end: TEXT.indexOf('Afghan') + 6 };
  const geo: GeoAdapter = {
    resolveSpans: () => [],
    detect: () => [place(kabul, 34.5, 69.2, 1), place(clashes, 0, 0, 2), { ...place(afghan, 33, 65, 3), demonym: true }],
  };
  const r = geoEndToEnd(geo, [DOC]);
  assert.equal(r.metrics.span_precision, 0.5); // demonym left out; Kabul right, "Clashes" wrong
  assert.equal(r.metrics.span_recall, 0.5); // Herat missed
  assert.equal(r.metrics.acc_at_161_matched, 1);
});

test('caseTyping maps category and sub-event type to CASE labels', () => {
  const records = [
    { id: '1', text: 'air', event_type: 'AIR_STRIKE' },
    { id: '2', text: 'quake', event_type: 'NATURAL_DISASTER' },
    { id: '3', text: 'nothing', event_type: 'ARREST' },
  ];
  const r = caseTyping(
    {
      classify: (text) =>
        text === 'air'
          ? { event_type: 'ASSAULT', mode: null, acled_sub_event_type: 'Air/drone strike', category: null }
          : text === 'quake'
            ? { event_type: 'OTHER', mode: null, acled_sub_event_type: null, category: 'NATURAL_DISASTER' }
            : null,
    },
    records,
  );
  assert.equal(r.metrics.accuracy, 2 / 3);
  assert.equal(r.metrics.no_label, 1 / 3);
  // weighted F1: AIR_STRIKE 1, NATURAL_DISASTER 1, ARREST 0, each support 1
  assert.ok(Math.abs(r.metrics.weighted_f1! - 2 / 3) < 1e-12);
  assert.ok(Math.abs(r.metrics.macro_f1! - 2 / 30) < 1e-12);
});

test.describe('label mappings', () => {
  for (const [input, expected] of [
    [{ acled_sub_event_type: 'Shelling/artillery/missile attack', category: null }, 'ART_MISS_ATTACK'],
    [{ acled_sub_event_type: 'Arrests', category: null }, 'ARREST'],
    [{ acled_sub_event_type: 'Armed clash', category: 'ATTRIB' }, 'ATTRIB'],
    [{ acled_sub_event_type: 'Not a type', category: null }, null],
  ] as const) {
    test(`toCaseLabel ${JSON.stringify(input)} is ${expected}`, () => assert.equal(toCaseLabel(input), expected));
  }
  for (const [actor, kinds] of [
    [{ actorText: 'x', code: 'IRQMIL' }, ['military', 'security']],
    [{ actorText: 'x', code: 'USA', sector: 'GOV' }, ['government', 'state']],
    [{ actorText: 'x', code: 'IGO' }, ['igo']],
    [{ actorText: 'x', code: 'SRB', sector: '***' }, null],
    [{ actorText: 'x', code: 'JOR' }, null],
  ] as const) {
    test(`sectorKinds ${JSON.stringify(actor)}`, () => assert.deepEqual(sectorKinds(actor), kinds));
  }
  for (const [old, now] of [['FIGHT', 'ASSAULT'], ['DEMAND', 'REQUEST'], ['DISAPPROVE', 'ACCUSE'], ['INVESTIGATE', 'ACCUSE'], ['AGREE', 'AGREE']] as const) {
    test(`toPloverType ${old} is ${now}`, () => assert.equal(toPloverType(old), now));
  }
});

test('ploverSections scores the pipeline first event: type, actors by text and country code, location', async () => {
  const rec = (id: string, event_type: string, src: string, code: string, loc: string | null): PloverRecord => ({
    id,
    text: `${src} did something in ${loc ?? 'nowhere'}.`,
    event_type,
    mode: null,
    source_actors: [{ actorText: src, code }],
    target_actors: [],
    event_location: loc === null ? null : { name: loc, 'country code': 'IQ' },
  });
  const records = [rec('a', 'FIGHT', 'Iraqi troops', 'IRQMIL', 'Mosul'), rec('b', 'DEMAND', 'Jordan', 'JOR', null)];
  const event = (type: string, actorText: string, country: string, where: string | null): EventRecord =>
    ({
      event_type: type,
      actor1: { name: actorText, id: null, text: actorText, kind: 'military', country },
      actor2: null,
      location: where === null ? null : { name: where, text: where, geonames_id: null, country_code: 'IQ', admin1: null, admin2: null, lat: null, lon: null, geo_precision: 3 },
    }) as EventRecord;
  const pipeline: PipelineAdapter = {
    stages: ['events'],
    hasEvents: true,
    extract: (_text, date, id): ArticleResult => ({
      article_id: id,
      date,
      title: null,
      text: '',
      entities: [],
      events: id === 'a' ? [event('ASSAULT', 'troops', 'IQ', 'Mosul')] : [event('AGREE', 'Jordan', 'GB', null)],
    }),
  };
  const none = { ok: false as const, reason: 'absent', missing: true };
  const adapters: Adapters = { geo: none, events: none, actors: none, pipeline: { ok: true, loadMs: 0, value: pipeline } };
  const [type, actors] = await ploverSections(records, adapters);
  assert.equal(type!.metrics.accuracy, 0.5); // FIGHT→ASSAULT right, DEMAND→REQUEST vs AGREE wrong
  assert.equal(actors!.metrics.actor1_text, 1);
  assert.equal(actors!.metrics.actor1_code, 0.5); // IQ right, GB for Jordan wrong
  assert.equal(actors!.metrics.actor1_sector, 1); // IRQMIL → MIL, predicted kind military; JOR has no sector
  assert.equal(actors!.metrics.actor2_text, null); // no gold targets
  assert.equal(actors!.metrics.location_name, 1);
});

test('section reports a missing module or data file as not available, a load failure or a throw as error', async () => {
  const missing = await section('x', { ok: false, reason: 'module absent', missing: true }, [1], 'f', () => ({ n: 1, metrics: {} }));
  assert.deepEqual([missing.status, missing.reason], ['not available', 'module absent']);
  const failed = await section('x', { ok: false, reason: 'lexicon invalid', missing: false }, [1], 'f', () => ({ n: 1, metrics: {} }));
  assert.deepEqual([failed.status, failed.reason], ['error', 'lexicon invalid']);
  const noData = await section('x', { ok: true, loadMs: 0, value: 1 }, null, 'f.jsonl', () => ({ n: 1, metrics: {} }));
  assert.deepEqual([noData.status, noData.reason], ['not available', 'f.jsonl not in the data folder']);
  const broken = await section('x', { ok: true, loadMs: 0, value: 1 }, [1], 'f', () => {
    throw new Error('boom');
  });
  assert.deepEqual([broken.status, broken.reason], ['error', 'boom']);
});
