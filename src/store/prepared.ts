/**
 * The parts of a store write that need no store state, computed where the article was extracted (an
 * extraction worker thread) so that the thread writing the store only binds them: the compact JSON of
 * the entities (the SQLite store's format, encodeEntities), each event's record JSON and its actor
 * search key. A store given none computes the same itself (preparedFor).
 */
import type { ArticleResult, Entity } from '../types.js';
import { actorSearchKey } from './event-columns.js';

/** What prepareArticle computes for one article result; flat arrays of strings, cheap to pass between threads. */
export interface PreparedArticle {
  /** encodeEntities(result.entities, result.text). */
  entities: string;
  /** JSON.stringify of each event record, in the result's order. */
  records: string[];
  /** actorSearchKey of each event record, in the result's order. */
  actorSearch: string[];
}

/** One entity as a tuple: [kind, start, end, id, name, value, text], trailing nulls dropped, text only when it is not text.slice(start, end). */
type EntityTuple = [Entity['kind'], number, number, string | null, (string | null)?, (string | number | null)?, string?];

/**
 * The compact JSON of an article's entities (a third of one object each).
 * @example encodeEntities([{ text: 'Kabul', start: 0, end: 5, kind: 'place', id: 'geonames:1138958' }], 'Kabul ...') // '[["place",0,5,"geonames:1138958"]]'
 */
export function encodeEntities(entities: readonly Entity[], text: string): string {
  return JSON.stringify(
    entities.map((e): EntityTuple => {
      const t: EntityTuple = [e.kind, e.start, e.end, e.id, e.name ?? null, e.value ?? null];
      if (e.text !== text.slice(e.start, e.end)) t.push(e.text);
      else while (t.length > 4 && t[t.length - 1] === null) t.pop();
      return t;
    }),
  );
}

/** The entities encoded by encodeEntities, with the article text they point into. */
export function decodeEntities(json: string, text: string): Entity[] {
  return (JSON.parse(json) as EntityTuple[]).map(([kind, start, end, id, name, value, own]) => {
    const e: Entity = { text: own ?? text.slice(start, end), start, end, kind, id };
    if (name !== undefined && name !== null) e.name = name;
    if (value !== undefined && value !== null) e.value = value;
    return e;
  });
}

/**
 * Computes an article result's store preparation.
 * @example prepareArticle(result).records[0] === JSON.stringify(result.events[0]) // true
 */
export function prepareArticle(result: ArticleResult): PreparedArticle {
  return {
    entities: encodeEntities(result.entities, result.text),
    records: result.events.map((ev) => JSON.stringify(ev)),
    actorSearch: result.events.map(actorSearchKey),
  };
}

/**
 * The preparation given with a result when it fits it (one record and key per event), else computed here.
 * @example preparedFor({ result, prepared: undefined }) // prepareArticle(result)
 */
export function preparedFor(input: { result: ArticleResult; prepared?: PreparedArticle | undefined }): PreparedArticle {
  const given = input.prepared;
  const n = input.result.events.length;
  return given && given.records.length === n && given.actorSearch.length === n ? given : prepareArticle(input.result);
}
