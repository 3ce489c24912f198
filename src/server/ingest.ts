/**
 * POST /api/articles: the body (a JSON record, a JSON array of records, JSON Lines, or one article in
 * the dated line format) read into ingest items, then run through the pipeline into the store.
 */
import { KhabarError } from '../errors.js';
import { parseDatedText, parseRecord } from '../ingest/index.js';
import { processItems, type Extractor, type IngestSummary } from '../ingest/process.js';
import type { Store } from '../store/store.js';
import type { IngestItem } from '../ingest/types.js';
import { HttpError } from './errors.js';

const ORIGIN = 'http';

/** The media types POST /api/articles accepts. */
export const INGEST_TYPES = ['application/json', 'application/x-ndjson', 'application/jsonl', 'text/plain'] as const;

function parseJson(text: string, at: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new KhabarError('E_INGEST_JSON', `${at}: not valid JSON (${err instanceof Error ? err.message : String(err)}); send {"date": "YYYY-MM-DD", "text": "…"}`);
  }
}

/**
 * Reads a request body into ingest items by its media type.
 * @example bodyToItems('text/plain', 'date 2024-03-05 Gunmen attacked…')[0].kind // 'article'
 */
export function bodyToItems(mediaType: string, body: string): IngestItem[] {
  if (body.trim() === '') throw new KhabarError('E_INGEST_EMPTY', 'the request body is empty: send an article record or a dated text');
  if (mediaType === 'text/plain') return [parseDatedText(body, ORIGIN)];
  if (mediaType === 'application/json') {
    const value = parseJson(body, 'body');
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) throw new KhabarError('E_INGEST_EMPTY', 'the JSON array is empty: send at least one record');
    return values.map((v, i) => parseRecord(v, ORIGIN, Array.isArray(value) ? i + 1 : null, Array.isArray(value) ? `element ${i + 1}` : 'body', JSON.stringify(v).slice(0, 300)));
  }
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/jsonl') {
    const items: IngestItem[] = [];
    body.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      items.push(parseRecord(parseJson(line, `line ${i + 1}`), ORIGIN, i + 1, `line ${i + 1}`, line.slice(0, 300)));
    });
    return items;
  }
  throw new HttpError(415, 'E_VALIDATION', `unsupported Content-Type "${mediaType}": send ${INGEST_TYPES.join(', ')}`);
}

export interface IngestReply extends IngestSummary {
  /** Ids of the articles read from the body (stored now or before). */
  article_ids: string[];
  /** Input that could not be read, with the reason (it is also kept in the store's quarantine). */
  rejected: { line: number | null; code: string; reason: string }[];
}

/** Ingests the items into the store with the extractor; the summary and what was rejected. */
export async function ingestItems(items: IngestItem[], store: Store, extractor: Extractor): Promise<IngestReply> {
  const summary = await processItems(items, store, extractor);
  const article_ids: string[] = [];
  const rejected: IngestReply['rejected'] = [];
  for (const item of items) {
    if (item.kind === 'article') article_ids.push(item.article.id);
    else rejected.push({ line: item.item.line, code: item.item.code, reason: item.item.reason });
  }
  return { ...summary, article_ids, rejected };
}
