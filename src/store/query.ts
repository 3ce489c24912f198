/**
 * Khabar's full-text query language, the same for every store: words (all required), "quoted phrases",
 * `OR` between terms, `-word` to exclude, `word*` for a prefix. Parsed here once; each store translates
 * the tree to its engine (FTS5 MATCH, PostgreSQL tsquery), so user input never reaches the engine's
 * own syntax and punctuation such as "al-Shabaab" just works.
 */
import { KhabarError } from '../errors.js';

export interface QueryTerm {
  /** The words of the term (one word, or a phrase). */
  text: string;
  phrase: boolean;
  prefix: boolean;
}

/** Every clause must match; a clause matches when any of its terms does. Excluded terms must not. */
export interface TextQuery {
  clauses: QueryTerm[][];
  excluded: QueryTerm[];
}

const HAS_WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

function bad(query: string, why: string): KhabarError {
  return new KhabarError(
    'E_VALIDATION',
    `invalid search query ${JSON.stringify(query)}: ${why}. Use words, "quoted phrases", OR between words, -word to exclude, word* for a prefix.`,
  );
}

/**
 * Parses a search query; E_VALIDATION on an unclosed quote, a dangling OR or nothing to search for.
 * @example parseTextQuery('attack OR raid "north waziristan" -drone').clauses.length // 2
 */
export function parseTextQuery(query: string): TextQuery {
  interface Tok {
    kind: 'term' | 'or';
    term?: QueryTerm;
    negated?: boolean;
  }
  const toks: Tok[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] as string;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    let negated = false;
    if (ch === '-' && i + 1 < query.length && !SPACE.test(query[i + 1] as string)) {
      negated = true;
      i++;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) throw bad(query, 'a quote is not closed');
      const text = query.slice(i + 1, close).trim();
      i = close + 1;
      const prefix = query[i] === '*';
      if (prefix) i++;
      if (HAS_WORD.test(text)) toks.push({ kind: 'term', term: { text, phrase: true, prefix }, negated });
      continue;
    }
    let j = i;
    while (j < query.length && !SPACE.test(query[j] as string) && query[j] !== '"') j++;
    const word = query.slice(i, j);
    i = j;
    if (word === 'OR' && !negated) {
      toks.push({ kind: 'or' });
      continue;
    }
    const prefix = word.endsWith('*');
    const text = prefix ? word.slice(0, -1) : word;
    if (HAS_WORD.test(text)) toks.push({ kind: 'term', term: { text, phrase: false, prefix }, negated });
  }

  const clauses: QueryTerm[][] = [];
  const excluded: QueryTerm[] = [];
  let joinNext = false;
  for (let k = 0; k < toks.length; k++) {
    const tok = toks[k] as Tok;
    if (tok.kind === 'or') {
      const prev = toks[k - 1];
      const next = toks[k + 1];
      if (!prev || prev.kind !== 'term' || prev.negated || !next || next.kind !== 'term' || next.negated) {
        throw bad(query, 'OR must stand between two words or phrases');
      }
      joinNext = true;
      continue;
    }
    const term = tok.term as QueryTerm;
    if (tok.negated) excluded.push(term);
    else if (joinNext) (clauses[clauses.length - 1] as QueryTerm[]).push(term);
    else clauses.push([term]);
    joinNext = false;
  }
  if (clauses.length === 0) {
    throw bad(query, excluded.length ? 'it needs at least one word that is not excluded' : 'there is no word to search for');
  }
  return { clauses, excluded };
}
