/**
 * JSON Lines (.jsonl, .ndjson: one article record per line, streamed, never the whole file in memory)
 * and JSON arrays of the same records. A bad line or element is quarantined with its line or position;
 * the rest go on.
 */
import { z } from 'zod';
import { normalizeText } from '../text/normalize.js';
import type { Article } from '../types.js';
import { articleId } from './article-id.js';
import { dayOf, isValidDay } from './dates.js';
import { tooLarge } from './dated.js';
import { decodeText } from './decode.js';
import { detectLanguage, languageFromTag } from './language.js';
import { quarantine, where } from './quarantine.js';
import type { IngestItem, ReaderOptions } from './types.js';

const optionalText = z.string().nullable().optional();

/** One article record: `text` and `date` required, the rest optional; other keys are ignored. */
export const articleRecordSchema = z.object({
  text: z.string(),
  date: z.string(),
  id: z.union([z.string(), z.number().int()]).nullable().optional(),
  title: optionalText,
  url: optionalText,
  source: optionalText,
  language: optionalText,
});

export type ArticleRecord = z.infer<typeof articleRecordSchema>;

const REQUIRED = new Set(['text', 'date']);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function blankToNull(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/**
 * Turns one parsed JSON value into an article or a quarantine item. `at` names the place in messages
 * ("a.jsonl:7" or "a.json element 3").
 *
 * @example parseRecord({ text: 'Troops…', date: '2024-03-05' }, 'a.jsonl', 7, 'a.jsonl:7', '{…}').kind // 'article'
 */
export function parseRecord(value: unknown, file: string, line: number | null, at: string, excerpt: string): IngestItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return quarantine(
      'E_INGEST_JSON',
      file,
      line,
      `${at}: got ${typeName(value)}, not a record; write one object such as {"date": "2024-03-05", "text": "…"}.`,
      excerpt,
    );
  }
  const parsed = articleRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '?');
    const given = (value as Record<string, unknown>)[field];
    const message = given === undefined
      ? `${at}: missing required field "${field}"; every record needs "text" and "date" (YYYY-MM-DD).`
      : `${at}: field "${field}" is ${typeName(given)}, expected ${REQUIRED.has(field) ? 'a string' : field === 'id' ? 'a string or an integer' : 'a string or null'}; fix the record.`;
    return quarantine('E_INGEST_FIELD', file, line, message, excerpt);
  }
  const rec = parsed.data;
  const date = isValidDay(rec.date) ? rec.date : dayOf(rec.date);
  if (date === null) {
    return quarantine(
      'E_INGEST_DATE',
      file,
      line,
      `${at}: invalid date "${rec.date.slice(0, 40)}"; give a real calendar day as YYYY-MM-DD (e.g. 2024-03-05).`,
      excerpt,
    );
  }
  const normalized = normalizeText(rec.text).text;
  if (normalized.trim() === '') {
    return quarantine('E_INGEST_EMPTY', file, line, `${at}: "text" is empty; give the article text or drop the record.`, excerpt);
  }
  let language: string | null = null;
  const tag = blankToNull(rec.language);
  if (tag !== null) {
    language = languageFromTag(tag);
    if (language === null) {
      return quarantine(
        'E_INGEST_FIELD',
        file,
        line,
        `${at}: field "language" is "${tag.slice(0, 20)}", not a language code; use ISO 639-1 such as "en", or leave it out to detect it.`,
        excerpt,
      );
    }
  } else {
    language = detectLanguage(normalized);
  }
  const givenId = rec.id === null || rec.id === undefined ? null : blankToNull(String(rec.id));
  const article: Article = {
    id: givenId ?? articleId(normalized, date),
    date,
    title: blankToNull(rec.title),
    rawText: rec.text,
    url: blankToNull(rec.url),
    source: blankToNull(rec.source),
    language,
    origin: { file, line },
    dateSource: 'record',
  };
  return { kind: 'article', article };
}

/** Parses one JSONL line's bytes (without its line break). */
function parseLine(bytes: Uint8Array, file: string, line: number): IngestItem {
  const decoded = decodeText(bytes, file, line);
  if (!decoded.ok) return quarantine(decoded.code, file, line, decoded.message, bytes);
  const text = decoded.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return quarantine(
      'E_INGEST_JSON',
      file,
      line,
      `${file}:${line}: not valid JSON (${err.message.slice(0, 120)}); each line must be one JSON object.`,
      text,
    );
  }
  return parseRecord(value, file, line, `${file}:${line}`, text);
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 32 && b !== 9 && b !== 13 && b !== 12 && b !== 11) return false;
  }
  return true;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Streams JSONL: one item per non-blank line, in order, holding at most one line (up to maxBytes) in
 * memory. Lines over maxBytes are skipped while read and quarantined as E_INGEST_TOO_LARGE.
 *
 * @example for await (const item of readJsonl(createReadStream('a.jsonl'), 'a.jsonl', { maxBytes: 5e6 })) …
 */
export async function* readJsonl(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  file: string,
  options: ReaderOptions,
): AsyncGenerator<IngestItem> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let oversize = false;
  let head: Uint8Array | null = null;
  let line = 1;
  let first = true;

  function* finish(): Generator<IngestItem> {
    if (oversize) {
      yield tooLarge(file, null, options.maxBytes, head ?? new Uint8Array(0), line);
    } else {
      let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      if (first && bytes.length >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(3);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
      if (!isBlank(bytes)) yield parseLine(bytes, file, line);
    }
    first = false;
    parts = [];
    size = 0;
    oversize = false;
    head = null;
    line++;
  }

  function add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (oversize) return;
    if (size + piece.length > options.maxBytes) {
      oversize = true;
      head = (parts[0] ?? piece).slice(0, 400);
      parts = [];
      return;
    }
    // Copy: the stream may reuse its buffer.
    parts.push(Uint8Array.prototype.slice.call(piece));
    size += piece.length;
  }

  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      add(chunk.subarray(start, nl));
      yield* finish();
      start = nl + 1;
    }
    add(chunk.subarray(start));
  }
  if (size > 0 || oversize) yield* finish();
}

/**
 * Reads a .json file holding an array of article records (or one record). Elements are named by their
 * 1-based position in messages; line is null.
 *
 * @example readJsonArrayBytes(Buffer.from('[{"date":"2024-03-05","text":"…"}]'), 'a.json', { maxBytes: 5e6 })
 */
export function readJsonArrayBytes(bytes: Uint8Array, file: string, options: ReaderOptions): IngestItem[] {
  if (bytes.length > options.maxBytes) return [tooLarge(file, bytes.length, options.maxBytes, bytes)];
  const decoded = decodeText(bytes, file, null);
  if (!decoded.ok) return [quarantine(decoded.code, file, null, decoded.message, bytes)];
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return [quarantine(
      'E_INGEST_JSON',
      file,
      null,
      `${file}: not valid JSON (${err.message.slice(0, 120)}); give an array of records such as [{"date": "2024-03-05", "text": "…"}].`,
      decoded.text,
    )];
  }
  if (!Array.isArray(value)) return [parseRecord(value, file, null, file, decoded.text)];
  return value.map((el, i) => parseRecord(el, file, null, `${where(file, null)} element ${i + 1}`, JSON.stringify(el) ?? ''));
}
