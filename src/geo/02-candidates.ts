/**
 * Step 2 of the geoparser: fetch the gazetteer candidates of each toponym (a demonym's candidate
 * is its country), capped to the most populous few so that common names stay cheap.
 */
import type { Toponym } from './01-detect.js';
import type { Gazetteer } from './gazetteer.js';

export interface Candidate {
  place: number;
  /** The toponym is the place's own name, not only an alternate. */
  primary: boolean;
  /** Filled by step 3. */
  score: number;
}

function isCountryName(g: Gazetteer, postings: Int32Array): boolean {
  for (const x of postings) if (g.fcode(x >> 1) === 'PCLI') return true;
  return false;
}

/** At most this many candidates per toponym, the most populous first. */
export const MAX_CANDIDATES = 40;

/**
 * @example candidatesOf(gaz, toponym).map((c) => gaz.country(c.place)) // ['AF', 'IN', ...]
 */
export function candidatesOf(gazetteer: Gazetteer, tp: Toponym): Candidate[] {
  // The words named the place outright ("the Somali capital").
  if (tp.fixed >= 0) return [{ place: tp.fixed, primary: true, score: 0 }];
  const out: Candidate[] = [];
  if (tp.demonym) {
    const cc = tp.demonym.country;
    let p: number | null = null;
    // A group word standing for a region ("European" → Europe, "English" → England): its most
    // populous namesake (in its country when it has one); else the nationality's country.
    if (tp.demonym.place) {
      for (const q of gazetteer.find(tp.demonym.place)) {
        if (cc && gazetteer.country(q) !== cc) continue;
        if (p === null || gazetteer.population(q) > gazetteer.population(p)) p = q;
      }
    }
    if (p === null && cc) p = gazetteer.countryOf(cc);
    if (p !== null) out.push({ place: p, primary: true, score: 0 });
    // A country name that is also a demonym ("New Zealand") keeps its gazetteer candidates too;
    // a group word ("Western", "Arab") never falls back to towns of that name.
    if (!tp.postings || (p === null && tp.demonym.kind === 'group') || (p !== null && tp.demonym.kind !== 'group' && !isCountryName(gazetteer, tp.postings))) return out;
  }
  const postings = tp.postings;
  if (!postings) return out;
  for (const x of postings) {
    const place = x >> 1;
    if (out.length > 0 && out[0]!.place === place) continue;
    out.push({ place, primary: (x & 1) === 1, score: 0 });
  }
  if (out.length > MAX_CANDIDATES) {
    out.sort((a, b) => gazetteer.population(b.place) - gazetteer.population(a.place));
    out.length = MAX_CANDIDATES;
  }
  return out;
}
