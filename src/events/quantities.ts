/**
 * Numbers of people in an article ("at least 12 militants", "dozens", "sixty-five") and what happened
 * to them (killed, injured, involved), with the noun they count. Words and patterns come from
 * data/events/quantities.json; the scan is one pass over the tokens with tables built at load time.
 *
 * @example findQuantities('12 militants and two soldiers were killed.')
 * // [{ text: '12', value: 12, role: 'killed', noun: 'militants', lowerBound: false, ... },
 * //  { text: 'two', value: 2, role: 'killed', noun: 'soldiers', ... }]
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';
import type { Stage, StageContext } from '../pipeline.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import { defaultDateLexicon } from '../time/lexicon.js';
import type { KhabarDoc, QuantityMention, QuantityRole, Sentence, Token } from '../types.js';

const NumberMap = z.record(z.string().min(1), z.number().nonnegative());
const Role = z.enum(['killed', 'injured', 'involved']);

export const QuantityLexiconSchema = z.object({
  $comment: z.string().optional(),
  units: NumberMap,
  tens: NumberMap,
  scales: NumberMap,
  vague: z.array(z.object({ phrase: z.string().min(1), value: z.number().positive(), lowerBound: z.boolean() })),
  modifiers: z.array(z.object({ phrase: z.string().min(1), lowerBound: z.boolean() })),
  peopleNouns: z.array(z.string().min(1)),
  nonPeople: z.array(z.string().min(1)),
  roles: z.object({ killed: z.array(z.string()), injured: z.array(z.string()), involved: z.array(z.string()) }),
  nounRoles: z.record(z.string(), Role),
  riseWords: z.array(z.string()),
  skipBefore: z.array(z.string()),
  joiners: z.array(z.string()),
  breakers: z.array(z.string()),
  notOne: z.array(z.string()),
  leftOnlyRoles: z.array(z.string()),
  nounStops: z.array(z.string()),
  rightWindow: z.number().int().min(1).max(30),
  leftWindow: z.number().int().min(1).max(10),
});

export type QuantityLexiconFile = z.infer<typeof QuantityLexiconSchema>;

interface Phrase<T> {
  tokens: string[];
  data: T;
}

/** The lexicon compiled into lookup tables keyed by lower-case token. */
export interface QuantityLexicon {
  units: ReadonlyMap<string, number>;
  tens: ReadonlyMap<string, number>;
  scales: ReadonlyMap<string, number>;
  vagueByFirst: ReadonlyMap<string, readonly Phrase<{ value: number; lowerBound: boolean }>[]>;
  modifiersByFirst: ReadonlyMap<string, readonly Phrase<{ lowerBound: boolean }>[]>;
  peopleNouns: ReadonlySet<string>;
  nonPeople: ReadonlySet<string>;
  roleOf: ReadonlyMap<string, Exclude<QuantityRole, 'other'>>;
  nounRoles: ReadonlyMap<string, Exclude<QuantityRole, 'other'>>;
  riseWords: ReadonlySet<string>;
  skipBefore: ReadonlySet<string>;
  joiners: ReadonlySet<string>;
  breakers: ReadonlySet<string>;
  notOne: ReadonlySet<string>;
  /** Role words that count only before the number ("the death toll rose to 15"). */
  leftOnlyRoles: ReadonlySet<string>;
  /** Words that end the noun phrase after a number ("12 were killed", "dozens feared dead"). */
  nounStops: ReadonlySet<string>;
  /** Month names and abbreviations: a number next to one is a date, not people. */
  months: ReadonlySet<string>;
  /** Lower-case tokens that may start a number phrase (besides digits): the prefilter. */
  starters: ReadonlySet<string>;
  rightWindow: number;
  leftWindow: number;
}

function byFirst<T>(entries: readonly { phrase: string }[], data: (i: number) => T): Map<string, Phrase<T>[]> {
  const map = new Map<string, Phrase<T>[]>();
  entries.forEach((e, i) => {
    const tokens = e.phrase.toLowerCase().split(/\s+/);
    const list = map.get(tokens[0]!) ?? [];
    list.push({ tokens, data: data(i) });
    map.set(tokens[0]!, list);
  });
  for (const list of map.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return map;
}

/** "twenty-one" ... "ninety-nine": hyphenated number words are single tokens. */
function compounds(tens: ReadonlyMap<string, number>, units: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const t of tens.keys()) for (const [u, v] of units) if (v > 0 && v < 10) out.push(`${t}-${u}`);
  return out;
}

/** Compiles a validated lexicon file into lookup tables. */
export function compileQuantityLexicon(file: QuantityLexiconFile): QuantityLexicon {
  const roleOf = new Map<string, Exclude<QuantityRole, 'other'>>();
  for (const role of ['killed', 'injured', 'involved'] as const) for (const w of file.roles[role]) roleOf.set(w.toLowerCase(), role);
  const vagueByFirst = byFirst(file.vague, (i) => ({ value: file.vague[i]!.value, lowerBound: file.vague[i]!.lowerBound }));
  const modifiersByFirst = byFirst(file.modifiers, (i) => ({ lowerBound: file.modifiers[i]!.lowerBound }));
  const dates = defaultDateLexicon();
  const units = new Map(Object.entries(file.units));
  const tens = new Map(Object.entries(file.tens));
  return {
    units,
    tens,
    scales: new Map(Object.entries(file.scales)),
    vagueByFirst,
    modifiersByFirst,
    peopleNouns: new Set(file.peopleNouns.map((w) => w.toLowerCase())),
    nonPeople: new Set(file.nonPeople.map((w) => w.toLowerCase())),
    roleOf,
    nounRoles: new Map(Object.entries(file.nounRoles)),
    riseWords: new Set(file.riseWords),
    skipBefore: new Set(file.skipBefore),
    joiners: new Set(file.joiners),
    breakers: new Set(file.breakers),
    notOne: new Set(file.notOne),
    leftOnlyRoles: new Set(file.leftOnlyRoles),
    nounStops: new Set(file.nounStops),
    months: new Set([...dates.months.keys(), ...dates.monthAbbreviations.keys()]),
    starters: new Set([...units.keys(), ...tens.keys(), ...compounds(tens, units), ...vagueByFirst.keys(), ...modifiersByFirst.keys()]),
    rightWindow: file.rightWindow,
    leftWindow: file.leftWindow,
  };
}

/**
 * Reads, validates and compiles a quantity lexicon (default: data/events/quantities.json).
 * @example loadQuantityLexicon().roleOf.get('wounded') // 'injured'
 */
export function loadQuantityLexicon(path: string = dataPath('events', 'quantities.json')): QuantityLexicon {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`cannot read the quantity lexicon ${path}: ${errorMessage(err)}; restore it from the package`, { file: path });
  }
  const parsed = QuantityLexiconSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      `the quantity lexicon ${path} does not match its schema at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; fix that entry`,
      { file: path },
    );
  }
  return compileQuantityLexicon(parsed.data);
}

let defaultLexicon: QuantityLexicon | null = null;

/** The package's own quantity lexicon, loaded on first use and kept. */
export function defaultQuantityLexicon(): QuantityLexicon {
  defaultLexicon ??= loadQuantityLexicon();
  return defaultLexicon;
}

// ---- scanning -----------------------------------------------------------------------------------

interface NumberPhrase {
  /** First token (a modifier's when there is one) and the token just past the number. */
  first: number;
  end: number;
  value: number;
  lowerBound: boolean;
  vague: boolean;
}

interface Scan {
  tokens: readonly Token[];
  lex: QuantityLexicon;
}

function lowerAt(scan: Scan, i: number): string {
  return scan.tokens[i]?.lower ?? '';
}

function inSentence(scan: Scan, i: number, sentence: number): boolean {
  const t = scan.tokens[i];
  return t !== undefined && t.sentence === sentence;
}

/** Compiled once; no global flag, so no state between calls. */
const LETTER_START = /^\p{L}/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** "12" -> 12, "1,200" -> 1200, "1.5" -> 1.5; anything else ("25-year-old", "1,20") -> -1. */
function parseDigits(s: string): number {
  let n = 0;
  let scale = 1;
  let group = -1; // digits since the last thousands comma, -1 before any comma
  let dot = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      if (dot) {
        scale /= 10;
        n += (c - 48) * scale;
      } else {
        n = n * 10 + (c - 48);
        if (group >= 0) group++;
      }
    } else if (c === 44 /* , */ && !dot && i > 0 && (group === -1 || group === 3)) {
      group = 0;
    } else if (c === 46 /* . */ && !dot && (group === -1 || group === 3)) {
      dot = true;
    } else return -1;
  }
  if (!dot && group !== -1 && group !== 3) return -1;
  return n;
}

/** A phrase from a by-first table matching at token i inside the sentence, longest first. */
function phraseAt<T>(scan: Scan, table: ReadonlyMap<string, readonly Phrase<T>[]>, i: number, sentence: number): Phrase<T> | null {
  const list = table.get(lowerAt(scan, i));
  if (list === undefined) return null;
  for (const p of list) {
    let ok = true;
    for (let k = 1; k < p.tokens.length; k++) {
      if (lowerAt(scan, i + k) !== p.tokens[k] || !inSentence(scan, i + k, sentence)) {
        ok = false;
        break;
      }
    }
    if (ok) return p;
  }
  return null;
}

/** A number word at token i: "two", "sixty-five", "twenty one"; returns [value, next]. */
function wordNumberAt(scan: Scan, i: number): [number, number] | null {
  const w = lowerAt(scan, i);
  const unit = scan.lex.units.get(w);
  if (unit !== undefined) return [unit, i + 1];
  const ten = scan.lex.tens.get(w);
  if (ten !== undefined) {
    const u = scan.lex.units.get(lowerAt(scan, i + 1));
    if (u !== undefined && u > 0 && u < 10) return [ten + u, i + 2];
    return [ten, i + 1];
  }
  const dash = w.indexOf('-');
  if (dash > 0) {
    const t = scan.lex.tens.get(w.slice(0, dash));
    const u = scan.lex.units.get(w.slice(dash + 1));
    if (t !== undefined && u !== undefined && u > 0 && u < 10) return [t + u, i + 1];
  }
  return null;
}

/** The core number at token i (digits, words, vague words) followed by an optional scale word. */
function coreAt(scan: Scan, i: number, sentence: number): { value: number; end: number; lowerBound: boolean; vague: boolean } | null {
  const t = scan.tokens[i];
  if (t === undefined) return null;
  const vague = phraseAt(scan, scan.lex.vagueByFirst, i, sentence);
  if (vague !== null) return { value: vague.data.value, end: i + vague.tokens.length, lowerBound: vague.data.lowerBound, vague: true };
  let value: number;
  let end: number;
  if (isDigit(t.lower.charCodeAt(0))) {
    value = parseDigits(t.lower);
    if (value < 0) return null;
    end = i + 1;
  } else {
    const w = wordNumberAt(scan, i);
    if (w === null) return null;
    [value, end] = w;
  }
  const scale = scan.lex.scales.get(lowerAt(scan, end));
  if (scale !== undefined && inSentence(scan, end, sentence)) {
    value *= scale;
    end++;
  }
  if (!Number.isInteger(value)) return null;
  return { value, end, lowerBound: false, vague: false };
}

/** A whole number phrase at token i: optional modifier ("at least") + core. */
function numberAt(scan: Scan, i: number, sentence: number): NumberPhrase | null {
  const t = scan.tokens[i];
  if (t === undefined) return null;
  if (!isDigit(t.lower.charCodeAt(0)) && !scan.lex.starters.has(t.lower)) return null;
  const mod = phraseAt(scan, scan.lex.modifiersByFirst, i, sentence);
  if (mod !== null) {
    const core = coreAt(scan, i + mod.tokens.length, sentence);
    if (core !== null) {
      return { first: i, end: core.end, value: core.value, lowerBound: mod.data.lowerBound || core.lowerBound, vague: core.vague };
    }
  }
  const core = coreAt(scan, i, sentence);
  if (core === null) return null;
  return { first: i, end: core.end, value: core.value, lowerBound: core.lowerBound, vague: core.vague };
}

/** Is the number a date, time, year, age, ordinal or a code rather than a count? */
function notACount(scan: Scan, p: NumberPhrase): boolean {
  const { tokens, lex } = scan;
  const core = tokens[p.end - 1]!;
  const before = tokens[p.first - 1];
  const after = tokens[p.end];
  if (before !== undefined && (lex.skipBefore.has(before.lower) || (before.cap && lex.months.has(before.lower)))) return true;
  if (before !== undefined && before.lower === '.' && lex.months.has(lowerAt(scan, p.first - 2))) return true; // "Nov. 30"
  // An age in apposition: "Zachary Brooks, 24, was arrested".
  if (before?.lower === ',' && after?.lower === ',' && tokens[p.first - 2]?.cap === true && p.first === p.end - 1) return true;
  if (after !== undefined) {
    if (after.cap && lex.months.has(after.lower)) return true; // "30 November"
    if (after.start === core.end && LETTER_START.test(after.text)) return true; // "403rd", "1990s"
    if (after.lower === ':' && isDigit(lowerAt(scan, p.end + 1).charCodeAt(0))) return true; // "9:30"
  }
  // A bare four-digit 1900-2100 is a year unless people follow: "in 2019" vs "2000 people".
  if (!p.vague && core.lower.length === 4 && p.value >= 1900 && p.value <= 2100) {
    return !(after !== undefined && lex.peopleNouns.has(after.lower));
  }
  return false;
}

interface NounScan {
  /** The counted noun, or null. */
  noun: string | null;
  /** True when the noun is in the people list (else an unknown word taken as the noun). */
  known: boolean;
  /** Token just past the noun (or the number when none). */
  next: number;
  /** A non-people word follows: not a count of people. */
  reject: boolean;
}

/** Quote marks around a noun or a figure ("killed \"dozens of terrorists\"") are looked through. */
function isQuote(w: string): boolean {
  return w === '"' || w === "'";
}

/**
 * The noun after a number: skips adjectives ("12 suspected militants"), "of the" ("dozens of
 * people"), quotes; a non-people word in the phrase ("two suicide belts", "two police vehicles")
 * means the number does not count people.
 */
function nounAfter(scan: Scan, from: number, sentence: number): NounScan {
  const { lex } = scan;
  let candidate: { text: string; at: number } | null = null;
  for (let k = from, steps = 0; steps < 6 && inSentence(scan, k, sentence); k++, steps++) {
    const t = scan.tokens[k]!;
    const w = t.lower;
    if (lex.nonPeople.has(w)) return { noun: null, known: false, next: from, reject: true };
    if (lex.peopleNouns.has(w)) {
      let last = k;
      while (inSentence(scan, last + 1, sentence) && lex.peopleNouns.has(lowerAt(scan, last + 1))) last++;
      if (lex.nonPeople.has(lowerAt(scan, last + 1))) return { noun: null, known: false, next: from, reject: true };
      return { noun: scan.tokens[last]!.text, known: true, next: last + 1, reject: false };
    }
    if (isQuote(w) || w === 'of' || w === 'the' || w === 'them' || w === 'those' || w === 'its' || w === 'their' || w === 'his' || w === 'her') continue;
    if (lex.roleOf.has(w) || lex.breakers.has(w) || lex.joiners.has(w) || lex.nounStops.has(w) || !LETTER_START.test(t.text)) break;
    // Adjectives come before the head noun: "young Kenyans" -> "Kenyans".
    candidate = { text: t.text, at: k };
  }
  if (candidate !== null) return { noun: candidate.text, known: false, next: candidate.at + 1, reject: false };
  return { noun: null, known: false, next: from, reject: false };
}

/** Role words to the left: "killing 12", "wounding 31 others", "the death toll rose to 15". */
function roleLeft(scan: Scan, p: NumberPhrase, sentence: number): QuantityRole | null {
  const { lex } = scan;
  for (let k = p.first - 1, steps = 0; steps < lex.leftWindow && inSentence(scan, k, sentence); k--, steps++) {
    const w = lowerAt(scan, k);
    const role = lex.roleOf.get(w);
    if (role !== undefined) return role;
    if (lex.riseWords.has(w)) {
      // "The number of people killed in Sunday's attack has risen to 19": the role is earlier.
      for (let j = k - 1; inSentence(scan, j, sentence); j--) {
        const r = lex.roleOf.get(lowerAt(scan, j));
        if (r !== undefined) return r;
      }
      return null;
    }
    if (isQuote(w)) continue;
    if (lex.joiners.has(w) || lex.breakers.has(w) || w === '(' || w === ')') return null;
    if (isDigit(w.charCodeAt(0))) return null;
  }
  return null;
}

/** Role words to the right, across "and <number> <noun>": "12 militants and two soldiers were killed". */
function roleRight(scan: Scan, from: number, sentence: number): QuantityRole | null {
  const { lex } = scan;
  let k = from;
  for (let steps = 0; steps < lex.rightWindow && inSentence(scan, k, sentence); steps++) {
    const w = lowerAt(scan, k);
    const role = lex.roleOf.get(w);
    if (role !== undefined && !lex.leftOnlyRoles.has(w)) return role;
    if (lex.breakers.has(w)) return null;
    if (w === 'and' || w === ',') {
      const next = numberAt(scan, k + 1, sentence);
      if (next !== null) {
        const n = nounAfter(scan, next.end, sentence);
        k = Math.max(n.next, next.end);
        continue;
      }
    }
    k++;
  }
  return null;
}

/**
 * "a/an <people noun>" joined by "and" to a counted number (after it, or a number before it whose role
 * is `joinedRole`): one person with the list's role. Alone ("a suicide bomber blew himself up") it is not counted.
 */
function singularConjunct(
  scan: Scan,
  i: number,
  sentence: number,
  joinedRole: QuantityRole | null,
): { role: Exclude<QuantityRole, 'other'>; noun: string; next: number } | null {
  const n = nounAfter(scan, i + 1, sentence);
  if (!n.known || n.noun === null || n.next - i > 6) return null;
  // "an unknown number of insurgents", "a group of fighters": not one person.
  for (let k = i + 1; k < n.next; k++) if (lowerAt(scan, k) === 'of') return null;
  const before = joinedRole !== null && joinedRole !== 'other' && lowerAt(scan, i - 1) === 'and';
  const after = lowerAt(scan, n.next) === 'and' && numberAt(scan, n.next + 1, sentence) !== null;
  if (!before && !after) return null;
  const phrase: NumberPhrase = { first: i, end: i + 1, value: 1, lowerBound: false, vague: false };
  const role = roleLeft(scan, phrase, sentence) ?? roleRight(scan, n.next, sentence) ?? (before ? joinedRole : null);
  if (role === null || role === 'other') return null;
  return { role, noun: n.noun, next: n.next };
}

/** Only joiners ("and", ",", "including") between two quantities: the later one shares the role. */
function joined(scan: Scan, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let k = from; k < to; k++) {
    const w = lowerAt(scan, k);
    if (!scan.lex.joiners.has(w) && !isQuote(w)) return false;
  }
  return true;
}

/**
 * Every number of people among the tokens of a text.
 * Tokens must be those of `text` (offsets into it), in order.
 */
export function findQuantitiesInTokens(text: string, tokens: readonly Token[], lex: QuantityLexicon = defaultQuantityLexicon()): QuantityMention[] {
  const scan: Scan = { tokens, lex };
  const out: QuantityMention[] = [];
  let prevEnd = -1; // token just past the previous emitted quantity's noun
  let prevRole: QuantityRole = 'other';
  let prevSentence = -1;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    const sentence = t.sentence;
    // "Three militants and an army soldier were killed", "killed a commander and four of his aides":
    // a singular conjunct of a counted list is one more person, summed with the others.
    if (t.lower === 'a' || t.lower === 'an') {
      const one = singularConjunct(scan, i, sentence, prevSentence === sentence && joined(scan, prevEnd, i) ? prevRole : null);
      if (one !== null) {
        const start = t.start;
        out.push({ start, end: t.end, text: text.slice(start, t.end), value: 1, lowerBound: false, role: one.role, noun: one.noun });
        prevEnd = one.next;
        prevRole = one.role;
        prevSentence = sentence;
        i = one.next;
        continue;
      }
    }
    const p = numberAt(scan, i, sentence);
    if (p === null) {
      i++;
      continue;
    }
    if (notACount(scan, p)) {
      i = p.end;
      continue;
    }
    // "one of 12 people killed", "two of the 30 hostages": the part is counted with the whole.
    if (lowerAt(scan, p.end) === 'of' && (numberAt(scan, p.end + 1, sentence) !== null || numberAt(scan, p.end + 2, sentence) !== null)) {
      i = p.end;
      continue;
    }
    const n = nounAfter(scan, p.end, sentence);
    // "no one was hurt", "which one": a pronoun, not a count.
    const isOne = p.value === 1 && p.first === p.end - 1;
    if (n.reject || (isOne && !n.known && lex.notOne.has(lowerAt(scan, p.first - 1)))) {
      i = p.end;
      continue;
    }
    let role: QuantityRole | null = roleLeft(scan, p, sentence) ?? roleRight(scan, n.next, sentence);
    if (role === null && prevSentence === sentence && joined(scan, prevEnd, p.first)) role = prevRole;
    if (role === null && n.known) role = lex.nounRoles.get(n.noun!.toLowerCase()) ?? null;
    role ??= 'other';
    // A number is people only with a people noun, or with a role word governing it.
    const keep = n.known || (role !== 'other');
    if (keep) {
      const start = tokens[p.first]!.start;
      const end = tokens[p.end - 1]!.end;
      out.push({
        start,
        end,
        text: text.slice(start, end),
        value: p.value,
        lowerBound: p.lowerBound,
        role,
        noun: n.noun,
      });
      prevEnd = Math.max(n.next, p.end);
      prevRole = role;
      prevSentence = sentence;
    }
    i = p.end;
  }
  return out;
}

/**
 * Every number of people in `text`, with its role and noun. Give the sentences when you have them
 * (they bound the search for role words); otherwise the text is split here.
 * @example findQuantities('The blast killed at least 14 people and wounded dozens.')
 * // [{ text: 'at least 14', value: 14, lowerBound: true, role: 'killed', noun: 'people' },
 * //  { text: 'dozens', value: 12, lowerBound: true, role: 'injured', noun: null }]
 */
export function findQuantities(text: string, sentences?: readonly Sentence[], lex: QuantityLexicon = defaultQuantityLexicon()): QuantityMention[] {
  return findQuantitiesInTokens(text, tokenizeSentences(text, sentences ?? splitSentences(text)), lex);
}

declare module '../pipeline.js' {
  interface Knowledge {
    /** A quantity lexicon to use instead of data/events/quantities.json (see loadQuantityLexicon). */
    quantityLexicon?: QuantityLexicon;
  }
}

/** Pipeline stage: fills `doc.quantities` from the tokens. */
export const quantityStage: Stage = {
  name: 'quantities',
  requires: ['tokens'],
  assigns: ['quantities'],
  run(doc: KhabarDoc, ctx: StageContext): KhabarDoc {
    doc.quantities = findQuantitiesInTokens(doc.text, doc.tokens, ctx.knowledge.quantityLexicon ?? defaultQuantityLexicon());
    return doc;
  },
};
