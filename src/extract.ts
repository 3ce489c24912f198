/**
 * The standard pipeline: knowledge loaded once, the stages in order, and a one-call extraction.
 * normalize → sentences → tokens → actors → places → dates → quantities → sources → events
 */
import { actorStage, loadActorBase } from './actors/index.js';
import { sourceStage } from './events/attribution.js';
import { detectEvents, loadEventLexicon } from './events/detect.js';
import { quantityStage } from './events/quantities.js';
import { createEventStage } from './events/stage.js';
import { KnowledgeError } from './errors.js';
import { loadGazetteer, placeStage } from './geo/index.js';
import { Pipeline, toArticleResult, type Knowledge, type Stage } from './pipeline.js';
import { normalizeStage } from './text/normalize.js';
import { sentenceStage } from './text/sentences.js';
import { tokenStage } from './text/tokens.js';
import { dateStage } from './time/dates.js';
import type { Article, ArticleResult } from './types.js';

export interface KnowledgeOptions {
  /** Extra actor knowledge-base folders (`--kb DIR`). */
  kbDirs?: string[];
  /** Extra place files (JSON or CSV) added to the gazetteer. */
  extraPlacesFiles?: string[];
}

/**
 * Loads every knowledge source the stages need (gazetteer, actor base, event lexicon), once.
 * @example const knowledge = await loadKnowledge({ kbDirs: ['my-actors/'] });
 */
export async function loadKnowledge(options: KnowledgeOptions = {}): Promise<Knowledge> {
  return {
    actors: loadActorBase({ extraDirs: options.kbDirs ?? [] }),
    gazetteer: loadGazetteer({ extraPlacesFiles: options.extraPlacesFiles ?? [] }),
    eventLexicon: loadEventLexicon(),
  };
}

/** The stages of the standard pipeline, in order, for the given knowledge. */
export function defaultStages(knowledge: Knowledge): Stage[] {
  const lexicon = knowledge.eventLexicon;
  if (!lexicon) throw new KnowledgeError('the event stage needs the event lexicon: load it with loadKnowledge()');
  // Optional backend answers from an async pre-pass (src/events/backends/prepass.ts); absent by default.
  const refine = knowledge.eventRefiner;
  return [
    normalizeStage,
    sentenceStage,
    tokenStage,
    actorStage,
    placeStage,
    dateStage,
    quantityStage,
    sourceStage,
    createEventStage(refine ? (doc) => refine(doc, detectEvents(doc, lexicon)) : (doc) => detectEvents(doc, lexicon)),
  ];
}

/**
 * @example
 * const pipeline = createPipeline(await loadKnowledge());
 * const result = extractArticle(pipeline, article); // { article_id, entities, events, ... }
 */
export function createPipeline(knowledge: Knowledge): Pipeline {
  return new Pipeline(defaultStages(knowledge), { knowledge });
}

export function extractArticle(pipeline: Pipeline, article: Article): ArticleResult {
  return toArticleResult(pipeline.run(article));
}
