/**
 * The language rule of ingestion: the pipeline's knowledge is English, so an article detected as
 * another language is stored (searchable) with an empty result and flagged as not extracted, never
 * dropped and never run through stages that would only find noise. Unknown language is extracted.
 */
import type { ExtractOutcome } from './extract-pool.js';
import type { Extractor } from './process.js';
import { normalizeText } from '../text/normalize.js';
import type { Article, ArticleResult } from '../types.js';

/** Languages the pipeline extracts (ISO 639-1). */
export const EXTRACTED_LANGUAGES: ReadonlySet<string> = new Set(['en']);

/** An extraction outcome, with `extracted: false` when the article was stored without extraction. */
export type GatedOutcome = ExtractOutcome & { extracted?: boolean };

/**
 * True when the pipeline should run on the article: its language is one it covers, or unknown.
 * @example isExtractable({ ...article, language: 'fr' }) // false
 */
export function isExtractable(article: Pick<Article, 'language'>, languages: ReadonlySet<string> = EXTRACTED_LANGUAGES): boolean {
  return article.language === null || languages.has(article.language);
}

/** The result stored for an article that is not extracted: its normalized text, no entities, no events. */
export function unextractedResult(article: Article): ArticleResult {
  return { article_id: article.id, date: article.date, title: article.title, text: normalizeText(article.rawText).text, entities: [], events: [] };
}

/**
 * Runs the extractor on the articles it covers and gives the others an empty result marked
 * `extracted: false`; outcomes stay in the articles' order.
 * @example (await extractOrSkip(extractor, [enArticle, frArticle]))[1] // { ok: true, result: {…events: []}, extracted: false }
 */
export async function extractOrSkip(extractor: Extractor, articles: Article[], languages: ReadonlySet<string> = EXTRACTED_LANGUAGES): Promise<GatedOutcome[]> {
  const run: Article[] = [];
  for (const a of articles) if (isExtractable(a, languages)) run.push(a);
  const done = run.length > 0 ? await extractor.extractMany(run) : [];
  let next = 0;
  return articles.map((a): GatedOutcome => {
    if (!isExtractable(a, languages)) return { ok: true, result: unextractedResult(a), extracted: false };
    const outcome = done[next++];
    return outcome ?? { ok: false, code: 'E_STAGE', message: 'the extractor returned fewer outcomes than articles' };
  });
}
