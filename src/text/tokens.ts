/**
 * Tokenization: words (with inner apostrophes, hyphens and dotted acronyms), numbers (with thousands
 * separators and decimals) and single punctuation marks, each with offsets into the normalized text.
 *
 * @example tokenize('U.S.-led forces killed 1,200', 0) // ['U.S.-led', 'forces', 'killed', '1,200']
 */
import type { KhabarDoc, Sentence, Token } from '../types.js';
import type { Stage } from '../pipeline.js';

/** Compiled once: acronyms (U.S.), numbers (1,200.5), words with ' and -, or one other character. */
const TOKEN_RE = /(?:\p{L}\.){2,}(?:-[\p{L}\p{N}]+)*|\d+(?:[.,]\d+)*(?:-[\p{L}\p{N}]+)*|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|\S/gu;

/** Tokens of one span of text, with absolute offsets. */
export function tokenize(text: string, offset: number, sentence: number): Token[] {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(text)) !== null) {
    const t = m[0];
    const first = t[0]!;
    tokens.push({
      start: offset + m.index,
      end: offset + m.index + t.length,
      text: t,
      lower: t.toLowerCase(),
      sentence,
      cap: first !== first.toLowerCase(),
    });
  }
  return tokens;
}

/** Tokens of every sentence, in order. */
export function tokenizeSentences(text: string, sentences: readonly Sentence[]): Token[] {
  const out: Token[] = [];
  for (const s of sentences) {
    for (const t of tokenize(text.slice(s.start, s.end), s.start, s.index)) out.push(t);
  }
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
