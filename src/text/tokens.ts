/**
 * Tokenization: words (with inner apostrophes, hyphens and dotted acronyms), numbers (with thousands
 * separators and decimals) and single punctuation marks, each with offsets into the normalized text.
 *
 * @example tokenize('U.S.-led forces killed 1,200', 0) // ['U.S.-led', 'forces', 'killed', '1,200']
 */
import type { KhabarDoc, Sentence, Token } from '../types.js';
import type { Stage } from '../pipeline.js';

/*
 * The scanner below reads, at each position, the first that fits of (as a regular expression with the
 * u flag):
 *   (?:\p{L}\.){2,}(?:-[\p{L}\p{N}]+)*      an acronym: "U.S.", "U.N.-backed"
 *   \d+(?:[.,]\d+)*(?:-[\p{L}\p{N}]+)*       a number: "1,200.5", "3-year"
 *   [\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*     a word: "al-Qaeda's"
 *   \S                                       any other single character (code point)
 * and skips white space (\s). It is written by hand because a regular expression costs a match
 * array per token, and it scans sentences in place instead of slicing them out of the text.
 */

/** Character classes of a UTF-16 code unit, as bits. */
const LETTER = 1; // \p{L}
const NUMBER = 2; // \p{N}
const SPACE = 4; // \s
const UPPER = 8; // differs from its lower case ("A", "É")
const KNOWN = 16; // the entry below has been computed

/**
 * Classes of the code units seen so far: a memo of a pure function of the code unit, filled on
 * first sight so that loading the module stays cheap.
 */
const CLASSES = new Uint8Array(65536);

function classesOf(unit: number): number {
  const known = CLASSES[unit]!;
  if (known !== 0) return known;
  const ch = String.fromCharCode(unit);
  let bits = KNOWN;
  if (/\p{L}/u.test(ch)) bits |= LETTER;
  if (/\p{N}/u.test(ch)) bits |= NUMBER;
  if (/\s/.test(ch)) bits |= SPACE;
  if (ch !== ch.toLowerCase()) bits |= UPPER;
  CLASSES[unit] = bits;
  return bits;
}

/** Letter or number bits of the code point of a surrogate pair. */
function astralClasses(text: string, at: number): number {
  const ch = text.slice(at, at + 2);
  return (/\p{L}/u.test(ch) ? LETTER : 0) | (/\p{N}/u.test(ch) ? NUMBER : 0);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Width in code units (1 or 2) of the code point at `at` when it has one of the `want` class bits,
 * else 0. A surrogate pair cut by `to` is two lone surrogates, which are neither letters nor numbers.
 */
function widthIf(text: string, at: number, to: number, want: number): number {
  if (at >= to) return 0;
  const unit = text.charCodeAt(at);
  if (unit < 128) {
    if (unit >= 97 && unit <= 122) return want & LETTER ? 1 : 0; // a-z
    if (unit >= 65 && unit <= 90) return want & LETTER ? 1 : 0; // A-Z
    if (unit >= 48 && unit <= 57) return want & NUMBER ? 1 : 0; // 0-9
    return 0;
  }
  if (isHighSurrogate(unit) && at + 1 < to && isLowSurrogate(text.charCodeAt(at + 1))) {
    return astralClasses(text, at) & want ? 2 : 0;
  }
  return classesOf(unit) & want ? 1 : 0;
}

/** End of a run of letters and numbers from `at` (`at` itself when there is none). */
function wordRunEnd(text: string, at: number, to: number): number {
  let w: number;
  while ((w = widthIf(text, at, to, LETTER | NUMBER)) > 0) at += w;
  return at;
}

/** End of `(?:-[\p{L}\p{N}]+)*` from `at`. */
function hyphenPartsEnd(text: string, at: number, to: number): number {
  while (at < to && text.charCodeAt(at) === 45 && widthIf(text, at + 1, to, LETTER | NUMBER) > 0) {
    at = wordRunEnd(text, at + 1, to);
  }
  return at;
}

function isDigit(unit: number): boolean {
  return unit >= 48 && unit <= 57;
}

/** End of the token that starts at `at` (a position that holds no white space). */
function tokenEnd(text: string, at: number, to: number): number {
  const unit = text.charCodeAt(at);
  // An acronym: two or more letter-dot pairs.
  let q = at;
  let pairs = 0;
  let w: number;
  while ((w = widthIf(text, q, to, LETTER)) > 0 && q + w < to && text.charCodeAt(q + w) === 46) {
    q += w + 1;
    pairs++;
  }
  if (pairs >= 2) return hyphenPartsEnd(text, q, to);
  // A number with separators.
  if (isDigit(unit)) {
    q = at + 1;
    while (q < to && isDigit(text.charCodeAt(q))) q++;
    while (q + 1 < to && (text.charCodeAt(q) === 46 || text.charCodeAt(q) === 44) && isDigit(text.charCodeAt(q + 1))) {
      q += 2;
      while (q < to && isDigit(text.charCodeAt(q))) q++;
    }
    return hyphenPartsEnd(text, q, to);
  }
  // A word with inner apostrophes and hyphens.
  q = wordRunEnd(text, at, to);
  if (q > at) {
    while (q < to) {
      const joiner = text.charCodeAt(q);
      if ((joiner !== 39 && joiner !== 0x2019 && joiner !== 45) || widthIf(text, q + 1, to, LETTER | NUMBER) === 0) break;
      q = wordRunEnd(text, q + 1, to);
    }
    return q;
  }
  // Any other single code point.
  return isHighSurrogate(unit) && at + 1 < to && isLowSurrogate(text.charCodeAt(at + 1)) ? at + 2 : at + 1;
}

/**
 * Whether one UTF-16 code unit is a letter or number on its own (\p{L} or \p{N}); a surrogate half is not.
 * @example isLetterOrNumberUnit('é'.charCodeAt(0)) // true
 */
export function isLetterOrNumberUnit(unit: number): boolean {
  if (unit < 128) return (unit >= 97 && unit <= 122) || (unit >= 65 && unit <= 90) || (unit >= 48 && unit <= 57);
  return (classesOf(unit) & (LETTER | NUMBER)) !== 0;
}

/**
 * Width in code units (1 or 2) of the code point at `at` when it is a letter or number (\p{L}, \p{N}),
 * else 0: a scanner's step through `/[\p{L}\p{N}]+/u` runs without a match array per run.
 * @example letterOrNumberWidth('a𝐀', 1) // 2
 */
export function letterOrNumberWidth(text: string, at: number): number {
  return widthIf(text, at, text.length, LETTER | NUMBER);
}

function isSpace(unit: number): boolean {
  if (unit < 128) return unit === 32 || (unit >= 9 && unit <= 13);
  return (classesOf(unit) & SPACE) !== 0;
}

function startsUpper(unit: number): boolean {
  if (unit < 128) return unit >= 65 && unit <= 90;
  return (classesOf(unit) & UPPER) !== 0;
}

/** Appends the tokens of text[from, to) to `out`; offsets are positions in `text` plus `shift`. */
function scanTokens(text: string, from: number, to: number, shift: number, sentence: number, out: Token[]): void {
  let at = from;
  while (at < to) {
    const unit = text.charCodeAt(at);
    if (isSpace(unit)) {
      at++;
      continue;
    }
    const end = tokenEnd(text, at, to);
    const t = text.slice(at, end);
    out.push({ start: shift + at, end: shift + end, text: t, lower: t.toLowerCase(), sentence, cap: startsUpper(unit) });
    at = end;
  }
}

/** Tokens of one span of text, with absolute offsets. */
export function tokenize(text: string, offset: number, sentence: number): Token[] {
  const tokens: Token[] = [];
  scanTokens(text, 0, text.length, offset, sentence, tokens);
  return tokens;
}

/** Tokens of every sentence, in order. */
export function tokenizeSentences(text: string, sentences: readonly Sentence[]): Token[] {
  const out: Token[] = [];
  for (const s of sentences) scanTokens(text, s.start, s.end, 0, s.index, out);
  return out;
}

/** Pipeline stage: fills `doc.tokens`. */
export const tokenStage: Stage = {
  name: 'tokens',
  requires: ['sentences'],
  assigns: ['tokens'],
  run(doc: KhabarDoc): KhabarDoc {
    doc.tokens = tokenizeSentences(doc.text, doc.sentences);
    return doc;
  },
};

/** Index of the first token whose start is >= offset (binary search over sorted tokens). */
export function tokenAt(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
