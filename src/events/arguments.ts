/**
 * Event arguments: for one detected event mention, who did it to whom (from the sentence's structure:
 * active, passive, "surrendered to", "clashes between", "attacks on"), where, when, how many, and
 * according to whom, each taken from the annotation layers of the same document.
 *
 * @example eventArguments(ctx, candidate).actor1?.name // 'Pakistani security forces'
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';
import { tokenAt } from '../text/tokens.js';
import { WordMemo, wordForms } from './typing/lemmas.js';
import { readClaim, resolveActor, sentenceTokenRanges, type AttributionLexicon, type ClaimReading } from './attribution.js';
import type {
  ClaimStatus,
  DateMention,
  DatePrecision,
  EventActor,
  EventCandidate,
  EventLocation,
  KhabarDoc,
  PlaceMention,
  SourceKind,
  Span,
} from '../types.js';

const Words = z.array(z.string().min(1));

export const ArgumentFileSchema = z.object({
  $comment: z.string().optional(),
  beAuxiliaries: Words,
  adverbs: Words,
  determiners: Words,
  agentPrepositions: Words,
  targetPrepositions: Words,
  counterpartPrepositions: Words,
  betweenWords: Words,
  otherPrepositions: Words,
  toVerbs: Words,
  selfWords: Words,
  clauseWords: Words,
  victimParticiples: Words,
  anaphoricDeterminers: Words,
  placePrepositions: z.record(z.string(), z.number().int().min(0).max(3)),
  placeSuffixes: Words,
  overnightWords: Words,
  reportDateGap: z.number().int().min(0).max(10),
  subsetWords: Words,
  separateCues: Words,
  hedges: Words,
  families: z.record(z.string(), z.object({ eventTypes: Words, acled: Words })),
  genericActors: z.array(
    z.object({ acled: z.string(), role: z.enum(['actor1', 'actor2']), name: z.string().min(1), kind: z.string().min(1) }),
  ),
  sides: z.record(z.string(), Words),
  harmFamilies: Words,
});

export type ArgumentFile = z.infer<typeof ArgumentFileSchema>;

/** Sentence-structure knowledge as sets and maps, built once. */
export interface ArgumentLexicon {
  beAuxiliaries: ReadonlySet<string>;
  adverbs: ReadonlySet<string>;
  determiners: ReadonlySet<string>;
  agentPrepositions: ReadonlySet<string>;
  targetPrepositions: ReadonlySet<string>;
  counterpartPrepositions: ReadonlySet<string>;
  betweenWords: ReadonlySet<string>;
  /** Every preposition the argument finder knows, to stop walking back at. */
  prepositions: ReadonlySet<string>;
  toVerbs: ReadonlySet<string>;
  /** Words after a reporting verb that make the speaker the doer ("said it", "said its fighters", "claimed to"). */
  selfWords: ReadonlySet<string>;
  /** Participles of harm done to the subject ("Two policemen killed in attack"): a headline's passive. */
  victimParticiples: ReadonlySet<string>;
  /** Subordinators that open another clause ("as", "while", "when"): an actor after one fills no role. */
  clauseWords: ReadonlySet<string>;
  /** Determiners that make an event noun refer back to a reported event ("the attack", "that bombing"). */
  anaphoricDeterminers: ReadonlySet<string>;
  placePrepositions: ReadonlyMap<string, number>;
  placeSuffixes: readonly string[];
  reportDateGap: number;
  subsetWords: ReadonlySet<string>;
  /** Family of an event type or ACLED event type ("violence"); unknown types are their own family. */
  familyOf: ReadonlyMap<string, string>;
  /** Generic agents by ACLED sub-event type or event type, then role. */
  generic: ReadonlyMap<string, Partial<Record<'actor1' | 'actor2', { name: string; kind: string }>>>;
  /** Side of an actor kind ("state", "nonstate") for comparing actors across mentions. */
  sideOf: ReadonlyMap<string, string>;
  /** Families whose events can have dead and wounded (violence, protest). */
  harmFamilies: ReadonlySet<string>;
  /** Whether a word is a past-tense or participle verb form (see isPastVerb), worked out once per word. */
  pastVerb: WordMemo<boolean>;
  /** Hedges, "separate" cues and "overnight" in one map (SentenceWords bits): one look-up a word. */
  sentenceCues: ReadonlyMap<string, number>;
}

/** Bits of ArgumentLexicon.sentenceCues and DocIndex.sentenceWords. */
const SentenceWords = { Read: 1, Hedge: 2, Separate: 4, Overnight: 8 } as const;

export function buildArgumentLexicon(file: ArgumentFile): ArgumentLexicon {
  const set = (xs: string[]): ReadonlySet<string> => new Set(xs.map((x) => x.toLowerCase()));
  const familyOf = new Map<string, string>();
  for (const [family, f] of Object.entries(file.families)) {
    for (const t of f.eventTypes) familyOf.set(t, family);
    for (const t of f.acled) familyOf.set(`acled:${t}`, family);
  }
  const generic = new Map<string, Partial<Record<'actor1' | 'actor2', { name: string; kind: string }>>>();
  for (const g of file.genericActors) {
    const roles = generic.get(g.acled) ?? {};
    roles[g.role] = { name: g.name, kind: g.kind };
    generic.set(g.acled, roles);
  }
  const sideOf = new Map<string, string>();
  for (const [side, kinds] of Object.entries(file.sides)) for (const k of kinds) sideOf.set(k, side);
  const sentenceCues = new Map<string, number>();
  const mark = (words: string[], bit: number): void => {
    for (const w of words) sentenceCues.set(w.toLowerCase(), (sentenceCues.get(w.toLowerCase()) ?? 0) | bit);
  };
  mark(file.hedges, SentenceWords.Hedge);
  mark(file.separateCues, SentenceWords.Separate);
  // Only the word "overnight" itself moves the date back a day ("overnight raid"), when the file lists it.
  mark(file.overnightWords.filter((w) => w.toLowerCase() === 'overnight'), SentenceWords.Overnight);
  return {
    beAuxiliaries: set(file.beAuxiliaries),
    adverbs: set(file.adverbs),
    determiners: set(file.determiners),
    agentPrepositions: set(file.agentPrepositions),
    targetPrepositions: set(file.targetPrepositions),
    counterpartPrepositions: set(file.counterpartPrepositions),
    betweenWords: set(file.betweenWords),
    prepositions: set([
      ...file.agentPrepositions,
      ...file.targetPrepositions,
      ...file.counterpartPrepositions,
      ...file.betweenWords,
      ...file.otherPrepositions,
    ]),
    toVerbs: set(file.toVerbs),
    selfWords: set(file.selfWords),
    clauseWords: set(file.clauseWords),
    victimParticiples: set(file.victimParticiples),
    anaphoricDeterminers: set(file.anaphoricDeterminers),
    placePrepositions: new Map(Object.entries(file.placePrepositions).map(([k, v]) => [k.toLowerCase(), v])),
    placeSuffixes: file.placeSuffixes.map((x) => x.toLowerCase()),
    reportDateGap: file.reportDateGap,
    subsetWords: set(file.subsetWords),
    familyOf,
    generic,
    sideOf,
    harmFamilies: new Set(file.harmFamilies),
    pastVerb: new WordMemo(isPastVerb),
    sentenceCues,
  };
}

/**
 * Loads and checks data/events/arguments.json (or a user file).
 * @example loadArgumentLexicon().toVerbs.has('surrendered') // true
 */
export function loadArgumentLexicon(path = dataPath('events', 'arguments.json')): ArgumentLexicon {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`cannot read the event-argument lexicon ${path}: ${errorMessage(err)}; restore it from the package`, { file: path });
  }
  const parsed = ArgumentFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      `the event-argument lexicon ${path} does not match its schema at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; fix that entry`,
      { file: path },
    );
  }
  return buildArgumentLexicon(parsed.data);
}

/** The family of an event mention, for merging: "violence" for any battle, explosion or attack. */
export function familyOf(lex: ArgumentLexicon, c: Pick<EventCandidate, 'event_type' | 'acled_event_type'>): string {
  return (
    lex.familyOf.get(c.event_type) ??
    (c.acled_event_type !== null ? lex.familyOf.get(`acled:${c.acled_event_type}`) : undefined) ??
    c.event_type
  );
}

/** Mentions of one layer grouped by sentence (indices into the layer), built once per document. */
function groupBySentence(starts: readonly Span[], sentenceStarts: Int32Array): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < sentenceStarts.length; s++) out.push([]);
  for (let i = 0; i < starts.length; i++) {
    const s = sentenceOfOffset(sentenceStarts, starts[i]!.start);
    if (s >= 0) out[s]!.push(i);
  }
  return out;
}

/** Binary search: the sentence whose start is the last one <= offset. */
function sentenceOfOffset(sentenceStarts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = sentenceStarts.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sentenceStarts[mid]! <= offset) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Per-document index of every layer by sentence, plus the dateline; built once per document. */
export interface DocIndex {
  doc: KhabarDoc;
  tokenRanges: Int32Array;
  actors: number[][];
  places: number[][];
  dates: number[][];
  quantities: number[][];
  sources: number[][];
  /** Places that only give the dateline ("KABUL (Reuters) -"). */
  dateline: ReadonlySet<number>;
  /** End offset of the dateline prefix of the first body sentence ("MOGADISHU (AFP) - "), or -1. */
  datelineEnd: number;
  /** Each sentence's claim reading, made on first use: every mention of a sentence shares it. */
  claims: (ClaimReading | undefined)[];
  /** Each sentence's word cues (SentenceWords bits), read on first use; 0 = not read yet. */
  sentenceWords: Uint8Array;
}


/** Dateline shape after a place: optional ", Country", optional "(Agency)", then "-" or ":". */
const DATELINE_TAIL = /^(?:,\s*[\p{Lu}][\p{L} .']{0,30})?\s*(?:\([^)]{1,40}\))?\s*[-:]\s/u;
const HAS_LOWER_WORD = /\b\p{Ll}{2,}/u;
/** A dateline prefix: an upper-case place, optional ", Country" and "(Agency)", then a dash. */
const DATELINE_PREFIX = /^\p{Lu}[\p{Lu}\p{M} .'-]*(?:,\s*\p{Lu}[\p{L} .']{0,30})?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014]\s/u;

/**
 * Indexes a document's layers by sentence.
 * @example indexDoc(doc).actors[0] // [0, 1] (indices into doc.actors of sentence 0)
 */
export function indexDoc(doc: KhabarDoc): DocIndex {
  const sentenceStarts = new Int32Array(doc.sentences.map((s) => s.start));
  const dateline = new Set<number>();
  const first = doc.sentences.find((s) => !s.isHeadline);
  let datelineEnd = -1;
  if (first) {
    const m = DATELINE_PREFIX.exec(doc.text.slice(first.start, Math.min(first.end, first.start + 90)));
    if (m) datelineEnd = first.start + m[0].length;
    for (let i = 0; i < doc.places.length; i++) {
      const p = doc.places[i]!;
      if (p.start < first.start || p.start > first.start + 40) continue;
      if (HAS_LOWER_WORD.test(doc.text.slice(first.start, p.start))) continue;
      if (DATELINE_TAIL.test(doc.text.slice(p.end, p.end + 60))) dateline.add(i);
    }
  }
  return {
    doc,
    tokenRanges: sentenceTokenRanges(doc),
    actors: groupBySentence(doc.actors, sentenceStarts),
    places: groupBySentence(doc.places, sentenceStarts),
    dates: groupBySentence(doc.dates, sentenceStarts),
    quantities: groupBySentence(doc.quantities, sentenceStarts),
    sources: groupBySentence(doc.sources, sentenceStarts),
    dateline,
    datelineEnd,
    claims: new Array<ClaimReading | undefined>(doc.sentences.length),
    sentenceWords: new Uint8Array(doc.sentences.length),
  };
}

/**
 * The claim reading of sentence `s` (see readClaim), read once per document.
 * @example sentenceClaim(ctx, 0).claim // 'claimed' for "The TTP claimed responsibility for the attack."
 */
export function sentenceClaim(ctx: ArgumentContext, s: number): ClaimReading {
  let claim = ctx.index.claims[s];
  if (claim === undefined) {
    claim = readClaim(ctx.index.doc, ctx.attribution, ctx.index.tokenRanges[2 * s]!, ctx.index.tokenRanges[2 * s + 1]!);
    ctx.index.claims[s] = claim;
  }
  return claim;
}

/** The SentenceWords bits of sentence `s`: hedges, "separate" cues, "overnight", in one pass. */
function sentenceWords(ctx: ArgumentContext, s: number): number {
  let bits = ctx.index.sentenceWords[s]!;
  if (bits !== 0) return bits;
  bits = SentenceWords.Read;
  const { doc } = ctx.index;
  const to = ctx.index.tokenRanges[2 * s + 1]!;
  for (let k = ctx.index.tokenRanges[2 * s]!; k < to; k++) bits |= ctx.lex.sentenceCues.get(doc.tokens[k]!.lower) ?? 0;
  ctx.index.sentenceWords[s] = bits;
  return bits;
}

/** Where a value came from, strongest last; used by merging and confidence. */
export const Strength = { None: 0, Fallback: 1, Near: 2, Sentence: 3, Tied: 4 } as const;
export type Strength = (typeof Strength)[keyof typeof Strength];

/** The arguments of one event mention, with how well each is supported. */
export interface EventArguments {
  actor1: EventActor | null;
  actor2: EventActor | null;
  /** Strength of each actor: Tied (from structure), Sentence (word order), Fallback (generic), None. */
  actor1Strength: Strength;
  actor2Strength: Strength;
  location: EventLocation | null;
  locationStrength: Strength;
  date: string | null;
  date_precision: DatePrecision;
  dateStrength: Strength;
  fatalities: number | null;
  injured: number | null;
  count: number | null;
  sources: { name: string; kind: SourceKind }[];
  claim: ClaimStatus;
  claimed_by: string | null;
  hedged: boolean;
  /** The sentence says this is another event ("in a separate attack"). */
  separate: boolean;
  /** The trigger is a definite noun phrase ("the attack", "Sunday's bombing"): it refers back to an event already reported. */
  anaphoric: boolean;
}

export interface ArgumentContext {
  index: DocIndex;
  lex: ArgumentLexicon;
  attribution: AttributionLexicon;
}

const PUNCT = /^[^\p{L}\p{N}]$/u;

interface ActorSlot {
  actor: number;
  first: number;
  last: number;
  prep: string;
}

/** The preposition (or "" for none, "," for punctuation) that governs an actor starting at token `first`. */
function governingWord(ctx: ArgumentContext, first: number, from: number, trigger: Span, stops: ReadonlySet<number>): string {
  const { doc } = ctx.index;
  for (let k = first - 1, steps = 0; k >= from && steps < 4; k--, steps++) {
    const t = doc.tokens[k]!;
    if (t.start >= trigger.start && t.end <= trigger.end) return '';
    if (stops.has(k)) return '';
    // "Ali Khan, a Taliban commander, ...": after a comma that follows an actor, an apposition; after
    // any other comma ("In a separate attack, gunmen ..."), a clause start.
    if (t.text === '"' || t.text === '\u201c' || t.text === "'") continue;
    if (PUNCT.test(t.text)) return t.text === ',' && stops.has(k - 1) ? ',' : '';
    if (ctx.lex.prepositions.has(t.lower) || t.lower === 'and') return t.lower;
    // "Dozens killed as al-Shabaab storms ...": an actor of another clause fills no role of this trigger.
    if (ctx.lex.clauseWords.has(t.lower)) return 'clause';
    // "said on Monday that the militia must withdraw": "that" after a reporting verb opens the clause.
    if (t.lower === 'that') {
      for (let j = k - 1; j >= from && j >= k - 4; j--) if (ctx.attribution.reportingVerbs.has(doc.tokens[j]!.lower)) return '';
    }
    if (ctx.lex.determiners.has(t.lower) || /^\d/.test(t.lower)) continue;
    // "by armed groups": a participle after a determiner or preposition is an adjective, not a verb.
    const before = k > from ? doc.tokens[k - 1]!.lower : '';
    if (/(?:ed|ing)$/.test(t.lower) && (ctx.lex.prepositions.has(before) || ctx.lex.determiners.has(before) || before === '"')) continue;
    if (/(?:ed|ing)$/.test(t.lower) || ctx.lex.beAuxiliaries.has(t.lower)) return '';
  }
  return '';
}

/** Whether tokens [from, to) hold a participle right after the subject ("policemen killed in", "were wounded in"). */
function hasParticipleBetween(doc: KhabarDoc, from: number, to: number, lex: ArgumentLexicon): boolean {
  for (let k = from; k < to && k < from + 3; k++) {
    const w = doc.tokens[k]!.lower;
    if (lex.beAuxiliaries.has(w) || lex.adverbs.has(w)) continue;
    // "Two policemen killed in an attack" (passive) but not "Serb forces killed three ..." (active, with an object).
    const next = doc.tokens[k + 1]?.lower ?? '';
    return lex.victimParticiples.has(w) && (lex.prepositions.has(next) || lex.clauseWords.has(next));
  }
  return false;
}

/** A past-tense or participle verb form ("attacked", "took", "shot"), not an event noun ("raid", "shelling"). */
function isPastVerb(lower: string): boolean {
  if (lower.endsWith('ed')) return true;
  if (lower.endsWith('ing') || lower.endsWith('s')) return false;
  const forms = wordForms(lower);
  return forms.length > 1 && forms[1] !== lower;
}

function toEventActor(doc: KhabarDoc, index: number, fallbackCountry: string | null): EventActor {
  const mention = doc.actors[index]!;
  const root = resolveActor(doc.actors, index);
  return {
    name: root.name,
    id: root.id,
    text: mention.text,
    kind: root.kind,
    country: root.country ?? mention.country ?? fallbackCountry,
  };
}

function overlapsAny(span: Span, spans: readonly Span[]): boolean {
  for (const s of spans) if (s.start < span.end && span.start < s.end) return true;
  return false;
}

interface ActorChoice {
  a1: number;
  a2: number;
  a1Strength: Strength;
  a2Strength: Strength;
}

/** actor1/actor2 of a trigger from the sentence's structure; -1 when not found. */
function chooseActors(ctx: ArgumentContext, s: number, trigger: Span, sourceSpans: readonly Span[], harmful: boolean): ActorChoice {
  const { doc } = ctx.index;
  const lex = ctx.lex;
  const from = ctx.index.tokenRanges[2 * s]!;
  const to = ctx.index.tokenRanges[2 * s + 1]!;
  const ti = tokenAt(doc.tokens, trigger.start);
  let te = ti;
  while (te + 1 < to && doc.tokens[te + 1]!.end <= trigger.end) te++;
  const tokenLower = (k: number): string => (k >= from && k < to ? doc.tokens[k]!.lower : '');

  const inActor = (k: number): boolean => {
    const t = doc.tokens[k]!;
    for (const ai of ctx.index.actors[s]!) if (doc.actors[ai]!.start <= t.start && t.end <= doc.actors[ai]!.end) return true;
    return false;
  };
  // Reported speech: "X said Y attacked Z" codes Y against Z; the speaker X is the doer only when it
  // speaks of itself ("X said it had fired", "X said its fighters ambushed", "X claimed to have killed").
  let verb = -1;
  for (let k = ti - 1; k >= from; k--) {
    const w = doc.tokens[k]!.lower;
    if (ctx.attribution.reportingVerbs.has(w) && w !== 'according' && !inActor(k)) {
      verb = k;
      break;
    }
  }
  const verbStart = verb >= 0 ? doc.tokens[verb]!.start : -1;
  const actorTokens = new Set<number>();
  const slots: ActorSlot[] = [];
  for (const ai of ctx.index.actors[s]!) {
    const a = doc.actors[ai]!;
    // A cited source is no party, except a speaker before the reporting verb, who may speak of itself.
    if (overlapsAny(a, sourceSpans) && !(a.end <= verbStart)) continue;
    if (a.start < trigger.end && trigger.start < a.end) continue;
    // "MOGADISHU (AFP) - ...", "JALALABAD, Afghanistan (Reuters) - ...": the dateline names no party.
    if (a.end <= ctx.index.datelineEnd) continue;
    const first = tokenAt(doc.tokens, a.start);
    let last = first;
    while (last + 1 < to && doc.tokens[last + 1]!.end <= a.end) last++;
    for (let k = first; k <= last; k++) actorTokens.add(k);
    slots.push({ actor: ai, first, last, prep: '' });
  }
  // Actor mentions need not come in text order (coreference adds some later): slots do.
  slots.sort((x, y) => x.first - y.first);
  for (const slot of slots) {
    slot.prep = governingWord(ctx, slot.first, from, trigger, actorTokens);
    // Before the trigger, a clause opener starts the trigger's own clause: "..., as police fired" has police as subject.
    if (slot.prep === 'clause' && slot.last < ti) slot.prep = '';
  }

  let before = slots.filter((x) => x.last < ti);
  const after = slots.filter((x) => x.first > te);
  // "Hizbollah declared a unilateral ceasefire", "announced a truce": the verb takes the event as its
  // object, so its subject is the doer and no speech is reported.
  if (verb >= 0 && ti - verb <= 4) {
    let object = true;
    for (let k = verb + 1; k < ti && object; k++) {
      const w = doc.tokens[k]!.lower;
      if (!/^\p{Ll}[\p{Ll}-]*$/u.test(doc.tokens[k]!.text) || lex.beAuxiliaries.has(w) || w === 'that' || lex.selfWords.has(w) || actorTokens.has(k)) object = false;
    }
    if (object) verb = -1;
  }
  if (verb >= 0) {
    const speakers = before.filter((x) => x.last < verb);
    const inner = before.filter((x) => x.first > verb);
    if (speakers.length > 0) {
      const innerSubject = inner.find((x) => x.prep === '' || x.prep === 'and');
      let self = false;
      if (innerSubject) self = lex.selfWords.has(tokenLower(innerSubject.first - 1)) || lex.selfWords.has(tokenLower(innerSubject.first));
      // "Daesh said in a message on its channels that one of its fighters ...", "RUF announced it will
      // return equipment": a self word up to the reported clause's first actor.
      const stop = Math.min(ti, inner[0]?.first ?? ti, verb + 12);
      for (let k = verb + 1; k < stop && !self; k++) self = lex.selfWords.has(tokenLower(k));
      if (self) {
        // The speaker is the last subject phrase before the verb ("X said ..., while Y said it ..." is Y),
        // a phrase running through possessives to its head ("Yemen's Houthi movement" is the Houthis) but
        // not onto a person speaking for it ("the group's spokesman X said" is the group). A conjunct of a
        // non-subject ("fighters from Islamic Jihad and Hamas") is no speaker.
        const heads = speakers.filter((x, h) => x.prep === '' || (x.prep === 'and' && h > 0 && speakers[h - 1]!.prep === ''));
        const adjacent = (x: ActorSlot, y: ActorSlot): boolean => {
          if (y.first - x.last > 2) return false;
          for (let k = x.last + 1; k < y.first; k++) if (PUNCT.test(doc.tokens[k]!.text)) return false;
          return true;
        };
        const comma = (a: number, b: number): boolean => {
          for (let k = a; k < b; k++) if (doc.tokens[k]!.text === ',') return true;
          return false;
        };
        let speaker: ActorSlot | undefined;
        for (let h = 0; h < heads.length; h++) {
          const x = heads[h]!;
          const prev = h > 0 ? heads[h - 1]! : undefined;
          // Inside an apposition or relative clause (", a group that includes X,"): not the speaker.
          if (speaker && comma(speaker.last + 1, x.first) && comma(x.last + 1, verb)) continue;
          if (prev && adjacent(prev, x)) {
            if (doc.actors[x.actor]!.kind !== 'person') speaker = x;
          } else speaker = x;
        }
        before = speaker ? [speaker, ...inner.filter((x) => x !== innerSubject)] : inner;
      } else before = inner;
    }
  }
  // "Sudan's paramilitary Rapid Support Forces attacked": the possessor is no subject of its own.
  before = before.filter((x) => {
    const y = before.find((z) => z.first > x.last);
    if (!y || y.first - x.last > 4) return true;
    const possessive = doc.tokens[x.last]!.lower.endsWith("'s") || tokenLower(x.last + 1) === "'s";
    if (!possessive) return true;
    for (let k = x.last + 1; k < y.first; k++) if (PUNCT.test(doc.tokens[k]!.text)) return true;
    return false;
  });
  let subjects = before.filter((x) => x.prep === '' || x.prep === 'and');
  // "forty fighters of the BLA surrendered": with no bare subject, the group the subject belongs to.
  if (subjects.length === 0) subjects = before.filter((x) => x.prep === 'of').slice(0, 1);

  // Voice and shape of the trigger.
  let k = ti - 1;
  while (k >= from && lex.adverbs.has(tokenLower(k))) k--;
  const prevWord = tokenLower(k);
  let n = te + 1;
  while (n < to && lex.adverbs.has(tokenLower(n))) n++;
  const nextWord = tokenLower(n);
  const trig = tokenLower(ti);
  const participle = /(?:ed|en|wn)$/.test(trig) || trig === 'shot' || trig === 'hit' || trig === 'held';
  // "One soldier was among the dead": the subject is a victim, as in the passive.
  const amongVictims = tokenLower(ti - 2) === 'among' || tokenLower(ti - 1) === 'among';
  // "were attacked", "was shot dead", but not "are guilty" (an adjective after "be" is no passive).
  const passive =
    amongVictims ||
    (lex.beAuxiliaries.has(prevWord) && (participle || lex.victimParticiples.has(trig) || te > ti)) ||
    (participle && lex.agentPrepositions.has(nextWord) && !lex.determiners.has(prevWord));
  const nominal =
    !passive &&
    (lex.determiners.has(tokenLower(ti - 1)) ||
      tokenLower(ti - 1).endsWith("'s") ||
      (lex.determiners.has(tokenLower(ti - 2)) && !lex.beAuxiliaries.has(tokenLower(ti - 1)) && !actorTokens.has(ti - 1)) ||
      (lex.betweenWords.has(nextWord) && !participle) ||
      (lex.targetPrepositions.has(nextWord) && !participle && ti === from));

  const agent = after.find((x) => lex.agentPrepositions.has(x.prep));
  const none = -1;
  // "an Israeli military raid on the camp", "RSF shelling killed 17": the actor right before an event
  // noun is its doer.
  // Not a verb ("the army retook", "fighters took control"), not a possessive ("the children's release"),
  // not part of a longer word ("a Britain-based monitor").
  // "an armed group fighting the army" is a verb: an -ing word followed by its object.
  const ingVerb = trig.endsWith('ing') && te === ti && (lex.determiners.has(nextWord) || actorTokens.has(te + 1));
  const modifier =
    !passive && !lex.pastVerb.get(trig) && !ingVerb
      ? before.find(
          (x) =>
            x.last === ti - 1 &&
            doc.actors[x.actor]!.end === doc.tokens[x.last]!.end &&
            !doc.tokens[x.last]!.lower.endsWith("'s") &&
            tokenLower(x.last + 1) !== "'s",
        )
      : undefined;
  if (modifier) {
    const target0 = after.find((x) => lex.targetPrepositions.has(x.prep)) ?? after.find((x) => x.prep === '' || lex.counterpartPrepositions.has(x.prep));
    const [a2, s2] = target0 ? [target0.actor, Strength.Tied] : [none, Strength.None];
    return { a1: modifier.actor, a2, a1Strength: Strength.Tied, a2Strength: s2 };
  }
  const pick = (slot: ActorSlot | undefined, strength: Strength): [number, Strength] =>
    slot ? [slot.actor, strength] : [none, Strength.None];

  // "clashes between X and Y"
  for (let b = te + 1; b < Math.min(to, te + 5); b++) {
    if (!lex.betweenWords.has(tokenLower(b))) continue;
    const pair = after.filter((x) => x.first > b);
    if (pair.length >= 2) return { a1: pair[0]!.actor, a2: pair[1]!.actor, a1Strength: Strength.Tied, a2Strength: Strength.Tied };
  }
  // "X surrendered to Y"
  if (lex.toVerbs.has(trig)) {
    const [a1, s1] = pick(subjects[0], Strength.Tied);
    const [a2, s2] = pick(after.find((x) => x.prep === 'to'), Strength.Tied);
    return { a1, a2, a1Strength: s1, a2Strength: s2 };
  }
  if (passive) {
    // "X was attacked by Y": the subject is the target, the by-phrase the doer.
    // The head of the last subject phrase: "A boy and two traders were killed" targets the boy (first conjunct).
    let head = subjects.length - 1;
    while (head > 0 && subjects[head]!.prep === 'and') head--;
    const [a2, s2] = pick(subjects[head], Strength.Tied);
    const [a1, s1] = pick(agent, Strength.Tied);
    return { a1, a2, a1Strength: s1, a2Strength: s2 };
  }
  const target = after.find((x) => lex.targetPrepositions.has(x.prep));
  if (nominal) {
    // "Two policemen killed in attack on checkpoint" (a headline's passive without "were"): a subject
    // followed by a participle before the event noun is its victim.
    const victim =
      harmful && subjects[0] !== undefined && !agent && hasParticipleBetween(doc, subjects[0].last + 1, ti, lex) ? subjects[0] : undefined;
    // "an attack on X by Y", "Security forces killed militants in a raid"
    const [a1, s1] = agent ? pick(agent, Strength.Tied) : victim ? [none, Strength.None] : pick(subjects[0], Strength.Sentence);
    // "Ten soldiers were killed in an ambush by militants": with the doer in the by-phrase, the subject is the target.
    const objectBefore = agent || victim ? subjects[0] : subjects.length > 1 ? subjects[1] : undefined;
    const [a2, s2] = target
      ? pick(target, Strength.Tied)
      : objectBefore
        ? pick(objectBefore, Strength.Sentence)
        : pick(after.find((x) => x.prep === '' || lex.counterpartPrepositions.has(x.prep)), Strength.Sentence);
    return { a1, a2, a1Strength: s1, a2Strength: s2 };
  }
  // Active: subject before, object (or "on"/"against"/"with" phrase) after.
  // "ambushed a convoy of soldiers": the group named after "of" right behind the object noun.
  // "rejected calls by Kofi Annan", "dismissed an appeal from the president": the author of what a
  // verbal act answers is its target.
  const object =
    after.find((x) => x.prep === '' || lex.targetPrepositions.has(x.prep) || lex.counterpartPrepositions.has(x.prep)) ??
    after.find((x) => x.prep === 'of' && x.first - te <= 5) ??
    (harmful ? undefined : after.find((x) => (x.prep === 'by' || x.prep === 'from') && x.first - te <= 6));
  if (!object && subjects.length >= 2 && subjects[1]!.prep === 'and' && !subjects.some((x) => doc.actors[x.actor]!.kind === 'civilians')) {
    // "X and Y clashed": two-sided, both are actors.
    return { a1: subjects[0]!.actor, a2: subjects[1]!.actor, a1Strength: Strength.Tied, a2Strength: Strength.Tied };
  }
  const [a1, s1] = subjects[0] ? pick(subjects[0], Strength.Tied) : pick(agent, Strength.Sentence);
  const [a2, s2] = pick(object, Strength.Tied);
  return { a1, a2, a1Strength: s1, a2Strength: s2 };
}

function placeToLocation(p: PlaceMention, precision: 1 | 2 | 3): EventLocation {
  // A town the gazetteer lacks is mapped at its admin unit's point, at precision 2 or coarser.
  const fallback = p.lat === null ? (p.fallback ?? null) : null;
  return {
    name: p.name,
    text: p.text,
    geonames_id: p.geonames_id,
    country_code: p.country_code,
    admin1: p.admin1,
    admin2: p.admin2,
    lat: fallback ? fallback.lat : p.lat,
    lon: fallback ? fallback.lon : p.lon,
    geo_precision: fallback ? maxPrecision(precision, 2) : precision,
  };
}

function maxPrecision(a: 1 | 2 | 3, b: number): 1 | 2 | 3 {
  const m = Math.max(a, b);
  return (m >= 3 ? 3 : m <= 1 ? 1 : 2) as 1 | 2 | 3;
}

/** The place tied to the event: sentence preposition, else paragraph, else focus. */
function chooseLocation(ctx: ArgumentContext, s: number, trigger: Span, sourceSpans: readonly Span[]): [EventLocation | null, Strength] {
  const { doc } = ctx.index;
  const from = ctx.index.tokenRanges[2 * s]!;
  let best: { p: number; precision: 1 | 2 | 3; tied: boolean; dist: number; rank: number } | null = null;
  for (const pi of ctx.index.places[s]!) {
    const p = doc.places[pi]!;
    if (p.metonymy || p.demonym || ctx.index.dateline.has(pi) || overlapsAny(p, sourceSpans)) continue;
    const first = tokenAt(doc.tokens, p.start);
    let prepPrecision = -1;
    const tok = doc.tokens[first];
    if (tok && tok.end > p.end && ctx.lex.placeSuffixes.some((suf) => tok.lower.endsWith(suf))) prepPrecision = 2;
    for (let k = first - 1, steps = 0; prepPrecision < 0 && k >= from && steps < 4; k--, steps++) {
      const w = doc.tokens[k]!.lower;
      const v = ctx.lex.placePrepositions.get(w);
      if (v !== undefined) prepPrecision = v;
      else if (!ctx.lex.determiners.has(w) && w !== 'the' && w !== 'city' && w !== 'town' && w !== 'village' && w !== 'district' && w !== 'province') break;
    }
    const tied = prepPrecision >= 0;
    const precision = maxPrecision(p.geo_precision, Math.max(prepPrecision, 0));
    // A country is the least specific place: "in Nigeria's Kaduna state" is Kaduna state.
    const rank = precision * 2 + (p.feature_code !== null && COUNTRY_CODE.test(p.feature_code) ? 1 : 0);
    const dist = p.start >= trigger.end ? p.start - trigger.end : trigger.start - p.end;
    // Tied places first; among them the most specific ("the town of X in Y's Z region" is X), then the nearest.
    const better =
      !best ||
      (tied && !best.tied) ||
      (tied === best.tied && (rank < best.rank || (rank === best.rank && dist < best.dist)));
    if (better) best = { p: pi, precision, tied, dist, rank };
  }
  if (best) return [placeToLocation(doc.places[best.p]!, best.precision), best.tied ? Strength.Tied : Strength.Sentence];
  // Nearest resolved place of the same paragraph.
  const paragraph = doc.sentences[s]!.paragraph;
  let near = null as { p: number; dist: number } | null;
  for (let t = s - 1, u = s + 1; t >= 0 || u < doc.sentences.length; t--, u++) {
    for (const other of [t, u]) {
      const sent = doc.sentences[other];
      if (!sent || sent.paragraph !== paragraph) continue;
      for (const pi of ctx.index.places[other]!) {
        const p = doc.places[pi]!;
        if (p.geonames_id === null || p.metonymy || p.demonym || ctx.index.dateline.has(pi)) continue;
        const dist = Math.abs(other - s);
        if (!near || dist < near.dist) near = { p: pi, dist };
      }
    }
    if (near) break;
    if ((t < 0 || doc.sentences[t]!.paragraph !== paragraph) && (u >= doc.sentences.length || doc.sentences[u]!.paragraph !== paragraph)) break;
  }
  if (near) {
    const p = doc.places[near.p]!;
    return [placeToLocation(p, p.geo_precision), Strength.Near];
  }
  const focus = doc.focus;
  if (focus?.place) return [placeToLocation(focus.place, 3), Strength.Fallback];
  if (focus && (focus.country_code || focus.admin1)) {
    return [
      {
        name: focus.admin1 ?? focus.country_code ?? '',
        text: '',
        geonames_id: null,
        country_code: focus.country_code,
        admin1: focus.admin1,
        admin2: null,
        lat: null,
        lon: null,
        geo_precision: 3,
      },
      Strength.Fallback,
    ];
  }
  // Only the dateline names a place: the best we have, at region precision.
  for (const pi of ctx.index.dateline) return [placeToLocation(doc.places[pi]!, 3), Strength.Fallback];
  return [null, Strength.None];
}

/** `YYYY-MM-DD` minus one day. */
export function previousDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The event's date: a date of the sentence (not the report's), else the paragraph's, else the article's. */
function chooseDate(ctx: ArgumentContext, s: number, trigger: Span): [string | null, DatePrecision, Strength] {
  const { doc } = ctx.index;
  const from = ctx.index.tokenRanges[2 * s]!;
  const overnight = (sentenceWords(ctx, s) & SentenceWords.Overnight) !== 0;
  let event: DateMention | null = null;
  let eventDist = Infinity;
  let report: DateMention | null = null;
  for (const di of ctx.index.dates[s]!) {
    const d = doc.dates[di]!;
    const first = tokenAt(doc.tokens, d.start);
    let isReport = false;
    for (let k = first - 1, steps = 0; k >= from && steps <= ctx.lex.reportDateGap; k--, steps++) {
      const w = doc.tokens[k]!.lower;
      if (PUNCT.test(w)) break;
      if (ctx.attribution.reportingVerbs.has(w) && w !== 'according') {
        isReport = true;
        break;
      }
    }
    const covers = d.text.toLowerCase().includes('overnight') || d.text.toLowerCase().includes('night');
    if (isReport && !covers) {
      report ??= d;
      continue;
    }
    const dist = d.start >= trigger.end ? d.start - trigger.end : trigger.start - d.end;
    if (dist < eventDist) {
      event = d;
      eventDist = dist;
    }
  }
  if (event) return [event.value, event.precision, Strength.Tied];
  if (report) {
    // "killed in an overnight raid, police said on Thursday": the night before the report.
    if (overnight && report.precision === 'day') return [previousDay(report.value), 'day', Strength.Sentence];
    return [report.value, report.precision, Strength.Sentence];
  }
  const paragraph = doc.sentences[s]!.paragraph;
  for (let t = s - 1; t >= 0 && doc.sentences[t]!.paragraph === paragraph; t--) {
    const ds = ctx.index.dates[t]!;
    const last = ds[ds.length - 1];
    if (last !== undefined) return [doc.dates[last]!.value, doc.dates[last]!.precision, Strength.Near];
  }
  if (overnight) return [previousDay(doc.article.date), 'day', Strength.Fallback];
  return [doc.article.date, 'week', Strength.Fallback];
}

interface Numbers {
  fatalities: number | null;
  injured: number | null;
  count: number | null;
}

/** The numbers of a sentence that holds none. */
const NO_NUMBERS: Readonly<Numbers> = { fatalities: null, injured: null, count: null };

/**
 * Numbers of the sentence that belong to this trigger (nearest trigger wins; for the dead and wounded,
 * the nearest violent or protest trigger), summed over nouns.
 */
function chooseNumbers(
  ctx: ArgumentContext,
  s: number,
  trigger: Span,
  otherTriggers: readonly Span[],
  otherHarmTriggers: readonly Span[],
  harmful: boolean,
): Numbers {
  const { doc } = ctx.index;
  const from = ctx.index.tokenRanges[2 * s]!;
  const perRole = new Map<string, Map<string, number>>();
  const distance = (q: Span, t: Span): number => (q.start >= t.end ? q.start - t.end : t.start - q.end);
  for (const qi of ctx.index.quantities[s]!) {
    const q = doc.quantities[qi]!;
    if (q.role === 'other') continue;
    // The killed and wounded belong to a violent event or a protest, never to "a war monitor said" or "aid".
    if (!harmful && (q.role === 'killed' || q.role === 'injured')) continue;
    const mine = distance(q, trigger);
    const rivals = q.role === 'involved' ? otherTriggers : otherHarmTriggers;
    if (rivals.some((t) => distance(q, t) < mine)) continue;
    // "five people, including two children": the subset is not added.
    const first = tokenAt(doc.tokens, q.start);
    let subset = false;
    for (let k = first - 1, steps = 0; k >= from && steps < 3; k--, steps++) {
      if (ctx.lex.subsetWords.has(doc.tokens[k]!.lower)) subset = true;
    }
    if (subset) continue;
    const role = perRole.get(q.role) ?? new Map<string, number>();
    perRole.set(q.role, role);
    const noun = (q.noun ?? '').toLowerCase();
    role.set(noun, Math.max(role.get(noun) ?? 0, q.value));
  }
  const total = (role: string): number | null => {
    const m = perRole.get(role);
    if (!m) return null;
    let sum = 0;
    for (const v of m.values()) sum += v;
    return sum;
  };
  return { fatalities: total('killed'), injured: total('injured'), count: total('involved') };
}

/** No actor tokens to stop at (for places, which are looked at without the actor layer). */
const NO_STOPS: ReadonlySet<number> = new Set();

/** Feature codes of a country (GeoNames PCL*): a country named as the object of an event is its state. */
const COUNTRY_CODE = /^PCL/;

/**
 * A country in the object position of the trigger ("visited Russia", "aid to Mozambique", "sanctions
 * against Iran") stands for its state when no actor fills the target role; places after "in", "near"
 * and the like stay locations.
 */
function countryTarget(ctx: ArgumentContext, s: number, trigger: Span, sourceSpans: readonly Span[], harmful: boolean): [EventActor, Strength] | null {
  const { doc } = ctx.index;
  const from = ctx.index.tokenRanges[2 * s]!;
  const triggerLast = tokenAt(doc.tokens, trigger.end - 1);
  for (const pi of ctx.index.places[s]!) {
    const p = doc.places[pi]!;
    if (p.start < trigger.end || p.start - trigger.end > 60 || ctx.index.dateline.has(pi) || overlapsAny(p, sourceSpans)) continue;
    const country = (p.feature_code !== null && COUNTRY_CODE.test(p.feature_code)) || p.metonymy === true;
    const first = tokenAt(doc.tokens, p.start);
    const prep = governingWord(ctx, first, from, trigger, NO_STOPS);
    const direct = prep === '' && first - triggerLast <= 3;
    // "rejected an Australian ultimatum": a nationality adjective inside the object names the state.
    if (p.demonym) {
      if (direct && !harmful) return [{ name: p.name, id: null, text: p.text, kind: 'state', country: p.country_code }, Strength.Sentence];
      continue;
    }
    if (country && (direct || ctx.lex.targetPrepositions.has(prep) || ctx.lex.counterpartPrepositions.has(prep))) {
      return [{ name: p.name, id: null, text: p.text, kind: 'state', country: p.country_code }, Strength.Sentence];
    }
    // PLOVER codes the place a non-violent act is aimed at as its target ("a curfew in Algiers"); weakly,
    // so it never separates or joins events. A violent event's target stays its victims (ACLED).
    if (!harmful && (direct || prep === 'in' || ctx.lex.targetPrepositions.has(prep))) {
      return [{ name: p.name, id: null, text: p.text, kind: country ? 'state' : 'unknown', country: p.country_code }, Strength.Near];
    }
  }
  return null;
}

/**
 * A country as the subject when no actor is ("The United States continued to send arms", "Uganda said it
 * had paid"): the country stands for its state. A country that only speaks ("Russia said Sudan must")
 * is not the doer unless it speaks of itself.
 */
function countrySubject(ctx: ArgumentContext, s: number, trigger: Span): EventActor | null {
  const { doc } = ctx.index;
  const from = ctx.index.tokenRanges[2 * s]!;
  const ti = tokenAt(doc.tokens, trigger.start);
  let found: PlaceMention | null = null;
  for (const pi of ctx.index.places[s]!) {
    const p = doc.places[pi]!;
    if (p.end > trigger.start || p.demonym || ctx.index.dateline.has(pi) || p.end <= ctx.index.datelineEnd) continue;
    if (!(p.feature_code !== null && COUNTRY_CODE.test(p.feature_code)) && !p.metonymy) continue;
    const first = tokenAt(doc.tokens, p.start);
    const prep = governingWord(ctx, first, from, trigger, NO_STOPS);
    if (prep !== '' && prep !== 'clause') continue;
    let last = first;
    while (last + 1 < ti && doc.tokens[last + 1]!.end <= p.end) last++;
    // A reporting verb between the country and the trigger: the country speaks; it acts only of itself.
    let ok = true;
    for (let k = last + 1; k < ti && ok; k++) {
      const w = doc.tokens[k]!.lower;
      if (ctx.attribution.reportingVerbs.has(w) && w !== 'according') {
        ok = false;
        for (let j = k + 1; j < Math.min(ti, k + 4) && !ok; j++) ok = ctx.lex.selfWords.has(doc.tokens[j]!.lower);
      }
    }
    if (ok) found = p;
  }
  return found ? { name: found.name, id: null, text: found.text, kind: 'state', country: found.country_code } : null;
}

/**
 * "Russian strike on Kharkiv", "Pakistani air strikes": a nationality adjective right before an event
 * noun names the state that did it.
 */
function demonymDoer(ctx: ArgumentContext, s: number, trigger: Span): EventActor | null {
  const { doc } = ctx.index;
  const ti = tokenAt(doc.tokens, trigger.start);
  const t = doc.tokens[ti];
  if (!t || t.lower.endsWith('ed') || ti < 1) return null;
  const prev = doc.tokens[ti - 1]!;
  if (prev.sentence !== t.sentence) return null;
  // "Israeli tanks fired": an actor mention covering the adjective already says who.
  for (const ai of ctx.index.actors[s]!) if (doc.actors[ai]!.start <= prev.start && prev.end <= doc.actors[ai]!.end) return null;
  for (const pi of ctx.index.places[s]!) {
    const p = doc.places[pi]!;
    if (p.demonym && p.start === prev.start && p.end === prev.end && p.country_code !== null) {
      return { name: p.name, id: null, text: p.text, kind: 'state', country: p.country_code };
    }
  }
  return null;
}

/**
 * Typed generic agents for the roles no mention of the event names, from the record's main type
 * (ACLED sub-event type first, then event type): "Unidentified armed group", "Civilians", "Protesters".
 * A generic never repeats the kind of the other side ("police fired at ..." gets no generic "Police" target).
 * @example fillGenericActors(lex, record, cand, 'PK'); record.actor1?.name // 'Unidentified armed group'
 */
export function fillGenericActors(
  lex: ArgumentLexicon,
  args: Pick<EventArguments, 'actor1' | 'actor2' | 'actor1Strength' | 'actor2Strength'>,
  cand: Pick<EventCandidate, 'event_type' | 'acled_event_type' | 'acled_sub_event_type'>,
  country: string | null,
): void {
  const acled = cand.acled_event_type ?? cand.event_type;
  const sub = cand.acled_sub_event_type;
  const genericOf = (role: 'actor1' | 'actor2'): { name: string; kind: string } | undefined =>
    (sub !== null ? lex.generic.get(sub)?.[role] : undefined) ?? lex.generic.get(acled)?.[role];
  if (!args.actor1) {
    const g = genericOf('actor1');
    if (g && g.kind !== args.actor2?.kind) {
      args.actor1 = { name: g.name, id: null, text: '', kind: g.kind, country };
      args.actor1Strength = Strength.Fallback;
    }
  }
  if (!args.actor2) {
    const g = genericOf('actor2');
    if (g && g.kind !== args.actor1?.kind) {
      args.actor2 = { name: g.name, id: null, text: '', kind: g.kind, country };
      args.actor2Strength = Strength.Fallback;
    }
  }
}

/**
 * Whether a trigger is a definite noun phrase that refers back: "The attack took place on Monday",
 * "Sunday's suicide attack", "the bombing" (not "an attack", not a verb, not in a headline).
 */
function isAnaphoric(ctx: ArgumentContext, s: number, trigger: Span): boolean {
  const { doc } = ctx.index;
  if (doc.sentences[s]!.isHeadline) return false;
  const from = ctx.index.tokenRanges[2 * s]!;
  const ti = tokenAt(doc.tokens, trigger.start);
  const t = doc.tokens[ti];
  if (!t || t.lower.endsWith('ed')) return false;
  const actorAt = (k: number): boolean => ctx.index.actors[s]!.some((a) => doc.actors[a]!.start <= doc.tokens[k]!.start && doc.tokens[k]!.end <= doc.actors[a]!.end);
  for (let k = ti - 1, steps = 0; k >= from && steps < 3; k--, steps++) {
    const w = doc.tokens[k]!.lower;
    if (ctx.lex.anaphoricDeterminers.has(w) || (w.endsWith("'s") && ctx.index.dates[s]!.some((d) => doc.dates[d]!.start <= doc.tokens[k]!.start && doc.dates[d]!.end >= doc.tokens[k]!.end - 2))) return true;
    if (!/^[\p{Ll}-]+$/u.test(doc.tokens[k]!.text) || ctx.lex.prepositions.has(w) || actorAt(k)) return false;
  }
  return false;
}

/**
 * All arguments of one event mention.
 * @example eventArguments(ctx, cand, []).location?.geo_precision // 2 for "near Dera Ismail Khan"
 */
export function eventArguments(ctx: ArgumentContext, cand: EventCandidate, others: readonly EventCandidate[] = []): EventArguments {
  const { doc } = ctx.index;
  const s = cand.sentence;
  const sourceSpans = ctx.index.sources[s]!.map((i) => doc.sources[i]!);
  const [location, locationStrength] = chooseLocation(ctx, s, cand.trigger, sourceSpans);
  const country = location?.country_code ?? doc.focus?.country_code ?? null;
  const harmful = (c: EventCandidate): boolean => ctx.lex.harmFamilies.has(familyOf(ctx.lex, c));
  const candHarmful = harmful(cand);
  const choice = chooseActors(ctx, s, cand.trigger, sourceSpans, candHarmful);
  const claim = sentenceClaim(ctx, s);
  let { a1, a1Strength } = choice;
  let a2 = choice.a2;
  let a2Strength = choice.a2Strength;
  // Civilians suffer violence, they do not wage it (ACLED): a civilian subject of a violent event is its
  // target ("A child and two shopkeepers were among those killed"); riots and mob violence excepted.
  if (a1 >= 0 && doc.actors[a1]!.kind === 'civilians' && familyOf(ctx.lex, cand) === 'violence' && cand.acled_event_type !== 'Riots') {
    if (a2 < 0) {
      a2 = a1;
      a2Strength = a1Strength;
    }
    a1 = -1;
    a1Strength = Strength.None;
  }
  if (a1 < 0 && claim.actor >= 0) {
    // The claimant is the likely doer, but a claim is weaker than the sentence's own structure.
    a1 = claim.actor;
    a1Strength = Strength.Near;
  }
  let actor1 = a1 >= 0 ? toEventActor(doc, a1, country) : null;
  if (!actor1) {
    const state = countrySubject(ctx, s, cand.trigger);
    if (state) {
      actor1 = state;
      a1Strength = Strength.Sentence;
    }
  }
  if (a1Strength < Strength.Tied) {
    const state = demonymDoer(ctx, s, cand.trigger);
    if (state) {
      actor1 = state;
      a1Strength = Strength.Tied;
    }
  }
  let actor2 = a2 >= 0 ? toEventActor(doc, a2, country) : null;
  let actor2Strength = a2Strength;
  // "the Ethiopian National Defense Force (ENDF) withdrew ... after fighting": one actor is not both sides.
  if (actor1 && actor2 && (actor1.id !== null ? actor1.id === actor2.id : actor1.name === actor2.name)) {
    actor2 = null;
    actor2Strength = Strength.None;
  }
  if (!actor2) {
    const target = countryTarget(ctx, s, cand.trigger, sourceSpans, candHarmful);
    if (target) [actor2, actor2Strength] = target;
  }
  const [date, date_precision, dateStrength] = chooseDate(ctx, s, cand.trigger);
  const numbers =
    ctx.index.quantities[s]!.length === 0
      ? NO_NUMBERS
      : chooseNumbers(ctx, s, cand.trigger, others.map((o) => o.trigger), others.filter(harmful).map((o) => o.trigger), candHarmful);
  return {
    actor1,
    actor2,
    actor1Strength: a1Strength,
    actor2Strength,
    location,
    locationStrength,
    date,
    date_precision,
    dateStrength,
    fatalities: numbers.fatalities,
    injured: numbers.injured,
    count: numbers.count,
    sources: sourceSpans.map((m) => ({ name: m.name, kind: m.kind })),
    claim: claim.claim,
    claimed_by: claim.claimedBy,
    hedged: (sentenceWords(ctx, s) & SentenceWords.Hedge) !== 0,
    separate: (sentenceWords(ctx, s) & SentenceWords.Separate) !== 0,
    anaphoric: isAnaphoric(ctx, s, cand.trigger),
  };
}
