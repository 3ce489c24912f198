/**
 * Date expressions in an article ("on Sunday", "30 November", "last week", "between 3 and 5 March"),
 * resolved against the article's date with a preference for the past, as news reports past events.
 * A small hand-written grammar over tokens; the words come from data/time/lexicon.json.
 *
 * @example findDates('Gunmen attacked a checkpoint on Sunday.', '2024-12-04')
 * // [{ text: 'Sunday', start: 33, end: 39, value: '2024-12-01', precision: 'day' }]
 */
import { KhabarError } from '../errors.js';
import type { Stage, StageContext } from '../pipeline.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type { DateMention, DatePrecision, KhabarDoc, Token } from '../types.js';
import { dayNumber, daysInMonth, formatDay, isValidDate, parseIsoDay, weekdayOf, ymdOf } from './calendar.js';
import { defaultDateLexicon, StartKind, type DateLexicon, type DateUnit, type RelativeRule } from './lexicon.js';

/** How a date without a year or a weekday is placed relative to the article's date. */
type Direction = 'past' | 'last' | 'future' | 'next';

interface Match {
  /** Token index just past the expression. */
  endToken: number;
  start: number;
  end: number;
  first: number;
  last: number;
  precision: DatePrecision;
}

/** The state of one scan: tokens, the article's day and the lexicon. */
interface Scan {
  text: string;
  tokens: readonly Token[];
  article: number;
  lex: DateLexicon;
}

/** Days with only ASCII digits and at most `maxLen` of them, else -1. */
function smallInt(s: string, maxLen: number): number {
  if (s.length === 0 || s.length > maxLen) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function isDigitStart(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Is token j immediately after token i, without a space ("30" + "th")? */
function adjacent(tokens: readonly Token[], i: number, j: number): boolean {
  const a = tokens[i];
  const b = tokens[j];
  return a !== undefined && b !== undefined && a.end === b.start;
}

function lowerAt(scan: Scan, i: number): string {
  const t = scan.tokens[i];
  return t === undefined ? '' : t.lower;
}

function sameSentence(scan: Scan, i: number, j: number): boolean {
  const a = scan.tokens[i];
  const b = scan.tokens[j];
  return a !== undefined && b !== undefined && a.sentence === b.sentence;
}

/** Looks back in the clause for a future cue ("will", "next", "is due to"). */
const CLAUSE_BREAKS = new Set([',', ';', ':', '.', 'that', 'which', 'who', 'after', 'when', 'said', 'says', 'and']);
function futureContext(scan: Scan, i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 8 && sameSentence(scan, k, i); k--) {
    const w = lowerAt(scan, k);
    if (scan.lex.futureCues.has(w)) return true;
    if (CLAUSE_BREAKS.has(w)) return false;
  }
  return false;
}

/** The direction set by the word just before a date ("last March", "next Sunday"), else by context. */
function directionAt(scan: Scan, before: number): Direction {
  const w = lowerAt(scan, before);
  if (scan.lex.lastCues.has(w)) return 'last';
  if (w === 'next') return 'next';
  return futureContext(scan, before + 1) ? 'future' : 'past';
}

// ---- resolution ---------------------------------------------------------------------------------

/** A weekday relative to the article's day: on or before it (past), strictly before (last), etc. */
function resolveWeekday(weekday: number, article: number, dir: Direction): number {
  const aw = weekdayOf(article);
  const back = (aw - weekday + 7) % 7;
  const ahead = (weekday - aw + 7) % 7;
  switch (dir) {
    case 'past':
      return article - back;
    case 'last':
      return article - (back === 0 ? 7 : back);
    case 'future':
      return article + ahead;
    case 'next':
      return article + (ahead === 0 ? 7 : ahead);
  }
}

/**
 * A day and month without a year: this year unless that is after the article's date (then last
 * year); a weekday given with it ("Sunday, 31 October") picks the year it falls on.
 */
function resolveDayMonth(
  scan: Scan,
  month: number,
  day: number,
  year: number | null,
  dir: Direction,
  weekday: number | null,
): number | null {
  if (year !== null) return isValidDate(year, month, day) ? dayNumber(year, month, day) : null;
  const ay = ymdOf(scan.article).year;
  if (weekday !== null) {
    let best: number | null = null;
    for (const y of [ay, ay - 1, ay + 1]) {
      if (!isValidDate(y, month, day)) continue;
      const d = dayNumber(y, month, day);
      if (weekdayOf(d) !== weekday) continue;
      if (best === null || Math.abs(d - scan.article) < Math.abs(best - scan.article)) best = d;
    }
    if (best !== null) return best;
  }
  const future = dir === 'future' || dir === 'next';
  const candidates = future ? [ay, ay + 1] : [ay, ay - 1];
  for (const y of candidates) {
    if (!isValidDate(y, month, day)) continue;
    const d = dayNumber(y, month, day);
    if (future ? d >= scan.article : d <= scan.article + scan.lex.futureGraceDays) return d;
  }
  return null;
}

/** The year of a month named without one ("in March"). */
function resolveMonthYear(scan: Scan, month: number, dir: Direction): number {
  const { year, month: am } = ymdOf(scan.article);
  switch (dir) {
    case 'past':
      return month <= am ? year : year - 1;
    case 'last':
      return month < am ? year : year - 1;
    case 'future':
      return month >= am ? year : year + 1;
    case 'next':
      return month > am ? year : year + 1;
  }
}

function monthRange(year: number, month: number): [number, number] {
  return [dayNumber(year, month, 1), dayNumber(year, month, daysInMonth(year, month))];
}

/** Monday of the week holding `day`. */
function weekStart(day: number): number {
  return day - (weekdayOf(day) - 1);
}

/** First and last day of the unit `offset` units away from the article's (calendar week/month/year). */
function unitRange(article: number, unit: DateUnit, offset: number): [number, number] {
  if (unit === 'day') return [article + offset, article + offset];
  if (unit === 'weekend') {
    // The latest weekend begun by the article's day ("over the weekend" in a Monday report: the two days
    // before); offset -1 on a Saturday or Sunday means the weekend before.
    let saturday = article - ((weekdayOf(article) - 6 + 7) % 7);
    if (offset < 0 && saturday >= article - 1) saturday -= 7;
    return [saturday, saturday + 1];
  }
  if (unit === 'week') {
    const s = weekStart(article) + 7 * offset;
    return [s, s + 6];
  }
  const { year, month } = ymdOf(article);
  if (unit === 'month') {
    const total = year * 12 + (month - 1) + offset;
    return monthRange(Math.floor(total / 12), (total % 12) + 1);
  }
  return [dayNumber(year + offset, 1, 1), dayNumber(year + offset, 12, 31)];
}

function resolveRelative(rule: RelativeRule, article: number): [number, number] {
  if (rule.days !== null) return [article - rule.days, article - 1];
  const [first, last] = unitRange(article, rule.unit, rule.offset ?? 0);
  return [first, rule.toArticle ? Math.min(last, article) : last];
}

// ---- grammar ------------------------------------------------------------------------------------

function match(scan: Scan, i: number, endToken: number, first: number, last: number, precision: DatePrecision): Match {
  return {
    endToken,
    start: scan.tokens[i]!.start,
    end: scan.tokens[endToken - 1]!.end,
    first,
    last,
    precision,
  };
}

/** "yesterday", "last week", "earlier this month", "overnight". */
function tryRelative(scan: Scan, i: number): Match | null {
  const rules = scan.lex.relativeByFirst.get(lowerAt(scan, i));
  if (rules === undefined) return null;
  for (const rule of rules) {
    let ok = true;
    for (let k = 1; k < rule.tokens.length; k++) {
      if (lowerAt(scan, i + k) !== rule.tokens[k] || !sameSentence(scan, i, i + k)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const endToken = i + rule.tokens.length;
    // "overnight on Thursday", "last night's ... on Monday": the weekday that follows says the day.
    if (rule.tokens.length === 1 && rule.tokens[0] === 'overnight') {
      const next = lowerAt(scan, endToken);
      if ((next === 'on' || next === 'into' || next === 'to') && scan.lex.weekdays.has(lowerAt(scan, endToken + 1))) return null;
    }
    const [first, last] = resolveRelative(rule, scan.article);
    const precision: DatePrecision = rule.unit === 'weekend' ? 'week' : rule.unit;
    return match(scan, i, endToken, first, last, precision);
  }
  return null;
}

/** "two days ago", "a week ago". */
function tryAgo(scan: Scan, i: number): Match | null {
  const t = scan.tokens[i]!;
  const n = scan.lex.numberWords.get(t.lower) ?? smallInt(t.lower, 2);
  if (n <= 0) return null;
  const unit = scan.lex.agoUnits.get(lowerAt(scan, i + 1));
  if (unit === undefined || lowerAt(scan, i + 2) !== 'ago') return null;
  let day = scan.article;
  if (unit === 'day') day -= n;
  else if (unit === 'week' || unit === 'weekend') day -= 7 * n;
  else {
    const { year, month, day: d } = ymdOf(scan.article);
    const total = year * 12 + (month - 1) - (unit === 'month' ? n : 12 * n);
    const y = Math.floor(total / 12);
    const m = (total % 12) + 1;
    day = dayNumber(y, m, Math.min(d, daysInMonth(y, m)));
  }
  return match(scan, i, i + 3, day, day, unit === 'day' ? 'day' : unit === 'weekend' ? 'week' : unit);
}

/** A capitalised month name (or an abbreviation followed by "." or a number) at token i. */
function monthAt(scan: Scan, i: number): { month: number; next: number; abbreviated: boolean } | null {
  const t = scan.tokens[i];
  if (t === undefined || !t.cap) return null;
  const full = scan.lex.months.get(t.lower);
  if (full !== undefined) return { month: full, next: i + 1, abbreviated: false };
  const abbr = scan.lex.monthAbbreviations.get(t.lower);
  if (abbr === undefined) return null;
  if (lowerAt(scan, i + 1) === '.' && adjacent(scan.tokens, i, i + 1)) return { month: abbr, next: i + 2, abbreviated: true };
  return { month: abbr, next: i + 1, abbreviated: true };
}

/** A day of the month at token i: "30", "30th" (two tokens), "3-5" (a range). */
function dayAt(scan: Scan, i: number): { day: number; dayEnd: number; next: number } | null {
  const t = scan.tokens[i];
  if (t === undefined || !isDigitStart(t.lower)) return null;
  let day = smallInt(t.lower, 2);
  let dayEnd = day;
  if (day < 0) {
    const dash = t.lower.indexOf('-');
    if (dash < 0) return null;
    day = smallInt(t.lower.slice(0, dash), 2);
    dayEnd = smallInt(t.lower.slice(dash + 1), 2);
    if (day < 0 || dayEnd <= day) return null;
  }
  if (day < 1 || day > 31 || dayEnd > 31) return null;
  let next = i + 1;
  if (scan.lex.ordinalSuffixes.has(lowerAt(scan, next)) && adjacent(scan.tokens, i, next)) next++;
  return { day, dayEnd, next };
}

/** A four-digit year 1900-2100 at token i, or -1. */
function yearAt(scan: Scan, i: number): number {
  const t = scan.tokens[i];
  if (t === undefined) return -1;
  const y = smallInt(t.lower, 4);
  return t.lower.length === 4 && y >= 1900 && y <= 2100 ? y : -1;
}

/** An optional ", 2024" or " 2024" after a day-month; returns [year, next token]. */
function optionalYear(scan: Scan, i: number): [number | null, number] {
  const y = yearAt(scan, i);
  if (y > 0) return [y, i + 1];
  if (lowerAt(scan, i) === ',') {
    const y2 = yearAt(scan, i + 1);
    if (y2 > 0) return [y2, i + 2];
  }
  return [null, i];
}

/** "the May 9 movement", "the 6 October bridge": a date used as a name. */
function isNameUse(scan: Scan, next: number): boolean {
  const t = scan.tokens[next];
  return t !== undefined && scan.lex.nameNouns.has(t.lower) && sameSentence(scan, next - 1, next);
}

/** Resolves a day-month (+ optional day range), builds the match, or null when invalid. */
function dayMonthMatch(
  scan: Scan,
  startToken: number,
  endToken: number,
  month: number,
  day: number,
  dayEnd: number,
  year: number | null,
  weekday: number | null,
): Match | null {
  const dir = directionAt(scan, startToken - 1);
  const first = resolveDayMonth(scan, month, day, year, dir, dayEnd === day ? weekday : null);
  if (first === null) return null;
  const { year: fy } = ymdOf(first);
  if (!isValidDate(fy, month, dayEnd)) return null;
  return match(scan, startToken, endToken, first, first + (dayEnd - day), 'day');
}

/**
 * Day first: "30 November", "30th of November 2024", "3-5 March", "between 3 and 5 March",
 * "from 3 to 5 March".
 */
function tryDayFirst(scan: Scan, i: number, weekday: number | null): Match | null {
  let start = i;
  let k = i;
  const opener = scan.lex.rangeOpeners.has(lowerAt(scan, k));
  if (opener) k++;
  const d = dayAt(scan, k);
  if (d === null) return null;
  let { day, dayEnd } = d;
  let next = d.next;
  if (dayEnd === day && scan.lex.rangeJoiners.has(lowerAt(scan, next))) {
    // "3 and 5 March", "3 to 5 March": the second day carries the month.
    const d2 = dayAt(scan, next + 1);
    if (d2 !== null && d2.day > day && d2.dayEnd === d2.day) {
      const m2 = monthAt(scan, d2.next + (lowerAt(scan, d2.next) === 'of' ? 1 : 0));
      if (m2 !== null) {
        dayEnd = d2.day;
        next = d2.next;
      }
    }
  }
  if (lowerAt(scan, next) === 'of') next++;
  const m = monthAt(scan, next);
  if (m === null) return null;
  if (opener && dayEnd === day) start = i + 1; // "from 30 November" alone: "from" is not part of it
  const [year, after] = optionalYear(scan, m.next);
  if (isNameUse(scan, after)) return null;
  return dayMonthMatch(scan, start, after, m.month, day, dayEnd, year, weekday);
}

/** Month first: "November 30", "Nov. 30, 2024", "March 3-5", "March 2024", "in March", "mid-March". */
function tryMonthFirst(scan: Scan, i: number, weekday: number | null): Match | null {
  const t = scan.tokens[i]!;
  const prefixed = scan.lex.prefixedMonths.get(t.lower);
  if (prefixed !== undefined) {
    const [year, after] = optionalYear(scan, i + 1);
    const y = year ?? resolveMonthYear(scan, prefixed, directionAt(scan, i - 1));
    const [first, last] = monthRange(y, prefixed);
    return match(scan, i, after, first, last, 'month');
  }
  const m = monthAt(scan, i);
  if (m === null) return null;
  const d = dayAt(scan, m.next);
  if (d !== null && !adjacent(scan.tokens, m.next - 1, m.next)) {
    const [year, after] = optionalYear(scan, d.next);
    // "March 9, 2024" but not "March 2024" read as a day (2024 is not a day: dayAt rejects it).
    if (isNameUse(scan, after)) return null;
    return dayMonthMatch(scan, i, after, m.month, d.day, d.dayEnd, year, weekday);
  }
  const year = yearAt(scan, m.next);
  if (year > 0) {
    if (isNameUse(scan, m.next + 1)) return null;
    const [first, last] = monthRange(year, m.month);
    return match(scan, i, m.next + 1, first, last, 'month');
  }
  // A bare month needs a cue before it ("in March", "since May", "last June"): "to march", "may"
  // and "March organisers said" are not dates. Abbreviations never stand alone.
  if (m.abbreviated) return null;
  const before = lowerAt(scan, i - 1);
  if (!scan.lex.bareMonthCues.has(before) || !sameSentence(scan, i - 1, i)) return null;
  // "July last year", "March this year": the year phrase that follows fixes the year.
  const yearWord = lowerAt(scan, i + 1);
  const shift = lowerAt(scan, i + 2) === 'year' ? YEAR_SHIFT[yearWord] : undefined;
  if (shift !== undefined && sameSentence(scan, i, i + 2)) {
    const [first, last] = monthRange(ymdOf(scan.article).year + shift, m.month);
    return match(scan, i, i + 3, first, last, 'month');
  }
  const y = resolveMonthYear(scan, m.month, directionAt(scan, i - 1));
  const [first, last] = monthRange(y, m.month);
  return match(scan, i, i + 1, first, last, 'month');
}

const YEAR_SHIFT: Partial<Record<string, number>> = { last: -1, this: 0, next: 1, previous: -1 };

/**
 * Weekdays: "on Sunday", "Sunday's attack", "Saturday night", "last Friday", "Sunday, 31 October",
 * "from Monday to Wednesday", "on Saturday and Sunday". Not "Sunday prayers", "every Friday".
 */
function tryWeekday(scan: Scan, i: number): Match | null {
  const t = scan.tokens[i]!;
  if (!t.cap) return null;
  const weekday = scan.lex.weekdays.get(t.lower);
  if (weekday === undefined) return null;
  const before = lowerAt(scan, i - 1);
  if (scan.lex.weekdayBlockersBefore.has(before)) return null;
  const possessive = t.lower.endsWith("'s");
  let next = i + 1;
  if (!possessive) {
    if (scan.lex.weekdayBlockersAfter.has(lowerAt(scan, next))) return null;
    // "Sunday, 31 October", "Sunday 31 October", "Sunday, October 31": the explicit date wins,
    // and the weekday picks its year.
    const k = lowerAt(scan, next) === ',' ? next + 1 : next;
    const explicit = tryDayFirst(scan, k, weekday) ?? (monthAt(scan, k) !== null ? tryMonthFirst(scan, k, weekday) : null);
    if (explicit !== null) return { ...explicit, start: t.start };
  }
  const dir = directionAt(scan, i - 1);
  const day = resolveWeekday(weekday, scan.article, dir);
  // The span keeps to the weekday's name ("Sunday" of "Sunday's") and a day part ("Saturday night").
  let end = possessive ? t.end - 2 : t.end;
  if (!possessive && scan.lex.dayParts.has(lowerAt(scan, next))) {
    end = scan.tokens[next]!.end;
    next++;
  }
  // Ranges: "Monday to Wednesday", "Saturday and Sunday".
  const joiner = lowerAt(scan, next);
  if (!possessive && scan.lex.rangeJoiners.has(joiner)) {
    const t2 = scan.tokens[next + 1];
    const w2 = t2 !== undefined && t2.cap ? scan.lex.weekdays.get(t2.lower) : undefined;
    if (w2 !== undefined && w2 !== weekday && !t2!.lower.endsWith("'s")) {
      const span = (w2 - weekday + 7) % 7;
      // The range ends at the later day; resolve it first (past), then count back.
      const lastDay = resolveWeekday(w2, scan.article, dir === 'past' ? 'past' : dir);
      const firstDay = lastDay - span;
      const opener = scan.lex.rangeOpeners.has(before) ? i - 1 : i;
      return { endToken: next + 2, start: scan.tokens[opener]!.start, end: t2!.end, first: firstDay, last: lastDay, precision: 'day' };
    }
  }
  return { endToken: next, start: t.start, end, first: day, last: day, precision: 'day' };
}

/** A year with a cue before it: "in 2019", "since 2021", "early 2023". ISO dates: "2024-03-14". */
function tryYear(scan: Scan, i: number): Match | null {
  const t = scan.tokens[i]!;
  if (t.lower.length === 10) {
    const d = parseIsoDay(t.lower);
    if (d !== null) return match(scan, i, i + 1, d, d, 'day');
  }
  const year = yearAt(scan, i);
  if (year < 0) return null;
  if (!scan.lex.yearCues.has(lowerAt(scan, i - 1)) || !sameSentence(scan, i - 1, i)) return null;
  // "the 1990s" and "2019-20" are not one year.
  const after = scan.tokens[i + 1];
  if (after !== undefined && after.start === t.end && /* "s" */ after.lower === 's') return null;
  return match(scan, i, i + 1, dayNumber(year, 1, 1), dayNumber(year, 12, 31), 'year');
}

function tryAt(scan: Scan, i: number): Match | null {
  const t = scan.tokens[i]!;
  if (isDigitStart(t.lower)) return tryDayFirst(scan, i, null) ?? tryAgo(scan, i) ?? tryYear(scan, i);
  const kind = scan.lex.starters.get(t.lower);
  if (kind === undefined) return null;
  return (
    (kind & StartKind.Relative ? tryRelative(scan, i) : null) ??
    (kind & StartKind.Ago ? tryAgo(scan, i) : null) ??
    (kind & StartKind.Weekday ? tryWeekday(scan, i) : null) ??
    (kind & StartKind.Opener ? tryDayFirst(scan, i, null) : null) ??
    (kind & StartKind.Month ? tryMonthFirst(scan, i, null) : null)
  );
}

/**
 * Every date expression among the tokens of a text, resolved against the article's day number.
 * Tokens must be those of `text` (offsets into it), in order.
 */
export function findDatesInTokens(
  text: string,
  tokens: readonly Token[],
  articleDate: string,
  lex: DateLexicon = defaultDateLexicon(),
): DateMention[] {
  const article = parseIsoDay(articleDate);
  if (article === null) {
    throw new KhabarError('E_VALIDATION', `article date "${articleDate}" is not a valid YYYY-MM-DD date; give the date as e.g. 2024-03-14`, {
      field: 'date',
    });
  }
  const scan: Scan = { text, tokens, article, lex };
  const out: DateMention[] = [];
  for (let i = 0; i < tokens.length; ) {
    const m = tryAt(scan, i);
    if (m === null) {
      i++;
      continue;
    }
    const mention: DateMention = {
      start: m.start,
      end: m.end,
      text: text.slice(m.start, m.end),
      value: formatDay(m.first),
      precision: m.precision,
    };
    if (m.last !== m.first) mention.end_value = formatDay(m.last);
    out.push(mention);
    i = Math.max(m.endToken, i + 1);
  }
  return out;
}

/**
 * Every date expression in `text`, resolved against the article's date (`YYYY-MM-DD`).
 * @example findDates('The attack on 30 November killed 12.', '2024-12-02')[0]
 * // { text: '30 November', value: '2024-11-30', precision: 'day', start: 14, end: 25 }
 * @example findDates('Protests continued last week.', '2024-12-04')[0]
 * // { text: 'last week', value: '2024-11-25', end_value: '2024-12-01', precision: 'week', ... }
 */
export function findDates(text: string, articleDate: string, lex: DateLexicon = defaultDateLexicon()): DateMention[] {
  return findDatesInTokens(text, tokenizeSentences(text, splitSentences(text)), articleDate, lex);
}

declare module '../pipeline.js' {
  interface Knowledge {
    /** A date lexicon to use instead of data/time/lexicon.json (see loadDateLexicon). */
    dateLexicon?: DateLexicon;
  }
}

/** Pipeline stage: fills `doc.dates` from the tokens and the article's date. */
export const dateStage: Stage = {
  name: 'dates',
  requires: ['tokens'],
  assigns: ['dates'],
  run(doc: KhabarDoc, ctx: StageContext): KhabarDoc {
    doc.dates = findDatesInTokens(doc.text, doc.tokens, doc.article.date, ctx.knowledge.dateLexicon ?? defaultDateLexicon());
    return doc;
  },
};
