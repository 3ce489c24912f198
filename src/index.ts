/**
 * Khabar's public surface: the pipeline, the document and result types, and the errors.
 * The server, the stores and the CLI sit behind their own entry points.
 */
export { Pipeline, createDoc, toArticleResult } from './pipeline.js';
export type { Knowledge, Stage, StageContext, StageTimings } from './pipeline.js';
export { createPipeline, defaultStages, extractArticle, loadKnowledge } from './extract.js';
export type { KnowledgeOptions } from './extract.js';
export * from './errors.js';
export type * from './types.js';
