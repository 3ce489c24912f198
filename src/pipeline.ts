/**
 * The stage contract and the runner. A stage is `(doc, ctx) => doc`: it adds spans to the one
 * document and declares which layers it needs and which it fills; the runner checks that order once
 * at construction and wraps any failure with the stage's name and the article's id.
 */
import { KhabarError, StageError } from './errors.js';
import type { Article, ArticleResult, DocLayer, Entity, KhabarDoc } from './types.js';

/**
 * Knowledge loaded once and passed to every stage (gazetteer, actor base, lexicons). Modules add
 * their own fields by declaration merging, e.g.
 * `declare module '../pipeline.js' { interface Knowledge { gazetteer?: Gazetteer } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Knowledge {}

export interface StageContext {
  knowledge: Knowledge;
}

export interface Stage {
  name: string;
  requires: readonly DocLayer[];
  assigns: readonly DocLayer[];
  run(doc: KhabarDoc, ctx: StageContext): KhabarDoc;
}

/** Time spent in each stage, in milliseconds, summed over every document run. */
export type StageTimings = Record<string, number>;

/** Layers that exist as soon as a document is created from an article. */
const INITIAL_LAYERS: readonly DocLayer[] = [];

export class Pipeline {
  readonly stages: readonly Stage[];
  readonly timings: StageTimings = {};
  private readonly ctx: StageContext;

  /**
   * @example
   * const pipeline = new Pipeline([normalizeStage, sentenceStage, tokenStage], { knowledge: {} });
   * const doc = pipeline.run(article);
   */
  constructor(stages: readonly Stage[], ctx: StageContext) {
    const have = new Set<DocLayer>(INITIAL_LAYERS);
    for (const stage of stages) {
      for (const layer of stage.requires) {
        if (!have.has(layer)) {
          throw new KhabarError(
            'E_PIPELINE',
            `stage "${stage.name}" requires "${layer}", which no earlier stage assigns; put a stage that assigns it first`,
            { stage: stage.name },
          );
        }
      }
      for (const layer of stage.assigns) have.add(layer);
    }
    this.stages = stages;
    this.ctx = ctx;
    for (const stage of stages) this.timings[stage.name] = 0;
  }

  /** Runs every stage on a new document made from the article. Throws StageError on failure. */
  run(article: Article): KhabarDoc {
    let doc = createDoc(article);
    for (const stage of this.stages) {
      const t0 = performance.now();
      try {
        doc = stage.run(doc, this.ctx);
      } catch (err) {
        throw new StageError(stage.name, article.id, err);
      }
      doc.stagesRun.push(stage.name);
      this.timings[stage.name] = (this.timings[stage.name] ?? 0) + (performance.now() - t0);
    }
    return doc;
  }

  resetTimings(): void {
    for (const key of Object.keys(this.timings)) this.timings[key] = 0;
  }
}

/** An empty document for an article; the normalize stage fills `text` and `toRaw`. */
export function createDoc(article: Article): KhabarDoc {
  return {
    article,
    text: '',
    toRaw: new Int32Array(0),
    sentences: [],
    tokens: [],
    places: [],
    actors: [],
    dates: [],
    quantities: [],
    sources: [],
    events: [],
    focus: null,
    stagesRun: [],
  };
}

/**
 * The output schema of an article: its text, every entity span and every event.
 * @example toArticleResult(doc).entities[0] // { text: 'Kabul', start: 10, end: 15, kind: 'place', id: 'geonames:1138958', ... }
 */
export function toArticleResult(doc: KhabarDoc): ArticleResult {
  const entities: Entity[] = [];
  for (const a of doc.actors) entities.push({ text: a.text, start: a.start, end: a.end, kind: 'actor', id: a.id, name: a.name });
  for (const p of doc.places) {
    entities.push({
      text: p.text,
      start: p.start,
      end: p.end,
      kind: 'place',
      id: p.geonames_id !== null ? `geonames:${p.geonames_id}` : null,
      name: p.name,
    });
  }
  for (const s of doc.sources) entities.push({ text: s.text, start: s.start, end: s.end, kind: 'source', id: null, name: s.name });
  for (const d of doc.dates) entities.push({ text: d.text, start: d.start, end: d.end, kind: 'date', id: null, value: d.value });
  for (const q of doc.quantities) entities.push({ text: q.text, start: q.start, end: q.end, kind: 'quantity', id: null, value: q.value });
  entities.sort((a, b) => a.start - b.start || b.end - a.end);
  return {
    article_id: doc.article.id,
    date: doc.article.date,
    title: doc.article.title,
    text: doc.text,
    entities,
    events: doc.events,
  };
}
