/**
 * Step 4 of the geoparser: choose each toponym's place, with "none of these" as a real option
 * (a score the best candidate must beat), and turn the choice into the output record.
 */
import type { PlaceMention } from '../types.js';
import type { Toponym } from './01-detect.js';
import type { Candidate } from './02-candidates.js';
import { ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, type Gazetteer } from './gazetteer.js';
import type { GeoLexicon } from './lexicon.js';

/** The score of "none of these" for a detected toponym, without and with a place cue. */
export const NONE_SCORE = { uncued: 3.2, cued: 1.2 } as const;

/** ACLED geo precision of a place: 1 a town, 2 near a town or a district, 3 a province or larger. */
export function precisionOf(fcode: string, near: boolean): 1 | 2 | 3 {
  if (COUNTRY_CODES.has(fcode) || ADMIN1_CODES.has(fcode) || !fcode.startsWith('PPL') && !ADMIN2_CODES.has(fcode)) return 3;
  if (ADMIN2_CODES.has(fcode) || near) return 2;
  return 1;
}

/** Whether a detected toponym stands on its own as a place (filters that need no candidates). */
export function plausibleAlone(
  tp: Toponym,
  lexicon: GeoLexicon,
  text: string,
  context: { prevCap: boolean; nextCap: boolean; strong: boolean; lowerSeen: boolean; nameTail: boolean; major: boolean; prevWord: string; nextWord: string },
): boolean {
  if (tp.given) return true;
  const { prevCap, nextCap, strong } = context;
  // "in French", "Arabic-language": a language, not a country; "in Vatican" names the country itself.
  if (tp.demonym && !context.major && (lexicon.languageBefore.has(context.prevWord) || lexicon.languageAfter.has(context.nextWord))) return false;
  const single = tp.t1 - tp.t0 === 1;
  // Common words ("March", "Police"), words the article also writes in lower case ("bank"), and
  // surnames it has used after a first name ("John Kelly" … "Kelly") need a strong cue.
  // Countries, admin-1 units and regions are exempt from the last two ("DeSmog Canada" does not
  // make "Canada" a surname).
  const listed = lexicon.nonPlaceWords.has(tp.key);
  const doubtful = listed || (!context.major && (context.lowerSeen || context.nameTail));
  // A listed word ("Police, fire ...") is not saved by a comma; only the words around it are.
  const saved = listed ? tp.adminLevel > 0 || tp.settlement : strong;
  if (single && !tp.demonym && doubtful && !saved) return false;
  // Part of a longer capitalised name ("John Paris", "Jordan Peterson"), unless cued.
  if (!tp.demonym && (prevCap || nextCap) && !tp.cued && tp.adminLevel === 0) return false;
  // All-capital short words ("IT", "AP") are acronyms more often than places.
  if (single && !context.major && tp.end - tp.start <= 3 && text.slice(tp.start, tp.end) === text.slice(tp.start, tp.end).toUpperCase() && !tp.demonym) {
    return tp.cued;
  }
  return true;
}

/**
 * Picks the best candidate or "none" (null). For given spans only an empty candidate list is none.
 * @example choose(gaz, toponym, candidates) // { place: 1234, prob: 0.93 }
 */
export function choose(tp: Toponym, cands: readonly Candidate[]): { place: number; prob: number } | null {
  if (cands.length === 0) return null;
  let best = cands[0]!;
  for (const c of cands) if (c.score > best.score) best = c;
  const none = tp.given ? -Infinity : tp.cued || tp.demonym ? NONE_SCORE.cued : NONE_SCORE.uncued;
  if (best.score <= none) return null;
  let sum = Number.isFinite(none) ? Math.exp(none - best.score) : 0;
  for (const c of cands) sum += Math.exp(c.score - best.score);
  return { place: best.place, prob: 1 / sum };
}

/** The output record of a chosen place (or of "none" for a given span). */
export function toPlaceMention(g: Gazetteer, text: string, tp: Toponym, chosen: { place: number; prob: number } | null): PlaceMention {
  const surface = text.slice(tp.start, tp.end);
  if (!chosen) {
    return {
      start: tp.start, end: tp.end, text: surface, name: surface, geonames_id: null, feature_code: null, country_code: null,
      admin1: null, admin2: null, lat: null, lon: null, geo_precision: 3, score: 0,
    };
  }
  const p = chosen.place;
  const fc = g.fcode(p);
  const m: PlaceMention = {
    start: tp.start,
    end: tp.end,
    text: surface,
    name: g.name(p),
    geonames_id: g.id(p),
    feature_code: fc,
    country_code: g.country(p),
    // Names, not GeoNames codes ("Khyber Pakhtunkhwa", not "03"); a unit is its own admin-1/2.
    admin1: g.admin1Name(p),
    admin2: ADMIN1_CODES.has(fc) ? null : g.admin2Name(p),
    lat: Math.round(g.lat(p) * 1e5) / 1e5,
    lon: Math.round(g.lon(p) * 1e5) / 1e5,
    geo_precision: precisionOf(fc, tp.near),
    score: Math.round(chosen.prob * 1000) / 1000,
  };
  if (tp.demonym) m.demonym = true;
  if (tp.actorState || (tp.verbFollows && (COUNTRY_CODES.has(fc) || fc === 'PPLC' || ADMIN1_CODES.has(fc)))) m.metonymy = true;
  return m;
}
