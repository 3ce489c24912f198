/**
 * The shapes every reader shares: what a reader yields (an article or a quarantine item) and the
 * options that bound it (size limit, default date, stdin).
 */
import type { IngestError } from '../errors.js';
import type { Article, QuarantineItem } from '../types.js';

/** One thing read from the inputs: an article, or input that could not be read, with its reason. */
export type IngestItem =
  | { kind: 'article'; article: Article }
  | { kind: 'quarantine'; item: QuarantineItem; error: IngestError };

/** Default size limit: 5 MB per article (a JSONL line) or per file (any other format). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export interface ReadOptions {
  /** Read for the input "-"; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Largest file (dated text, JSON, HTML) or JSONL line accepted, in bytes. Default 5 MB. */
  maxBytes?: number;
  /** Date (`YYYY-MM-DD`) for HTML pages whose metadata gives none; without it they are quarantined. */
  defaultDate?: string;
  /** Called for each file a directory walk or glob passes over (hidden or irrelevant by extension). */
  onSkip?: (file: string, why: string) => void;
}

/** Options after defaults are applied, as the individual readers take them. */
export interface ReaderOptions {
  maxBytes: number;
  defaultDate?: string;
}

export function readerOptions(options: ReadOptions = {}): ReaderOptions {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return options.defaultDate === undefined ? { maxBytes } : { maxBytes, defaultDate: options.defaultDate };
}
