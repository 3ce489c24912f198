/**
 * Step 3 of the geoparser: score every candidate of every toponym. A candidate's score adds
 *   a prior (population, feature type, own name vs alternate name),
 *   the admin level or settlement the words ask for ("X province", "the town of X"),
 *   containment ("Jalalabad, Nangarhar": both sides gain when one lies inside the other, as far
 *   as the pair is likely as a whole, so that a list read as "X, Y" — "Paris, London" — does not
 *   pull Paris to a Texan town through a London in Texas),
 *   and coherence with the article (the share of the other toponyms' weight in its country and
 *   admin-1 unit), recomputed over two rounds.
 */
import type { Toponym } from './01-detect.js';
import type { Candidate } from './02-candidates.js';
import { ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, REGION_CODES, type Gazetteer } from './gazetteer.js';

/** Weights of the score terms; exported so that tests and evaluation can name them. */
export const WEIGHTS = {
  population: 1.0,
  primaryName: 1.0,
  askedLevel: 5,
  wrongLevel: -3,
  settlementAsked: 2,
  containment: 5,
  countryCoherence: 5,
  admin1Coherence: 3,
  acronymMismatch: -5,
  unitNamedLikeTown: -4.5,
  levelCoherence: 3,
} as const;

/** The level class a candidate stands at, for level coherence: 1 country, 2 admin-1 unit, 0 other. */
function levelClass(g: Gazetteer, place: number): 0 | 1 | 2 {
  const fc = g.fcode(place);
  return COUNTRY_CODES.has(fc) ? 1 : ADMIN1_CODES.has(fc) ? 2 : 0;
}

/** Prior by feature code: countries and big regions are what a bare name most often means. */
export function typePrior(fcode: string): number {
  if (COUNTRY_CODES.has(fcode)) return 5;
  if (fcode === 'CONT' || fcode === 'OCN' || fcode === 'SEA') return 5;
  if (REGION_CODES.has(fcode)) return 2.5;
  if (ADMIN1_CODES.has(fcode)) return 1.8;
  if (ADMIN2_CODES.has(fcode)) return -0.8;
  switch (fcode) {
    case 'PPLC':
      return 3;
    case 'PPLA':
      return 1.2;
    case 'PPLA2':
      return 0.6;
    case 'PPLA3':
    case 'PPLA4':
      return 0.2;
    case 'PPLX':
    case 'PPLH':
    case 'PPLQ':
    case 'PPLW':
      return -0.8;
    default:
      return 0;
  }
}

const WORLD_CODES = new Set(['CONT', 'OCN', 'SEA']);

function isSettlement(fcode: string): boolean {
  return fcode.startsWith('PPL');
}

/** Is place `inner` inside place `outer` (by country / admin codes)? */
export function within(g: Gazetteer, inner: number, outer: number): boolean {
  if (inner === outer) return false;
  const oc = g.country(outer);
  if (!oc || g.country(inner) !== oc) return false;
  const of = g.fcode(outer);
  if (COUNTRY_CODES.has(of)) return true;
  const oa1 = g.admin1(outer);
  if (ADMIN1_CODES.has(of)) return oa1 !== null && g.admin1(inner) === oa1;
  if (ADMIN2_CODES.has(of)) return oa1 !== null && g.admin1(inner) === oa1 && g.admin2(inner) === g.admin2(outer);
  // "Lahore, Punjab" reads naturally; "X, <town>" only loosely says "in the same province".
  return oa1 !== null && g.admin1(inner) === oa1 && !ADMIN1_CODES.has(g.fcode(inner)) && !COUNTRY_CODES.has(g.fcode(inner));
}

/** How far (km) a town reaches as the container of "X, <town>" when a unit of its name could contain X too. */
const TOWN_REACH_KM = 40;

/** Great-circle distance in km. */
function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

/**
 * Compatible containment pairs as [inner toponym, inner candidate, outer toponym, outer candidate]:
 * "X, Y" and "X in Y('s Z)" both say X lies in the other. When the outer name also has a unit or
 * country reading that contains the inner candidate, its town reading counts only for places
 * within TOWN_REACH_KM of the town: "Buffalo, New York" is the state, "Brooklyn, New York" the city.
 */
function containmentPairs(g: Gazetteer, toponyms: readonly Toponym[], cands: readonly Candidate[][]): [number, number, number, number][] {
  const pairs: [number, number, number, number][] = [];
  for (let k = 0; k < toponyms.length; k++) {
    for (let side = 0; side < 2; side++) {
      const j = side === 0 ? toponyms[k]!.container : toponyms[k]!.inside;
      if (j < 0 || j === k || (side === 1 && j === toponyms[k]!.container)) continue;
      const inner = cands[k]!;
      const outer = cands[j]!;
      // Countries first: only candidates of one country can contain each other.
      const outerCountry = outer.map((c) => g.country(c.place));
      for (let a = 0; a < inner.length; a++) {
        const ca = g.country(inner[a]!.place);
        if (ca === null) continue;
        const found: number[] = [];
        let unit = false;
        for (let b = 0; b < outer.length; b++) {
          if (outerCountry[b] === ca && within(g, inner[a]!.place, outer[b]!.place)) {
            found.push(b);
            if (!isSettlement(g.fcode(outer[b]!.place))) unit = true;
          }
        }
        const p = inner[a]!.place;
        for (const b of found) {
          const q = outer[b]!.place;
          if (unit && isSettlement(g.fcode(q)) && distanceKm(g.lat(p), g.lon(p), g.lat(q), g.lon(q)) > TOWN_REACH_KM) continue;
          pairs.push([k, a, j, b]);
        }
      }
    }
  }
  return pairs;
}

/** Prior score: independent of the other toponyms. */
function priorScore(g: Gazetteer, tp: Toponym, c: Candidate): number {
  const fc = g.fcode(c.place);
  let s = WEIGHTS.population * Math.log10(g.population(c.place) + 1) + typePrior(fc);
  if (c.primary) s += WEIGHTS.primaryName;
  // "EU" written in capitals is an acronym: a place whose own name is "Eu" is not meant.
  if (tp.acronym && c.primary) {
    const name = g.name(c.place);
    if (name !== name.toUpperCase()) s += WEIGHTS.acronymMismatch;
  }
  if (tp.adminLevel === 1) s += ADMIN1_CODES.has(fc) ? WEIGHTS.askedLevel : WEIGHTS.wrongLevel;
  else if (tp.adminLevel === 2) s += ADMIN2_CODES.has(fc) ? WEIGHTS.askedLevel : ADMIN1_CODES.has(fc) ? 0 : WEIGHTS.wrongLevel;
  else if (tp.settlement) s += isSettlement(fc) ? WEIGHTS.settlementAsked : WEIGHTS.wrongLevel;
  return s;
}

/** Softmax weights of a toponym's candidates (temperature 1), in place in `out`. */
function softmax(cands: readonly Candidate[], out: number[]): void {
  out.length = 0;
  let max = -Infinity;
  for (const c of cands) if (c.score > max) max = c.score;
  let sum = 0;
  for (const c of cands) {
    const e = Math.exp(c.score - max);
    out.push(e);
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
}

/**
 * Scores candidates in place.
 * @example scoreCandidates(gaz, toponyms, candidates); candidates[0][0].score // 12.3
 */
export function scoreCandidates(g: Gazetteer, toponyms: readonly Toponym[], cands: Candidate[][]): void {
  const prior = cands.map((cs, k) => cs.map((c) => priorScore(g, toponyms[k]!, c)));
  // A bare name shared by a unit and a town inside it ("New York", "Kabul") is the town, unless
  // the words ask for the unit ("Kabul province").
  cands.forEach((cs, k) => {
    const tp = toponyms[k]!;
    if (tp.adminLevel !== 0 || tp.given && tp.partial !== null) return;
    cs.forEach((a, i) => {
      const fa = g.fcode(a.place);
      if (!ADMIN1_CODES.has(fa) && !ADMIN2_CODES.has(fa)) return;
      for (const c of cs) {
        if (c !== a && isSettlement(g.fcode(c.place)) && within(g, c.place, a.place) && g.population(c.place) >= 0.1 * g.population(a.place)) {
          prior[k]![i]! += WEIGHTS.unitNamedLikeTown;
          break;
        }
      }
    });
  });
  for (let k = 0; k < cands.length; k++) cands[k]!.forEach((c, i) => (c.score = prior[k]![i]!));

  // Containment: a candidate gains what the best compatible reading of the other name gains
  // over that name's best reading when the pair counts twice the containment weight, capped at
  // the weight. A certain container ("Paris, Texas") gives the full weight; two unlikely readings
  // that agree ("Athens, Georgia": the US town and state) still win together; a list read as
  // "X, Y" ("Paris, London") gives little, since London, Texas is far below London, England.
  const contain = cands.map((cs) => cs.map(() => 0));
  const best = prior.map((ps) => ps.reduce((m, x) => Math.max(m, x), -Infinity));
  const pairs = containmentPairs(g, toponyms, cands);
  for (const [k, a, j, b] of pairs) {
    const pair = 2 * WEIGHTS.containment;
    contain[k]![a] = Math.max(contain[k]![a]!, Math.min(WEIGHTS.containment, prior[j]![b]! + pair - best[j]!));
    contain[j]![b] = Math.max(contain[j]![b]!, Math.min(WEIGHTS.containment, prior[k]![a]! + pair - best[k]!));
  }
  for (let k = 0; k < cands.length; k++) cands[k]!.forEach((c, i) => (c.score += contain[k]![i]!));

  // Coherence: two rounds of country / admin-1 votes from the other toponyms. Mentions of one
  // name share one vote (split between them), and a name never votes for itself: fifteen
  // "Santa Ana"s agree with each other whatever they mean, so only the other names may decide.
  const group = new Map<string, number>();
  const groupOf = toponyms.map((tp) => {
    let gi = group.get(tp.key);
    if (gi === undefined) group.set(tp.key, (gi = group.size));
    return gi;
  });
  const groupSize = new Array<number>(group.size).fill(0);
  for (let k = 0; k < cands.length; k++) if (cands[k]!.length > 0) groupSize[groupOf[k]!]! += 1;
  // The two sides of a containment pair do not vote for each other: containment counted their
  // agreement already, and their votes would echo it ("Paris, London" would pull both to Texas).
  const partners: Set<number>[] = toponyms.map(() => new Set<number>());
  for (const [k, , j] of pairs) {
    if (groupOf[j] !== groupOf[k]) partners[k]!.add(groupOf[j]!);
    if (groupOf[k] !== groupOf[j]) partners[j]!.add(groupOf[k]!);
  }
  const probs: number[] = [];
  for (let round = 0; round < 2; round++) {
    const ccMass = new Map<string, number>();
    const a1Mass = new Map<string, number>();
    const own: Map<string, number>[] = Array.from({ length: group.size }, () => new Map<string, number>());
    const ownA1: Map<string, number>[] = Array.from({ length: group.size }, () => new Map<string, number>());
    let total = 0;
    for (const n of groupSize) if (n > 0) total++;
    for (let k = 0; k < cands.length; k++) {
      const cs = cands[k]!;
      if (cs.length === 0) continue;
      const gi = groupOf[k]!;
      const mine = own[gi]!;
      const mineA1 = ownA1[gi]!;
      const w = 1 / groupSize[gi]!;
      softmax(cs, probs);
      for (let i = 0; i < cs.length; i++) {
        const p = probs[i]! * w;
        if (p < 0.01 * w) continue;
        const cc = g.country(cs[i]!.place);
        if (!cc) continue;
        mine.set(cc, (mine.get(cc) ?? 0) + p);
        ccMass.set(cc, (ccMass.get(cc) ?? 0) + p);
        const a1 = g.admin1(cs[i]!.place);
        if (a1 && !COUNTRY_CODES.has(g.fcode(cs[i]!.place))) {
          const key = `${cc}.${a1}`;
          mineA1.set(key, (mineA1.get(key) ?? 0) + p);
          a1Mass.set(key, (a1Mass.get(key) ?? 0) + p);
        }
      }
    }
    if (total < 2) break;
    // Level coherence: names listed together are of one level ("Oregon, Nevada and Illinois" are
    // states, "Niger, Ghana and Togo" countries): within an enumeration, each other member's most
    // likely level votes.
    const levelVotes = new Map<number, number[]>();
    const topLevel = cands.map((cs, k) => {
      if (cs.length === 0 || toponyms[k]!.list < 0) return -1;
      let top = cs[0]!;
      for (const c of cs) if (c.score > top.score) top = c;
      const lv = levelClass(g, top.place);
      const votes = levelVotes.get(toponyms[k]!.list) ?? [0, 0, 0];
      votes[lv]! += 1;
      levelVotes.set(toponyms[k]!.list, votes);
      return lv;
    });
    for (let k = 0; k < cands.length; k++) {
      const cs = cands[k]!;
      const gi = groupOf[k]!;
      const others = total - 1 - partners[k]!.size;
      cs.forEach((c, i) => {
        const cc = g.country(c.place);
        let s = prior[k]![i]! + contain[k]![i]!;
        // Continents, oceans, seas and other features of no one country agree with every article,
        // at both levels ("the Atlantic" in a story about Iowa is the ocean, not Atlantic, Iowa).
        if (!cc && (WORLD_CODES.has(g.fcode(c.place)) || REGION_CODES.has(g.fcode(c.place)))) s += WEIGHTS.countryCoherence + WEIGHTS.admin1Coherence;
        const votes = toponyms[k]!.list < 0 ? undefined : levelVotes.get(toponyms[k]!.list);
        const lv = votes ? levelClass(g, c.place) : 0;
        if (votes && lv !== 0) {
          const same = votes[lv]! - (topLevel[k] === lv ? 1 : 0);
          const members = votes[0]! + votes[1]! + votes[2]! - 1;
          s += WEIGHTS.levelCoherence * Math.min(1, same / Math.max(1, Math.min(members, 3)));
        }
        if (cc && others > 0) {
          let m = (ccMass.get(cc) ?? 0) - (own[gi]!.get(cc) ?? 0);
          for (const pg of partners[k]!) m -= own[pg]!.get(cc) ?? 0;
          s += WEIGHTS.countryCoherence * Math.min(1, m / Math.min(others, 3));
          const a1 = g.admin1(c.place);
          if (a1) {
            const key = `${cc}.${a1}`;
            let m1 = (a1Mass.get(key) ?? 0) - (ownA1[gi]!.get(key) ?? 0);
            for (const pg of partners[k]!) m1 -= ownA1[pg]!.get(key) ?? 0;
            s += WEIGHTS.admin1Coherence * Math.min(1, m1 / Math.min(others, 3));
          }
        }
        c.score = s;
      });
    }
  }
}
