/**
 * The date lexicon (data/time/lexicon.json): month and weekday names, cue words and relative
 * phrases, checked against a schema and compiled once into lookup tables for the date finder.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';

/** 'weekend' is the Saturday and Sunday of a week ("over the weekend"), resolved with week precision. */
const Unit = z.enum(['day', 'weekend', 'week', 'month', 'year']);

const RelativeSchema = z
  .object({
    phrase: z.string().min(1),
    unit: Unit,
    offset: z.number().int().optional(),
    toArticle: z.boolean().optional(),
    days: z.number().int().positive().optional(),
  })
  .refine((r) => (r.offset === undefined) !== (r.days === undefined), {
    message: 'a relative phrase needs exactly one of "offset" or "days"',
  });

const IndexMap = z.record(z.string().min(1), z.number().int().min(1));

export const DateLexiconSchema = z.object({
  $comment: z.string().optional(),
  months: IndexMap,
  monthAbbreviations: IndexMap,
  weekdays: IndexMap,
  ordinalSuffixes: z.array(z.string()),
  dayParts: z.array(z.string()),
  bareMonthCues: z.array(z.string()),
  yearCues: z.array(z.string()),
  rangeJoiners: z.array(z.string()),
  rangeOpeners: z.array(z.string()),
  weekdayBlockersBefore: z.array(z.string()),
  weekdayBlockersAfter: z.array(z.string()),
  nameNouns: z.array(z.string()),
  futureCues: z.array(z.string()),
  lastCues: z.array(z.string()),
  numberWords: IndexMap,
  agoUnits: z.record(z.string(), Unit),
  relative: z.array(RelativeSchema),
  futureGraceDays: z.number().int().min(0).max(7),
});

export type DateLexiconFile = z.infer<typeof DateLexiconSchema>;
export type DateUnit = z.infer<typeof Unit>;

export interface RelativeRule {
  /** The phrase's tokens, lower-case. */
  tokens: string[];
  unit: DateUnit;
  offset: number | null;
  days: number | null;
  toArticle: boolean;
}

/** Bits of `DateLexicon.starters`: which grammar rules a token can start. */
export const StartKind = { Relative: 1, Ago: 2, Weekday: 4, Opener: 8, Month: 16 } as const;

/** The lexicon compiled into sets and maps keyed by a token's lower-case form. */
export interface DateLexicon {
  months: ReadonlyMap<string, number>;
  monthAbbreviations: ReadonlyMap<string, number>;
  weekdays: ReadonlyMap<string, number>;
  ordinalSuffixes: ReadonlySet<string>;
  dayParts: ReadonlySet<string>;
  bareMonthCues: ReadonlySet<string>;
  yearCues: ReadonlySet<string>;
  rangeJoiners: ReadonlySet<string>;
  rangeOpeners: ReadonlySet<string>;
  weekdayBlockersBefore: ReadonlySet<string>;
  weekdayBlockersAfter: ReadonlySet<string>;
  nameNouns: ReadonlySet<string>;
  futureCues: ReadonlySet<string>;
  lastCues: ReadonlySet<string>;
  numberWords: ReadonlyMap<string, number>;
  agoUnits: ReadonlyMap<string, DateUnit>;
  /** Relative phrases by their first token, longest first. */
  relativeByFirst: ReadonlyMap<string, readonly RelativeRule[]>;
  /**
   * Every lower-case token that can start a date expression (besides numbers), with the kinds of
   * expression it can start (StartKind bits): the prefilter. Includes "sunday's" and "mid-march".
   */
  starters: ReadonlyMap<string, number>;
  /** Month named by a "mid-", "early-" or "late-" form ("mid-march" -> 3). */
  prefixedMonths: ReadonlyMap<string, number>;
  futureGraceDays: number;
}

const lowerSet = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));

/** Compiles a validated lexicon file into lookup tables. */
export function compileDateLexicon(file: DateLexiconFile): DateLexicon {
  const months = new Map(Object.entries(file.months));
  const monthAbbreviations = new Map(Object.entries(file.monthAbbreviations));
  const weekdays = new Map<string, number>();
  for (const [name, n] of Object.entries(file.weekdays)) {
    weekdays.set(name, n);
    weekdays.set(`${name}'s`, n);
  }
  const prefixedMonths = new Map<string, number>();
  for (const [name, n] of months) {
    for (const prefix of ['mid', 'early', 'late']) prefixedMonths.set(`${prefix}-${name}`, n);
  }
  const relativeByFirst = new Map<string, RelativeRule[]>();
  for (const r of file.relative) {
    const tokens = r.phrase.toLowerCase().split(/\s+/);
    const rule: RelativeRule = {
      tokens,
      unit: r.unit,
      offset: r.offset ?? null,
      days: r.days ?? null,
      toArticle: r.toArticle ?? false,
    };
    const first = tokens[0]!;
    const list = relativeByFirst.get(first) ?? [];
    list.push(rule);
    relativeByFirst.set(first, list);
  }
  for (const list of relativeByFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  const starters = new Map<string, number>();
  const mark = (keys: Iterable<string>, bit: number): void => {
    for (const k of keys) starters.set(k, (starters.get(k) ?? 0) | bit);
  };
  mark(relativeByFirst.keys(), StartKind.Relative);
  mark(Object.keys(file.numberWords), StartKind.Ago);
  mark(weekdays.keys(), StartKind.Weekday);
  mark(lowerSet(file.rangeOpeners), StartKind.Opener);
  mark([...months.keys(), ...monthAbbreviations.keys(), ...prefixedMonths.keys()], StartKind.Month);
  return {
    months,
    monthAbbreviations,
    weekdays,
    ordinalSuffixes: lowerSet(file.ordinalSuffixes),
    dayParts: lowerSet(file.dayParts),
    bareMonthCues: lowerSet(file.bareMonthCues),
    yearCues: lowerSet(file.yearCues),
    rangeJoiners: lowerSet(file.rangeJoiners),
    rangeOpeners: lowerSet(file.rangeOpeners),
    weekdayBlockersBefore: lowerSet(file.weekdayBlockersBefore),
    weekdayBlockersAfter: lowerSet(file.weekdayBlockersAfter),
    nameNouns: lowerSet(file.nameNouns),
    futureCues: lowerSet(file.futureCues),
    lastCues: lowerSet(file.lastCues),
    numberWords: new Map(Object.entries(file.numberWords)),
    agoUnits: new Map(Object.entries(file.agoUnits)),
    relativeByFirst,
    starters,
    prefixedMonths,
    futureGraceDays: file.futureGraceDays,
  };
}

/**
 * Reads, validates and compiles a date lexicon file (default: data/time/lexicon.json).
 * @example loadDateLexicon().weekdays.get('sunday') // 7
 */
export function loadDateLexicon(path: string = dataPath('time', 'lexicon.json')): DateLexicon {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`cannot read the date lexicon ${path}: ${errorMessage(err)}; restore it from the package`, {
      file: path,
    });
  }
  const parsed = DateLexiconSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      `the date lexicon ${path} does not match its schema at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; fix that entry`,
      { file: path },
    );
  }
  return compileDateLexicon(parsed.data);
}

let defaultLexicon: DateLexicon | null = null;

/** The package's own date lexicon, loaded on first use and kept. */
export function defaultDateLexicon(): DateLexicon {
  defaultLexicon ??= loadDateLexicon();
  return defaultLexicon;
}
