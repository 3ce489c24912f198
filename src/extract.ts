/**
 * The standard pipeline: knowledge loaded once, the stages in order, and a one-call extraction.
 * normalize → sentences → tokens → (actors → places → dates → quantities → sources → events)
 */
import { Pipeline, toArticleResult, type Knowledge, type Stage } from './pipeline.js';
import { normalizeStage } from './text/normalize.js';
import { sentenceStage } from './text/sentences.js';
import { tokenStage } from './text/tokens.js';
import type { Article, ArticleResult } from './types.js';

export interface KnowledgeOptions {
  /** Extra actor knowledge-base folders (`--kb DIR`). */
  kbDirs?: string[];
}

/** Loads every knowledge source the stages need (gazetteer, actor base, lexicons), once. */
export async function loadKnowledge(_options: KnowledgeOptions = {}): Promise<Knowledge> {
  return {};
}

/** The stages of the standard pipeline, in order. */
export function defaultStages(): Stage[] {
  return [normalizeStage, sentenceStage, tokenStage];
}

/**
 * @example
 * const pipeline = createPipeline(await loadKnowledge());
 * const result = extractArticle(pipeline, article); // { article_id, entities, events, ... }
 */
export function createPipeline(knowledge: Knowledge): Pipeline {
  return new Pipeline(defaultStages(), { knowledge });
}

export function extractArticle(pipeline: Pipeline, article: Article): ArticleResult {
  return toArticleResult(pipeline.run(article));
}
