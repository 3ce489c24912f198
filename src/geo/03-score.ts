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

/**
 * A section of a city at least this populous (Hollywood, Kreuzberg, Soweto) is named as a place
 * of its own: it takes no section penalty (typePrior of PPLX) against towns of its name.
 */
export const LARGE_SECTION_POPULATION = 100000;

/** Marks a place whose admin-1 unit has not been numbered yet (ScoreTables.unitOf). */
const UNIT_UNSEEN = -2;

/**
 * What scoring needs to know of one gazetteer, by code number, and its scratch space: the vote
 * sums by country and by admin-1 unit. Every sum a call reads is zeroed by that call first.
 */
class ScoreTables {
  /** typePrior of each feature code. */
  readonly prior: Float64Array;
  /** 1 for settlement codes (PPL…). */
  readonly settlement: Uint8Array;
  /** 1 for the code of a section of a populated place (PPLX). */
  readonly section: Uint8Array;
  /** 1 for features of no one country that agree with every article (continents, oceans, seas, regions). */
  readonly everywhere: Uint8Array;
  /** 1 for the empty country code. */
  readonly noCountry: Uint8Array;
  /** 1 for the empty admin code. */
  readonly noAdmin: Uint8Array;
  /** Vote sums of all names and of one name group, by country number. */
  readonly countryMass: Float64Array;
  readonly ownCountryMass: Float64Array;
  /** Vote sums of all names and of one name group, by unit number (unitOf). */
  unitMass = new Float64Array(256);
  ownUnitMass = new Float64Array(256);
  /** Place → the number of its (country, admin-1 code) unit, -1 none, UNIT_UNSEEN until asked. */
  private readonly unitOfPlace: Int32Array;
  /** country number * admin codes + admin-1 number → unit number. */
  private readonly unitNumbers = new Map<number, number>();

  constructor(private readonly g: Gazetteer) {
    const { fcodes, countries, admins } = g.data;
    this.prior = Float64Array.from(fcodes, typePrior);
    this.settlement = Uint8Array.from(fcodes, (fc) => (fc.startsWith('PPL') ? 1 : 0));
    this.section = Uint8Array.from(fcodes, (fc) => (fc === 'PPLX' ? 1 : 0));
    this.everywhere = Uint8Array.from(fcodes, (fc) => (WORLD_CODES.has(fc) || REGION_CODES.has(fc) ? 1 : 0));
    this.noCountry = Uint8Array.from(countries, (cc) => (cc === '' ? 1 : 0));
    this.noAdmin = Uint8Array.from(admins, (a) => (a === '' ? 1 : 0));
    this.countryMass = new Float64Array(countries.length);
    this.ownCountryMass = new Float64Array(countries.length);
    this.unitOfPlace = new Int32Array(g.size).fill(UNIT_UNSEEN);
  }

  /** The number of place p's admin-1 unit (its country and admin-1 code), or -1 when it lacks either code. */
  unitOf(p: number): number {
    let u = this.unitOfPlace[p]!;
    if (u === UNIT_UNSEEN) {
      const { country, admin1, admins } = this.g.data;
      const cc = country[p]!;
      const a1 = admin1[p]!;
      if (this.noCountry[cc] === 1 || this.noAdmin[a1] === 1) u = -1;
      else {
        const key = cc * admins.length + a1;
        u = this.unitNumbers.get(key) ?? this.unitNumbers.size;
        if (u === this.unitNumbers.size) {
          this.unitNumbers.set(key, u);
          if (u >= this.unitMass.length) {
            this.unitMass = new Float64Array(2 * this.unitMass.length);
            this.ownUnitMass = new Float64Array(2 * this.ownUnitMass.length);
          }
        }
      }
      this.unitOfPlace[p] = u;
    }
    return u;
  }
}

const tablesByGazetteer = new WeakMap<Gazetteer, ScoreTables>();

function scoreTables(g: Gazetteer): ScoreTables {
  let t = tablesByGazetteer.get(g);
  if (!t) tablesByGazetteer.set(g, (t = new ScoreTables(g)));
  return t;
}

/** The level class of a place's kind bits, for level coherence: 1 country, 2 admin-1 unit, 0 other. */
function levelClass(kind: number): 0 | 1 | 2 {
  return kind & PLACE_KIND.country ? 1 : kind & PLACE_KIND.admin1 ? 2 : 0;
}

/** Is place `inner` inside place `outer` (by country / admin codes)? */
export function within(g: Gazetteer, inner: number, outer: number): boolean {
  return isWithin(g, scoreTables(g), inner, outer);
}

function isWithin(g: Gazetteer, t: ScoreTables, inner: number, outer: number): boolean {
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
function containmentPairs(g: Gazetteer, t: ScoreTables, toponyms: readonly Toponym[], cands: readonly Candidate[][]): number[] {
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
function priorScore(g: Gazetteer, t: ScoreTables, tp: Toponym, c: Candidate): number {
  const p = c.place;
  const kind = g.kind(p);
  const fc = g.data.fcode[p]!;
  const population = g.population(p);
  let s = WEIGHTS.population * Math.log10(population + 1);
  if (t.section[fc] === 0 || population < LARGE_SECTION_POPULATION) s += t.prior[fc]!;
  if (c.primary) s += WEIGHTS.primaryName;
  // "EU" written in capitals is an acronym: a place whose own name is "Eu" is not meant.
  if (tp.acronym && c.primary) {
    const name = g.name(p);
    if (name !== name.toUpperCase()) s += WEIGHTS.acronymMismatch;
  }
  // The words that ask for a first-level unit (state, republic, territory, region) name countries
  // too ("the border territory of Georgia", "the state of Israel"): a country is no wrong level.
  if (tp.adminLevel === 1) s += kind & PLACE_KIND.admin1 ? WEIGHTS.askedLevel : kind & PLACE_KIND.country ? 0 : WEIGHTS.wrongLevel;
  else if (tp.adminLevel === 2) s += kind & PLACE_KIND.admin2 ? WEIGHTS.askedLevel : kind & PLACE_KIND.admin1 ? 0 : WEIGHTS.wrongLevel;
  else if (tp.settlement) s += t.settlement[fc] === 1 ? WEIGHTS.settlementAsked : WEIGHTS.wrongLevel;
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

/** Per-candidate and per-toponym working arrays of scoreCandidates, grown as needed and reused. */
class Scratch {
  /** Prior, then prior + containment (+ the everywhere bonus): what each round starts from. */
  base = new Float64Array(0);
  contain = new Float64Array(0);
  /** The candidate's vote share in this round, 0 when it does not vote. */
  share = new Float64Array(0);
  /** The votes of the candidate's own name group for its country and its admin-1 unit. */
  ownCountry = new Float64Array(0);
  ownUnit = new Float64Array(0);
  /** Country number and unit number (-1 none). */
  country = new Int32Array(0);
  unit = new Int32Array(0);
  /** 1 when the candidate votes for its admin-1 unit (has one and is not a country). */
  votesUnit = new Uint8Array(0);
  /** levelClass of the candidate. */
  level = new Uint8Array(0);
  /** Toponym k's candidates are numbered start[k] .. start[k + 1] - 1. */
  start = new Int32Array(0);
  groupOf = new Int32Array(0);
  /** Toponyms by name group, in text order within each: group gi's are members[groupStart[gi] .. groupStart[gi + 1]). */
  members = new Int32Array(0);
  groupStart = new Int32Array(0);
  groupSize = new Int32Array(0);
  listOf = new Int32Array(0);
  topLevel = new Int8Array(0);

  ensure(candidates: number, toponyms: number): void {
    if (this.base.length < candidates) {
      const n = Math.max(candidates, 2 * this.base.length, 64);
      this.base = new Float64Array(n);
      this.contain = new Float64Array(n);
      this.share = new Float64Array(n);
      this.ownCountry = new Float64Array(n);
      this.ownUnit = new Float64Array(n);
      this.country = new Int32Array(n);
      this.unit = new Int32Array(n);
      this.votesUnit = new Uint8Array(n);
      this.level = new Uint8Array(n);
    }
    if (this.groupOf.length < toponyms) {
      const n = Math.max(toponyms, 2 * this.groupOf.length, 16);
      this.start = new Int32Array(n + 1);
      this.groupOf = new Int32Array(n);
      this.members = new Int32Array(n);
      this.groupStart = new Int32Array(n + 1);
      this.groupSize = new Int32Array(n);
      this.listOf = new Int32Array(n);
      this.topLevel = new Int8Array(n);
    }
  }
}

const scratch = new Scratch();
const probs: number[] = [];

/**
 * Scores candidates in place.
 * @example scoreCandidates(gaz, toponyms, candidates); candidates[0][0].score // 12.3
 */
export function scoreCandidates(g: Gazetteer, toponyms: readonly Toponym[], cands: Candidate[][]): void {
  const t = scoreTables(g);
  const { country: countryCode, fcode } = g.data;
  const m = cands.length;
  let n = 0;
  for (let k = 0; k < m; k++) n += cands[k]!.length;
  scratch.ensure(n, m);
  const { base: prior, contain, share, ownCountry, ownUnit, country, unit, votesUnit, level, start, groupOf, members, groupStart, groupSize, listOf, topLevel } = scratch;
  start[0] = 0;
  for (let k = 0; k < m; k++) {
    start[k + 1] = start[k]! + cands[k]!.length;
    const cs = cands[k]!;
    for (let i = 0; i < cs.length; i++) prior[start[k]! + i] = priorScore(g, t, toponyms[k]!, cs[i]!);
  }
  // A bare name shared by a unit and a town inside it ("New York", "Kabul") is the town, unless
  // the words ask for the unit ("Kabul province").
  for (let k = 0; k < m; k++) {
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
  contain.fill(0, 0, n);
  if (pairs.length > 0) {
    const best = (k: number): number => {
      let b = -Infinity;
      for (let f = start[k]!; f < start[k + 1]!; f++) b = Math.max(b, prior[f]!);
      return b;
    };
    const pair = 2 * WEIGHTS.containment;
    for (let x = 0; x < pairs.length; x += 4) {
      const fa = start[pairs[x]!]! + pairs[x + 1]!;
      const fb = start[pairs[x + 2]!]! + pairs[x + 3]!;
      contain[fa] = Math.max(contain[fa]!, Math.min(WEIGHTS.containment, prior[fb]! + pair - best(pairs[x + 2]!)));
      contain[fb] = Math.max(contain[fb]!, Math.min(WEIGHTS.containment, prior[fa]! + pair - best(pairs[x]!)));
    }
  }
  // What the coherence rounds start from: prior and containment.
  const base = prior;
  for (let k = 0; k < m; k++) {
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
  for (let k = 0; k < m; k++) {
    const key = toponyms[k]!.key;
    let gi = group.get(key);
    if (gi === undefined) group.set(key, (gi = group.size));
    groupOf[k] = gi;
  }
  const groups = group.size;
  groupSize.fill(0, 0, groups);
  for (let k = 0; k < m; k++) if (cands[k]!.length > 0) groupSize[groupOf[k]!]! += 1;
  let total = 0;
  for (let gi = 0; gi < groups; gi++) if (groupSize[gi]! > 0) total++;
  // Votes only count with two names or more: the scores stay prior and containment.
  if (total < 2) return;
  groupStart.fill(0, 0, groups + 1);
  for (let k = 0; k < m; k++) groupStart[groupOf[k]! + 1]! += 1;
  for (let gi = 0; gi < groups; gi++) groupStart[gi + 1]! += groupStart[gi]!;
  // Counting sort: group gi's toponyms go to members[groupStart[gi] ..), in text order; filling
  // moves each start to its group's end, so the starts are shifted back after.
  for (let k = 0; k < m; k++) members[groupStart[groupOf[k]!]!++] = k;
  for (let gi = groups; gi > 0; gi--) groupStart[gi] = groupStart[gi - 1]!;
  groupStart[0] = 0;
  // The two sides of a containment pair do not vote for each other: containment counted their
  // agreement already, and their votes would echo it ("Paris, London" would pull both to Texas).
  // Partner groups keep the order they were met in.
  const partners: number[][] = [];
  for (let k = 0; k < m; k++) partners.push(NO_PARTNERS);
  for (let x = 0; x < pairs.length; x += 4) {
    const k = pairs[x]!;
    const j = pairs[x + 2]!;
    if (groupOf[j] !== groupOf[k]) {
      if (partners[k] === NO_PARTNERS) partners[k] = [];
      if (partners[j] === NO_PARTNERS) partners[j] = [];
      if (!partners[k]!.includes(groupOf[j]!)) partners[k]!.push(groupOf[j]!);
      if (!partners[j]!.includes(groupOf[k]!)) partners[j]!.push(groupOf[k]!);
    }
  }
  for (let k = 0; k < m; k++) {
    const cs = cands[k]!;
    for (let i = 0; i < cs.length; i++) {
      const f = start[k]! + i;
      const p = cs[i]!.place;
      const kind = g.kind(p);
      level[f] = levelClass(kind);
      const cc = countryCode[p]!;
      if (t.noCountry[cc] === 1) {
        country[f] = unit[f] = -1;
        votesUnit[f] = 0;
        // Continents, oceans, seas and other features of no one country agree with every article,
        // at both levels ("the Atlantic" in a story about Iowa is the ocean, not Atlantic, Iowa).
        if (t.everywhere[fcode[p]!] === 1) base[f]! += WEIGHTS.countryCoherence + WEIGHTS.admin1Coherence;
        continue;
      }
      country[f] = cc;
      unit[f] = t.unitOf(p);
      votesUnit[f] = unit[f]! >= 0 && (kind & PLACE_KIND.country) === 0 ? 1 : 0;
    }
  }
  // Level coherence: names listed together are of one level ("Oregon, Nevada and Illinois" are
  // states, "Niger, Ghana and Togo" countries): within an enumeration, each other member's most
  // likely level votes.
  let lists: Map<number, number> | null = null;
  for (let k = 0; k < m; k++) {
    const list = toponyms[k]!.list;
    if (list < 0) listOf[k] = -1;
    else {
      lists ??= new Map<number, number>();
      let id = lists.get(list);
      if (id === undefined) lists.set(list, (id = lists.size));
      listOf[k] = id;
    }
  }
  const levelVotes = lists ? new Int32Array(3 * lists.size) : null;
  const { countryMass, ownCountryMass } = t;
  for (let round = 0; round < 2; round++) {
    const { unitMass, ownUnitMass } = t;
    for (let f = 0; f < n; f++) {
      if (country[f]! >= 0) countryMass[country[f]!] = 0;
      if (unit[f]! >= 0) unitMass[unit[f]!] = 0;
    }
    for (let k = 0; k < m; k++) {
      const cs = cands[k]!;
      if (cs.length === 0) continue;
      const w = 1 / groupSize[groupOf[k]!]!;
      softmax(cs, probs);
      for (let i = 0; i < cs.length; i++) {
        const f = start[k]! + i;
        const p = probs[i]! * w;
        share[f] = 0;
        if (p < 0.01 * w || country[f]! < 0) continue;
        share[f] = p;
        countryMass[country[f]!]! += p;
        if (votesUnit[f] === 1) unitMass[unit[f]!]! += p;
      }
    }
    // Each name group's own votes, summed in text order as the totals are.
    for (let gi = 0; gi < groups; gi++) {
      const g0 = groupStart[gi]!;
      const g1 = groupStart[gi + 1]!;
      for (let x = g0; x < g1; x++) {
        for (let f = start[members[x]!]!; f < start[members[x]! + 1]!; f++) {
          if (country[f]! >= 0) ownCountryMass[country[f]!] = 0;
          if (unit[f]! >= 0) ownUnitMass[unit[f]!] = 0;
        }
      }
      for (let x = g0; x < g1; x++) {
        for (let f = start[members[x]!]!; f < start[members[x]! + 1]!; f++) {
          if (share[f] === 0) continue;
          ownCountryMass[country[f]!]! += share[f]!;
          if (votesUnit[f] === 1) ownUnitMass[unit[f]!]! += share[f]!;
        }
      }
      for (let x = g0; x < g1; x++) {
        for (let f = start[members[x]!]!; f < start[members[x]! + 1]!; f++) {
          ownCountry[f] = country[f]! >= 0 ? ownCountryMass[country[f]!]! : 0;
          ownUnit[f] = unit[f]! >= 0 ? ownUnitMass[unit[f]!]! : 0;
        }
      }
    }
    if (levelVotes) {
      levelVotes.fill(0);
      for (let k = 0; k < m; k++) {
        const cs = cands[k]!;
        topLevel[k] = -1;
        if (cs.length === 0 || listOf[k]! < 0) continue;
        let top = 0;
        for (let i = 1; i < cs.length; i++) if (cs[i]!.score > cs[top]!.score) top = i;
        const lv = level[start[k]! + top]!;
        levelVotes[3 * listOf[k]! + lv]! += 1;
        topLevel[k] = lv;
      }
    }
    for (let k = 0; k < m; k++) {
      const cs = cands[k]!;
      const mates = partners[k]!;
      const others = total - 1 - mates.length;
      const list = listOf[k]!;
      for (let i = 0; i < cs.length; i++) {
        const f = start[k]! + i;
        let s = base[f]!;
        const lv = list < 0 || !levelVotes ? 0 : level[f]!;
        if (levelVotes && lv !== 0) {
          const same = levelVotes[3 * list + lv]! - (topLevel[k] === lv ? 1 : 0);
          const members = levelVotes[3 * list]! + levelVotes[3 * list + 1]! + levelVotes[3 * list + 2]! - 1;
          s += WEIGHTS.levelCoherence * Math.min(1, same / Math.max(1, Math.min(members, 3)));
        }
        const cc = country[f]!;
        if (cc >= 0 && others > 0) {
          let mass = countryMass[cc]! - ownCountry[f]!;
          for (const pg of mates) mass -= groupVotes(pg, country, cc, false);
          s += WEIGHTS.countryCoherence * Math.min(1, mass / Math.min(others, 3));
          const u = unit[f]!;
          if (u >= 0) {
            let mass1 = unitMass[u]! - ownUnit[f]!;
            for (const pg of mates) mass1 -= groupVotes(pg, unit, u, true);
            s += WEIGHTS.admin1Coherence * Math.min(1, mass1 / Math.min(others, 3));
          }
        }
        cs[i]!.score = s;
      }
    }
  }
}

const NO_PARTNERS: number[] = [];

/** The votes of name group `gi` for country or unit number `id` (`ids` says each candidate's), summed in text order. */
function groupVotes(gi: number, ids: Int32Array, id: number, units: boolean): number {
  const { members, groupStart, start, share, votesUnit } = scratch;
  let sum = 0;
  for (let x = groupStart[gi]!; x < groupStart[gi + 1]!; x++) {
    for (let f = start[members[x]!]!; f < start[members[x]! + 1]!; f++) {
      if (ids[f] === id && share[f]! > 0 && (!units || votesUnit[f] === 1)) sum += share[f]!;
    }
  }
  return sum;
}
