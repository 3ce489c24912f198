/**
 * Folding of place names into match keys: lower case, no diacritics, common transliteration
 * variants unified, tokens joined by one space, so that "Jalālābād" and "JALALABAD" meet.
 *
 * @example nameKey('Mazār-e Sharīf') // 'mazar e sharif'
 */
import { tokenize } from '../text/tokens.js';

/** Letters that NFD does not split into base + mark. */
const SPECIAL: Record<string, string> = {
  ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ð: 'd', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th', ħ: 'h',
};
const MARKS = /\p{M}+/gu;
const SPECIAL_RE = /[ßøłđðæœıþħ]/g;
/** Apostrophes, ʻokina, ayn/hamza signs and dots vanish; hyphens separate words. */
const DROP_RE = /['’‘`ʻʼʿʾ.]/g;
const HYPHEN_RE = /[-‐‑–]+/g;
const ASCII_WORD = /^[a-z0-9 ]*$/;
const POSSESSIVE = /['’]s$/i;

/**
 * Folds one token's text. Fast path for plain ASCII words, which are most tokens.
 * @example foldToken('Jalālābād') // 'jalalabad'
 */
export function foldToken(text: string): string {
  // Most tokens are plain ASCII letters and digits: lower-case them without the regex passes
  // (a token already in lower case comes back as the same string).
  let upper = false;
  let other = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 32) continue;
    if (c >= 65 && c <= 90) upper = true;
    else if (c < 128) other = true;
    else return foldGeneral(text);
  }
  if (other) return foldAscii(text);
  return upper ? text.toLowerCase() : text;
}

/**
 * foldGeneral for ASCII text, in one pass: lower case, "'", "`" and "." dropped, a run of hyphens
 * one space, trimmed. @example foldAscii('U.S.-led') // 'us led'
 */
function foldAscii(text: string): string {
  let out = '';
  let hyphen = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 96 || c === 46) continue;
    if (c === 45) {
      if (!hyphen) out += ' ';
      hyphen = true;
      continue;
    }
    hyphen = false;
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i]!;
  }
  return out.trim();
}

/** foldToken for any text: lower case, marks and special letters folded, apostrophes and dots dropped. */
function foldGeneral(text: string): string {
  const lower = text.toLowerCase();
  if (ASCII_WORD.test(lower)) return lower;
  let s = lower.normalize('NFD').replace(MARKS, '');
  s = s.replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c);
  s = s.replace(DROP_RE, '').replace(HYPHEN_RE, ' ').trim();
  return s;
}

/**
 * The match key of a whole name, tokenized as article text is, so that keys built here and keys
 * built from article tokens agree.
 * @example nameKey('St. Louis') // 'st louis'
 */
export function nameKey(name: string): string {
  const parts: string[] = [];
  for (const t of tokenize(name, 0, 0)) {
    // A possessive is cut as article tokens are cut ("Queen Anne's County" → "queen anne county").
    const f = foldToken(t.text.length > 2 && POSSESSIVE.test(t.text) ? t.text.slice(0, -2) : t.text);
    if (f !== '') parts.push(f);
  }
  return parts.join(' ');
}

/** Number of words in a key. */
export function keyLength(key: string): number {
  let n = 1;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 32) n++;
  return n;
}
