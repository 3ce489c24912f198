/**
 * Attribution: who the article cites for what it says. Finds the cited sources of each sentence
 * ("the police chief said", "according to X", "X told Reuters", "citing a report by X"), types them
 * (news, agency, official, actor, anonymous, witness, document, other) and orders each sentence's chain
 * outermost first; also reads whether a sentence claims, denies or alleges.
 *
 * @example findSources(doc, lexicon) // [{ text: 'the provincial police chief', name: 'provincial police chief', kind: 'official', depth: 0, ... }]
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';
import type { Stage } from '../pipeline.js';
import type { ActorKind, ActorMention, ClaimStatus, KhabarDoc, SourceKind, SourceMention, Token } from '../types.js';

const Words = z.array(z.string().min(1));

export const AttributionFileSchema = z.object({
  $comment: z.string().optional(),
  reportingVerbs: Words,
  tellVerbs: Words,
  citeWords: Words,
  documentNouns: Words,
  authorPrepositions: Words,
  agencies: Words,
  outlets: Words,
  mediaWords: Words,
  anonymousWords: Words,
  anonymousPhrases: Words,
  witnessWords: Words,
  officialWords: Words,
  claimVerbs: Words,
  denyVerbs: Words,
  allegeVerbs: Words,
  responsibilityWords: Words,
  negations: Words,
  pronouns: Words,
  determiners: Words,
  stopWords: Words,
});

export type AttributionFile = z.infer<typeof AttributionFileSchema>;

/** The attribution knowledge as sets, built once. */
export interface AttributionLexicon {
  reportingVerbs: ReadonlySet<string>;
  tellVerbs: ReadonlySet<string>;
  citeWords: ReadonlySet<string>;
  documentNouns: ReadonlySet<string>;
  authorPrepositions: ReadonlySet<string>;
  agencies: ReadonlySet<string>;
  outlets: ReadonlySet<string>;
  mediaWords: ReadonlySet<string>;
  anonymousWords: ReadonlySet<string>;
  anonymousPhrases: ReadonlySet<string>;
  witnessWords: ReadonlySet<string>;
  officialWords: ReadonlySet<string>;
  responsibilityWords: ReadonlySet<string>;
  /** Words that cancel a following claim verb ("no group claimed"). */
  negations: ReadonlySet<string>;
  pronouns: ReadonlySet<string>;
  determiners: ReadonlySet<string>;
  stopWords: ReadonlySet<string>;
  /** Claim, deny and allege verbs in one map (ClaimWord bits), so a sentence is read with one look-up a word. */
  claimWords: ReadonlyMap<string, number>;
  /** Cite words and reporting verbs in one map (SpeechWord bits): the source reader's one look-up a word. */
  speechWords: ReadonlyMap<string, number>;
}

/** Bits of AttributionLexicon.speechWords. */
const SpeechWord = { Cite: 1, Reporting: 2 } as const;

/** Bits of AttributionLexicon.claimWords. */
const ClaimWord = { Deny: 1, Claim: 2, Allege: 4 } as const;

/** Builds the lexicon from a parsed attribution file. */
export function buildAttributionLexicon(file: AttributionFile): AttributionLexicon {
  const set = (xs: string[]): ReadonlySet<string> => new Set(xs.map((x) => x.toLowerCase()));
  return {
    reportingVerbs: set(file.reportingVerbs),
    tellVerbs: set(file.tellVerbs),
    citeWords: set(file.citeWords),
    documentNouns: set(file.documentNouns),
    authorPrepositions: set(file.authorPrepositions),
    agencies: set(file.agencies),
    outlets: set(file.outlets),
    mediaWords: set(file.mediaWords),
    anonymousWords: set(file.anonymousWords),
    anonymousPhrases: set(file.anonymousPhrases),
    witnessWords: set(file.witnessWords),
    officialWords: set(file.officialWords),
    responsibilityWords: set(file.responsibilityWords),
    negations: set(file.negations),
    pronouns: set(file.pronouns),
    determiners: set(file.determiners),
    stopWords: set(file.stopWords),
    claimWords: claimWordMap(file),
    speechWords: speechWordMap(file),
  };
}

function speechWordMap(file: AttributionFile): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const w of file.citeWords) map.set(w.toLowerCase(), SpeechWord.Cite);
  for (const w of file.reportingVerbs) map.set(w.toLowerCase(), (map.get(w.toLowerCase()) ?? 0) | SpeechWord.Reporting);
  return map;
}

function claimWordMap(file: AttributionFile): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  const mark = (words: string[], bit: number): void => {
    for (const w of words) map.set(w.toLowerCase(), (map.get(w.toLowerCase()) ?? 0) | bit);
  };
  mark(file.denyVerbs, ClaimWord.Deny);
  mark(file.claimVerbs, ClaimWord.Claim);
  mark(file.allegeVerbs, ClaimWord.Allege);
  return map;
}

/**
 * Loads and checks data/events/attribution.json (or a user file).
 * @example loadAttributionLexicon().reportingVerbs.has('said') // true
 */
export function loadAttributionLexicon(path = dataPath('events', 'attribution.json')): AttributionLexicon {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`cannot read the attribution lexicon ${path}: ${errorMessage(err)}; restore it from the package`, { file: path });
  }
  const parsed = AttributionFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      `the attribution lexicon ${path} does not match its schema at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; fix that entry`,
      { file: path },
    );
  }
  return buildAttributionLexicon(parsed.data);
}

/** Actor kinds that speak for a state or an inter-governmental body. */
const OFFICIAL_KINDS: ReadonlySet<ActorKind> = new Set(['state', 'government', 'military', 'police', 'intelligence', 'security', 'igo']);
/** Actor kinds that are parties to conflict and speak for themselves. */
const PARTY_KINDS: ReadonlySet<ActorKind> = new Set(['rebel', 'insurgent', 'militia', 'terrorist', 'party', 'protesters', 'rioters', 'organisation', 'company']);

const WORD_RE = /^[\p{L}\p{N}][\p{L}\p{N}'.-]*$/u;

function isQuote(t: string): boolean {
  return t === '"' || t === "'" || t === '\u201d' || t === '\u2019';
}

/** The token range [from, to) of each sentence, built once per document by one pass. */
export function sentenceTokenRanges(doc: KhabarDoc): Int32Array {
  const ranges = new Int32Array(doc.sentences.length * 2);
  let t = 0;
  for (let s = 0; s < doc.sentences.length; s++) {
    while (t < doc.tokens.length && doc.tokens[t]!.sentence < s) t++;
    const from = t;
    while (t < doc.tokens.length && doc.tokens[t]!.sentence === s) t++;
    ranges[2 * s] = from;
    ranges[2 * s + 1] = t;
  }
  return ranges;
}

/** The root of an actor's coreference chain (antecedent links followed, cycles cut). */
export function resolveActor(actors: readonly ActorMention[], index: number): ActorMention {
  let a = actors[index]!;
  for (let hops = 0; hops < 8; hops++) {
    const next = a.antecedent;
    if (next === null || next === undefined || next === index) break;
    const b = actors[next];
    if (!b) break;
    a = b;
    index = next;
  }
  return a;
}

interface Found {
  start: number;
  end: number;
  name: string;
  kind: SourceKind;
  depth: number;
}

/** Index of the first actor whose end is > offset (actors sorted by start are assumed near-sorted). */
function actorsWithin(actors: readonly ActorMention[], start: number, end: number): ActorMention[] {
  const out: ActorMention[] = [];
  for (const a of actors) if (a.start < end && a.end > start) out.push(a);
  return out;
}

/** What a sentence without sources gives, shared. */
const NO_SOURCES: readonly SourceMention[] = [];

/** Reads sources; one instance per document (holds the document's token index). */
class SourceReader {
  private readonly found: Found[] = [];
  private readonly all: SourceMention[] = [];

  constructor(
    private readonly doc: KhabarDoc,
    private readonly lex: AttributionLexicon,
  ) {}

  private tok(i: number): Token | undefined {
    return this.doc.tokens[i];
  }

  private isWord(i: number, from: number, to: number): boolean {
    const t = this.tok(i);
    return i >= from && i < to && t !== undefined && WORD_RE.test(t.text);
  }

  /** Noun phrase ending at token `j` (inclusive), walking back to a stop word or punctuation. */
  private npBack(j: number, from: number, to: number): [number, number] | null {
    let k = j;
    for (;;) {
      if (k < from || k <= j - 8) break;
      // "the Palestinian Prisoners' Society": a plural possessive's apostrophe stays in the phrase.
      if (k < j && k > from && isQuote(this.tok(k)!.text) && this.tok(k)!.start === this.tok(k - 1)!.end && this.tok(k - 1)!.lower.endsWith('s')) {
        k--;
        continue;
      }
      if (!this.isWord(k, from, to) || this.lex.stopWords.has(this.tok(k)!.lower)) break;
      k--;
    }
    return k === j ? null : [k + 1, j + 1];
  }

  /** Noun phrase starting at token `i`, walking forward to a stop word or punctuation. */
  private npForward(i: number, from: number, to: number): [number, number] | null {
    let k = i;
    while (k < to && k < i + 9 && this.isWord(k, from, to)) {
      const lower = this.tok(k)!.lower;
      if (this.lex.stopWords.has(lower) && !(k === i && this.lex.determiners.has(lower))) break;
      if (k > i && this.lex.reportingVerbs.has(lower) && !this.lex.documentNouns.has(lower)) break;
      k++;
    }
    return k === i ? null : [i, k];
  }

  private phrase(a: number, b: number): { words: string[]; startTok: number } {
    let s = a;
    while (s < b - 1 && this.lex.determiners.has(this.tok(s)!.lower)) s++;
    const words: string[] = [];
    for (let k = s; k < b; k++) words.push(this.tok(k)!.lower);
    return { words, startTok: s };
  }

  /** Types a noun phrase [a, b) of tokens as a source, or null when it is not one. */
  private classify(a: number, b: number, sentenceFrom: number, sentenceTo: number): Found | null {
    const lex = this.lex;
    // "a statement from the interior ministry": the author is the source.
    for (let k = a; k < b - 1; k++) {
      if (lex.documentNouns.has(this.tok(k)!.lower) && lex.authorPrepositions.has(this.tok(k + 1)!.lower) && k + 2 < b) {
        const author = this.classify(k + 2, b, sentenceFrom, sentenceTo);
        if (author) return author;
      }
    }
    const { words, startTok } = this.phrase(a, b);
    const joined = words.join(' ');
    const first = this.tok(startTok)!;
    const last = this.tok(b - 1)!;
    const span = { start: first.start, end: last.end };
    const name = this.doc.text.slice(span.start, span.end);
    const fullStart = this.tok(a)!.start;
    const make = (kind: SourceKind): Found => ({ start: fullStart, end: last.end, name, kind, depth: 0 });

    if (words.length === 1 && lex.pronouns.has(joined)) return this.pronoun(fullStart, last.end);
    if (lex.agencies.has(joined)) return make('agency');
    if (lex.outlets.has(joined)) return make('news');
    const actors = actorsWithin(this.doc.actors, span.start, span.end);
    let anonymous = false;
    let media = false;
    let witness = false;
    let official = false;
    let documentNoun = false;
    let agency = false;
    for (const w of words) {
      if (lex.anonymousWords.has(w)) anonymous = true;
      if (lex.mediaWords.has(w)) media = true;
      if (lex.witnessWords.has(w)) witness = true;
      if (lex.officialWords.has(w)) official = true;
      if (lex.documentNouns.has(w)) documentNoun = true;
      if (lex.agencies.has(w) && w.length > 2) agency = true;
    }
    if (anonymous) return make('anonymous');
    for (const act of actors) {
      const root = resolveActor(this.doc.actors, this.doc.actors.indexOf(act));
      if (PARTY_KINDS.has(root.kind)) return make('actor');
      if (root.kind === 'media') return make('news');
    }
    if (agency) return make('agency');
    if (media) return make('news');
    if (lex.anonymousPhrases.has(joined)) return make('anonymous');
    if (witness && !official) return make('witness');
    let officialActor = false;
    for (const act of actors) if (OFFICIAL_KINDS.has(resolveActor(this.doc.actors, this.doc.actors.indexOf(act)).kind)) officialActor = true;
    if (official || officialActor) return make(this.sentenceIsAnonymous(sentenceFrom, sentenceTo) ? 'anonymous' : 'official');
    if (documentNoun) return make('document');
    if (actors.length > 0) return make(actors.some((x) => x.kind === 'civilians') ? 'witness' : 'other');
    if (last.cap && first.cap) return make('other');
    return null;
  }

  private sentenceIsAnonymous(from: number, to: number): boolean {
    for (let k = from; k < to; k++) if (this.lex.anonymousWords.has(this.tok(k)!.lower)) return true;
    return false;
  }

  /** "he added": the most recent source named before this sentence. */
  private pronoun(start: number, end: number): Found | null {
    let prev: { name: string; kind: SourceKind } | undefined;
    for (let k = this.all.length - 1; k >= 0 && !prev; k--) if (this.all[k]!.depth === 0) prev = this.all[k];
    if (!prev) return null;
    return { start, end, name: prev.name, kind: prev.kind, depth: 0 };
  }

  private add(f: Found | null, depth: number): Found | null {
    if (!f) return null;
    for (const g of this.found) if (g.start < f.end && f.start < g.end) return null;
    f.depth = depth;
    this.found.push(f);
    return f;
  }

  /** Sources of one sentence, outermost first. */
  sentence(s: number, from: number, to: number): readonly SourceMention[] {
    this.found.length = 0;
    const lex = this.lex;
    for (let i = from; i < to; i++) {
      const t = this.tok(i)!;
      const lower = t.lower;
      const speech = lex.speechWords.get(lower);
      if (speech === undefined && lower !== 'according') continue;
      if (lower === 'according' && this.tok(i + 1)?.lower === 'to') {
        const np = this.npForward(i + 2, from, to);
        if (np) this.addList(np, from, to, 0);
        continue;
      }
      if (speech !== undefined && speech & SpeechWord.Cite) {
        const np = this.npForward(i + 1, from, to);
        if (np) this.add(this.classify(np[0], np[1], from, to), 1);
        continue;
      }
      if (speech === undefined || !(speech & SpeechWord.Reporting) || lower === 'according') continue;
      let back = i > from ? this.npBack(i - 1, from, to) : null;
      if (!back && this.tok(i - 1)?.text === ',') {
        // "An official, who spoke on condition of anonymity, said": the subject before the relative clause.
        for (let k = i - 2; k > from && k > i - 16; k--) {
          if (this.tok(k)!.lower === 'who' && this.tok(k - 1)!.text === ',') {
            back = this.npBack(k - 2, from, to);
            break;
          }
        }
      }
      let subject: Found | null = null;
      if (back) subject = this.add(this.classify(back[0], back[1], from, to), 0);
      const prev = this.tok(i - 1);
      // Only after a quotation: in "SANA, citing a military source, said government artillery had shelled"
      // the words after "said" are the reported clause, not its speaker.
      const quoted = prev !== undefined && (isQuote(prev.text) || (prev.text === ',' && isQuote(this.tok(i - 2)?.text ?? '')));
      if (!subject && i > from && prev && quoted) {
        // '"...," said Ali Khan, a police spokesman.'
        const np = this.npForward(i + 1, from, to);
        if (np) {
          const f = this.classify(np[0], np[1], from, to);
          if (f && this.tok(np[1])?.text === ',') {
            const app = this.npForward(np[1] + 1, from, to);
            const appKind = app ? this.classify(app[0], app[1], from, to) : null;
            if (appKind && appKind.kind !== 'other') f.kind = appKind.kind;
          }
          this.add(f, 0);
        }
      }
      if (lex.tellVerbs.has(lower)) {
        // "told Reuters", "told AFP they heard blasts": the shortest outlet name after the verb.
        const np = this.npForward(i + 1, from, to);
        if (np) {
          for (let end = np[0] + 1; end <= np[1]; end++) {
            const f = this.classify(np[0], end, from, to);
            if (f && (f.kind === 'agency' || f.kind === 'news')) {
              this.add(f, -1);
              break;
            }
          }
        }
      }
    }
    if (this.found.length === 0) return NO_SOURCES;
    const out = this.found
      .slice()
      .sort((a, b) => a.depth - b.depth || a.start - b.start)
      .map((f): SourceMention => ({
        start: f.start,
        end: f.end,
        text: this.doc.text.slice(f.start, f.end),
        name: f.name,
        kind: f.kind,
        sentence: s,
        depth: f.depth,
      }));
    for (const m of out) this.all.push(m);
    return out;
  }

  /** "according to police and witnesses": one source per conjunct that is a source. */
  private addList(np: [number, number], from: number, to: number, depth: number): void {
    const whole = this.classify(np[0], np[1], from, to);
    if (whole) {
      this.add(whole, depth);
      // "according to police and witnesses" stops at "and"; take the second conjunct too.
      if (this.tok(np[1])?.lower === 'and') {
        const next = this.npForward(np[1] + 1, from, to);
        if (next) this.add(this.classify(next[0], next[1], from, to), depth);
      }
    }
  }
}

/**
 * Every cited source in the document, sentence by sentence, each sentence's chain outermost first.
 * @example findSources(doc, lex).map(s => [s.name, s.kind]) // [['provincial police chief', 'official'], ['intelligence reports', 'anonymous']]
 */
export function findSources(doc: KhabarDoc, lex: AttributionLexicon): SourceMention[] {
  const ranges = sentenceTokenRanges(doc);
  const reader = new SourceReader(doc, lex);
  const out: SourceMention[] = [];
  for (let s = 0; s < doc.sentences.length; s++) {
    for (const m of reader.sentence(s, ranges[2 * s]!, ranges[2 * s + 1]!)) out.push(m);
  }
  return out;
}

export interface ClaimReading {
  claim: ClaimStatus;
  /** The actor that claims (the subject of "claimed"), by name, or null. */
  claimedBy: string | null;
  /** The claiming actor's index in doc.actors (before following antecedents), or -1. */
  actor: number;
  /** The token index of the claim verb, or -1. */
  at: number;
}

/** An optional "(ABBR)" then one comma-delimited apposition, ending right before the verb. */
const APPOSITION = /^\s*(?:\([^()]{1,20}\))?\s*,[^,;:()]{1,90},\s*(?:\p{Ll}+\s+)?$/u;

/** A negation among the three words before token `i` ("no group claimed", "did not claim", "neither group immediately claimed"). */
function negatedBefore(doc: KhabarDoc, lex: AttributionLexicon, i: number, from: number): boolean {
  for (let k = i - 1; k >= from && k >= i - 3; k--) if (lex.negations.has(doc.tokens[k]!.lower)) return true;
  return false;
}

/**
 * Whether the tokens [from, to) claim, deny or allege; 'reported' otherwise. Denial wins over claim
 * ("denied the claims"), claim over allegation.
 * @example readClaim(doc, lex, 0, 8) // { claim: 'claimed', claimedBy: 'Tehrik-i-Taliban Pakistan', actor: 0, at: 2 }
 */
export function readClaim(doc: KhabarDoc, lex: AttributionLexicon, from: number, to: number): ClaimReading {
  let deny = -1;
  let claim = -1;
  let allege = -1;
  for (let i = from; i < to; i++) {
    const bits = lex.claimWords.get(doc.tokens[i]!.lower);
    if (bits === undefined) continue;
    if (deny < 0 && bits & ClaimWord.Deny) deny = i;
    else if (claim < 0 && bits & ClaimWord.Claim) {
      // "no group claimed the attack", "has not claimed", "neither group claimed": no claim was made.
      if (!negatedBefore(doc, lex, i, from)) claim = i;
    }
    else if (allege < 0 && bits & ClaimWord.Allege) allege = i;
  }
  const at = deny >= 0 ? deny : claim >= 0 ? claim : allege;
  if (at < 0) return { claim: 'reported', claimedBy: null, actor: -1, at: -1 };
  const status: ClaimStatus = deny >= 0 ? 'denied' : claim >= 0 ? 'claimed' : 'alleged';
  let claimedBy: string | null = null;
  let actor = -1;
  if (status === 'claimed') {
    // The subject: the last actor that ends before the verb, with no clause punctuation in between.
    const verb = doc.tokens[at]!;
    const sentenceStart = doc.tokens[from]!.start;
    for (let k = doc.actors.length - 1; k >= 0; k--) {
      const a = doc.actors[k]!;
      if (a.end > verb.start || a.start < sentenceStart) continue;
      const between = doc.text.slice(a.end, verb.start);
      // "ISKP, the regional affiliate of Islamic State, claimed": the subject before an apposition.
      if ((/[,;:]/.test(between) || between.length > 40) && !APPOSITION.test(between)) continue;
      claimedBy = resolveActor(doc.actors, k).name;
      actor = k;
      break;
    }
  }
  return { claim: status, claimedBy, actor, at };
}

/** A source stage with a given lexicon. */
export function createSourceStage(lex: AttributionLexicon): Stage {
  return {
    name: 'sources',
    requires: ['tokens', 'actors'],
    assigns: ['sources'],
    run(doc: KhabarDoc): KhabarDoc {
      doc.sources = findSources(doc, lex);
      return doc;
    },
  };
}

let defaultLexicon: AttributionLexicon | null = null;

/** The default attribution lexicon, loaded once on first use. */
export function defaultAttributionLexicon(): AttributionLexicon {
  defaultLexicon ??= loadAttributionLexicon();
  return defaultLexicon;
}

/** Pipeline stage: fills `doc.sources` with the default lexicon (data/events/attribution.json). */
export const sourceStage: Stage = {
  name: 'sources',
  requires: ['tokens', 'actors'],
  assigns: ['sources'],
  run(doc: KhabarDoc): KhabarDoc {
    doc.sources = findSources(doc, defaultAttributionLexicon());
    return doc;
  },
};
