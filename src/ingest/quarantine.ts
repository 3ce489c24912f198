/**
 * Building quarantine items: the error (stable code, a message naming file and line and saying what to
 * do) plus a short printable excerpt of the offending input.
 */
import { IngestError, type ErrorCode } from '../errors.js';
import type { IngestItem } from './types.js';

const EXCERPT_CHARS = 200;
/** Control characters other than tab and line breaks, shown as U+FFFD in excerpts. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A short printable start of the input, for `khabar quarantine` to show. */
export function excerptOf(input: string | Uint8Array): string {
  const text = typeof input === 'string'
    ? input.slice(0, EXCERPT_CHARS * 2)
    : new TextDecoder('utf-8').decode(input.subarray(0, EXCERPT_CHARS * 4));
  return text.replace(CONTROL, '\ufffd').slice(0, EXCERPT_CHARS);
}

/** "file:line" or "file". */
export function where(file: string, line: number | null): string {
  return line === null ? file : `${file}:${line}`;
}

/**
 * @example quarantine('E_INGEST_DATE', 'a.txt', null, 'a.txt: no date line; …', 'Kabul, March 5 …')
 */
export function quarantine(
  code: ErrorCode,
  file: string,
  line: number | null,
  message: string,
  excerpt: string | Uint8Array,
  articleId: string | null = null,
): IngestItem {
  const context = line === null ? { file } : { file, line };
  const error = new IngestError(code, message, context);
  return { kind: 'quarantine', error, item: { file, line, code, reason: message, excerpt: excerptOf(excerpt), article_id: articleId } };
}

/** A quarantine item from an IngestError thrown by a reader (e.g. articleFromHtml). */
export function quarantineError(error: IngestError, file: string, line: number | null, excerpt: string | Uint8Array): IngestItem {
  return {
    kind: 'quarantine',
    error,
    item: { file, line, code: error.code, reason: error.message, excerpt: excerptOf(excerpt), article_id: null },
  };
}
