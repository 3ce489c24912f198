/**
 * Word forms for trigger matching: a word's lower-case surface, its verb lemma and its noun lemma
 * (wink-lemmatizer), cached per distinct word so that each word is lemmatized once per process.
 *
 * @example wordForms('bombings') // ['bombings', 'bombing'] ; wordForms('fled') // ['fled', 'flee']
 */
import wink from 'wink-lemmatizer';

const cache = new Map<string, readonly string[]>();
/** Bound on the cache so that a long-running server does not grow it without limit. */
const MAX_CACHE = 200_000;

/** The distinct forms of a lower-case word: surface, verb lemma, noun lemma. */
export function wordForms(lower: string): readonly string[] {
  const hit = cache.get(lower);
  if (hit !== undefined) return hit;
  let forms: readonly string[];
  if (!/^[a-z][a-z'-]*$/.test(lower) || lower.length < 3) forms = [lower];
  else {
    const v = wink.verb(lower);
    const n = wink.noun(lower);
    forms = v === lower ? (n === lower ? [lower] : [lower, n]) : n === lower || n === v ? [lower, v] : [lower, v, n];
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(lower, forms);
  return forms;
}
