/**
 * Annotation conventions of the geoparsing corpora, as named geoparser options, so that the
 * scorecard (`npm run eval`, eval/sections.ts) and the development script (eval/geo-dev.ts) score
 * each corpus under the rules its annotators followed, one convention per kind of corpus.
 *
 * - "GeoWebNews" style (Gritta et al. 2019, fine-grained news annotation): nationality adjectives
 *   ("French officials") are places with coordinates (type Literal_Modifier), people nouns
 *   ("Nigerians") are Demonym without coordinates; a facility name holding a place ("Colorado State
 *   University") is the span; place names inside other names ("Malaysia Airlines") are marked
 *   (Embedded_*); streets and buildings ("Royal Street") are toponyms; "the Syrian capital" marks
 *   "Syrian" alone, as the country.
 * - "GeoVirus" style (Gritta et al. 2018, Wikipedia-linked place names): only names of places,
 *   no nationality words, no facilities, no embedded names, no streets; coordinates are those of
 *   the Wikipedia article (centres of countries and regions differ from GeoNames'); "Kenya's
 *   capital" marks "Kenya" alone.
 *
 * Resolution given gold spans needs no convention: the spans are the annotators' own.
 */
import type { GEO_FILES } from './data.js';

/** The geoparser options that express one annotation convention (names as in geoparseText). */
export interface GeoConvention {
  /** Short name of the convention, printed with the scores. */
  name: string;
  /** Nationality adjectives are output as places (people nouns never are). */
  demonyms: boolean;
  /** A facility or institution name holding a place name is the span. */
  facilitySpans: boolean;
  /** Place names inside longer names are output too. */
  embeddedNames: boolean;
  /** Streets and buildings with no place name in them are output, placed at the nearest town. */
  siteNames: boolean;
  /** "the Somali capital" is the capital (span over "capital"); off when the word alone is marked. */
  capitals: boolean;
  /** One line for the scorecard's notes. */
  note: string;
}

export const GEOWEBNEWS_STYLE: GeoConvention = {
  name: 'GeoWebNews style',
  demonyms: true,
  facilitySpans: true,
  embeddedNames: true,
  siteNames: true,
  capitals: false,
  note: 'detection scored under the GeoWebNews convention: nationality adjectives, facility-name spans, embedded names and street/building names count as toponyms; "the X capital" marks X alone',
};

export const GEOVIRUS_STYLE: GeoConvention = {
  name: 'GeoVirus style',
  demonyms: false,
  facilitySpans: false,
  embeddedNames: false,
  siteNames: false,
  capitals: false,
  note: 'detection scored under the GeoVirus convention: place names only (no nationality words, facilities, embedded names or streets); gold points are Wikipedia centres',
};

/** The convention each corpus was annotated under. */
export const CORPUS_CONVENTIONS: Readonly<Record<keyof typeof GEO_FILES, GeoConvention>> = {
  geowebnews: GEOWEBNEWS_STYLE,
  geovirus: GEOVIRUS_STYLE,
};

/** The convention of a corpus file name ("geoparse_geowebnews.jsonl"), GeoVirus style when unknown (the stricter one). */
export function conventionOfFile(file: string): GeoConvention {
  return file.includes('geowebnews') ? GEOWEBNEWS_STYLE : GEOVIRUS_STYLE;
}

/** The geoparseText options of a convention. @example detectOptions(GEOVIRUS_STYLE).demonyms // false */
export function detectOptions(c: GeoConvention): { demonyms: boolean; facilitySpans: boolean; embeddedNames: boolean; siteNames: boolean; capitals: boolean } {
  return { demonyms: c.demonyms, facilitySpans: c.facilitySpans, embeddedNames: c.embeddedNames, siteNames: c.siteNames, capitals: c.capitals };
}
