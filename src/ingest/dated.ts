/**
 * The dated line format: a file whose first line (after optional leading white space) is
 * `date YYYY-MM-DD` followed by the article text, on that line and the lines after it; one article
 * per file. A short first line without closing punctuation is also the article's title.
 */
import { normalizeText } from '../text/normalize.js';
import type { Article } from '../types.js';
import { articleId } from './article-id.js';
import { isValidDay } from './dates.js';
import { decodeText } from './decode.js';
import { detectLanguage } from './language.js';
import { quarantine } from './quarantine.js';
import type { IngestItem, ReaderOptions } from './types.js';

/** `date 2024-03-05` (also `Date:` and any case) and the white space after it, at the very start. */
const DATE_PREFIX = /^\s*date[ \t]*:?[ \t]+(\S+)\s*/i;
/** The first line starts with the word "date" but the rest is not a usable date. */
const DATE_WORD = /^\s*date\b/i;
/** Same closing punctuation rule and word limit as the normalizer's headline rule. */
const CLOSING = /[.!?:;"')\]]$/;
const MAX_TITLE_WORDS = 25;
const MAX_TITLE_CHARS = 300;
const FIRST_LINE = /^[^\r\n\u2028\u2029]*/;
const SPACES = /\s+/g;

/**
 * The headline of a text, when its first line is short, has no closing punctuation and more text
 * follows; white space folded. Null otherwise.
 *
 * @example headlineOf('Blast kills 4 in Quetta\nA bomb exploded on Monday.') // 'Blast kills 4 in Quetta'
 */
export function headlineOf(rawText: string): string | null {
  const first = FIRST_LINE.exec(rawText)?.[0] ?? '';
  const line = first.replace(SPACES, ' ').trim();
  if (line === '' || line.length > MAX_TITLE_CHARS || CLOSING.test(line)) return null;
  if (line.split(' ').length > MAX_TITLE_WORDS) return null;
  if (rawText.slice(first.length).trim() === '') return null;
  return line;
}

/**
 * Parses one decoded dated-line text into an article or a quarantine item.
 *
 * @example parseDatedText('date 2024-03-05 Gunmen attacked…', 'a.txt').kind // 'article'
 */
export function parseDatedText(text: string, file: string): IngestItem {
  const m = DATE_PREFIX.exec(text);
  if (!m) {
    const message = DATE_WORD.test(text)
      ? `${file}:1: the date line has no date; write it as "date YYYY-MM-DD" (e.g. "date 2024-03-05") followed by the text.`
      : `${file}:1: no date line; the first line must start with "date YYYY-MM-DD" (e.g. "date 2024-03-05 Gunmen attacked…").`;
    return quarantine('E_INGEST_DATE', file, 1, message, text);
  }
  const date = m[1]!;
  if (!isValidDay(date)) {
    return quarantine(
      'E_INGEST_DATE',
      file,
      1,
      `${file}:1: invalid date "${date.slice(0, 40)}"; write a real calendar day as YYYY-MM-DD (e.g. 2024-03-05).`,
      text,
    );
  }
  const rawText = text.slice(m[0].length);
  const normalized = normalizeText(rawText).text;
  if (normalized.trim() === '') {
    return quarantine('E_INGEST_EMPTY', file, null, `${file}: the article has a date but no text; add the article text after the date.`, text);
  }
  const article: Article = {
    id: articleId(normalized, date),
    date,
    title: headlineOf(rawText),
    rawText,
    url: null,
    source: null,
    language: detectLanguage(normalized),
    origin: { file, line: null },
    dateSource: 'line',
  };
  return { kind: 'article', article };
}

/**
 * Reads one dated-line file's bytes: size limit, binary and UTF-8 checks, then parseDatedText.
 *
 * @example readDatedBytes(Buffer.from('date 2024-03-05 Text.'), 'a.txt', { maxBytes: 5e6 }).kind // 'article'
 */
export function readDatedBytes(bytes: Uint8Array, file: string, options: ReaderOptions): IngestItem {
  if (bytes.length > options.maxBytes) return tooLarge(file, bytes.length, options.maxBytes, bytes);
  const decoded = decodeText(bytes, file, null);
  if (!decoded.ok) return quarantine(decoded.code, file, null, decoded.message, bytes);
  return parseDatedText(decoded.text, file);
}

/** The quarantine item for a file or line over the size limit (size null when reading stopped early). */
export function tooLarge(
  file: string,
  size: number | null,
  maxBytes: number,
  excerpt: string | Uint8Array,
  line: number | null = null,
): IngestItem {
  const what = line === null ? 'file' : 'line';
  const at = line === null ? file : `${file}:${line}`;
  const is = size === null ? 'is larger than' : `is ${size} bytes, above`;
  return quarantine(
    'E_INGEST_TOO_LARGE',
    file,
    line,
    `${at}: the ${what} ${is} the limit of ${maxBytes} bytes; split it into smaller articles or raise the size limit.`,
    excerpt,
  );
}
