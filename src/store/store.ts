/**
 * The one storage interface. SQLite (embedded, default) and PostgreSQL implement it and pass the same
 * contract suite (test/store-contract.test.ts). Every method is async so both fit.
 */
import type { Article, ArticleResult, QuarantineItem } from '../types.js';

/** One article with its pipeline result, ready to store. */
export interface StoredArticleInput {
  article: Article;
  /** The normalized text's article result; every span in it points into result.text. */
  result: ArticleResult;
}

/** A batch of work written in one transaction. */
export interface WriteBatch {
  articles: StoredArticleInput[];
  quarantine: QuarantineItem[];
}

export interface WriteSummary {
  /** Articles that were new and stored. */
  inserted: number;
  /** Articles already in the store (same id), skipped. */
  duplicates: number;
  /** Events stored with the inserted articles. */
  events: number;
  quarantined: number;
}

export interface Store {
  /** Writes a batch in one transaction: all of it or none. Re-writing a stored article adds nothing. */
  writeBatch(batch: WriteBatch): Promise<WriteSummary>;
  hasArticle(id: string): Promise<boolean>;
  close(): Promise<void>;
}
