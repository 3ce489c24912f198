/**
 * Word forms for trigger matching: a word's lower-case surface, its verb lemma and its noun lemma
 * (wink-lemmatizer), and a bounded memo so that the owner of a lexicon lemmatizes each distinct word once.
 *
 * @example wordForms('bombings') // ['bombings', 'bombing'] ; wordForms('fled') // ['fled', 'flee']
 */
import wink from 'wink-lemmatizer';

/** The distinct forms of a lower-case word: surface (always first), verb lemma, noun lemma. */
export function wordForms(lower: string): readonly string[] {
  if (!/^[a-z][a-z'-]*$/.test(lower) || lower.length < 3) return [lower];
  const v = wink.verb(lower);
  const n = wink.noun(lower);
  return v === lower ? (n === lower ? [lower] : [lower, n]) : n === lower || n === v ? [lower, v] : [lower, v, n];
}

/** Bound on a memo so that a long-running server does not grow it without limit. */
const MAX_MEMO = 200_000;

/**
 * A per-word memo owned by a lexicon (never shared between lexicons): `get(word)` computes once.
 * @example const forms = new WordMemo(wordForms); forms.get('fled') // ['fled', 'flee']
 */
export class WordMemo<V> {
  private readonly memo = new Map<string, V>();
  constructor(private readonly compute: (lower: string) => V) {}

  get(lower: string): V {
    const hit = this.memo.get(lower);
    if (hit !== undefined) return hit;
    const value = this.compute(lower);
    if (this.memo.size >= MAX_MEMO) this.memo.clear();
    this.memo.set(lower, value);
    return value;
  }
}
