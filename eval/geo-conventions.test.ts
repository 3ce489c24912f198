import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlaceMention, Span } from '../src/types.js';
import type { GeoAdapter, GeoDetectOptions } from './adapters.js';
import type { GeoDoc } from './data.js';
import { CORPUS_CONVENTIONS, GEOVIRUS_STYLE, GEOWEBNEWS_STYLE, conventionOfFile, detectOptions } from './geo-conventions.js';
import { geoEndToEnd } from './sections.js';

const TEXT = 'Afghan troops entered Kabul.';
const afghan: Span = { start: 0, end: 6 };
const kabul: Span = { start: 22, end: 27 };
/** GeoWebNews-style gold: the adjective is a place with coordinates. */
const DOC: GeoDoc = {
  id: 'd1',
  corpus: 'hand',
  text: TEXT,
  toponyms: [
    { ...afghan, phrase: 'Afghan', lat: 33, lon: 65, type: 'Literal_Modifier' },
    { ...kabul, phrase: 'Kabul', lat: 34.53, lon: 69.17 },
  ],
};

function place(span: Span, demonym: boolean): PlaceMention {
  const p: PlaceMention = { ...span, text: TEXT.slice(span.start, span.end), name: '', geonames_id: null, feature_code: null, country_code: null, admin1: null, admin2: null, lat: 34, lon: 66, geo_precision: 3, score: 1 };
  if (demonym) p.demonym = true;
  return p;
}

/** A geoparser that honours the demonyms option as geoparseText does, and records the options it got. */
function fakeGeo(seen: GeoDetectOptions[]): GeoAdapter {
  return {
    resolveSpans: () => [],
    detect: (_text, options) => {
      seen.push(options ?? {});
      return options?.demonyms === false ? [place(kabul, false)] : [place(afghan, true), place(kabul, false)];
    },
  };
}

test('geoEndToEnd under the GeoWebNews convention counts nationality adjectives the corpus labels as places', () => {
  const seen: GeoDetectOptions[] = [];
  const r = geoEndToEnd(fakeGeo(seen), [DOC], GEOWEBNEWS_STYLE);
  assert.deepEqual(seen, [detectOptions(GEOWEBNEWS_STYLE)]);
  assert.equal(r.metrics.span_recall, 1);
  assert.equal(r.metrics.span_precision, 1);
  assert.match(String((r.details as { note: string }).note), /nationality adjectives/);
});

test('geoEndToEnd under the GeoVirus convention asks for no demonyms; without a convention it drops them itself', () => {
  const seen: GeoDetectOptions[] = [];
  assert.equal(geoEndToEnd(fakeGeo(seen), [DOC], GEOVIRUS_STYLE).metrics.span_recall, 0.5);
  assert.equal(seen[0]!.demonyms, false);
  assert.equal(geoEndToEnd(fakeGeo([]), [DOC]).metrics.span_recall, 0.5);
});

test('conventions: each corpus file maps to the convention of its kind', () => {
  assert.equal(conventionOfFile('geoparse_geowebnews.jsonl'), CORPUS_CONVENTIONS.geowebnews);
  assert.equal(conventionOfFile('geoparse_geovirus.jsonl'), CORPUS_CONVENTIONS.geovirus);
  assert.deepEqual([GEOWEBNEWS_STYLE.demonyms, GEOVIRUS_STYLE.demonyms, GEOWEBNEWS_STYLE.capitals], [true, false, false]);
});
