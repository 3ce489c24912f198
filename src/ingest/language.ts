/**
 * Language of an article: the code the input gives, else tinyld's guess on the start of the text,
 * kept only when tinyld is sure (ISO 639-1, null otherwise).
 */
import { readFileSync } from 'node:fs';
import { detectAll, toISO2 } from 'tinyld';
import { z } from 'zod';
import { KhabarError } from '../errors.js';
import { dataPath } from '../paths.js';

const functionWordsSchema = z.object({
  words: z.array(z.string().regex(/^[a-z]+$/)).min(1),
  minWords: z.number().int().positive(),
  minShare: z.number().gt(0).lt(1),
  minTheShare: z.number().gt(0).lt(1),
});

function loadFunctionWords(): z.infer<typeof functionWordsSchema> {
  const file = dataPath('text', 'english-function-words.json');
  const parsed = functionWordsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new KhabarError('E_KNOWLEDGE', `${file} is not a valid function-word file (${parsed.error.issues[0]?.message}): restore it from the package`, { file });
  return parsed.data;
}

// Loaded once: tinyld costs ~1 ms an article on the reading thread, and most news read is plainly English.
const FUNCTION_WORDS = loadFunctionWords();
const EN_WORDS: ReadonlySet<string> = new Set(FUNCTION_WORDS.words);
const WORD = /\p{L}+/gu;

/**
 * True when a sample is plainly English: enough words, a large share of them English function words,
 * and "the" among them. A shortcut before tinyld, never a verdict against English.
 *
 * @example isPlainEnglish('The army said on Sunday that twelve militants were killed ...') // true (with enough words)
 */
export function isPlainEnglish(sample: string): boolean {
  let words = 0;
  let fn = 0;
  let the = 0;
  for (const m of sample.matchAll(WORD)) {
    words++;
    const w = m[0].length <= 6 ? m[0].toLowerCase() : '';
    if (EN_WORDS.has(w)) {
      fn++;
      if (w === 'the') the++;
    }
  }
  return words >= FUNCTION_WORDS.minWords && fn >= FUNCTION_WORDS.minShare * words && the >= FUNCTION_WORDS.minTheShare * words;
}

/** Enough text to decide; detection time stays bounded on huge articles. */
const SAMPLE_CHARS = 1000;
/** Below this many letters a guess is noise ("ok", "12 34"). */
const MIN_LETTERS = 20;
/** tinyld's scores are not probabilities: a guess counts when it is clear of noise and of the runner-up. */
const MIN_ACCURACY = 0.08;
const MIN_MARGIN = 2.5;
const LETTER = /\p{L}/gu;

/**
 * @example detectLanguage('The army said twelve militants were killed near the border.') // 'en'
 */
export function detectLanguage(text: string): string | null {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const letters = sample.match(LETTER)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  if (isPlainEnglish(sample)) return 'en';
  const [best, second] = detectAll(sample);
  if (!best || best.accuracy < MIN_ACCURACY) return null;
  if (second && best.accuracy < MIN_MARGIN * second.accuracy) return null;
  return /^[a-z]{2}$/.test(best.lang) ? best.lang : null;
}

const LANG_TAG = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$/;

/**
 * A language tag as given by a record or page ("en", "en-GB", "fra") as ISO 639-1, null when it is not
 * a language tag or has no two-letter code.
 *
 * @example languageFromTag('en-GB') // 'en'
 */
export function languageFromTag(tag: string): string | null {
  const m = LANG_TAG.exec(tag.trim());
  if (!m) return null;
  const primary = m[1]!.toLowerCase();
  if (primary.length === 2) return primary;
  const two = toISO2(primary);
  return typeof two === 'string' && /^[a-z]{2}$/.test(two) ? two : null;
}
