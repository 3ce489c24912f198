/**
 * Opening a store by its target: a file path or `sqlite:PATH` for the embedded store, a
 * `postgres://` URL for the shared one. Also the helpers every reader of events uses.
 */
import { KhabarError } from '../errors.js';
import type { EventRecord } from '../types.js';
import type { EventFilter } from './filter.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export type * from './store.js';
export { normalizeFilter, eventFilterSchema, encodeCursor, decodeCursor, haversineKm, EVENT_SORTS, MAX_EVENT_LIMIT, DEFAULT_EVENT_LIMIT } from './filter.js';
export { parseTextQuery } from './query.js';
export type { TextQuery, QueryTerm } from './query.js';

export interface OpenStoreOptions {
  /**
   * For commands that only read: fail with E_NOT_FOUND, saying how to create the store, when it does
   * not exist yet (instead of creating an empty one).
   */
  mustExist?: boolean;
  /** How long to wait for another writer's lock, ms (default 10000). */
  busyTimeoutMs?: number;
}

/** What kind of store a target names, and where it is. */
export function parseStoreTarget(target: string): { dialect: 'sqlite' | 'postgres'; location: string } {
  if (/^postgres(ql)?:\/\//i.test(target)) return { dialect: 'postgres', location: target };
  const location = target.startsWith('sqlite:') ? target.slice('sqlite:'.length) : target;
  if (location === '') throw new KhabarError('E_USAGE', 'the store target is empty: give a file path such as khabar.db, or sqlite:khabar.db');
  return { dialect: 'sqlite', location };
}

/**
 * Opens a store, creating and migrating it when needed.
 * @example
 * const store = await openStore('khabar.db');            // or 'sqlite:khabar.db'
 * const events = await store.queryEvents({ country: 'PK', limit: 10 });
 * await store.close();
 */
export async function openStore(target: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { dialect, location } = parseStoreTarget(target);
  if (dialect === 'postgres') {
    const { PostgresStore } = await import('./postgres/pg-store.js');
    return PostgresStore.open(location, options);
  }
  return SqliteStore.open(location, options);
}

/**
 * Every event matching a filter, page by page (cursor paging: constant memory, stable order).
 * `filter.limit` caps the total; the page size is internal.
 * @example for await (const ev of eachEvent(store, { country: 'SO' })) console.log(ev.event_id);
 */
export async function* eachEvent(store: Store, filter: EventFilter = {}, pageSize = 1000): AsyncGenerator<EventRecord> {
  const { limit, cursor: first, offset, ...rest } = filter;
  let left = limit ?? Number.POSITIVE_INFINITY;
  let cursor: string | undefined = first;
  let skip = offset;
  while (left > 0) {
    const position = cursor ? { cursor } : skip !== undefined ? { offset: skip } : {};
    const page = await store.queryEventPage({ ...rest, ...position, limit: Math.min(pageSize, left) });
    skip = undefined;
    for (const ev of page.events) yield ev;
    left -= page.events.length;
    if (!page.next_cursor) return;
    cursor = page.next_cursor;
  }
}
