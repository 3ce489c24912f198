/**
 * One adapter per pipeline module the scorecard measures. Each loads its module on demand and
 * returns `{ ok: false, reason }` while the module is not there yet, so a section prints
 * "not available" instead of failing; once the module lands the same section runs for real.
 */
import { createPipeline, extractArticle, loadKnowledge } from '../src/extract.js';
import type { Knowledge } from '../src/pipeline.js';
import type { ActorMention, Article, ArticleResult, PlaceMention, Span } from '../src/types.js';

/** A module's adapter, or why there is none: `missing` when the module (or export) is not there yet, else it failed. */
export type Availability<T> = { ok: true; value: T; loadMs: number } | { ok: false; reason: string; missing: boolean };

type ModuleRecord = Record<string, unknown>;

/**
 * Imports a module of the project by its path relative to this file. The specifier is a variable so
 * the type checker does not require the module to exist yet; a missing module becomes a reason.
 */
export async function importOptional(specifier: string): Promise<{ ok: true; mod: ModuleRecord } | { ok: false; reason: string; missing: boolean }> {
  try {
    const mod = (await import(specifier)) as ModuleRecord;
    return { ok: true, mod };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes(specifier.replace(/^\.\.\//, '').replace(/\.js$/, ''))) {
      return { ok: false, reason: `module ${specifier} not present yet`, missing: true };
    }
    return { ok: false, reason: `module ${specifier} failed to load: ${message.split('\n')[0]}`, missing: false };
  }
}

function fn<F>(mod: ModuleRecord, name: string, specifier: string): F | string {
  const f = mod[name];
  return typeof f === 'function' ? (f as F) : `${specifier} has no export ${name}()`;
}

async function timed<T>(load: () => T | Promise<T>): Promise<{ value: T; loadMs: number }> {
  const t0 = performance.now();
  const value = await load();
  return { value, loadMs: performance.now() - t0 };
}

/** Reports a failure inside an adapter call as a reason, so one broken section does not stop the others. */
async function guarded<T>(what: string, body: () => Promise<Availability<T>>): Promise<Availability<T>> {
  try {
    return await body();
  } catch (err) {
    return { ok: false, reason: `${what} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, missing: false };
  }
}

let knowledgePromise: Promise<Knowledge> | null = null;
/** The pipeline's knowledge, loaded once for every section that needs it. */
export function sharedKnowledge(): Promise<Knowledge> {
  knowledgePromise ??= loadKnowledge();
  return knowledgePromise;
}

// ---------------------------------------------------------------------------------------------
// Geoparsing: src/geo/index.ts

type GazetteerHandle = unknown;
/** Detection options of the geoparser that express a corpus's annotation convention (eval/geo-conventions.ts). */
export interface GeoDetectOptions {
  demonyms?: boolean;
  facilitySpans?: boolean;
  embeddedNames?: boolean;
  siteNames?: boolean;
  capitals?: boolean;
}
type GeoparseFn = (gazetteer: GazetteerHandle, text: string, options?: GeoDetectOptions & { givenSpans?: Span[] }) => (PlaceMention | null)[];

export interface GeoAdapter {
  /** Resolution alone: one prediction (or null) per given span, in order. */
  resolveSpans(text: string, spans: Span[]): (PlaceMention | null)[];
  /** Detection and resolution: every place the geoparser finds, offsets into `text` (under a corpus convention when given). */
  detect(text: string, options?: GeoDetectOptions): PlaceMention[];
}

const GEO_MODULE = '../src/geo/index.js';

export function geoAdapter(): Promise<Availability<GeoAdapter>> {
  return guarded('loading the gazetteer', async () => {
    const loaded = await importOptional(GEO_MODULE);
    if (!loaded.ok) return loaded;
    const load = fn<() => GazetteerHandle | Promise<GazetteerHandle>>(loaded.mod, 'loadGazetteer', GEO_MODULE);
    const parse = fn<GeoparseFn>(loaded.mod, 'geoparseText', GEO_MODULE);
    if (typeof load === 'string') return { ok: false, reason: load, missing: true };
    if (typeof parse === 'string') return { ok: false, reason: parse, missing: true };
    const { value: gazetteer, loadMs } = await timed(load);
    return {
      ok: true,
      loadMs,
      value: {
        resolveSpans: (text, spans) => parse(gazetteer, text, { givenSpans: spans }),
        detect: (text, options) => parse(gazetteer, text, options).filter((p): p is PlaceMention => p !== null),
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Event typing: src/events/detect.ts

export interface EventTyping {
  event_type: string | null;
  mode: string | null;
  acled_sub_event_type: string | null;
  category: string | null;
}

export interface EventAdapter {
  /** The text's event type, or null when the detector finds no event. */
  classify(text: string): EventTyping | null;
}

const EVENTS_MODULE = '../src/events/detect.js';

export function eventAdapter(): Promise<Availability<EventAdapter>> {
  return guarded('loading the event lexicon', async () => {
    const loaded = await importOptional(EVENTS_MODULE);
    if (!loaded.ok) return loaded;
    const load = fn<() => unknown>(loaded.mod, 'loadEventLexicon', EVENTS_MODULE);
    const classifyText = fn<(text: string, lexicon: unknown, knowledge?: Knowledge) => Partial<EventTyping> | null>(loaded.mod, 'classifyText', EVENTS_MODULE);
    if (typeof load === 'string') return { ok: false, reason: load, missing: true };
    if (typeof classifyText === 'string') return { ok: false, reason: classifyText, missing: true };
    const knowledge = await sharedKnowledge();
    const { value: lexicon, loadMs } = await timed(load);
    return {
      ok: true,
      loadMs,
      value: {
        classify: (text) => {
          const r = classifyText(text, lexicon, knowledge);
          if (!r || (!r.event_type && !r.acled_sub_event_type && !r.category)) return null;
          return {
            event_type: r.event_type ?? null,
            mode: r.mode ?? null,
            acled_sub_event_type: r.acled_sub_event_type ?? null,
            category: r.category ?? null,
          };
        },
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Actors: src/actors/index.ts

export interface ActorAdapter {
  resolve(text: string, date: string): ActorMention[];
}

const ACTORS_MODULE = '../src/actors/index.js';

export function actorAdapter(): Promise<Availability<ActorAdapter>> {
  return guarded('loading the actor base', async () => {
    const loaded = await importOptional(ACTORS_MODULE);
    if (!loaded.ok) return loaded;
    const load = fn<() => unknown>(loaded.mod, 'loadActorBase', ACTORS_MODULE);
    const resolveIn = fn<(base: unknown, text: string, date: string) => ActorMention[]>(loaded.mod, 'resolveActorsInText', ACTORS_MODULE);
    if (typeof load === 'string') return { ok: false, reason: load, missing: true };
    if (typeof resolveIn === 'string') return { ok: false, reason: resolveIn, missing: true };
    const { value: base, loadMs } = await timed(load);
    return { ok: true, loadMs, value: { resolve: (text, date) => resolveIn(base, text, date) } };
  });
}

// ---------------------------------------------------------------------------------------------
// The full pipeline: src/extract.ts

export interface PipelineAdapter {
  /** Names of the stages the standard pipeline runs today. */
  stages: string[];
  /** True when some stage fills doc.events, i.e. the pipeline produces event records. */
  hasEvents: boolean;
  extract(text: string, date: string, id: string): ArticleResult;
}

/** An Article built directly from a text, as a reader would produce it. */
export function makeArticle(id: string, text: string, date: string, file = 'eval'): Article {
  return { id, date, title: null, rawText: text, url: null, source: null, language: 'en', origin: { file, line: null } };
}

export function pipelineAdapter(): Promise<Availability<PipelineAdapter>> {
  return guarded('building the pipeline', async () => {
    const { value: pipeline, loadMs } = await timed(async () => createPipeline(await sharedKnowledge()));
    return {
      ok: true,
      loadMs,
      value: {
        stages: pipeline.stages.map((s) => s.name),
        hasEvents: pipeline.stages.some((s) => s.assigns.includes('events')),
        extract: (text, date, id) => extractArticle(pipeline, makeArticle(id, text, date)),
      },
    };
  });
}
