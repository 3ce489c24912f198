/**
 * The event trigger lexicon: data/events/triggers.json validated with zod and compiled once into
 * indexes (first word → patterns, word → cue bits) so that detection is a few map look-ups per token.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError } from '../../errors.js';
import { dataPath } from '../../paths.js';
import type { EventCategory } from '../../types.js';
import { wordForms } from './lemmas.js';

export const PLOVER_TYPES = [
  'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT',
] as const;
export const CATEGORIES = ['NATURAL_DISASTER', 'MAN_MADE_DISASTER', 'DIPLO', 'ORG_CRIME', 'ATTRIB'] as const;
/** Codes resolved from the sentence's context rather than fixed by the trigger. */
export const RESOLVERS = ['EXPLOSION', 'VIOLENCE', 'CLASH', 'TERRITORY', 'RETAKE', 'PROTEST', 'AGREE', 'WITHDRAW', 'CHEM', 'ARTY', 'AIR', 'INCENDIARY'] as const;
export const TRIGGER_CLASSES = ['weapon', 'harm', 'violent', 'protest', 'verbal', 'other'] as const;
export const CUE_NAMES = [
  'negation', 'future', 'threat', 'hypothetical', 'demand', 'asserted_governors', 'clause_breaks', 'passive',
  'state', 'nonstate', 'civilian', 'clash', 'mob', 'protest', 'protest_violent', 'protest_lethal',
  'protest_intervention', 'industrial', 'attack_context', 'withdraw_transfer', 'conflict_context',
  'disrupt', 'weapon', 'crime', 'strike_verbs', 'allegation', 'transfer',
] as const;

export type TriggerClass = (typeof TRIGGER_CLASSES)[number];
export type CueName = (typeof CUE_NAMES)[number];

const groupSchema = z.object({
  t: z.enum([...PLOVER_TYPES, ...CATEGORIES, 'IGNORE']),
  m: z.string().nullable(),
  a: z.string().nullable(),
  w: z.number().positive(),
  k: z.enum(TRIGGER_CLASSES),
  /** Cause-dependent: violence only when the trigger's clause names no non-violent cause (see `causes`). */
  c: z.boolean().optional(),
  p: z.array(z.string().min(1)).min(1),
});
const causesSchema = z.object({ nonviolent: z.array(z.string().min(1)), violent: z.array(z.string().min(1)) });

const fileSchema = z.object({
  about: z.string().optional(),
  acled: z.record(z.string(), z.tuple([z.string(), z.string()])),
  groups: z.array(groupSchema).min(1),
  cues: z.object(Object.fromEntries(CUE_NAMES.map((n) => [n, z.array(z.string())])) as Record<CueName, z.ZodArray<z.ZodString>>)
    .extend({ capitalized_stop: z.array(z.string()).default([]) }),
  causes: causesSchema.default({ nonviolent: [], violent: [] }),
});

export type TriggerFile = z.infer<typeof fileSchema>;

/** One trigger group: every pattern in it shares type, mode, ACLED code, weight and class. */
export interface TriggerGroup {
  type: string;
  mode: string | null;
  /** An ACLED code (key of `acled`), a resolver name, a category, or null. */
  code: string | null;
  weight: number;
  cls: TriggerClass;
  /** Its harm words are violence only when their clause names no non-violent cause ("died of cholera"). */
  causeDependent: boolean;
}

/**
 * Words and phrases naming a cause of death or harm, by first word: the remaining words of each
 * (empty for a single word). The first word matches any of a token's forms, the rest their surface.
 */
export type CauseWords = ReadonlyMap<string, readonly (readonly string[])[]>;

/**
 * A compiled pattern. Its first slot is matched through `byFirst`; the slots after it are written one
 * after another into the lexicon's `patternCode`, from `code` on: a slot is the count of the words it
 * accepts followed by their numbers (the lexicon's slot words, see WordEntry.formIds), a gap that skips
 * up to four words is CODE_GAP, and CODE_END closes the pattern. One flat array keeps a pattern's test
 * in one place in memory instead of behind a pointer per slot.
 * @example "attack * on" → first slot "attack"; code: [CODE_GAP, 1, <number of "on">, CODE_END]
 */
export interface Pattern {
  group: number;
  /** Number of word slots (not gaps): longer patterns win overlaps. */
  size: number;
  /** Where the pattern's slots after the first start in `patternCode`. */
  code: number;
}

export const CODE_GAP = -1;
export const CODE_END = -2;

/** A multi-word cue after its first word: the remaining words (as slot-word numbers) and the cue's bit. */
export interface CuePhrase {
  rest: Int32Array;
  bit: number;
}

/** What the lexicon knows of one lower-case word, worked out once per distinct word. */
export interface WordEntry {
  /**
   * What a first pass needs, as one number: the word's cue bits, the bits its phrases may add, and the
   * HINT bits (starts a pattern, starts a phrase, counts for the title-case test).
   */
  hint: number;
  /** Surface, verb lemma, noun lemma (see wordForms); the surface is always first. */
  forms: readonly string[];
  /** Patterns whose first slot accepts one of the forms, each once, in the order forms then `byFirst`. */
  patterns: readonly number[];
  /** Bits of the single-word cues the word is, plus negation for "n't" words. */
  cueBits: number;
  /** Multi-word cues that start with the word. */
  phrases: readonly CuePhrase[] | undefined;
  /**
   * The numbers of the forms that some pattern slot or cue phrase names (the lexicon's slot words), so
   * that matching compares numbers: a slot accepts the word when it lists one of these.
   */
  formIds: Int32Array;
  /** The remaining words of the violent causes that start with one of the forms, or undefined for none. */
  violentCauses: readonly (readonly string[])[] | undefined;
  /** The same for the non-violent causes. */
  nonviolentCauses: readonly (readonly string[])[] | undefined;
}

export interface EventLexicon {
  groups: TriggerGroup[];
  patterns: Pattern[];
  /** The slots of every pattern after its first, one pattern after another (see Pattern). */
  patternCode: Int32Array;
  /** First-slot form → indexes into `patterns`. */
  byFirst: Map<string, number[]>;
  /** ACLED code → [event type, sub-event type]. */
  acled: Map<string, readonly [string, string]>;
  /** Single-word cue → bit mask over CUE_NAMES. */
  cueWords: Map<string, number>;
  /** Multi-word cues by first word: the remaining words and the bit. */
  cuePhrases: Map<string, CuePhrase[]>;
  /** Words that are not triggers when capitalised inside a sentence ("March", "May"). */
  capStop: Set<string>;
  /** Causes that make a cause-dependent harm word no violence (disease, accident, natural hazard)... */
  nonviolentCauses: CauseWords;
  /** ...unless the clause also names one of these (gunshot, beaten, attack). */
  violentCauses: CauseWords;
  /** The group a disrupted weapons use ("caches of weapons were discovered") is typed with. */
  disruptGroup: TriggerGroup;
  /** Each word's entry, memoized per lexicon: detection asks once per token instead of per pattern. */
  words: WordTable;
}

/**
 * Bits of a word's hint above its cue bits: a trigger pattern starts with the word, cue phrases start
 * with it, it counts for the title-case test (four letters or more, starting with a-z).
 */
export const HINT = {
  startsPattern: 1 << CUE_NAMES.length,
  startsPhrase: 1 << (CUE_NAMES.length + 1),
  titleWord: 1 << (CUE_NAMES.length + 2),
} as const;

/** Bound on a word table so that a long-running server does not grow it without limit. */
const MAX_WORDS = 200_000;

/**
 * Int32 fields of one slot of a word table (16 of them, 64 bytes, a cache line's worth): the word's
 * hash, its number + 1 (0: an empty slot), its entry's hint and cue bits, where its characters are in
 * the table's character pool and how many, then its first INLINE_UNITS UTF-16 units, two to a field,
 * so that a word of up to that many units is told apart from another without reading the pool.
 */
const SLOT_SHIFT = 4;
const SLOT = 1 << SLOT_SHIFT;
const S_HASH = 0;
const S_ID = 1;
const S_HINT = 2;
const S_CUES = 3;
const S_CHARS = 4;
const S_LENGTH = 5;
const S_INLINE = 6;
const INLINE_UNITS = 2 * (SLOT - S_INLINE);
const FIRST_SLOTS = 4096;

/** Units k and k + 1 of a word as one int32 (0 past the word's end), as a slot stores them. */
function unitPair(word: string, k: number): number {
  return (word.charCodeAt(k) | (word.charCodeAt(k + 1) << 16)) | 0;
}

/**
 * FNV-1a over the UTF-16 units of a word, from a basis mixed with the table's seed, with a final mix so
 * that the low bits spread.
 */
function hashWord(word: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * Each word's entry, made on first sight and numbered, owned by one lexicon. A pass over a text looks
 * every token up, and between two documents the other stages have pushed the table out of the
 * processor's cache: so the look-up reads one open-addressing slot (hash, number, hint and cue bits
 * side by side) and the word's characters in one pool, and the entry object only when it is needed.
 * @example const t = lex.words; const slot = t.lookup('bombings'); t.entries[t.idAt(slot)].forms // ['bombings', 'bombing']
 */
export class WordTable {
  private slots = new Int32Array(FIRST_SLOTS * SLOT);
  private chars = new Uint16Array(FIRST_SLOTS * 8);
  private charsUsed = 0;
  /** Entries by number. Numbers stay valid until `forgetIfFull`, which runs only between passes. */
  readonly entries: WordEntry[] = [];
  /**
   * A random seed of this table's hash: words written to collide in the table (a crafted document, to
   * slow a server's look-ups) cannot be chosen without knowing it.
   */
  private readonly seed = randomInt(2 ** 31);
  constructor(private readonly make: (lower: string) => WordEntry) {}

  /**
   * Forgets every word once the table holds MAX_WORDS, so that a long-running server does not grow it
   * without limit. Call it before a pass, never during one: the pass holds numbers.
   */
  forgetIfFull(): void {
    if (this.entries.length < MAX_WORDS) return;
    this.slots = new Int32Array(FIRST_SLOTS * SLOT);
    this.chars = new Uint16Array(FIRST_SLOTS * 8);
    this.charsUsed = 0;
    this.entries.length = 0;
  }

  /** The slot of a lower-case word, its entry made on first sight; read it with idAt, hintAt, cueBitsAt. */
  lookup(lower: string): number {
    const h = hashWord(lower, this.seed);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let at = (h << SLOT_SHIFT) & mask; ; at = (at + SLOT) & mask) {
      if (slots[at + S_ID] === 0) return this.insert(lower, h, at);
      if (slots[at + S_HASH] === h && slots[at + S_LENGTH] === lower.length && this.spells(at, lower)) return at;
    }
  }

  /** The number of the word in a slot (an index into `entries`). */
  idAt(slot: number): number {
    return this.slots[slot + S_ID]! - 1;
  }

  /** The hint of the word in a slot (see WordEntry.hint). */
  hintAt(slot: number): number {
    return this.slots[slot + S_HINT]!;
  }

  /** The cue bits of the word in a slot (see WordEntry.cueBits). */
  cueBitsAt(slot: number): number {
    return this.slots[slot + S_CUES]!;
  }

  /** The entry of a lower-case word. */
  get(lower: string): WordEntry {
    return this.entries[this.idAt(this.lookup(lower))]!;
  }

  /** Whether the word in a slot (of the same length) is `word`: its first units in the slot, the rest in the pool. */
  private spells(at: number, word: string): boolean {
    const slots = this.slots;
    const inline = Math.min(word.length, INLINE_UNITS);
    for (let k = 0; k < inline; k += 2) if (slots[at + S_INLINE + (k >> 1)] !== unitPair(word, k)) return false;
    const chars = this.chars;
    const start = slots[at + S_CHARS]!;
    for (let k = inline; k < word.length; k++) if (chars[start + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  private insert(lower: string, h: number, at: number): number {
    const entry = this.make(lower);
    if (this.charsUsed + lower.length > this.chars.length) {
      const grown = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + lower.length));
      grown.set(this.chars.subarray(0, this.charsUsed));
      this.chars = grown;
    }
    for (let i = 0; i < lower.length; i++) this.chars[this.charsUsed + i] = lower.charCodeAt(i);
    const slots = this.slots;
    slots[at + S_HASH] = h;
    slots[at + S_ID] = this.entries.length + 1;
    slots[at + S_HINT] = entry.hint;
    slots[at + S_CUES] = entry.cueBits;
    slots[at + S_CHARS] = this.charsUsed;
    slots[at + S_LENGTH] = lower.length;
    for (let k = 0; k < Math.min(lower.length, INLINE_UNITS); k += 2) slots[at + S_INLINE + (k >> 1)] = unitPair(lower, k);
    this.charsUsed += lower.length;
    this.entries.push(entry);
    // At most half the slots full keeps probe runs short.
    if (this.entries.length * 2 * SLOT > slots.length) {
      this.grow();
      return this.lookup(lower);
    }
    return at;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + S_ID] === 0) continue;
      let at = (old[from + S_HASH]! << SLOT_SHIFT) & mask;
      while (slots[at + S_ID] !== 0) at = (at + SLOT) & mask;
      slots.set(old.subarray(from, from + SLOT), at);
    }
    this.slots = slots;
  }
}

export function cueBit(name: CueName): number {
  return 1 << CUE_NAMES.indexOf(name);
}

const CATEGORY_SET = new Set<string>(CATEGORIES);
export function isCategory(code: string | null): code is EventCategory {
  return code !== null && CATEGORY_SET.has(code);
}

/** Compiles a validated trigger file into the lexicon's indexes. */
export function compileLexicon(file: TriggerFile, origin = 'triggers.json'): EventLexicon {
  const acled = new Map<string, readonly [string, string]>();
  for (const [code, pair] of Object.entries(file.acled)) acled.set(code, pair);
  const known = new Set<string>([...acled.keys(), ...RESOLVERS, ...CATEGORIES]);
  const groups: TriggerGroup[] = [];
  const patterns: Pattern[] = [];
  const patternCode: number[] = [];
  const byFirst = new Map<string, number[]>();
  // Every word a pattern slot or a cue phrase names, numbered: matching compares these numbers.
  const slotWords = new Map<string, number>();
  const slotIds = (words: readonly string[]): Int32Array => Int32Array.from(words, (w) => {
    let id = slotWords.get(w);
    if (id === undefined) slotWords.set(w, (id = slotWords.size));
    return id;
  });
  file.groups.forEach((g, gi) => {
    if (g.a !== null && !known.has(g.a)) {
      throw new KnowledgeError(`${origin}: group ${gi} has unknown code "${g.a}"; use an ACLED code from "acled", a resolver (${RESOLVERS.join(', ')}) or a category`, { file: origin });
    }
    groups.push({ type: g.t, mode: g.m, code: g.a, weight: g.w, cls: g.k, causeDependent: g.c === true });
    for (const text of g.p) {
      const words = text.toLowerCase().trim().split(/\s+/);
      const forms = words.map((w) => (w === '*' ? null : w.split('|')));
      const first = forms[0];
      const last = forms[forms.length - 1];
      if (first === null || first === undefined || last === null) {
        throw new KnowledgeError(`${origin}: pattern "${text}" may not start or end with "*"`, { file: origin });
      }
      const pi = patterns.length;
      patterns.push({ group: gi, size: forms.filter((f) => f !== null).length, code: patternCode.length });
      for (const f of forms.slice(1)) {
        if (f === null) patternCode.push(CODE_GAP);
        else patternCode.push(f.length, ...slotIds(f));
      }
      patternCode.push(CODE_END);
      for (const f of first) {
        const list = byFirst.get(f);
        if (list) list.push(pi);
        else byFirst.set(f, [pi]);
      }
    }
  });
  const cueWords = new Map<string, number>();
  const cuePhrases = new Map<string, CuePhrase[]>();
  for (const name of CUE_NAMES) {
    const bit = cueBit(name);
    for (const cue of file.cues[name]) {
      const words = cue.toLowerCase().split(/\s+/);
      if (words.length === 1) cueWords.set(words[0]!, (cueWords.get(words[0]!) ?? 0) | bit);
      else {
        const list = cuePhrases.get(words[0]!) ?? [];
        list.push({ rest: slotIds(words.slice(1)), bit });
        cuePhrases.set(words[0]!, list);
      }
    }
  }
  const disruptGroup = groups.find((g) => g.code === 'DISR_WEAP') ?? { type: 'COERCE', mode: 'seize', code: 'DISR_WEAP', weight: 8.7, cls: 'other' as const, causeDependent: false };
  const nonviolentCauses = causeWords(file.causes.nonviolent);
  const violentCauses = causeWords(file.causes.violent);
  const indexes: KnownWords = { byFirst, cueWords, cuePhrases, slotWords, nonviolentCauses, violentCauses };
  const words = new WordTable((lower) => wordEntry(lower, indexes));
  return {
    groups, patterns, patternCode: Int32Array.from(patternCode), byFirst, acled, cueWords, cuePhrases, capStop: new Set(file.cues.capitalized_stop), disruptGroup, words,
    nonviolentCauses, violentCauses,
  };
}

/** Indexes cause words and phrases by their first word. */
function causeWords(list: readonly string[]): CauseWords {
  const byFirst = new Map<string, string[][]>();
  for (const cause of list) {
    const [first, ...rest] = cause.toLowerCase().trim().split(/\s+/);
    const entries = byFirst.get(first!) ?? [];
    entries.push(rest);
    byFirst.set(first!, entries);
  }
  return byFirst;
}

const NEGATION_BIT = cueBit('negation');

/** The indexes a word's entry is made from. */
interface KnownWords {
  byFirst: ReadonlyMap<string, number[]>;
  cueWords: ReadonlyMap<string, number>;
  cuePhrases: ReadonlyMap<string, CuePhrase[]>;
  slotWords: ReadonlyMap<string, number>;
  nonviolentCauses: CauseWords;
  violentCauses: CauseWords;
}

/** The cause rests that start with one of the forms, in the order forms then list; undefined for none. */
function causesOf(forms: readonly string[], causes: CauseWords): readonly (readonly string[])[] | undefined {
  let out: (readonly string[])[] | undefined;
  for (const f of forms) {
    const rests = causes.get(f);
    if (rests !== undefined) (out ??= []).push(...rests);
  }
  return out;
}

function wordEntry(lower: string, known: KnownWords): WordEntry {
  const { byFirst, cueWords, cuePhrases, slotWords } = known;
  const forms = wordForms(lower);
  const patterns: number[] = [];
  for (const f of forms) {
    for (const pi of byFirst.get(f) ?? []) if (!patterns.includes(pi)) patterns.push(pi);
  }
  const phrases = cuePhrases.get(lower);
  let phraseBits = 0;
  for (const ph of phrases ?? []) phraseBits |= ph.bit;
  const cueBits = (cueWords.get(lower) ?? 0) | (lower.endsWith("n't") ? NEGATION_BIT : 0);
  const titleWord = lower.length >= 4 && /^[a-z]/.test(lower);
  const hint =
    cueBits |
    phraseBits |
    (patterns.length > 0 ? HINT.startsPattern : 0) |
    (phrases !== undefined ? HINT.startsPhrase : 0) |
    (titleWord ? HINT.titleWord : 0);
  const formIds: number[] = [];
  for (const f of forms) {
    const id = slotWords.get(f);
    if (id !== undefined) formIds.push(id);
  }
  return {
    hint, forms, patterns, cueBits, phrases, formIds: Int32Array.from(formIds),
    violentCauses: causesOf(forms, known.violentCauses), nonviolentCauses: causesOf(forms, known.nonviolentCauses),
  };
}

/** Validates a parsed trigger file; throws KnowledgeError naming the first problem. */
export function parseTriggerFile(json: unknown, origin: string): TriggerFile {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(`${origin}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid trigger file'}; fix the file against the schema in src/events/typing/lexicon.ts`, { file: origin });
  }
  return parsed.data;
}

/**
 * Loads and compiles data/events/triggers.json (or another trigger file).
 * @example loadTriggerLexicon().groups.length // > 30
 */
export function loadTriggerLexicon(path = dataPath('events', 'triggers.json')): EventLexicon {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KnowledgeError(`cannot read the event trigger file ${path} (${err instanceof Error ? err.message : String(err)}): reinstall the package or pass an existing file`, { file: path });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new KnowledgeError(`${path} is not valid JSON (${err instanceof Error ? err.message : String(err)}); fix the file`, { file: path });
  }
  return compileLexicon(parseTriggerFile(json, path), path);
}
