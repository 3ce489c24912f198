/**
 * Step 3 of the geoparser: score every candidate of every toponym. A candidate's score adds
 *   a prior (population, feature type, own name vs alternate name),
 *   the admin level or settlement the words ask for ("X province", "the town of X"),
 *   containment ("Jalalabad, Nangarhar": both sides gain when one lies inside the other, as far
 *   as the pair is likely as a whole, so that a list read as "X, Y" — "Paris, London" — does not
 *   pull Paris to a Texan town through a London in Texas),
 *   and coherence with the article (the share of the other toponyms' weight in its country and
 *   admin-1 unit), recomputed over two rounds.
 * The scoring works on the gazetteer's code numbers (country, admin code, feature code), never on
 * code strings: it runs for every article and must stay cheap.
 */
import type { Toponym } from './01-detect.js';
import type { Candidate } from './02-candidates.js';
import { ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, PLACE_KIND, REGION_CODES, type Gazetteer } from './gazetteer.js';

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

/** What scoring needs to know of a gazetteer's code tables, by code number. */
interface CodeTables {
  /** typePrior of each feature code. */
  prior: Float64Array;
  /** 1 for settlement codes (PPL…). */
  settlement: Uint8Array;
  /** 1 for features of no one country that agree with every article (continents, oceans, seas, regions). */
  everywhere: Uint8Array;
  /** 1 for the empty country code. */
  noCountry: Uint8Array;
  /** 1 for the empty admin code. */
  noAdmin: Uint8Array;
}

const tablesByGazetteer = new WeakMap<Gazetteer, CodeTables>();

function codeTables(g: Gazetteer): CodeTables {
  let t = tablesByGazetteer.get(g);
  if (!t) {
    const { fcodes, countries, admins } = g.data;
    t = {
      prior: Float64Array.from(fcodes, typePrior),
      settlement: Uint8Array.from(fcodes, (fc) => (fc.startsWith('PPL') ? 1 : 0)),
      everywhere: Uint8Array.from(fcodes, (fc) => (WORLD_CODES.has(fc) || REGION_CODES.has(fc) ? 1 : 0)),
      noCountry: Uint8Array.from(countries, (cc) => (cc === '' ? 1 : 0)),
      noAdmin: Uint8Array.from(admins, (a) => (a === '' ? 1 : 0)),
    };
    tablesByGazetteer.set(g, t);
  }
  return t;
}

/** The level class of a place's kind bits, for level coherence: 1 country, 2 admin-1 unit, 0 other. */
function levelClass(kind: number): 0 | 1 | 2 {
  return kind & PLACE_KIND.country ? 1 : kind & PLACE_KIND.admin1 ? 2 : 0;
}

/** Is place `inner` inside place `outer` (by country / admin codes)? */
export function within(g: Gazetteer, inner: number, outer: number): boolean {
  return isWithin(g, codeTables(g), inner, outer);
}

function isWithin(g: Gazetteer, t: CodeTables, inner: number, outer: number): boolean {
  if (inner === outer) return false;
  const { country, admin1, admin2 } = g.data;
  const oc = country[outer]!;
  if (t.noCountry[oc] === 1 || country[inner] !== oc) return false;
  const ok = g.kind(outer);
  if (ok & PLACE_KIND.country) return true;
  // Every other container needs its admin-1 code, and the inner place the same one.
  const oa1 = admin1[outer]!;
  if (t.noAdmin[oa1] === 1 || admin1[inner] !== oa1) return false;
  if (ok & PLACE_KIND.admin1) return true;
  if (ok & PLACE_KIND.admin2) return admin2[inner] === admin2[outer];
  // "Lahore, Punjab" reads naturally; "X, <town>" only loosely says "in the same province".
  return (g.kind(inner) & (PLACE_KIND.admin1 | PLACE_KIND.country)) === 0;
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
 * Compatible containment pairs, flat, four numbers each: inner toponym, inner candidate, outer
 * toponym, outer candidate. "X, Y" and "X in Y('s Z)" both say X lies in the other. When the outer
 * name also has a unit or country reading that contains the inner candidate, its town reading
 * counts only for places within TOWN_REACH_KM of the town: "Buffalo, New York" is the state,
 * "Brooklyn, New York" the city.
 */
function containmentPairs(g: Gazetteer, t: CodeTables, toponyms: readonly Toponym[], cands: readonly Candidate[][]): number[] {
  const pairs: number[] = [];
  const { country, fcode } = g.data;
  for (let k = 0; k < toponyms.length; k++) {
    for (let side = 0; side < 2; side++) {
      const j = side === 0 ? toponyms[k]!.container : toponyms[k]!.inside;
      if (j < 0 || j === k || (side === 1 && j === toponyms[k]!.container)) continue;
      const inner = cands[k]!;
      const outer = cands[j]!;
      for (let a = 0; a < inner.length; a++) {
        const p = inner[a]!.place;
        const ca = country[p]!;
        if (t.noCountry[ca] === 1) continue;
        // Countries first: only candidates of one country can contain each other.
        let found = false;
        let unit = false;
        for (let b = 0; b < outer.length; b++) {
          const q = outer[b]!.place;
          if (country[q] === ca && isWithin(g, t, p, q)) {
            found = true;
            if (t.settlement[fcode[q]!] === 0) unit = true;
          }
        }
        if (!found) continue;
        for (let b = 0; b < outer.length; b++) {
          const q = outer[b]!.place;
          if (country[q] !== ca || !isWithin(g, t, p, q)) continue;
          if (unit && t.settlement[fcode[q]!] === 1 && distanceKm(g.lat(p), g.lon(p), g.lat(q), g.lon(q)) > TOWN_REACH_KM) continue;
          pairs.push(k, a, j, b);
        }
      }
    }
  }
  return pairs;
}

/** Prior score: independent of the other toponyms. */
function priorScore(g: Gazetteer, t: CodeTables, tp: Toponym, c: Candidate): number {
  const p = c.place;
  const kind = g.kind(p);
  let s = WEIGHTS.population * Math.log10(g.population(p) + 1) + t.prior[g.data.fcode[p]!]!;
  if (c.primary) s += WEIGHTS.primaryName;
  // "EU" written in capitals is an acronym: a place whose own name is "Eu" is not meant.
  if (tp.acronym && c.primary) {
    const name = g.name(p);
    if (name !== name.toUpperCase()) s += WEIGHTS.acronymMismatch;
  }
  if (tp.adminLevel === 1) s += kind & PLACE_KIND.admin1 ? WEIGHTS.askedLevel : WEIGHTS.wrongLevel;
  else if (tp.adminLevel === 2) s += kind & PLACE_KIND.admin2 ? WEIGHTS.askedLevel : kind & PLACE_KIND.admin1 ? 0 : WEIGHTS.wrongLevel;
  else if (tp.settlement) s += t.settlement[g.data.fcode[p]!] === 1 ? WEIGHTS.settlementAsked : WEIGHTS.wrongLevel;
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

/** A number for each distinct key, in order of first sight. */
function numberOf(ids: Map<number, number>, key: number): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

/**
 * Scores candidates in place.
 * @example scoreCandidates(gaz, toponyms, candidates); candidates[0][0].score // 12.3
 */
export function scoreCandidates(g: Gazetteer, toponyms: readonly Toponym[], cands: Candidate[][]): void {
  const t = codeTables(g);
  const { country, admin1, fcode } = g.data;
  // Candidates are numbered flat: toponym k's run from start[k] to start[k + 1].
  const start = new Int32Array(cands.length + 1);
  for (let k = 0; k < cands.length; k++) start[k + 1] = start[k]! + cands[k]!.length;
  const n = start[cands.length]!;
  const prior = new Float64Array(n);
  for (let k = 0; k < cands.length; k++) {
    const cs = cands[k]!;
    for (let i = 0; i < cs.length; i++) prior[start[k]! + i] = priorScore(g, t, toponyms[k]!, cs[i]!);
  }
  // A bare name shared by a unit and a town inside it ("New York", "Kabul") is the town, unless
  // the words ask for the unit ("Kabul province").
  for (let k = 0; k < cands.length; k++) {
    const tp = toponyms[k]!;
    if (tp.adminLevel !== 0 || tp.given && tp.partial !== null) continue;
    const cs = cands[k]!;
    for (let i = 0; i < cs.length; i++) {
      const a = cs[i]!;
      if ((g.kind(a.place) & (PLACE_KIND.admin1 | PLACE_KIND.admin2)) === 0) continue;
      for (const c of cs) {
        if (c !== a && t.settlement[fcode[c.place]!] === 1 && isWithin(g, t, c.place, a.place) && g.population(c.place) >= 0.1 * g.population(a.place)) {
          prior[start[k]! + i]! += WEIGHTS.unitNamedLikeTown;
          break;
        }
      }
    }
  }

  // Containment: a candidate gains what the best compatible reading of the other name gains
  // over that name's best reading when the pair counts twice the containment weight, capped at
  // the weight. A certain container ("Paris, Texas") gives the full weight; two unlikely readings
  // that agree ("Athens, Georgia": the US town and state) still win together; a list read as
  // "X, Y" ("Paris, London") gives little, since London, Texas is far below London, England.
  const pairs = containmentPairs(g, t, toponyms, cands);
  const contain = new Float64Array(n);
  if (pairs.length > 0) {
    const best = new Float64Array(cands.length);
    for (let k = 0; k < cands.length; k++) {
      let m = -Infinity;
      for (let f = start[k]!; f < start[k + 1]!; f++) m = Math.max(m, prior[f]!);
      best[k] = m;
    }
    const pair = 2 * WEIGHTS.containment;
    for (let x = 0; x < pairs.length; x += 4) {
      const fa = start[pairs[x]!]! + pairs[x + 1]!;
      const fb = start[pairs[x + 2]!]! + pairs[x + 3]!;
      contain[fa] = Math.max(contain[fa]!, Math.min(WEIGHTS.containment, prior[fb]! + pair - best[pairs[x + 2]!]!));
      contain[fb] = Math.max(contain[fb]!, Math.min(WEIGHTS.containment, prior[fa]! + pair - best[pairs[x]!]!));
    }
  }
  // What the coherence rounds start from: prior and containment.
  const base = prior;
  for (let k = 0; k < cands.length; k++) {
    const cs = cands[k]!;
    for (let i = 0; i < cs.length; i++) {
      const f = start[k]! + i;
      base[f] = prior[f]! + contain[f]!;
      cs[i]!.score = base[f]!;
    }
  }

  // Coherence: two rounds of country / admin-1 votes from the other toponyms. Mentions of one
  // name share one vote (split between them), and a name never votes for itself: fifteen
  // "Santa Ana"s agree with each other whatever they mean, so only the other names may decide.
  const group = new Map<string, number>();
  const groupOf = new Int32Array(toponyms.length);
  for (let k = 0; k < toponyms.length; k++) {
    const key = toponyms[k]!.key;
    let gi = group.get(key);
    if (gi === undefined) group.set(key, (gi = group.size));
    groupOf[k] = gi;
  }
  const groups = group.size;
  const groupSize = new Int32Array(groups);
  for (let k = 0; k < cands.length; k++) if (cands[k]!.length > 0) groupSize[groupOf[k]!]! += 1;
  let total = 0;
  for (let gi = 0; gi < groups; gi++) if (groupSize[gi]! > 0) total++;
  // Votes only count with two names or more: the scores stay prior and containment.
  if (total < 2) return;
  // The two sides of a containment pair do not vote for each other: containment counted their
  // agreement already, and their votes would echo it ("Paris, London" would pull both to Texas).
  // Partner groups keep the order they were met in.
  const partners: number[][] = [];
  for (let k = 0; k < toponyms.length; k++) partners.push([]);
  for (let x = 0; x < pairs.length; x += 4) {
    const k = pairs[x]!;
    const j = pairs[x + 2]!;
    if (groupOf[j] !== groupOf[k]) {
      if (!partners[k]!.includes(groupOf[j]!)) partners[k]!.push(groupOf[j]!);
      if (!partners[j]!.includes(groupOf[k]!)) partners[j]!.push(groupOf[k]!);
    }
  }

  // Each candidate's country and admin-1 unit get numbers of this article (-1 none), and so do
  // each (name group, country) and (name group, admin-1 unit) pair: the votes are sums over them.
  const countryIds = new Map<number, number>();
  const unitIds = new Map<number, number>();
  const ownCountryIds = new Map<number, number>();
  const ownUnitIds = new Map<number, number>();
  const countryOf = new Int32Array(n);
  const unitOf = new Int32Array(n);
  const ownCountryOf = new Int32Array(n);
  const ownUnitOf = new Int32Array(n);
  /** 1 when the candidate votes for its admin-1 unit (not a country). */
  const votesUnit = new Uint8Array(n);
  const level = new Uint8Array(n);
  const adminCount = g.data.admins.length;
  for (let k = 0; k < cands.length; k++) {
    const cs = cands[k]!;
    const gi = groupOf[k]!;
    for (let i = 0; i < cs.length; i++) {
      const f = start[k]! + i;
      const p = cs[i]!.place;
      const kind = g.kind(p);
      level[f] = levelClass(kind);
      const cc = country[p]!;
      if (t.noCountry[cc] === 1) {
        countryOf[f] = unitOf[f] = ownCountryOf[f] = ownUnitOf[f] = -1;
        // Continents, oceans, seas and other features of no one country agree with every article,
        // at both levels ("the Atlantic" in a story about Iowa is the ocean, not Atlantic, Iowa).
        if (t.everywhere[fcode[p]!] === 1) base[f]! += WEIGHTS.countryCoherence + WEIGHTS.admin1Coherence;
        continue;
      }
      const ci = numberOf(countryIds, cc);
      countryOf[f] = ci;
      ownCountryOf[f] = numberOf(ownCountryIds, ci * groups + gi);
      const a1 = admin1[p]!;
      if (t.noAdmin[a1] === 1) {
        unitOf[f] = ownUnitOf[f] = -1;
        continue;
      }
      const ui = numberOf(unitIds, cc * adminCount + a1);
      unitOf[f] = ui;
      ownUnitOf[f] = numberOf(ownUnitIds, ui * groups + gi);
      votesUnit[f] = kind & PLACE_KIND.country ? 0 : 1;
    }
  }
  const countryMass = new Float64Array(countryIds.size);
  const unitMass = new Float64Array(unitIds.size);
  const ownCountryMass = new Float64Array(ownCountryIds.size);
  const ownUnitMass = new Float64Array(ownUnitIds.size);
  // Level coherence: names listed together are of one level ("Oregon, Nevada and Illinois" are
  // states, "Niger, Ghana and Togo" countries): within an enumeration, each other member's most
  // likely level votes.
  const listIds = new Map<number, number>();
  const listOf = new Int32Array(toponyms.length);
  for (let k = 0; k < toponyms.length; k++) listOf[k] = toponyms[k]!.list < 0 ? -1 : numberOf(listIds, toponyms[k]!.list);
  const levelVotes = new Int32Array(3 * listIds.size);
  const topLevel = new Int8Array(toponyms.length);
  const probs: number[] = [];
  for (let round = 0; round < 2; round++) {
    if (round > 0) {
      countryMass.fill(0);
      unitMass.fill(0);
      ownCountryMass.fill(0);
      ownUnitMass.fill(0);
      levelVotes.fill(0);
    }
    for (let k = 0; k < cands.length; k++) {
      const cs = cands[k]!;
      if (cs.length === 0) continue;
      const w = 1 / groupSize[groupOf[k]!]!;
      softmax(cs, probs);
      for (let i = 0; i < cs.length; i++) {
        const p = probs[i]! * w;
        if (p < 0.01 * w) continue;
        const f = start[k]! + i;
        const ci = countryOf[f]!;
        if (ci < 0) continue;
        ownCountryMass[ownCountryOf[f]!]! += p;
        countryMass[ci]! += p;
        if (votesUnit[f] === 1) {
          ownUnitMass[ownUnitOf[f]!]! += p;
          unitMass[unitOf[f]!]! += p;
        }
      }
    }
    for (let k = 0; k < cands.length; k++) {
      const cs = cands[k]!;
      topLevel[k] = -1;
      if (cs.length === 0 || listOf[k]! < 0) continue;
      let top = 0;
      for (let i = 1; i < cs.length; i++) if (cs[i]!.score > cs[top]!.score) top = i;
      const lv = level[start[k]! + top]!;
      levelVotes[3 * listOf[k]! + lv]! += 1;
      topLevel[k] = lv;
    }
    for (let k = 0; k < cands.length; k++) {
      const cs = cands[k]!;
      const mates = partners[k]!;
      const others = total - 1 - mates.length;
      const list = listOf[k]!;
      for (let i = 0; i < cs.length; i++) {
        const f = start[k]! + i;
        let s = base[f]!;
        const lv = list < 0 ? 0 : level[f]!;
        if (lv !== 0) {
          const same = levelVotes[3 * list + lv]! - (topLevel[k] === lv ? 1 : 0);
          const members = levelVotes[3 * list]! + levelVotes[3 * list + 1]! + levelVotes[3 * list + 2]! - 1;
          s += WEIGHTS.levelCoherence * Math.min(1, same / Math.max(1, Math.min(members, 3)));
        }
        const ci = countryOf[f]!;
        if (ci >= 0 && others > 0) {
          let m = countryMass[ci]! - ownCountryMass[ownCountryOf[f]!]!;
          for (const pg of mates) {
            const o = ownCountryIds.get(ci * groups + pg);
            m -= o === undefined ? 0 : ownCountryMass[o]!;
          }
          s += WEIGHTS.countryCoherence * Math.min(1, m / Math.min(others, 3));
          const ui = unitOf[f]!;
          if (ui >= 0) {
            let m1 = unitMass[ui]! - ownUnitMass[ownUnitOf[f]!]!;
            for (const pg of mates) {
              const o = ownUnitIds.get(ui * groups + pg);
              m1 -= o === undefined ? 0 : ownUnitMass[o]!;
            }
            s += WEIGHTS.admin1Coherence * Math.min(1, m1 / Math.min(others, 3));
          }
        }
        cs[i]!.score = s;
      }
    }
  }
}
