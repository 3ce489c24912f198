/**
 * The geoparser: finds place names in an article (gazetteer names, demonyms), resolves each to a
 * GeoNames place in four explicit steps (detect → candidates → scores → choice, "none" included),
 * and sets the article's focus (main country and admin-1 unit).
 */
import { KnowledgeError } from '../errors.js';
import type { Stage, StageContext } from '../pipeline.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type { ActorMention, ArticleFocus, KhabarDoc, PlaceMention, Span, Token } from '../types.js';
import { detectToponyms, foldTokens, givenToponyms, type FoldedTokens, type Toponym } from './01-detect.js';
import { candidatesOf, type Candidate } from './02-candidates.js';
import { scoreCandidates, within } from './03-score.js';
import { choose, plausibleAlone, toPlaceMention } from './04-choose.js';
import { ADMIN1_CODES, ADMIN2_CODES, COUNTRY_CODES, PLACE_KIND, REGION_CODES, type Gazetteer } from './gazetteer.js';
import { loadLexicon, type GeoLexicon } from './lexicon.js';

export { Gazetteer } from './gazetteer.js';
export { loadGazetteer, type LoadGazetteerOptions } from './load.js';
export { loadDemonyms, type Demonyms } from './demonyms.js';

declare module '../pipeline.js' {
  interface Knowledge {
    gazetteer?: Gazetteer;
  }
}

export interface GeoparseOptions {
  actors?: readonly ActorMention[];
  /** Resolve exactly these spans (one result each, in order) instead of detecting. */
  givenSpans?: readonly Span[];
  lexicon?: GeoLexicon;
  /** Detected names inside facility names take the whole name as their span (default true). */
  facilitySpans?: boolean;
  /** Keep well-known place names inside longer names ("Malaysia Airlines"), as GeoWebNews marks them (default false). */
  embeddedNames?: boolean;
  /** Also output facility and street names with no gazetteer name in them ("Royal Street"), placed at the nearest named settlement (default false). */
  siteNames?: boolean;
  /**
   * "the Somali capital", "Somalia's capital" (no name after it) is the country's capital, and its
   * span covers "capital" (default true). Corpora that mark the nationality word alone as the
   * country (GeoWebNews, GeoVirus) turn it off.
   */
  capitals?: boolean;
}

/**
 * Runs the four steps over tokenized text. Detected toponyms resolved to "none" are dropped;
 * given spans always yield one record each (null coordinates for "none").
 * @example geoparseTokens(gaz, text, tokens).map((p) => p.name) // ['Jalālābād', 'Nangarhar']
 */
export function geoparseTokens(g: Gazetteer, text: string, tokens: readonly Token[], options: GeoparseOptions = {}): PlaceMention[] {
  const lexicon = options.lexicon ?? loadLexicon();
  const f = foldTokens(tokens);
  // 1. toponyms
  let toponyms: Toponym[];
  let output: boolean[];
  const detected = detectAndFilter(g, lexicon, text, tokens, f, options.actors ?? [], options.embeddedNames === true);
  if (options.givenSpans) {
    // Given spans are resolved in the company of the other names the text holds (context only):
    // "Paris, Texas" resolves Paris even when only "Paris" is given.
    const given = givenToponyms(g, lexicon, tokens, f, options.givenSpans);
    // Only names in apposition to a given span are added ("Paris, Texas"): elsewhere the given
    // spans already hold the article's places, and detected extras would only add noise.
    const context = detected.filter(
      (d) => !given.some((x) => x.start < d.end && d.start < x.end) && given.some((x) => d.t0 === x.t1 + 1 && f.folded[x.t1] === ','),
    );
    const order = [...given.map((tp, i) => ({ tp, i })), ...context.map((tp) => ({ tp, i: -1 }))].sort((a, b) => a.tp.start - b.tp.start || a.i - b.i);
    toponyms = order.map((o) => o.tp);
    output = order.map((o) => o.i >= 0);
    relinkContainers(g, toponyms, f.folded);
    linkInside(toponyms, f, lexicon);
    // Keep the given order in the output.
    const perm = order.map((o, k) => ({ k, i: o.i })).filter((x) => x.i >= 0).sort((a, b) => a.i - b.i).map((x) => x.k);
    const cands = toponyms.map((tp) => candidatesOf(g, tp));
    scoreCandidates(g, toponyms, cands);
    const chosen = toponyms.map((tp, k) => choose(tp, cands[k]!));
    oneSensePerName(toponyms, chosen, g);
    resolveInside(g, toponyms, cands, chosen, true);
    placePartials(g, toponyms, chosen);
    const countries = countryVotes(g, chosen);
    return perm.map((k) => sharedRegionCountry(g, toPlaceMention(g, text, toponyms[k]!, chosen[k]!), lexicon, countries));
  }
  toponyms = detected;
  if (options.capitals !== false) nameCapitals(g, tokens, f, toponyms);
  const sites = toponyms.map((tp) => isSiteName(tp, tokens, f, lexicon));
  output = toponyms.map(() => true);
  // 2. candidates
  const cands: Candidate[][] = toponyms.map((tp) => candidatesOf(g, tp));
  // 3. scores
  scoreCandidates(g, toponyms, cands);
  // 4. choice
  const chosen = toponyms.map((tp, k) => choose(tp, cands[k]!));
  oneSensePerName(toponyms, chosen, g);
  const context = resolveInside(g, toponyms, cands, chosen, false);
  placeForeignSites(g, toponyms, chosen, sites);
  const countries = countryVotes(g, chosen);
  const out: PlaceMention[] = [];
  for (let k = 0; k < toponyms.length; k++) {
    const c = chosen[k]!;
    const tp = toponyms[k]!;
    if (!c && tp.unknown && output[k]) {
      out.push(unknownMention(g, text, tp, context.get(k) ?? null, topKey(countries)));
      continue;
    }
    if (!c || !output[k]) continue;
    // "Nigerians" names people, and "Igbo", "Pashtun" name peoples, not places: they helped the
    // other names resolve, but are no place mentions. A group word standing for a region ("European") is.
    if (tp.demonym && (lexicon.peopleNouns.has(tp.key) || (tp.demonym.kind === 'group' && !tp.demonym.place))) continue;
    // A nationality word with no noun after it ("the learning of English.", "English, French") is a
    // language or a people, not a place; country names used so ("US") stay.
    if (tp.demonym && tp.demonym.kind === 'adjective' && !tp.postings && nounless(tokens, tp)) continue;
    const m = sharedRegionCountry(g, toPlaceMention(g, text, tp, c), lexicon, countries);
    let [s0, s1] = nameSpan(tp, tokens, f, lexicon);
    if (options.facilitySpans !== false) {
      const [f0, f1] = facilitySpan(tp, tokens, f, lexicon);
      [s0, s1] = [Math.min(s0, f0), Math.max(s1, f1)];
    }
    if (s0 !== tp.start || s1 !== tp.end) [m.start, m.end, m.text] = [s0, s1, text.slice(s0, s1)];
    // An abbreviated unit name takes its dot ("Calif.", "Md."): the dot is part of the name.
    if (m.end === tp.end && text[tp.end] === '.' && isUnitAbbreviation(g, c.place, m.text)) [m.end, m.text] = [tp.end + 1, text.slice(tp.start, tp.end + 1)];
    // A grown span that takes in the previous mention ("Summit" of "the Summit of the Americas",
    // "Seoul" of "Seoul Central District Court") leaves one mention, the longer.
    const last = out[out.length - 1];
    if (last !== undefined && m.start < last.end) {
      if (m.end - m.start > last.end - last.start) out[out.length - 1] = m;
      continue;
    }
    out.push(m);
  }
  if (options.siteNames) addSiteNames(g, text, tokens, f, lexicon, out);
  return out;
}

/**
 * Names of sites and streets with no gazetteer name in them ("Royal Street", "Central Mental
 * Hospital"): capitalised words ending in a site word (institutions such as "Council" or
 * "Ministry" are not sites). They lie, most likely, at the nearest
 * settlement the article names (within LOCAL_REACH), else in its main country; precision 2.
 * Added to `out` in text order.
 */
function addSiteNames(g: Gazetteer, text: string, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon, out: PlaceMention[]): void {
  const found: PlaceMention[] = [];
  const covered = (a: number, b: number): boolean => out.some((p) => p.start < b && a < p.end);
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.cap || !lexicon.siteWords.has(f.folded[i]!) || f.titleCase[i]) continue;
    let b = i;
    while (b - 1 >= 0 && b > i - MAX_FACILITY_WORDS && tokens[b - 1]!.cap && tokens[b - 1]!.sentence === t.sentence && !DETERMINERS.has(f.folded[b - 1]!)) b--;
    // A sentence-initial capital is no evidence of a name unless more name words follow it.
    if (b === i || (b + 1 === i && (b === 0 || tokens[b - 1]!.sentence !== t.sentence))) continue;
    const start = tokens[b]!.start;
    if (covered(start, t.end)) continue;
    // The place: the nearest settlement mentioned, else the main country.
    let near: PlaceMention | null = null;
    let best = LOCAL_REACH;
    const countries = new Map<string, number>();
    for (const p of out) {
      if (p.country_code) countries.set(p.country_code, (countries.get(p.country_code) ?? 0) + 1);
      if (p.feature_code?.startsWith('PPL') && Math.abs(p.start - start) < best) [best, near] = [Math.abs(p.start - start), p];
    }
    let place: number | null = null;
    if (near?.geonames_id) place = g.find(near.name).find((q) => g.id(q) === near!.geonames_id) ?? null;
    if (place === null && countries.size > 0) place = g.countryOf([...countries.entries()].sort((x, y) => y[1] - x[1])[0]![0]);
    if (place === null) continue;
    const m = toPlaceMention(g, text, { ...FACILITY_TOPONYM, start, end: t.end, t0: b, t1: i + 1 }, { place, prob: 0.2 });
    m.geo_precision = 2;
    found.push(m);
  }
  if (found.length === 0) return;
  out.push(...found);
  out.sort((a, b) => a.start - b.start);
}

const ABBREVIATION = /^[A-Z][a-z]+$/;

/** A short title-case word that names admin-1 units only by an alternate name (an abbreviation such as "Mass" for "Mass."). */
function isBareUnitAbbreviation(g: Gazetteer, tp: Toponym, text: string): boolean {
  if (tp.end - tp.start > 5 || !tp.postings || tp.demonym || !ABBREVIATION.test(text.slice(tp.start, tp.end))) return false;
  for (const x of tp.postings) if ((x & 1) === 1 || (g.kind(x >> 1) & PLACE_KIND.admin1) === 0) return false;
  return true;
}

/** A short capitalised word standing for an admin-1 unit of another name ("Calif" → California). */
function isUnitAbbreviation(g: Gazetteer, place: number, surface: string): boolean {
  return surface.length <= 5 && ABBREVIATION.test(surface) && ADMIN1_CODES.has(g.fcode(place)) && g.name(place) !== surface;
}

/** The context-free toponym a facility name is output through (only start/end/t0/t1 vary). */
const FACILITY_TOPONYM: Toponym = {
  start: 0, end: 0, t0: 0, t1: 0, key: '', postings: null, demonym: null, adminLevel: 0, settlement: false, cued: false, near: true,
  verbFollows: false, actorState: false, container: -1, given: false, partial: 'none', acronym: false, list: -1,
  unknown: false, inside: -1, fixed: -1,
};

/** At most this many capitalised words join a place name into a facility name. */
const MAX_FACILITY_WORDS = 4;

/**
 * The span of the facility or institution name a place name sits in, else the toponym's own:
 * "Colorado State University", "Kabul Airport" (the name, capitalised words, a facility head) and
 * "Bank of Japan", "University of Kabul" (a capitalised facility head, "of", the name); a
 * nationality word opens such a name too ("the Afghan Embassy"). The place
 * stays the one the name resolved to; only the span grows, as news annotation marks it.
 * @example facilitySpan(toponymOf('Colorado'), ...) // offsets of "Colorado State University"
 */
export function facilitySpan(tp: Toponym, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): [number, number] {
  let start = tp.start;
  let end = tp.end;
  const sentence = tokens[tp.t0]!.sentence;
  // A part of a hyphenated word ("Vatican-owned") names no institution.
  if (f.titleCase[tp.t0] || tp.end < tokens[tp.t1 - 1]!.end - f.cut[tp.t1 - 1]!) return [start, end];
  // Forward: capitalised words ending in a facility head, unless a possessive ends the name
  // ("Japan's Foreign Ministry" is Japan's, not a place named so). A head followed by "of" or
  // "for" ends no name ("the Russian Ministry of Defence": the name goes on, the nationality word
  // only modifies it). The head's own possessive is no part of the name.
  for (let k = tp.t1; k < tokens.length && k < tp.t1 + MAX_FACILITY_WORDS && !f.cut[tp.t1 - 1]; k++) {
    const t = tokens[k]!;
    if (t.sentence !== sentence || !t.cap) break;
    if (lexicon.facilityWords.has(f.folded[k]!) && (f.cut[k] || !nameGoesOnAfter(k, tokens, f))) end = t.end - f.cut[k]!;
  }
  // Backward: "<Capitalised words> <Facility> of [the] <name>".
  let j = tp.t0 - 1;
  if (j >= 0 && f.folded[j] === 'the') j--;
  if (j >= 1 && f.folded[j] === 'of' && tokens[j - 1]!.cap && tokens[j - 1]!.sentence === sentence && lexicon.facilityWords.has(f.folded[j - 1]!)) {
    let b = j - 1;
    while (b - 1 >= 0 && b > j - MAX_FACILITY_WORDS && tokens[b - 1]!.cap && tokens[b - 1]!.sentence === sentence && f.folded[b - 1] !== 'the') b--;
    // A sentence-initial capital is no evidence of a name: start at the facility head then.
    if (b > 0 && tokens[b - 1]!.sentence !== sentence && b < j - 1) b++;
    start = tokens[b]!.start;
  }
  return [start, end];
}

/** Words that carry an institution's name on past its head ("Department of Health", "Agency for Development"). */
const INSTITUTION_LINKS: ReadonlySet<string> = new Set(['of', 'for']);

/** Token k is followed, in its sentence, by "of" or "for" and a capitalised word ("Ministry of Defence", not "Hospital for treatment"). */
function nameGoesOnAfter(k: number, tokens: readonly Token[], f: FoldedTokens): boolean {
  const link = tokens[k + 1];
  let name = tokens[k + 2];
  if (name !== undefined && f.folded[k + 2] === 'the') name = tokens[k + 3];
  const sentence = tokens[k]!.sentence;
  return link !== undefined && link.sentence === sentence && INSTITUTION_LINKS.has(f.folded[k + 1]!) && name !== undefined && name.sentence === sentence && name.cap;
}

/**
 * The span of the full place name a detected name is the core of: a capitalised compass word
 * before it ("West Wales", "Southern California", "Northern Europe") and a capitalised admin,
 * settlement or natural-feature word after it ("Oaxaca State", "Birmingham City", "Swat Valley") belong to the
 * name, as capitals mark a proper name; lower-case ones ("northern Syria", "Nangarhar province")
 * are ordinary words around it. An admin word followed by more capitalised words starts an
 * institution's name ("Maryland State Police") and is left to facilitySpan. The place stays the
 * one the core name resolved to.
 * @example nameSpan(toponymOf('Wales'), ...) // offsets of "West Wales" in "found in West Wales."
 */
export function nameSpan(tp: Toponym, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): [number, number] {
  let start = tp.start;
  let end = tp.end;
  if (tp.demonym || tp.partial !== null) return [start, end];
  const sentence = tokens[tp.t0]!.sentence;
  const prev = tokens[tp.t0 - 1];
  if (prev !== undefined && prev.sentence === sentence && prev.cap && !f.hyphen[tp.t0 - 1] && lexicon.directionWords.has(f.folded[tp.t0 - 1]!) && prev.end < tp.start) start = prev.start;
  const next = tokens[tp.t1];
  if (next !== undefined && next.sentence === sentence && next.cap && !f.cut[tp.t1 - 1] && !f.titleCase[tp.t1]) {
    const w = f.folded[tp.t1]!;
    // "Maryland State Police", "California Department of Health": an institution's name goes on.
    const after = tokens[tp.t1 + 1];
    const nameGoesOn = (after !== undefined && after.sentence === sentence && after.cap) || nameGoesOnAfter(tp.t1, tokens, f);
    if ((lexicon.adminWords.has(w) || lexicon.settlementWords.has(w) || lexicon.featureWords.has(w)) && !nameGoesOn) end = next.end - f.cut[tp.t1]!;
  }
  return [start, end];
}

/** Step 1 in detection mode: toponyms found, then filtered by the context rules. */
function detectAndFilter(
  g: Gazetteer,
  lexicon: GeoLexicon,
  text: string,
  tokens: readonly Token[],
  f: FoldedTokens,
  actors: readonly ActorMention[],
  embeddedNames: boolean,
): Toponym[] {
  const found = detectToponyms(g, lexicon, tokens, f, { actors });
  const ctx = articleWords(tokens, f, found, lexicon);
  const kept = found.filter((tp, k) => {
    const prev = tokens[tp.t0 - 1];
    const next = tokens[tp.t1];
    const tc = f.titleCase[tp.t0] === 1;
    const prevCap = !tc && prev !== undefined && continuesName(tokens, f.folded, tp.t0 - 1, lexicon);
    const nextCap =
      !tc && next !== undefined && next.sentence === tokens[tp.t1 - 1]!.sentence && next.cap &&
      !lexicon.nonPlaceWords.has(f.folded[tp.t1]!) && !lexicon.adminWords.has(f.folded[tp.t1]!) && !lexicon.settlementWords.has(f.folded[tp.t1]!);
    const major = hasMajorPlace(g, tp.postings);
    const single = tp.t1 - tp.t0 === 1;
    // A bare single word with no cue must name a town of some size.
    if (single && !tp.cued && !tp.demonym && !tp.unknown && !major && maxPopulation(g, tp.postings) < MIN_UNCUED_POPULATION) return false;
    // A particle that opens a personal name ("Abu Ali al-Ansari", "Bin Laden") is part of the name.
    const sentence = tokens[tp.t0]!.sentence;
    // A listed common word before a capitalised admin word ("Police Department") names an institution.
    if (single && lexicon.nonPlaceWords.has(tp.key) && next !== undefined && next.sentence === sentence && next.cap && lexicon.adminWords.has(f.folded[tp.t1]!)) return false;
    if (single && lexicon.nameParticles.has(tp.key) && next !== undefined && next.sentence === sentence && next.cap) return false;
    // A name after a particle ("Mohammed bin Rashid") is part of a personal name.
    if (!strongCue(tp, found, k) && prev !== undefined && prev.sentence === sentence && lexicon.nameParticles.has(f.folded[tp.t0 - 1]!) && tp.t0 > 1 && tokens[tp.t0 - 2]!.cap) return false;
    // A compass word alone ("North" of "North Darfur" when the whole is no gazetteer name) is no place.
    if (single && !tp.demonym && lexicon.directionWords.has(tp.key)) return false;
    // A nickname in quotes inside a person's name (Joaquin "El Chapo" Guzman) is no place.
    if (prev !== undefined && next !== undefined && QUOTES.has(prev.text) && QUOTES.has(next.text) && isNameWord(tokens[tp.t0 - 2], sentence) && isNameWord(tokens[tp.t1 + 1], sentence) && prev.sentence === sentence && next.sentence === sentence) return false;
    // A unit's dotted abbreviation ("La.", "Mass.", "Ga.") without its dot is another word
    // ("La Niña", "Sunday Mass").
    if (tp.t1 - tp.t0 === 1 && text[tp.end] !== '.' && isBareUnitAbbreviation(g, tp, text)) return false;
    // A name the gazetteer lacks ("Kampungu, Rosa Crestani") vouches for no neighbour.
    const strong = strongCue(tp, found, k);
    // Person names: a capitalised word right after a first name ("Ben Wagner", sentence start
    // included), or a place named like a first name right before a capitalised word ("Marco
    // Rubio"), unless the words ask for a place ("Victoria province", "in Jordan").
    if (!tp.demonym && !strong && !f.titleCase[tp.t0]) {
      const prevFirst = prev !== undefined && prev.cap && prev.sentence === tokens[tp.t0]!.sentence && lexicon.givenNames.has(f.folded[tp.t0 - 1]!);
      const selfFirst = tp.t1 - tp.t0 === 1 && lexicon.givenNames.has(tp.key) && next !== undefined && next.cap && next.sentence === tokens[tp.t0]!.sentence;
      // A country or unit is kept only when a cue asks for a place ("Andrew Jordan", "Vladimir Putin" are people).
      if ((prevFirst || selfFirst) && (!major || !tp.cued)) return false;
    }
    // The word after, or the part after a hyphen ("Arabic-language" → "language").
    const tail = tokens[tp.t0]!.text.includes('-') && tp.t1 - tp.t0 === 1 ? f.folded[tp.t0]!.split(' ').slice(1).join(' ') : '';
    // Annotation that marks names inside longer names ("Malaysia Airlines"): a country, admin-1
    // unit, region or city is kept there too.
    const embedded = embeddedNames && (major || maxPopulation(g, tp.postings) >= EMBEDDED_MIN_POPULATION);
    return plausibleAlone(tp, lexicon, text, {
      prevCap: prevCap && !embedded,
      nextCap: nextCap && !embedded,
      strong,
      lowerSeen: ctx.lowerKeys.has(tp.key),
      nameTail: ctx.tails.has(tp.key),
      major,
      prevWord: tp.t0 > 0 ? f.folded[tp.t0 - 1]! : '',
      nextWord: tail || (tp.t1 < tokens.length ? f.folded[tp.t1]! : ''),
    });
  });
  // Containment indices point into the unfiltered list: re-link by adjacency.
  relinkContainers(g, kept, f.folded);
  linkInside(kept, f, lexicon);
  return kept;
}

/** The words ask for a place: an admin or settlement word, or "X, Y" containment with a known name. */
function strongCue(tp: Toponym, found: readonly Toponym[], k: number): boolean {
  return tp.adminLevel > 0 || tp.settlement || (tp.container >= 0 && !found[tp.container]!.unknown) || (k > 0 && found[k - 1]!.container === k && !found[k - 1]!.unknown);
}

/** No word follows the toponym in its sentence: punctuation or the sentence's end comes next. */
function nounless(tokens: readonly Token[], tp: Toponym): boolean {
  const next = tokens[tp.t1];
  return next === undefined || next.sentence !== tokens[tp.t0]!.sentence || !WORD_START.test(next.text);
}
const WORD_START = /^[\p{L}\p{N}]/u;

/** A capitalised token of the given sentence. */
function isNameWord(t: Token | undefined, sentence: number): boolean {
  return t !== undefined && t.cap && t.sentence === sentence;
}

/** Quotation marks, straight and curly. */
const QUOTES = new Set(['"', "'", '“', '”', '‘', '’', '«', '»']);

/** Words of location between a place and "in" ("located in", "situated in"). */
const LOCATED = new Set(['located', 'situated', 'lying']);

/**
 * "X in Y", "X, in Y", "X located in Y", "X in Y's Z region": X lies in the most specific place of the chain after "in"
 * (possessives chain on, with at most one compass word between: "in Nigeria's northwestern
 * Kaduna state" → Kaduna). Sets `inside` on each toponym (-1 when none).
 */
function linkInside(toponyms: Toponym[], f: FoldedTokens, lexicon: GeoLexicon): void {
  // A nationality word that is no gazetteer name ("Afghan") contains nothing.
  const name = (t: Toponym | undefined): t is Toponym => t !== undefined && t.partial === null && (!t.demonym || t.postings !== null);
  for (let k = 0; k < toponyms.length; k++) {
    const a = toponyms[k]!;
    a.inside = -1;
    // Spans that are no names as a whole ("Atlantic Avenue") are placed by placePartials.
    if (a.partial !== null) continue;
    const p = toponyms[k - 1];
    // "Pakistan's North Waziristan": the possessive's owner contains the name.
    if (name(p) && p.t1 === a.t0 && f.cut[p.t1 - 1]) a.inside = k - 1;
    const b = toponyms[k + 1];
    // "in Y", "in northern Y", and after a comma ("Austin, in Scott County, Indiana") or a word
    // of location ("Fulton County located in Illinois").
    let at = f.folded[a.t1] === ',' ? a.t1 + 1 : a.t1;
    if (LOCATED.has(f.folded[at]!)) at++;
    const gap = b ? b.t0 - at : 0;
    if (!name(b) || f.folded[at] !== 'in' || !(gap === 1 || (gap === 2 && lexicon.directionWords.has(f.folded[at + 1]!)))) continue;
    let j = k + 1;
    for (;;) {
      const cur = toponyms[j]!;
      const nx = toponyms[j + 1];
      if (!name(nx) || !f.cut[cur.t1 - 1]) break;
      if (nx.t0 === cur.t1 || (nx.t0 === cur.t1 + 1 && lexicon.directionWords.has(f.folded[cur.t1]!))) j++;
      else break;
    }
    a.inside = j;
  }
}

/**
 * Places the words put inside another ("the town of Merawi in Ethiopia's Amhara region") must lie
 * in it: a candidate that does is taken; when none does, a settlement or district the words name
 * is a place the gazetteer lacks ("none" with the container as its context), except for given
 * spans, which keep their choice. Repeats of such a name share its context. Returns the context
 * (the container's place, or null) of every unknown toponym by index.
 */
function resolveInside(g: Gazetteer, toponyms: Toponym[], cands: readonly Candidate[][], chosen: ({ place: number; prob: number } | null)[], given: boolean): Map<number, number | null> {
  const context = new Map<number, number | null>();
  toponyms.forEach((tp, k) => {
    const outer = tp.inside >= 0 ? chosen[tp.inside] : null;
    if (outer && tp.partial === null) {
      const c = chosen[k];
      if (!c || !within(g, c.place, outer.place)) {
        let best: Candidate | null = null;
        for (const x of cands[k]!) if (within(g, x.place, outer.place) && (!best || x.score > best.score)) best = x;
        if (best) chosen[k] = { place: best.place, prob: c ? c.prob : 0.5 };
        else if (!given && (tp.unknown || tp.settlement || tp.adminLevel === 2)) {
          chosen[k] = null;
          tp.unknown = true;
          context.set(k, outer.place);
        }
      }
    }
    if (!given && tp.unknown && !chosen[k] && !context.has(k)) context.set(k, null);
  });
  if (given || context.size === 0) return context;
  // One name, one place: every mention of an unknown name is that unknown place.
  const byKey = new Map<string, number | null>();
  for (const [k, ctx] of context) {
    const key = toponyms[k]!.key;
    if (byKey.get(key) == null) byKey.set(key, ctx);
  }
  toponyms.forEach((tp, k) => {
    if (tp.demonym || !byKey.has(tp.key) || (context.has(k) && (context.get(k) !== null || byKey.get(tp.key) === null))) return;
    chosen[k] = null;
    tp.unknown = true;
    context.set(k, byKey.get(tp.key) ?? null);
  });
  return context;
}

/**
 * The record of a place the gazetteer lacks: no id, no coordinates; country and admin names from
 * its context (the place the words put it in), else the article's main country. geo_precision 2
 * when an admin unit or town is known around it, 3 when only the country is.
 * @example unknownMention(gaz, text, kuriga, kadunaState, 'NG') // { name: 'Kuriga', lat: null, admin1: 'Kaduna State', geo_precision: 2, ... }
 */
function unknownMention(g: Gazetteer, text: string, tp: Toponym, context: number | null, mainCountry: string | null): PlaceMention {
  const m = toPlaceMention(g, text, tp, null);
  m.country_code = mainCountry;
  if (context !== null) {
    const fc = g.fcode(context);
    const country = COUNTRY_CODES.has(fc);
    const unit1 = ADMIN1_CODES.has(fc);
    m.country_code = g.country(context);
    m.admin1 = unit1 ? g.name(context) : country ? null : g.admin1Name(context);
    m.admin2 = ADMIN2_CODES.has(fc) ? g.name(context) : unit1 || country ? null : g.admin2Name(context);
    m.geo_precision = country ? 3 : 2;
  }
  return m;
}

/** Chosen places' countries, counted. */
function countryVotes(g: Gazetteer, chosen: readonly ({ place: number } | null)[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of chosen) {
    const cc = c ? g.country(c.place) : null;
    if (cc) m.set(cc, (m.get(cc) ?? 0) + 1);
  }
  return m;
}

function topKey(m: Map<string, number>, among?: readonly string[]): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [k, v] of m) if (v > n && (!among || among.includes(k))) [best, n] = [k, v];
  return best;
}

/**
 * A region that lies in several countries ("Kashmir", "Kurdistan") takes the one of them the
 * article's places point to most; it stays without a country when they point to none.
 */
function sharedRegionCountry(g: Gazetteer, m: PlaceMention, lexicon: GeoLexicon, countries: Map<string, number>): PlaceMention {
  if (m.country_code !== null) return m;
  const among = lexicon.sharedRegions.get(g.keyOf(m.name));
  if (among) m.country_code = topKey(countries, among);
  return m;
}

/**
 * "the Somali capital", "Somalia's capital" with no name after it: the country's capital. The
 * toponym takes "capital" into its span and the capital as its only candidate.
 */
function nameCapitals(g: Gazetteer, tokens: readonly Token[], f: FoldedTokens, toponyms: Toponym[]): void {
  for (const tp of toponyms) {
    const w = tokens[tp.t1];
    if (!w || w.cap || f.folded[tp.t1] !== 'capital' || w.sentence !== tokens[tp.t0]!.sentence) continue;
    const after = tokens[tp.t1 + 1];
    // "the Syrian capital Damascus", "Kenya's capital, Nairobi": the capital is named already.
    if (after && after.sentence === w.sentence && (after.cap || (after.text === ',' && tokens[tp.t1 + 2]?.cap))) continue;
    let cc = tp.demonym?.kind === 'group' ? null : (tp.demonym?.country ?? null);
    if (!cc && tp.postings) for (const x of tp.postings) if ((g.kind(x >> 1) & PLACE_KIND.country) !== 0) cc = g.country(x >> 1);
    const capital = cc ? g.capitalOf(cc) : null;
    if (capital === null) continue;
    tp.fixed = capital;
    tp.demonym = null;
    tp.t1 += 1;
    tp.end = w.end;
    tp.key = `${tp.key} capital`;
    tp.settlement = true;
    tp.cued = true;
  }
}

/** The name is followed by a site word ("Lido beach", "Kabul airport"): it names a local site. */
function isSiteName(tp: Toponym, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): boolean {
  const w = tokens[tp.t1];
  return !tp.demonym && tp.adminLevel === 0 && w !== undefined && w.sentence === tokens[tp.t0]!.sentence && lexicon.siteWords.has(f.folded[tp.t1]!);
}

/**
 * A site named after a place ("on Lido beach") is where the article is: when its name resolved to
 * a namesake in another country than the article's main one, it takes the nearest settlement the
 * article names in its main country (within LOCAL_REACH), else it is dropped.
 */
function placeForeignSites(g: Gazetteer, toponyms: readonly Toponym[], chosen: ({ place: number; prob: number } | null)[], sites: readonly boolean[]): void {
  if (!sites.includes(true)) return;
  const votes = countryVotes(g, chosen.map((c, k) => (sites[k] ? null : c)));
  const main = topKey(votes);
  if (!main) return;
  toponyms.forEach((tp, k) => {
    const c = chosen[k];
    if (!sites[k] || !c || g.country(c.place) === main) return;
    let near: number | null = null;
    let best = LOCAL_REACH;
    toponyms.forEach((o, j) => {
      const q = chosen[j];
      if (!q || sites[j] || g.country(q.place) !== main || !g.fcode(q.place).startsWith('PPL')) return;
      const d = Math.abs(o.start - tp.start);
      if (d < best) [best, near] = [d, q.place];
    });
    chosen[k] = near === null ? null : { place: near, prob: 0.2 };
  });
}

/**
 * Given spans that are not names as a whole (streets, buildings, neighbourhoods) lie, most
 * likely, in the article's local focus: the settlement of its main admin-1 unit that its whole
 * names point to most often (else that unit, else its country). A name at the head of the span ("Kabul
 * University") is kept when it agrees with that focus or is a large place.
 */
function placePartials(g: Gazetteer, toponyms: readonly Toponym[], chosen: ({ place: number; prob: number } | null)[]): void {
  const settle = new Map<number, number>();
  const a1 = new Map<string, number>();
  const cc = new Map<string, number>();
  toponyms.forEach((tp, k) => {
    const c = chosen[k];
    if (!c || tp.partial !== null) return;
    const country = g.country(c.place);
    if (!country) return;
    cc.set(country, (cc.get(country) ?? 0) + 1);
    const fc = g.fcode(c.place);
    const admin1 = g.admin1(c.place);
    if (admin1 && !COUNTRY_CODES.has(fc)) a1.set(`${country}.${admin1}`, (a1.get(`${country}.${admin1}`) ?? 0) + 1);
    if (fc.startsWith('PPL')) settle.set(c.place, (settle.get(c.place) ?? 0) + 1);
  });
  const top = <K>(m: Map<K, number>): K | null => {
    let best: K | null = null;
    let n = 0;
    for (const [k, v] of m) if (v > n) [best, n] = [k, v];
    return best;
  };
  // The article's main country: names that are no place names lie there, not near a foreign city
  // the article mentions in passing ("Eastern Ghouta" in a story that names Moscow).
  const mainCC = top(cc);
  const inMain = (p: number): boolean => mainCC === null || g.country(p) === mainCC;
  for (const [k] of a1) if (mainCC !== null && !k.startsWith(`${mainCC}.`)) a1.delete(k);
  const topA1 = top(a1);
  // The article's main admin-1 unit, when it names places below country level: a settlement in
  // another unit is a passing mention too (a Bourbon, Indiana, read into a story on New Orleans).
  const inMainUnit = (p: number): boolean => topA1 === null || `${g.country(p)}.${g.admin1(p)}` === topA1;
  for (const [p] of settle) if (!inMain(p) || !inMainUnit(p)) settle.delete(p);
  let focus = top(settle);
  if (focus === null && topA1) {
    const [c0, a0] = topA1.split('.');
    focus = g.admin1Place(c0!, a0!);
  }
  if (focus === null) focus = mainCC ? g.countryOf(mainCC) : null;
  // Resolved settlements and districts by position, for the nearest-neighbour rule below.
  const local: { at: number; place: number }[] = [];
  toponyms.forEach((tp, k) => {
    const c = chosen[k];
    if (!c || tp.partial !== null) return;
    const fc = g.fcode(c.place);
    if (fc.startsWith('PPL') || ADMIN2_CODES.has(fc)) local.push({ at: tp.start, place: c.place });
  });
  toponyms.forEach((tp, k) => {
    if (tp.partial === null) return;
    // The nearest settlement named right beside it (any country), else the nearest in the
    // article's main country and admin-1 unit within a paragraph's reach, else the article's focus.
    let near: number | null = null;
    let best = LOCAL_REACH;
    let beside: number | null = null;
    let besideAt = BESIDE_REACH;
    for (const l of local) {
      const d = Math.abs(l.at - tp.start);
      if (d < besideAt) [besideAt, beside] = [d, l.place];
      if (d < best && inMain(l.place) && inMainUnit(l.place)) [best, near] = [d, l.place];
    }
    if (beside !== null) near = beside;
    const here = near ?? focus;
    const c = chosen[k];
    // A country or large region named inside the span ("Nazi Germany", "Embassy of the Republic
    // of Armenia") places it better than a settlement nearby.
    if (c && tp.partial === 'inner') {
      const fc = g.fcode(c.place);
      if (COUNTRY_CODES.has(fc) || (REGION_CODES.has(fc) && g.population(c.place) > 0)) return;
    }
    if (c && tp.partial === 'head') {
      const fc = g.fcode(c.place);
      const big = COUNTRY_CODES.has(fc) || ADMIN1_CODES.has(fc) || g.population(c.place) >= 100000;
      const inFocus = here !== null && g.country(c.place) === g.country(here) && g.admin1(c.place) === g.admin1(here);
      if (big || inFocus || here === null) return;
    }
    chosen[k] = here !== null ? { place: here, prob: 0.2 } : null;
  });
}

/**
 * One sense per name: an article means one place by one name, so every bare mention of a name
 * takes the choice of its most confident mention ("Santa Ana, California" … "Santa Ana").
 * Mentions whose own words ask for something ("X province", "the town of X", "X, Y") keep theirs.
 */
export function oneSensePerName(toponyms: readonly Toponym[], chosen: ({ place: number; prob: number } | null)[], g?: Gazetteer): void {
  const best = new Map<string, { place: number; prob: number }>();
  toponyms.forEach((tp, k) => {
    const c = chosen[k];
    if (!c || tp.partial !== null || tp.demonym) return;
    const b = best.get(tp.key);
    if (!b || c.prob > b.prob) best.set(tp.key, c);
  });
  toponyms.forEach((tp, k) => {
    const c = chosen[k];
    if (!c || tp.partial !== null || tp.demonym || tp.adminLevel !== 0 || tp.settlement || tp.container >= 0) return;
    const b = best.get(tp.key);
    if (!b || b.place === c.place) return;
    // A city named like its province ("Kharkiv" … "the Kharkiv region"): a bare mention is the
    // city, the seat inside the unit, whatever the unit's mention chose.
    if (g && isSeatOf(g, c.place, b.place)) return;
    chosen[k] = { place: b.place, prob: c.prob };
  });
}

/** Place `town` is a seat (PPLA*, PPLC) inside admin unit `unit`. */
function isSeatOf(g: Gazetteer, town: number, unit: number): boolean {
  const fu = g.fcode(unit);
  const ft = g.fcode(town);
  return (ADMIN1_CODES.has(fu) || ADMIN2_CODES.has(fu)) && (ft === 'PPLC' || ft.startsWith('PPLA')) && within(g, town, unit);
}

/** How far (in characters) a named settlement lends its location to an unknown name nearby. */
export const LOCAL_REACH = 600;
/** Within this many characters (the same phrase: "Houston's University of St. Thomas"), a named settlement lends its location even in another country than the article's main one. */
export const BESIDE_REACH = 40;

/** With embeddedNames, a name inside a longer capitalised name counts when it names a place this populous (or a country/unit/region). */
export const EMBEDDED_MIN_POPULATION = 100000;

/** A bare, uncued single word must name a place at least this populous to count. */
export const MIN_UNCUED_POPULATION = 5000;

function maxPopulation(g: Gazetteer, postings: Int32Array | null): number {
  return postings ? g.postingsSummary(postings).maxPopulation : 0;
}

/** Countries, admin-1 units and large regions. */
const MAJOR_KINDS = PLACE_KIND.country | PLACE_KIND.admin1 | PLACE_KIND.region;

/** The name is that of a country, admin-1 unit or large region. */
function hasMajorPlace(g: Gazetteer, postings: Int32Array | null): boolean {
  return postings !== null && (g.postingsSummary(postings).kinds & MAJOR_KINDS) !== 0;
}

/** Words that make "X" a non-place when seen in lower case or inside a longer name. */
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'its', 'his', 'her', 'their', 'our', 'my', 'your']);
/** Titles before a name, possibly with a dot ("Mr. Kelly"). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'col', 'capt', 'lt', 'sgt', 'st']);

/**
 * Per-article word facts for the detection filters, about the found toponyms' keys (the only
 * words they ask about): the keys the article also writes in lower case, and the keys that stand
 * as tails of longer names outside any toponym ("Kelly" in "John Kelly"), which later stand alone
 * as surnames.
 */
function articleWords(
  tokens: readonly Token[],
  f: { folded: string[]; titleCase: Uint8Array },
  found: readonly Toponym[],
  lexicon: GeoLexicon,
): { lowerKeys: Set<string>; tails: Set<string> } {
  const n = tokens.length;
  const lowerKeys = new Set<string>();
  const tails = new Set<string>();
  const inToponym = new Uint8Array(n);
  const keys = new Set<string>();
  // A word whose signature (length, first and last characters) no key has is passed over
  // without a hash look-up: most words of an article.
  const signatures = new Uint32Array(KEY_SIGNATURES >> 5);
  for (const tp of found) {
    if (tp.t1 - tp.t0 > 1) inToponym.fill(1, tp.t0, tp.t1);
    keys.add(tp.key);
    const sig = keySignature(tp.key);
    signatures[sig >> 5]! |= 1 << (sig & 31);
  }
  for (let i = 0; i < n; i++) {
    const fi = f.folded[i]!;
    const sig = keySignature(fi);
    if ((signatures[sig >> 5]! & (1 << (sig & 31))) === 0) continue;
    const t = tokens[i]!;
    if (!t.cap) {
      if (fi.length > 2 && keys.has(fi)) lowerKeys.add(fi);
      continue;
    }
    if (f.titleCase[i] || inToponym[i] || !keys.has(fi)) continue;
    const prevIsName = i > 0 && continuesName(tokens, f.folded, i - 1, lexicon) && tokens[i - 1]!.sentence === t.sentence;
    const afterTitle = i > 1 && f.folded[i - 1] === '' && TITLES.has(f.folded[i - 2]!);
    if (prevIsName || afterTitle || (i > 0 && TITLES.has(f.folded[i - 1]!))) tails.add(fi);
  }
  return { lowerKeys, tails };
}

/** Number of distinct key signatures (bits of articleWords' filter). */
const KEY_SIGNATURES = 1024;

/** A key's signature for articleWords' filter: its length and first and last characters, hashed to KEY_SIGNATURES. */
function keySignature(key: string): number {
  const n = key.length;
  if (n === 0) return 0;
  return (Math.imul(n, 0x9e37) ^ Math.imul(key.charCodeAt(0), 0x2f1) ^ key.charCodeAt(n - 1)) & (KEY_SIGNATURES - 1);
}

/** Token i is a capitalised word that continues a name: not sentence-initial, no determiner or place cue ("The", "In"). */
function continuesName(tokens: readonly Token[], folded: readonly string[], i: number, lexicon: GeoLexicon): boolean {
  const t = tokens[i]!;
  if (!t.cap || i === 0 || tokens[i - 1]!.sentence !== t.sentence) return false;
  return !DETERMINERS.has(folded[i]!) && !lexicon.before.has(folded[i]!);
}

/**
 * "X, Y" apposition marks containment ("Jalalabad, Nangarhar, Afghanistan"), except in a list of
 * countries: a comma run of three or more names, two or more of them country names ("Mexico,
 * China, Japan"; "Ghana, Niger, Nigeria"), is an enumeration, and no member contains the next.
 */
function relinkContainers(g: Gazetteer, toponyms: Toponym[], folded: readonly string[]): void {
  const linked = (a: Toponym, b: Toponym | undefined): boolean => b !== undefined && b.t0 === a.t1 + 1 && folded[a.t1] === ',';
  for (let k = 0; k < toponyms.length; k++) {
    const a = toponyms[k]!;
    const b = toponyms[k + 1];
    a.container = b && !b.demonym && linked(a, b) ? k + 1 : -1;
  }
  // Enumerations: three or more names joined by commas, "and" or "or", or two joined by "and" or
  // "or" ("California or Washington": the states; two joined by a comma read as "X, Y" instead).
  const joined = (a: Toponym, b: Toponym | undefined): boolean =>
    b !== undefined && b.t0 === a.t1 + 1 && (folded[a.t1] === ',' || folded[a.t1] === 'and' || folded[a.t1] === 'or');
  let lists = 0;
  for (let k = 0; k < toponyms.length; ) {
    let m = k;
    while (joined(toponyms[m]!, toponyms[m + 1]) || (m + 2 < toponyms.length && folded[toponyms[m]!.t1] === ',' && toponyms[m + 1]!.t0 === toponyms[m]!.t1 + 2 && folded[toponyms[m]!.t1 + 1] === 'and')) m++;
    const pair = m === k + 1 && (folded[toponyms[k]!.t1] === 'and' || folded[toponyms[k]!.t1] === 'or');
    const id = m - k + 1 >= 3 || pair ? lists++ : -1;
    for (let i = k; i <= m; i++) toponyms[i]!.list = id;
    // "shows in Copenhagen, Hamburg and Mannheim": a list closed by "and"/"or" enumerates, and no
    // member contains the next ("Jalalabad, Nangarhar, Afghanistan", with no "and", still chains).
    if (id >= 0) {
      let closed = false;
      for (let i = k; i < m; i++) {
        const w = folded[toponyms[i]!.t1];
        const w2 = folded[toponyms[i]!.t1 + 1];
        if (w === 'and' || w === 'or' || (w === ',' && (w2 === 'and' || w2 === 'or'))) closed = true;
      }
      if (closed) for (let i = k; i <= m; i++) toponyms[i]!.container = -1;
    }
    k = m + 1;
  }
  for (let k = 0; k < toponyms.length; ) {
    let m = k;
    while (linked(toponyms[m]!, toponyms[m + 1])) m++;
    if (m - k + 1 >= 3) {
      let countries = 0;
      for (let i = k; i <= m; i++) if (namesCountry(g, toponyms[i]!)) countries++;
      if (countries >= 2) for (let i = k; i <= m; i++) toponyms[i]!.container = -1;
    }
    k = m + 1;
  }
}

/** The toponym can name a country (its own name or an alternate). */
function namesCountry(g: Gazetteer, tp: Toponym): boolean {
  return tp.postings !== null && (g.postingsSummary(tp.postings).kinds & PLACE_KIND.country) !== 0;
}

/**
 * The article's focus: the country with the most place weight, and within it the admin-1 unit
 * with the most weight (when any place below country level is named).
 * @example articleFocus(gaz, places) // { country_code: 'AF', admin1: 'Nangarhar', place: {...Nangarhar} }
 */
export function articleFocus(g: Gazetteer, places: readonly PlaceMention[]): ArticleFocus | null {
  const cc = new Map<string, number>();
  for (const p of places) {
    if (!p.country_code) continue;
    cc.set(p.country_code, (cc.get(p.country_code) ?? 0) + (p.demonym ? 0.5 : 1) * (0.5 + p.score));
  }
  if (cc.size === 0) return null;
  const country = [...cc.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const a1 = new Map<string, number>();
  for (const p of places) {
    if (p.country_code !== country || !p.admin1 || (p.feature_code && COUNTRY_CODES.has(p.feature_code))) continue;
    a1.set(p.admin1, (a1.get(p.admin1) ?? 0) + 0.5 + p.score);
  }
  const admin1 = a1.size ? [...a1.entries()].sort((a, b) => b[1] - a[1])[0]![0] : null;
  let place: PlaceMention | null = null;
  if (admin1) {
    place = places.find((p) => p.country_code === country && p.admin1 === admin1 && p.feature_code !== null && ADMIN1_CODES.has(p.feature_code)) ?? null;
    if (!place) {
      // admin1 is the unit's name: find the unit by its own name in that country.
      const unit = g.find(admin1).find((u) => g.country(u) === country && ADMIN1_CODES.has(g.fcode(u)) && g.name(u) === admin1) ?? null;
      if (unit !== null) {
        place = {
          start: -1, end: -1, text: '', name: g.name(unit), geonames_id: g.id(unit), feature_code: g.fcode(unit), country_code: country,
          admin1, admin2: null, lat: Math.round(g.lat(unit) * 1e5) / 1e5, lon: Math.round(g.lon(unit) * 1e5) / 1e5, geo_precision: 3, score: 0,
        };
      }
    }
  }
  place ??= places.find((p) => p.country_code === country && p.feature_code !== null && COUNTRY_CODES.has(p.feature_code) && !p.demonym) ?? null;
  return { country_code: country, admin1, place };
}

/**
 * The point a place without coordinates (a town the gazetteer lacks, output with its admin context)
 * falls back to: its admin-2 unit, else its admin-1 unit, else its country, found by the names and
 * country code the mention carries. Null when the mention has coordinates or no context.
 * @example fallbackPoint(gaz, merawi) // { name: 'Amhara', feature_code: 'ADM1', lat: 11.5, lon: 38, geonames_id: null }
 */
export function fallbackPoint(g: Gazetteer, p: PlaceMention): { name: string; feature_code: string; geonames_id: number | null; lat: number; lon: number } | null {
  if (p.lat !== null || !p.country_code) return null;
  const cc = p.country_code;
  const unit = (name: string | null, codes: ReadonlySet<string>): number | null => (name ? (g.find(name).find((u) => g.country(u) === cc && codes.has(g.fcode(u)) && g.name(u) === name) ?? null) : null);
  const at = unit(p.admin2, ADMIN2_CODES) ?? unit(p.admin1, ADMIN1_CODES) ?? g.countryOf(cc);
  if (at === null) return null;
  return { name: g.name(at), feature_code: g.fcode(at), geonames_id: g.id(at), lat: Math.round(g.lat(at) * 1e5) / 1e5, lon: Math.round(g.lon(at) * 1e5) / 1e5 };
}

/** The gazetteer from the context, or a KnowledgeError that says how to provide it. */
function gazetteerOf(ctx: StageContext): Gazetteer {
  const g = ctx.knowledge.gazetteer;
  if (!g) throw new KnowledgeError('the place stage needs a gazetteer: load it with loadGazetteer() from src/geo and pass it as knowledge.gazetteer');
  return g;
}

/** Pipeline stage: fills `doc.places` and `doc.focus`; runs after the actor stage. */
export const placeStage: Stage = {
  name: 'places',
  requires: ['tokens', 'actors'],
  assigns: ['places', 'focus'],
  run(doc: KhabarDoc, ctx: StageContext): KhabarDoc {
    const g = gazetteerOf(ctx);
    doc.places = geoparseTokens(g, doc.text, doc.tokens, { actors: doc.actors });
    for (const p of doc.places) {
      if (p.lat !== null) continue;
      const at = fallbackPoint(g, p);
      if (at) p.fallback = { name: at.name, geonames_id: at.geonames_id, lat: at.lat, lon: at.lon };
    }
    doc.focus = articleFocus(g, doc.places);
    return doc;
  },
};

/**
 * Geoparses plain text (for the CLI and evaluation): offsets are into `text` as given.
 * With givenSpans, resolves exactly those spans, one result per span, in order, with null
 * coordinates when "none". With demonyms: false, detected demonyms are left out of the result;
 * with facilitySpans: false, names inside facility names keep their own span ("Colorado" of
 * "Colorado State University"); the defaults follow GeoWebNews' annotation.
 * @example geoparseText(gaz, 'Clashes in Jalalabad, Nangarhar.').map((p) => p.admin1) // ['Nangarhar', 'Nangarhar']
 */
export function geoparseText(
  gazetteer: Gazetteer,
  text: string,
  options: { givenSpans?: Span[]; demonyms?: boolean; facilitySpans?: boolean; embeddedNames?: boolean; siteNames?: boolean; capitals?: boolean } = {},
): PlaceMention[] {
  const tokens = tokenizeSentences(text, splitSentences(text));
  const opts: GeoparseOptions = {};
  if (options.givenSpans) opts.givenSpans = options.givenSpans;
  if (options.facilitySpans !== undefined) opts.facilitySpans = options.facilitySpans;
  if (options.embeddedNames !== undefined) opts.embeddedNames = options.embeddedNames;
  if (options.siteNames !== undefined) opts.siteNames = options.siteNames;
  if (options.capitals !== undefined) opts.capitals = options.capitals;
  const found = geoparseTokens(gazetteer, text, tokens, opts);
  // Demonyms ("Afghan") are kept by default; corpora that do not count them as toponyms drop them.
  // A short form that is also the country's name ("US", "UK", "UAE", "New Zealand") stays.
  return options.demonyms === false && !options.givenSpans ? found.filter((p) => !p.demonym || isCountryName(gazetteer, p.text)) : found;
}

/** The words are a name of a country in the gazetteer ("US", "U.K.", "New Zealand"). */
function isCountryName(g: Gazetteer, words: string): boolean {
  return g.find(words).some((x) => COUNTRY_CODES.has(g.fcode(x)));
}
