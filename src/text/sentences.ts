/**
 * Sentence splitting over the normalized text. A line break always ends a segment; within a line,
 * ".", "!" and "?" end a sentence unless the word before is an abbreviation ("Gen.", "Jan.") or an
 * initial, or a dotted acronym ("U.S.") is followed by a word that does not start sentences.
 *
 * @example splitSentences('U.S. forces left. Gen. Ali said so.') // two sentences
 */
import { readFileSync } from 'node:fs';
import { dataPath } from '../paths.js';
import type { KhabarDoc, Sentence } from '../types.js';
import type { Stage } from '../pipeline.js';
import { isLetterOrNumberUnit } from './tokens.js';

interface AbbreviationFile {
  titles: string[];
  months: string[];
  other: string[];
  sentenceStarters: string[];
}

const abbreviationData = JSON.parse(readFileSync(dataPath('text', 'abbreviations.json'), 'utf8')) as AbbreviationFile;
const ABBREVIATIONS = new Set([...abbreviationData.titles, ...abbreviationData.months, ...abbreviationData.other]);
const TITLE_ABBREVIATIONS = new Set(abbreviationData.titles);
const SENTENCE_STARTERS = new Set(abbreviationData.sentenceStarters);
const MAX_HEADLINE_WORDS = 25;

const DOT = 46;
const SPACE = 32;

/** Closing characters that may follow the sentence's final punctuation: `."` `.)` `?'`. */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93;
}

function isEndMark(c: number): boolean {
  return c === DOT || c === 33 || c === 63; // . ! ?
}

/** Characters that close a line that is no headline: . ! ? : ; " ' ) */
function closesLine(c: number): boolean {
  return isEndMark(c) || c === 58 || c === 59 || c === 34 || c === 39 || c === 41;
}

/** Whether text[start, end) has at most `max` words (space-separated pieces). */
function atMostWords(text: string, start: number, end: number, max: number): boolean {
  let spaces = 0;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === SPACE && ++spaces >= max) return false;
  return true;
}

function isUpperStart(c: string | undefined): boolean {
  return c !== undefined && c !== c.toLowerCase();
}

/** The word (letters, numbers, dots, hyphens) that ends just before offset `end`. */
function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c !== DOT && c !== 45 && !isLetterOrNumberUnit(c)) break;
    i--;
  }
  return text.slice(i, end);
}

function nextWord(text: string, from: number): string {
  const m = /^[\s"'(\[]*([\p{L}\p{N}'-]+)/u.exec(text.slice(from, from + 40));
  return m ? m[1]! : '';
}

/** Decides whether the "." at `dot` ends a sentence, given the text that follows. */
function periodEndsSentence(text: string, dot: number, after: number): boolean {
  const word = wordBefore(text, dot); // e.g. "Gen", "U.S", "3"
  const lower = word.toLowerCase();
  const next = nextWord(text, after);
  if (next === '') return true;
  const nextFirst = next[0];
  // "Jan. 5", "No. 3", "Gen. Ali": an abbreviation before a number or a name does not end the sentence.
  if (ABBREVIATIONS.has(lower)) {
    if (TITLE_ABBREVIATIONS.has(lower)) return false;
    if (/^\d/.test(next)) return false;
    return SENTENCE_STARTERS.has(next.toLowerCase()) && lower !== 'no';
  }
  // Single initial ("J. Smith") does not end a sentence.
  if (/^\p{Lu}$/u.test(word)) return false;
  // Dotted acronym ("U.S.", "U.N."): ends only before a typical sentence start.
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return SENTENCE_STARTERS.has(next.toLowerCase());
  // Decimal numbers never reach here (no space after the dot). Lower-case continuation: not an end.
  if (!isUpperStart(nextFirst) && !/^\d/.test(next) && nextFirst !== '"') return false;
  return true;
}

/**
 * Splits the normalized text into sentences and headline segments.
 * @example splitSentences('Blast kills 5\nA bomb went off. Police said.').map(s => s.isHeadline) // [true, false, false]
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let paragraph = 0;
  let lineStart = 0;
  const push = (start: number, end: number, lineIsSegment: boolean): void => {
    while (start < end && text.charCodeAt(start) === SPACE) start++;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    if (end <= start) return;
    const isHeadline =
      lineIsSegment && !closesLine(text.charCodeAt(end - 1)) && atMostWords(text, start, end, MAX_HEADLINE_WORDS);
    sentences.push({ start, end, index: sentences.length, paragraph, isHeadline });
  };
  while (lineStart <= text.length) {
    let i = text.indexOf('\n', lineStart);
    if (i < 0) i = text.length;
    // One line: [lineStart, i)
    let segStart = lineStart;
    const lineSentencesBefore = sentences.length;
    for (let j = lineStart; j < i; j++) {
      const c = text.charCodeAt(j);
      if (!isEndMark(c)) continue;
      let k = j + 1;
      while (k < i && isEndMark(text.charCodeAt(k))) k++;
      while (k < i && isCloser(text.charCodeAt(k))) k++;
      if (k < i && text.charCodeAt(k) !== SPACE) continue; // "3.5", "U.S.-led", "example.com"
      if (c === DOT && !periodEndsSentence(text, j, k)) {
        j = k - 1;
        continue;
      }
      push(segStart, k, false);
      segStart = k;
      j = k - 1;
    }
    const wholeLine = sentences.length === lineSentencesBefore;
    push(segStart, i, wholeLine);
    if (sentences.length > lineSentencesBefore) {
      // A headline is its own paragraph, and so is each line of unwrapped text.
      paragraph++;
    }
    lineStart = i + 1;
  }
  return sentences;
}

/** Pipeline stage: fills `doc.sentences`. */
export const sentenceStage: Stage = {
  name: 'sentences',
  requires: ['text'],
  assigns: ['sentences'],
  run(doc: KhabarDoc): KhabarDoc {
    doc.sentences = splitSentences(doc.text);
    return doc;
  },
};
