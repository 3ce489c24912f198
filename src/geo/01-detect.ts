/**
 * Step 1 of the geoparser: find toponym mentions in the tokens — the longest gazetteer name,
 * demonym or non-place phrase starting at each capitalised token — and record the context cues
 * around each one (admin words, "in"/"near", "X, Y" containment, metonymy verbs).
 */
import type { ActorKind, ActorMention, Span, Token } from '../types.js';
import type { DemonymEntry } from './demonyms.js';
import { foldToken } from './fold.js';
import { PLACE_KIND, type Gazetteer } from './gazetteer.js';
import type { GeoLexicon } from './lexicon.js';

/** A toponym found (or given) in the text, with its context; resolved by steps 2–4. */
export interface Toponym extends Span {
  /** Token range [t0, t1). */
  t0: number;
  t1: number;
  key: string;
  postings: Int32Array | null;
  demonym: DemonymEntry | null;
  /** Admin level the words ask for ("Nangarhar province" → 1), 0 when none. */
  adminLevel: 0 | 1 | 2;
  /** The words ask for a settlement ("the town of X", "X city"). */
  settlement: boolean;
  /** A place cue precedes or follows ("in X", "X province", "X, Y"). */
  cued: boolean;
  /** "near X", "outside X": the event is near, not in, the place. */
  near: boolean;
  /** A speech or decision verb follows ("Washington said"). */
  verbFollows: boolean;
  /** The span is exactly an actor mention of a state/government kind ("Pakistan" as a state). */
  actorState: boolean;
  /** Index of the toponym that contains this one by "X, Y" apposition, or -1. */
  container: number;
  /** The surface is a short all-capital word ("EU", "BC"). */
  acronym: boolean;
  /** Set for spans given by the caller: resolve even without cues. */
  given: boolean;
  /**
   * For a given span that is not a name as a whole: 'head' when a name starts it ("Kabul
   * University"), 'inner' when a name sits elsewhere in it ("Press Street"), 'none' when no
   * name is in it; null for whole names.
   */
  partial: 'head' | 'inner' | 'none' | null;
  /** Number of the enumeration ("A, B and C": three or more names joined by commas/"and"/"or", or two by "and"/"or") the toponym is in, or -1. */
  list: number;
  /**
   * A name the gazetteer lacks, taken because the words say it is a place ("the town of Kuriga",
   * "Macomia district"): resolved to "none" with the admin context around it.
   */
  unknown: boolean;
  /** Index of the toponym the words put this one in ("the town of X in Y's Z region" → Z), or -1. */
  inside: number;
  /** The place the words name outright ("the Somali capital" → Mogadishu), or -1. */
  fixed: number;
}

/** Actor kinds that are generic, demonym-style mentions ("Afghan forces"): places inside them count. */
const GENERIC_ACTOR_KINDS: ReadonlySet<ActorKind> = new Set<ActorKind>([
  'state', 'government', 'military', 'police', 'security', 'intelligence', 'civilians', 'protesters', 'rioters', 'unknown',
]);

/** The tokens' folded forms, with a possessive "'s" removed ("Pakistan's" → "pakistan"). */
export interface FoldedTokens {
  folded: string[];
  /** Characters cut from the token's end (2 for a possessive). */
  cut: Uint8Array;
  /** The folded form holds a letter or digit (1), or is punctuation or empty (0). */
  word: Uint8Array;
  /** The token holds a hyphen ("Kabul-based"). */
  hyphen: Uint8Array;
  /** The sentence is in title case or capitals (headline): neighbouring capitals say nothing. */
  titleCase: Uint8Array;
}

/** "I've", "I'll", "We'd", "don't": contractions are never names. */
const CONTRACTION = /(?:['’](?:ve|ll|re|d|m)|n['’]t)$/i;
/** A hyphenated part this populous (or a country, unit or region) is a place, not half of a double surname. */
const HYPHEN_PART_MIN_POPULATION = 100000;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** The text ends in a possessive "'s" (straight or curly apostrophe, either case of s). */
function endsPossessive(text: string): boolean {
  const n = text.length;
  const s = text.charCodeAt(n - 1);
  const q = text.charCodeAt(n - 2);
  return (s === 115 || s === 83) && (q === 39 || q === 0x2019);
}

/** An ASCII letter or digit. */
function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** The string holds a letter or digit; the first character decides most cases without the regex. */
function hasWordChar(s: string): boolean {
  if (s === '') return false;
  const c = s.charCodeAt(0);
  if (isAsciiAlnum(c)) return true;
  return WORDLIKE.test(s);
}

/** The character at the start of `text` is a letter or digit. */
function startsWordlike(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c < 128) return isAsciiAlnum(c);
  return WORDLIKE.test(text[0]!);
}

/** foldToken of each one-character ASCII token (",", ".", "a"), computed once: punctuation is a sixth of all tokens. */
const FOLDED_ASCII_CHARS: readonly string[] = Array.from({ length: 128 }, (_, c) => foldToken(String.fromCharCode(c)));

/**
 * The tokens' folded forms and flags, in one pass.
 * @example foldTokens(tokenize("Pakistan's army", 0, 0)).folded // ['pakistan', 'army']
 */
export function foldTokens(tokens: readonly Token[]): FoldedTokens {
  const n = tokens.length;
  const folded = new Array<string>(n);
  // The four flag arrays share one buffer: one allocation instead of four.
  const flags = new ArrayBuffer(n * 4);
  const cut = new Uint8Array(flags, 0, n);
  const word = new Uint8Array(flags, n, n);
  const hyphen = new Uint8Array(flags, 2 * n, n);
  const titleCase = new Uint8Array(flags, 3 * n, n);
  // Title-case sentences: most word tokens capitalised. Counted for the sentence that starts at s0.
  let s0 = 0;
  let sentence = n > 0 ? tokens[0]!.sentence : 0;
  let words = 0;
  let caps = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (t.sentence !== sentence) {
      if (words >= 3 && caps / words > 0.7) titleCase.fill(1, s0, i);
      s0 = i;
      sentence = t.sentence;
      words = 0;
      caps = 0;
    }
    const lower = t.lower;
    const text = t.text;
    if (text.length === 1 && lower.length === 1) {
      // One character: never a counted word or a possessive; a lone "-" folds to nothing.
      const c = lower.charCodeAt(0);
      const fi = c < 128 ? FOLDED_ASCII_CHARS[c]! : foldToken(lower);
      folded[i] = fi;
      if (hasWordChar(fi)) word[i] = 1;
      if (c === 45 && fi !== lower) hyphen[i] = 1;
      continue;
    }
    if (text.length > 3 && startsWordlike(text)) {
      words++;
      if (t.cap) caps++;
    }
    // Folding lower-cases first, so the token's lower-case form folds alike, and a word already
    // in plain lower case is its own folded form (no new string).
    let fi: string;
    if (text.length > 2 && endsPossessive(text)) {
      fi = foldToken(lower.slice(0, -2));
      cut[i] = 2;
    } else fi = foldToken(lower);
    folded[i] = fi;
    if (hasWordChar(fi)) word[i] = 1;
    // Folding turns hyphens into spaces: a token that folds to its own lower-case form has none.
    if (fi !== lower && text.includes('-')) hyphen[i] = 1;
  }
  if (words >= 3 && caps / words > 0.7) titleCase.fill(1, s0, n);
  return { folded, cut, word, hyphen, titleCase };
}

/** What the gazetteer and the lexicon know of one folded key ("new york", "afghan"). */
interface KeyFacts {
  /** The key is a name or the first words of a longer one: one more word may still match. */
  extends: boolean;
  postings: Int32Array | null;
  demonym: DemonymEntry | null;
  /** A listed non-place phrase ("Red Cross"). */
  nonPlacePhrase: boolean;
  /** A listed organisation ("taliban"). */
  organisation: boolean;
}

/**
 * The facts of the keys most words have: nothing known (half of all look-ups), or only the first
 * words of a longer name (a fifth). Shared, so the cache holds no object of its own for them and a
 * look-up reads an object that stays in the processor's cache.
 */
const NO_FACTS: KeyFacts = Object.freeze({ extends: false, postings: null, demonym: null, nonPlacePhrase: false, organisation: false });
const PREFIX_FACTS: KeyFacts = Object.freeze({ extends: true, postings: null, demonym: null, nonPlacePhrase: false, organisation: false });

/** At most this many keys stay in a NameIndex's cache; it starts afresh when full. */
const MAX_CACHED_KEYS = 50000;

/**
 * The facts of a key, from the gazetteer's own index (prefixes are keys without postings) and the
 * lexicon's sets (their phrases' and demonyms' first words kept in a small set, built once). News
 * repeats its words, so the facts of each key asked for are cached: one Map look-up per word
 * instead of several probes of the large gazetteer index.
 */
export class NameIndex {
  private readonly prefixes = new Set<string>();
  private readonly cache = new Map<string, KeyFacts>();
  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly lexicon: GeoLexicon,
  ) {
    const add = (key: string): void => {
      let at = key.indexOf(' ');
      while (at > 0) {
        this.prefixes.add(key.slice(0, at));
        at = key.indexOf(' ', at + 1);
      }
    };
    for (const k of lexicon.demonyms.keys()) add(k);
    for (const k of lexicon.nonPlacePhrases) add(k);
    for (const k of lexicon.organisations) add(k);
  }

  /** @example index.facts('new').extends // true ("new york") */
  facts(key: string): KeyFacts {
    let facts = this.cache.get(key);
    if (facts === undefined) {
      const { gazetteer, lexicon } = this;
      const known: KeyFacts = {
        extends: this.prefixes.has(key) || gazetteer.hasKey(key),
        postings: gazetteer.postings(key),
        demonym: lexicon.demonyms.get(key) ?? null,
        nonPlacePhrase: lexicon.nonPlacePhrases.has(key),
        organisation: lexicon.organisations.has(key),
      };
      facts = known.postings || known.demonym || known.nonPlacePhrase || known.organisation ? known : known.extends ? PREFIX_FACTS : NO_FACTS;
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
      this.cache.set(key, facts);
    }
    return facts;
  }
}

const indexCache = new WeakMap<Gazetteer, WeakMap<GeoLexicon, NameIndex>>();
/** The NameIndex of a gazetteer and lexicon, built on first use and kept with them. */
export function nameIndex(gazetteer: Gazetteer, lexicon: GeoLexicon): NameIndex {
  let inner = indexCache.get(gazetteer);
  if (!inner) indexCache.set(gazetteer, (inner = new WeakMap()));
  let p = inner.get(lexicon);
  if (!p) inner.set(lexicon, (p = new NameIndex(gazetteer, lexicon)));
  return p;
}

interface Match {
  t1: number;
  key: string;
  postings: Int32Array | null;
  demonym: DemonymEntry | null;
  nonPlace: boolean;
}

/** The longest name starting at token i, or null. */
function longestMatch(
  i: number,
  tokens: readonly Token[],
  f: FoldedTokens,
  gazetteer: Gazetteer,
  lexicon: GeoLexicon,
  index: NameIndex,
  requireCaps: boolean,
  limit: number,
): Match | null {
  if (!f.word[i]) return null;
  const raw = tokens[i]!.text;
  // Folding drops apostrophes: a token that folds to its own lower-case form has none.
  if (f.folded[i] !== tokens[i]!.lower && (raw.includes("'") || raw.includes('’')) && CONTRACTION.test(raw)) return null;
  let key = f.folded[i]!;
  // The facts of `key`, once looked up.
  let facts: KeyFacts | null = null;
  let best: Match | null = null;
  const sentence = tokens[i]!.sentence;
  const maxWords = Math.max(gazetteer.maxKeyWords, lexicon.maxExtraWords);
  let words = 1;
  for (let j = i; j < limit; j++) {
    if (j > i) {
      const t = tokens[j]!;
      if (t.sentence !== sentence) break;
      const fj = f.folded[j]!;
      if (fj === '') continue; // a dot inside "St. Louis"
      if (!f.word[j]) break;
      if (requireCaps && !t.cap && !lexicon.joiners.has(fj)) break;
      facts ??= index.facts(key);
      if (!facts.extends) break;
      key = `${key} ${fj}`;
      facts = null;
      if (++words > maxWords) break;
      if (f.cut[j - 1]) break; // "Pakistan's Sindh": a possessive ends a name
    }
    if (requireCaps && !tokens[j]!.cap) continue; // a name ends on a capitalised word
    facts = index.facts(key);
    const nonPlace = (words > 1 && facts.nonPlacePhrase) || facts.organisation;
    if (facts.postings || facts.demonym || nonPlace) best = { t1: j + 1, key, postings: facts.postings, demonym: facts.demonym, nonPlace };
  }
  return best;
}

/** Hyphenated compounds: "U.S.-led", "Kabul-based" → the capitalised part before the hyphen. */
function hyphenHead(token: Token, gazetteer: Gazetteer, lexicon: GeoLexicon): { key: string; end: number; postings: Int32Array | null; demonym: DemonymEntry | null } | null {
  const h = token.text.indexOf('-');
  if (h <= 0) return null;
  const key = foldToken(token.text.slice(0, h));
  const postings = gazetteer.postings(key);
  const demonym = lexicon.demonyms.get(key) ?? null;
  if (!postings && !demonym) return null;
  return { key, end: token.start + h, postings, demonym };
}

/**
 * The capitalised parts of a hyphenated token that are names or nationality words, with their offsets.
 * @example hyphenParts(tokenOf('Syrian-Turkish'), gaz, lex).map((p) => p.key) // ['syrian', 'turkish']
 */
function hyphenParts(token: Token, gazetteer: Gazetteer, lexicon: GeoLexicon): { key: string; start: number; end: number; postings: Int32Array | null; demonym: DemonymEntry | null }[] {
  const out: { key: string; start: number; end: number; postings: Int32Array | null; demonym: DemonymEntry | null }[] = [];
  let at = 0;
  let capitalised = 0;
  for (const piece of token.text.split('-')) {
    const from = at;
    at += piece.length + 1;
    const c = piece.charCodeAt(0);
    if (piece.length < 2 || !(c >= 65 && c <= 90) && piece[0] === piece[0]!.toLowerCase()) continue;
    capitalised++;
    const key = foldToken(piece);
    const postings = gazetteer.postings(key);
    const demonym = lexicon.demonyms.get(key) ?? null;
    if (!postings && !demonym) continue;
    out.push({ key, start: token.start + from, end: token.start + from + piece.length, postings, demonym });
  }
  // A compound of capitalised parts that are not all names is a name of its own ("Pont-Sonde",
  // "Saint-Denis"): matched whole or not at all, never by one of its parts.
  if (out.length !== capitalised) return [];
  // Two or more small places joined ("Diaz-Balart") are a double surname; a compound with a
  // nationality word, a country or a large city ("Syrian-Turkish", "Amsterdam-London") is not.
  if (out.length >= 2 && !out.some((p) => p.demonym || majorOrLarge(gazetteer, p.postings))) return [];
  return out;
}

/** A toponym with no context set (tests build their own from it). @example blank(0, 5, 0, 1, 'kabul') */
export function blank(start: number, end: number, t0: number, t1: number, key: string): Toponym {
  return {
    start, end, t0, t1, key, postings: null, demonym: null, adminLevel: 0, settlement: false, cued: false, near: false,
    verbFollows: false, actorState: false, container: -1, given: false, partial: null, acronym: false, list: -1,
    unknown: false, inside: -1, fixed: -1,
  };
}

const DATELINE_DASHES = new Set(['-', '–', '—', ',', '(']);

/**
 * A dateline: the first word(s) of a sentence in capitals followed by a dash, comma or bracket
 * ("KYIV - ...", "ABUJA, Nigeria (Reuters) -"). Its capitals are the style of the dateline, not an acronym.
 */
function isDateline(tp: Toponym, tokens: readonly Token[]): boolean {
  const first = tp.t0 === 0 || tokens[tp.t0 - 1]!.sentence !== tokens[tp.t0]!.sentence;
  const next = tokens[tp.t1];
  return first && next !== undefined && next.sentence === tokens[tp.t0]!.sentence && DATELINE_DASHES.has(next.text);
}

/** Fills the context fields of a toponym from its neighbouring tokens. */
export function readContext(tp: Toponym, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): void {
  if (tp.t1 - tp.t0 === 1) {
    const w = tokens[tp.t0]!.text;
    tp.acronym = w.length <= 5 && w.length >= 2 && w === w.toUpperCase() && w !== w.toLowerCase() && !isDateline(tp, tokens);
  }
  const prev = tp.t0 > 0 ? f.folded[tp.t0 - 1]! : '';
  const prev2 = tp.t0 > 1 ? f.folded[tp.t0 - 2]! : '';
  const sameSentencePrev = tp.t0 > 0 && tokens[tp.t0 - 1]!.sentence === tokens[tp.t0]!.sentence;
  const next = tp.t1 < tokens.length && tokens[tp.t1]!.sentence === tokens[tp.t1 - 1]!.sentence ? f.folded[tp.t1]! : '';
  const next2 = tp.t1 + 1 < tokens.length ? f.folded[tp.t1 + 1]! : '';
  // A title ("Governor", "Mayor") asks for a level but does not make a common word ("City Mayor")
  // a place, nor does it speak of the second name of "X, Y" ("Calamba City, Laguna Mayor Chipeco").
  const office = !lexicon.nonPlaceWords.has(tp.key) && prev !== ',';
  const askOffice = (word: string): void => {
    if (!office) return;
    if (lexicon.unitOffices.has(word)) tp.adminLevel = 1;
    else if (lexicon.townOffices.has(word)) tp.settlement = true;
  };
  if (sameSentencePrev) {
    // "in X"; "Pakistan's X" (a possessive name owns the place).
    if (lexicon.before.has(prev) || (f.cut[tp.t0 - 1] && tokens[tp.t0 - 1]!.cap)) tp.cued = true;
    if (lexicon.nearWords.has(prev) || (lexicon.nearPhraseEnds.has(prev) && lexicon.nearWords.has(`${prev2} ${prev}`))) tp.near = true;
    // "the province of Nangarhar", "the town of Jalalabad"
    if (prev === 'of') {
      const lvl = lexicon.adminWords.get(prev2);
      if (lvl) {
        tp.adminLevel = lvl;
        tp.cued = true;
      } else if (lexicon.settlementWords.has(prev2)) {
        tp.settlement = true;
        tp.cued = true;
      } else askOffice(prev2);
    }
  }
  const lvl = lexicon.adminWords.get(next);
  if (lvl && (tp.t1 >= tokens.length || !f.cut[tp.t1 - 1])) {
    tp.adminLevel = lvl;
    tp.cued = true;
  } else if (lexicon.settlementWords.has(next)) {
    tp.settlement = true;
    tp.cued = true;
  } else askOffice(next);
  if (lexicon.metonymyVerbs.has(next) || (lexicon.metonymyVerbs.has(next2) && (next === 'has' || next === 'have' || next === 'also'))) tp.verbFollows = true;
}

export interface DetectOptions {
  /** Actor mentions from the actor stage (may be empty). */
  actors: readonly ActorMention[];
}

/**
 * Finds toponym candidates in tokenized text.
 * @example detectToponyms(gaz, lex, tokens, folded, { actors: [] }).map((t) => t.key) // ['jalalabad', 'nangarhar']
 */
export function detectToponyms(
  gazetteer: Gazetteer,
  lexicon: GeoLexicon,
  tokens: readonly Token[],
  f: FoldedTokens,
  options: DetectOptions,
): Toponym[] {
  const index = nameIndex(gazetteer, lexicon);
  const out: Toponym[] = [];
  // Actor spans sorted by start, for a moving pointer (the actor stage gives them in order already).
  const actors = sortedByStart(options.actors);
  let ai = 0;
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i]!;
    // Lower-case tokens matter only as hyphenated compounds with a capitalised part ("anti-Russian").
    if (!tok.cap && !f.hyphen[i]) continue;
    const m = tok.cap ? longestMatch(i, tokens, f, gazetteer, lexicon, index, true, n) : null;
    let tp: Toponym | null = null;
    if (m) {
      if (m.nonPlace) {
        i = m.t1 - 1;
        continue;
      }
      const end = tokens[m.t1 - 1]!.end - f.cut[m.t1 - 1]!;
      tp = blank(tok.start, end, i, m.t1, m.key);
      tp.postings = m.postings;
      tp.demonym = m.demonym;
    } else if (f.hyphen[i]) {
      // Hyphenated compounds: every capitalised part that is a name ("Syrian-Turkish border",
      // "Amsterdam-London leg", "anti-Russian", "Kabul-based").
      const parts = hyphenParts(tok, gazetteer, lexicon);
      for (let k = 0; k < parts.length; k++) {
        const h = parts[k]!;
        const part = blank(h.start, h.end, i, i + 1, h.key);
        part.postings = h.postings;
        part.demonym = h.demonym;
        if (k + 1 < parts.length) {
          readContext(part, tokens, f, lexicon);
          out.push(part);
        } else tp = part;
      }
    }
    if (!tp && tok.cap && !f.titleCase[i]) tp = unknownName(i, tokens, f, lexicon);
    if (!tp) continue;
    // Actor mentions: a place inside a named organisation ("Islamic State", "Kabul University")
    // is not a place; inside a generic one ("Afghan forces") it is.
    while (ai < actors.length && actors[ai]!.end <= tp.start) ai++;
    let skip = false;
    for (let k = ai; k < actors.length && actors[k]!.start < tp.end; k++) {
      const a = actors[k]!;
      if (a.start <= tp.start && a.end >= tp.end) {
        if (a.start === tp.start && a.end === tp.end) {
          // A state or government named by its country or capital ("Pakistan", "Washington")
          // is a place standing for it; one named otherwise ("Taliban") is no place at all.
          if (a.kind === 'state' || a.kind === 'government') {
            if (tp.demonym || namesStateSeat(gazetteer, tp.postings)) tp.actorState = true;
            else skip = true;
          } else if (!GENERIC_ACTOR_KINDS.has(a.kind)) skip = true;
        } else if (!GENERIC_ACTOR_KINDS.has(a.kind)) skip = true;
      }
    }
    i = tp.t1 - 1;
    if (skip) continue;
    readContext(tp, tokens, f, lexicon);
    // A people's name that is also its unit's, with the unit asked for ("Rakhine state", "Amhara
    // region"), is the unit.
    if (tp.demonym && tp.postings && tp.adminLevel > 0) tp.demonym = null;
    out.push(tp);
  }
  if (out.some((t) => t.unknown)) addUnknownRepeats(out, tokens, f, lexicon);
  // "Jalalabad, Nangarhar": the second contains the first (a chain "X, Y, Z" links each to the next).
  for (let k = 0; k + 1 < out.length; k++) {
    const a = out[k]!;
    const b = out[k + 1]!;
    // A name the gazetteer lacks vouches for no neighbour ("in Kampungu, Rosa Crestani").
    if (b.t0 === a.t1 + 1 && f.folded[a.t1] === ',' && !b.demonym && !a.unknown) {
      a.container = k + 1;
      a.cued = true;
      b.cued = true;
    }
  }
  return out;
}

/** The spans in order of start: the array itself when it is in order, else a sorted copy. */
function sortedByStart<T extends Span>(spans: readonly T[]): readonly T[] {
  for (let k = 1; k < spans.length; k++) if (spans[k]!.start < spans[k - 1]!.start) return [...spans].sort((a, b) => a.start - b.start);
  return spans;
}

/** The name is that of a country, admin-1 unit or region, or the own name (not an alternate: "Balart" is no "Ballarat") of a place of HYPHEN_PART_MIN_POPULATION or more. */
function majorOrLarge(g: Gazetteer, postings: Int32Array | null): boolean {
  if (!postings) return false;
  for (const x of postings) {
    const p = x >> 1;
    if ((g.kind(p) & (PLACE_KIND.country | PLACE_KIND.admin1 | PLACE_KIND.region)) !== 0 || ((x & 1) === 1 && g.population(p) >= HYPHEN_PART_MIN_POPULATION)) return true;
  }
  return false;
}

/** The name can stand for a state: a country, admin-1 unit, region or capital. */
function namesStateSeat(g: Gazetteer, postings: Int32Array | null): boolean {
  const seat = PLACE_KIND.country | PLACE_KIND.admin1 | PLACE_KIND.region | PLACE_KIND.capital;
  return postings !== null && (g.postingsSummary(postings).kinds & seat) !== 0;
}

/** A hyphenated token with a lower-case part ("Republican-led"). */
const LOWER_HYPHEN_PART = /-\p{Ll}/u;

/** At most this many capitalised words make a name the gazetteer lacks. */
const MAX_UNKNOWN_WORDS = 3;

/**
 * A name the gazetteer lacks, at capitalised token i, that the words say is a place: after
 * "the town of", "the district of" ("the town of Kuriga", "the town of Pont-Sonde") or before a
 * lower-case settlement or admin word ("Macomia district", "Kuriga village"). Null otherwise.
 * @example unknownName(i, tokens, f, lex)?.key // 'kuriga' in "the town of Kuriga"
 */
function unknownName(i: number, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): Toponym | null {
  const sentence = tokens[i]!.sentence;
  const after = i >= 2 && f.folded[i - 1] === 'of' && placeWordAt(i - 2, sentence, tokens, f, lexicon);
  let j = i;
  // A possessive ends the run ("Kuriga's").
  while (j < tokens.length && j - i < MAX_UNKNOWN_WORDS && tokens[j]!.cap && tokens[j]!.sentence === sentence && f.word[j]) if (f.cut[j++]) break;
  if (j === i) return null;
  // Before "district"/"state"/"camp", an acronym ("GOP state lawmaker") or a sentence's first word
  // ("Entire villages") is no name; after "the town of", a possessive is no name ("Saturday's").
  // (The place word is looked at first: most runs have none after them.)
  const first = i === 0 || tokens[i - 1]!.sentence !== sentence;
  const before = !f.cut[j - 1] && placeWordAt(j, sentence, tokens, f, lexicon) && !(first && j - i === 1) && !(j - i === 1 && tokens[i]!.text === tokens[i]!.text.toUpperCase());
  if ((!after || f.cut[j - 1]) && !before) return null;
  // A capitalised word right after the run means a longer name this rule does not know.
  if (j < tokens.length && tokens[j]!.sentence === sentence && tokens[j]!.cap) return null;
  for (let k = i; k < j; k++) {
    const w = f.folded[k]!;
    // "Republican-led", "Kabul-based": a compound with a lower-case part is no name.
    if (LOWER_HYPHEN_PART.test(tokens[k]!.text)) return null;
    // After "the town of", a common word is a name too ("the town of Ann"); before "district" it is not.
    if ((!after && lexicon.nonPlaceWords.has(w)) || lexicon.directionWords.has(w) || lexicon.demonyms.has(w) || lexicon.nameParticles.has(w)) return null;
  }
  let key = f.folded[i]!;
  for (let k = i + 1; k < j; k++) key += ` ${f.folded[k]!}`;
  const tp = blank(tokens[i]!.start, tokens[j - 1]!.end - f.cut[j - 1]!, i, j, key);
  tp.unknown = true;
  return tp;
}

/** Token k is a lower-case settlement or admin word of the sentence ("town", "district"). */
function placeWordAt(k: number, sentence: number, tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): boolean {
  const t = tokens[k];
  if (t === undefined || t.sentence !== sentence || t.cap) return false;
  const w = f.folded[k]!;
  return lexicon.settlementWords.has(w) || lexicon.adminWords.has(w);
}

/**
 * A name taken as unknown once ("the town of Kuriga") is the same place wherever the article
 * repeats it ("protested in Kuriga"): its other capitalised occurrences join the toponyms, in order.
 */
function addUnknownRepeats(out: Toponym[], tokens: readonly Token[], f: FoldedTokens, lexicon: GeoLexicon): void {
  const keys = new Map<string, number>();
  for (const t of out) if (t.unknown) keys.set(t.key, t.t1 - t.t0);
  const covered = new Uint8Array(tokens.length);
  for (const t of out) covered.fill(1, t.t0, t.t1);
  const added: Toponym[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (covered[i] || !tokens[i]!.cap) continue;
    for (const [key, n] of keys) {
      if (i + n > tokens.length || covered[i + n - 1]) continue;
      let k = f.folded[i]!;
      for (let m = 1; m < n; m++) k += ` ${f.folded[i + m]!}`;
      if (k !== key || tokens[i + n - 1]!.sentence !== tokens[i]!.sentence || tokens[i + n]?.cap && tokens[i + n]!.sentence === tokens[i]!.sentence) continue;
      const tp = blank(tokens[i]!.start, tokens[i + n - 1]!.end - f.cut[i + n - 1]!, i, i + n, key);
      tp.unknown = true;
      readContext(tp, tokens, f, lexicon);
      added.push(tp);
      i += n - 1;
      break;
    }
  }
  if (added.length === 0) return;
  out.push(...added);
  out.sort((a, b) => a.start - b.start);
}

/**
 * Toponyms for spans given by the caller (gold spans in evaluation): one per span, in order.
 * @example givenToponyms(gaz, lex, tokens, folded, [{ start: 0, end: 5 }])[0].key // 'kabul'
 */
export function givenToponyms(
  gazetteer: Gazetteer,
  lexicon: GeoLexicon,
  tokens: readonly Token[],
  f: FoldedTokens,
  spans: readonly Span[],
): Toponym[] {
  const index = nameIndex(gazetteer, lexicon);
  const out: Toponym[] = [];
  for (const span of spans) {
    // Tokens inside the span (binary search for the first).
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    let t1 = lo;
    while (t1 < tokens.length && tokens[t1]!.start < span.end) t1++;
    const parts: string[] = [];
    for (let k = lo; k < t1; k++) {
      const t = tokens[k]!;
      // A span that cuts a token ("Italy" of "Armenia-Italy") is keyed on its own characters.
      const cut = t.start < span.start || t.end > span.end;
      const folded = cut ? foldToken(t.text.slice(Math.max(0, span.start - t.start), Math.min(t.text.length, span.end - t.start))) : f.folded[k]!;
      if (folded) parts.push(folded);
    }
    const key = parts.join(' ');
    const tp = blank(span.start, span.end, lo, t1, key);
    tp.given = true;
    tp.postings = gazetteer.postings(key);
    tp.demonym = lexicon.demonyms.get(key) ?? null;
    if (!tp.postings && !tp.demonym) {
      // Not a name as a whole: the longest name inside it ("Kabul University" → Kabul,
      // "Kabul-based" → Kabul), preferring capitalised starts.
      let best: Match | null = null;
      let bestAt = -1;
      for (const caps of [true, false]) {
        for (let k = lo; k < t1 && !best; k++) {
          if (caps && !tokens[k]!.cap) continue;
          const m = longestMatch(k, tokens, f, gazetteer, lexicon, index, caps, t1);
          // Demonyms inside a name ("French Quarter") say nothing about where it is; nor does a
          // compass word ("West" of "West Wing", "Western" of "Western US"), nor a facility head
          // ("Bank" of "Bank of Japan", though villages are named Bank), nor a feature head
          // ("Lake" of "Lake Erie", though a Lake County has it as its short name).
          if (m && !m.nonPlace && m.postings && !lexicon.directionWords.has(m.key) && !lexicon.facilityWords.has(m.key) && !lexicon.featureWords.has(m.key)) {
            best = m;
            bestAt = k;
          }
        }
        if (best) break;
      }
      tp.partial = 'none';
      if (best) {
        tp.postings = best.postings;
        tp.key = best.key;
        // "West Surrey", "Western US": a compass word before a whole name leaves that name's place.
        const modified = bestAt === lo + 1 && lexicon.directionWords.has(f.folded[lo]!) && best.t1 === t1;
        tp.partial = modified ? null : bestAt === lo ? 'head' : 'inner';
      } else if (lo < t1) {
        const h = hyphenHead(tokens[lo]!, gazetteer, lexicon);
        if (h) {
          tp.postings = h.postings;
          tp.demonym = h.demonym;
          tp.key = h.key;
          tp.partial = 'head';
        }
      }
    }
    if (lo < t1) readContext(tp, tokens, f, lexicon);
    tp.cued = true;
    out.push(tp);
  }
  for (let k = 0; k + 1 < out.length; k++) {
    const a = out[k]!;
    const b = out[k + 1]!;
    if (b.t0 === a.t1 + 1 && f.folded[a.t1] === ',') a.container = k + 1;
  }
  return out;
}
