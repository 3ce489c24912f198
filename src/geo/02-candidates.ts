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

/** At most this many candidates per toponym, the most populous first. */
export const MAX_CANDIDATES = 40;

/**
 * @example candidatesOf(gaz, toponym).map((c) => gaz.country(c.place)) // ['AF', 'IN', ...]
 */
export function candidatesOf(gazetteer: Gazetteer, tp: Toponym): Candidate[] {
  const out: Candidate[] = [];
  if (tp.demonym) {
    const cc = tp.demonym.country;
    let p = cc ? gazetteer.countryOf(cc) : null;
    // A group word standing for a region ("European" → Europe): its most populous namesake.
    if (p === null && tp.demonym.place) {
      for (const q of gazetteer.find(tp.demonym.place)) if (p === null || gazetteer.population(q) > gazetteer.population(p)) p = q;
    }
    if (p !== null) out.push({ place: p, primary: true, score: 0 });
    // A country name that is also a demonym ("New Zealand") keeps its gazetteer candidates too.
    if (!tp.postings) return out;
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
