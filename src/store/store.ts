/**
 * The one storage interface. SQLite (embedded, default) and PostgreSQL implement it and pass the same
 * contract suite (test/store-contract.suite.ts). Every method is async so both fit; nothing here names
 * a dialect's features (rowids, FTS5): those stay inside each implementation.
 */
import type { Article, ArticleResult, EventRecord, QuarantineItem, Span } from '../types.js';
import type { EventFilter } from './filter.js';
import type { PreparedArticle } from './prepared.js';

export type { EventFilter, EventSort, GeoPoint, BoundingBox } from './filter.js';

/** One article with its pipeline result, ready to store. */
export interface StoredArticleInput {
  article: Article;
  /** The normalized text's article result; every span in it points into result.text. */
  result: ArticleResult;
  /**
   * false: stored without running the pipeline (a language it does not cover), so the result has no
   * entities or events; the article is still searchable. Omitted means true.
   */
  extracted?: boolean;
  /**
   * The MinHash signature of result.text under the store's link configuration (src/link/minhash.ts
   * textSignature), computed off the writing thread; a store computes it itself when absent.
   */
  linkSignature?: Uint32Array;
  /**
   * The result's record JSON, entity JSON and actor search keys (src/store/prepared.ts prepareArticle),
   * computed off the writing thread; a store computes them itself when absent. Must be of this result.
   */
  prepared?: PreparedArticle;
}

/** An article as read back from a store: what was written, plus when it was stored. */
export interface StoredArticle extends StoredArticleInput {
  /** ISO 8601 timestamp (UTC) of the write that first stored the article. */
  ingested_at: string;
}

/** A batch of work written in one transaction. */
export interface WriteBatch {
  articles: StoredArticleInput[];
  quarantine: QuarantineItem[];
}

export interface WriteSummary {
  /** Articles that were new and stored. */
  inserted: number;
  /** Articles already in the store (same id), or repeated within the batch, skipped. */
  duplicates: number;
  /** Events stored with the inserted articles. */
  events: number;
  /** Quarantine items given in the batch (an item already stored is kept once, but still counted here). */
  quarantined: number;
}

/** A page of events and the cursor that continues it (null on the last page). */
export interface EventPage {
  events: EventRecord[];
  next_cursor: string | null;
}

/** One full-text hit over article titles and texts. */
export interface ArticleHit {
  article_id: string;
  date: string;
  title: string | null;
  source: string | null;
  url: string | null;
  /** Relevance, higher is better (FTS5: -bm25; PostgreSQL: ts_rank). Comparable within one result only. */
  score: number;
  /** A short plain-text excerpt around the matches (no markup: escape it, then apply `highlights`). */
  snippet: string;
  /** The matched terms inside `snippet`, as [start, end) offsets into the snippet. */
  highlights: Span[];
}

export interface SearchOptions {
  /** 1..1000, default 20. */
  limit?: number;
  offset?: number;
}

/** Counts of what a store holds. Maps are sorted by count, descending. */
export interface StoreStats {
  articles: number;
  /** Merged events: one per real-world event, however many articles reported it (src/link). */
  events: number;
  /**
   * Reports: every article's events before merging (the raw rows behind `events`). Optional only
   * until the PostgreSQL store fills it; SQLite always does.
   */
  reports?: number;
  entities: number;
  quarantine: number;
  /** Earliest and latest article dates (null when empty). */
  article_dates: { from: string | null; to: string | null };
  /** Earliest and latest merged-event dates (null when no event has a date). */
  event_dates: { from: string | null; to: string | null };
  /** Sum of the merged events' fatalities (each event counted once, at its merged figure). */
  fatalities: number;
  /** Sum of the reports' fatalities (an event reported by six articles counts six times); optional as `reports`. */
  report_fatalities?: number;
  /** Merged events per PLOVER type (by_acled_type and by_country count merged events too). */
  by_type: Record<string, number>;
  /** Events per ACLED event type (events without one are counted under "none"). */
  by_acled_type: Record<string, number>;
  /** Events per ISO country code of their location ("none" when unplaced). */
  by_country: Record<string, number>;
  /** Quarantined items per error code. */
  quarantine_by_code: Record<string, number>;
}

/** A quarantined item as stored. */
export interface QuarantineRecord extends QuarantineItem {
  id: number;
  article_id: string | null;
  /** ISO 8601 timestamp (UTC) of when it was first quarantined. */
  at: string;
}

export interface ListOptions {
  /** 1..100000, default 100. */
  limit?: number;
  offset?: number;
}

export interface IterateOptions {
  /** Articles fetched per round trip (default 500). */
  batchSize?: number;
}

/** Bucket width of a time series. */
export type SeriesInterval = 'day' | 'week';
/** What a time series is split by: nothing, PLOVER type, ACLED event type, or actor (both sides). */
export type SeriesBy = 'none' | 'type' | 'acled_type' | 'actor';

export interface SeriesOptions {
  interval?: SeriesInterval;
  by?: SeriesBy;
  /** With by=actor or by=type: keep the N keys with the most events (default 10); the rest count as "other". */
  top?: number;
}

/** Counts per period (`YYYY-MM-DD`: the day, or the Monday of an ISO week) and key, oldest first. */
export interface TimeSeries {
  interval: SeriesInterval;
  by: SeriesBy;
  /** The keys in order of total count (descending); "all" when by=none. */
  keys: string[];
  buckets: { period: string; key: string; events: number; fatalities: number }[];
}

/** An actor's record in the store: counts, activity over time, and whom it acted with or against. */
export interface ActorActivity {
  /** The actor id or name the profile was asked for. */
  actor: string;
  /** The name the events give it most often (null when no event names it). */
  name: string | null;
  events: number;
  fatalities: number;
  first_date: string | null;
  last_date: string | null;
  /** Events where it is actor1 / actor2. */
  as_actor1: number;
  as_actor2: number;
  by_type: Record<string, number>;
  by_country: Record<string, number>;
  /** Events per ISO week (Monday), oldest first. */
  weekly: { period: string; events: number; fatalities: number }[];
  /** The other side of its events, most frequent first (id null for actors not in the base). */
  counterparts: { id: string | null; name: string; events: number; fatalities: number }[];
}

/** A place events happened at, with how many and when. */
export interface PlaceSummary {
  name: string;
  country_code: string | null;
  admin1: string | null;
  geonames_id: number | null;
  lat: number | null;
  lon: number | null;
  events: number;
  fatalities: number;
  last_date: string | null;
}

/** One report of a merged event: an event as one article gave it (issue 8, src/link). */
export interface EventReport {
  /** The event exactly as the article reported it, with `cluster_id` the merged event's id. */
  record: EventRecord;
  article: { id: string; date: string; title: string | null; source: string | null; url: string | null };
  /** The earliest near-duplicate copy of this report's article, when the article is a copy (else null). */
  duplicate_of: string | null;
  /**
   * What the report rests on: "actor:NAME" (an actor's own claim), "outlet:NAME" (the agency or
   * outlet it relays, else its publisher) or "article:ID" (no publisher known). Reports sharing an
   * origin, or whose articles are near-duplicate copies of one text, count as one independent source.
   */
  origin: string;
}

/** A merged event and all its reports, earliest first. */
export interface EventReports {
  event: EventRecord;
  reports: EventReport[];
}

/** What replaceResults did. */
export interface ReplaceSummary {
  /** Stored articles whose result was replaced. */
  replaced: number;
  /** Articles given that are not in the store (nothing is written for them). */
  missing: number;
  /** Events (reports) the replaced articles hold now. */
  events: number;
}

export interface RelinkSummary {
  articles: number;
  /** Articles that are near-duplicates of an earlier one. */
  duplicates: number;
  reports: number;
  /** Merged events after relinking. */
  events: number;
  ms: number;
}

/** A followed feed or page (issue 10, src/sources): where it is, how often, and its polling state. */
export interface SourceInput {
  /** Unique name, also the articles' `source` unless the page names its own. */
  name: string;
  /** An http(s) URL, or a path to a feed or HTML file on disk. */
  location: string;
  /** Seconds between polls. */
  every_s: number;
}

export interface SourceRecord extends SourceInput {
  id: number;
  added_at: string;
  /** Validators from the last 200 answer, sent back as If-None-Match / If-Modified-Since. */
  etag: string | null;
  last_modified: string | null;
  /** ISO timestamp of the next poll (pushed back exponentially after failures). */
  next_poll_at: string;
  /** Failed polls in a row (0 after a success). */
  failures: number;
  last_polled_at: string | null;
  /** "CODE: message" of the last failed poll, null after a success. */
  last_error: string | null;
}

/** The state a poll leaves on its source. */
export interface SourceState {
  etag: string | null;
  last_modified: string | null;
  next_poll_at: string;
  failures: number;
  last_polled_at: string;
  last_error: string | null;
}

/** One poll of one source: what was fetched, what was new, what failed and why. */
export interface PollRecord {
  source_id: number;
  started_at: string;
  finished_at: string;
  /** ok: fetched and processed; not_modified: a 304 (or unchanged file), nothing added; failed: see error. */
  status: 'ok' | 'not_modified' | 'failed';
  http_status: number | null;
  /** Items in the feed (1 for a page). */
  items: number;
  /** Articles stored by this poll. */
  new: number;
  /** Items already stored (same article id). */
  duplicates: number;
  /** Items that could not be turned into an article (each one also quarantined). */
  failed: number;
  error_code: string | null;
  error: string | null;
  item_errors: { item: string; code: string; message: string }[];
}

export interface StoredPoll extends PollRecord {
  id: number;
  source_name: string;
}

/** A saved watch rule: an event filter checked against new events (src/alerts). */
export interface AlertRuleInput {
  name: string;
  /** Without limit, offset, cursor or sort (those are ignored). */
  filter: EventFilter;
  /** POSTed each hit (JSON) when set. */
  webhook: string | null;
}

export interface AlertRule extends AlertRuleInput {
  id: number;
  created_at: string;
}

export interface AlertHitInput {
  rule_id: number;
  event: EventRecord;
}

/** An event that matched a rule; each (rule, event) and each (rule, merged event) is recorded once. */
export interface AlertHit {
  id: number;
  rule_id: number;
  rule_name: string;
  event_id: string;
  /** The merged event the report belonged to when it matched (null when unlinked). */
  cluster_id: string | null;
  article_id: string;
  /** ISO timestamp of when it matched. */
  at: string;
  event: EventRecord;
}

export interface AlertHitQuery {
  /** A rule's name. */
  rule?: string;
  /** Hits recorded after this hit id (for polling the list). */
  after_id?: number;
  /** 1..10000, default 100. */
  limit?: number;
  offset?: number;
}

export interface Store {
  /** "sqlite" or "postgres": for messages and for tests that must skip a dialect-only case. */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Writes a batch in one transaction: all of it or none. Re-writing a stored article adds nothing.
   * Every event's `article_id` must be its article's id and every `event_id` unique in the store,
   * else E_VALIDATION and nothing is written.
   */
  writeBatch(batch: WriteBatch): Promise<WriteSummary>;
  hasArticle(id: string): Promise<boolean>;
  /** The article with its metadata, entities and events, or null. */
  getArticle(id: string): Promise<StoredArticle | null>;
  /** The full event record, or null. */
  getEvent(id: string): Promise<EventRecord | null>;
  /** Events matching the filter (validated: a bad filter is E_VALIDATION), full records, sorted. */
  queryEvents(filter?: EventFilter): Promise<EventRecord[]>;
  /** Like queryEvents, with the cursor of the next page (pass it back as `filter.cursor`). */
  queryEventPage(filter?: EventFilter): Promise<EventPage>;
  /** How many events match the filter (limit, offset and cursor ignored). */
  countEvents(filter?: EventFilter): Promise<number>;
  /** Ranked full-text search over article titles and texts. Bad query syntax is E_VALIDATION. */
  searchArticles(query: string, options?: SearchOptions): Promise<ArticleHit[]>;
  stats(): Promise<StoreStats>;
  /** Quarantined items, oldest first. */
  listQuarantine(options?: ListOptions): Promise<QuarantineRecord[]>;
  /**
   * Events matching the filter counted per day or ISO week, optionally split by type or actor
   * (limit, offset, cursor and sort of the filter are ignored).
   * @example await store.timeSeries({ country: 'PK' }, { interval: 'week', by: 'type' })
   */
  timeSeries(filter?: EventFilter, options?: SeriesOptions): Promise<TimeSeries>;
  /**
   * Counts, weekly activity and counterparts of one actor, given by its id or its exact name (any
   * case), over the events matching the filter. `events` is 0 when no event names it.
   */
  actorActivity(actor: string, filter?: EventFilter, options?: { counterparts?: number }): Promise<ActorActivity>;
  /** Places of the events matching the filter, most events first (limit 1..10000, default 500). */
  listPlaces(filter?: EventFilter, options?: { limit?: number }): Promise<PlaceSummary[]>;
  /**
   * The merged event an id belongs to (the merged event's id, or any of its reports' event ids) with
   * all its reports, earliest first; null when no event has that id.
   * @example (await store.listReports('a1-e1'))?.reports.length // 6
   */
  listReports(eventId: string): Promise<EventReports | null>;
  /**
   * Recomputes near-duplicate links and merged events from every stored article and report, in one
   * transaction (after new knowledge or linking rules). writeBatch links as it writes.
   */
  relink(): Promise<RelinkSummary>;
  /**
   * Replaces the pipeline result of stored articles (normalized text, entities, events, `extracted`)
   * in one transaction, keeping their metadata and ingest time; an article not in the store is skipped
   * and counted as missing. Every `event_id` must stay unique in the store (E_VALIDATION otherwise,
   * and nothing is written). Merged events are stale until relink(), which `khabar relink` runs after
   * the last batch (a store reopened before that relinks on open). Optional until every store has it.
   * @example await store.replaceResults([{ article, result }]); await store.relink();
   */
  replaceResults?(articles: StoredArticleInput[]): Promise<ReplaceSummary>;
  /** Adds a followed source (due at once); a name already used is E_VALIDATION. */
  addSource(input: SourceInput): Promise<SourceRecord>;
  /** Every source, by name. */
  listSources(): Promise<SourceRecord[]>;
  /** Removes a source by name with its poll record and seen items; false when there is none. */
  removeSource(name: string): Promise<boolean>;
  /** Saves the state a poll leaves (validators, next poll, failures). */
  updateSourceState(id: number, state: SourceState): Promise<void>;
  /** Records one poll; returns its id. */
  recordPoll(poll: PollRecord): Promise<number>;
  /** Polls, newest first, of one source (by name) or all. */
  listPolls(options?: { source?: string; limit?: number }): Promise<StoredPoll[]>;
  /**
   * The keys among `keys` this source has not seen yet, in the given order.
   * @example await store.unseenItems(1, ['guid-a', 'guid-b']) // ['guid-b']
   */
  unseenItems(sourceId: number, keys: string[]): Promise<string[]>;
  /** Marks feed items as seen (a restarted watch skips them); marking twice keeps the first. */
  markItemsSeen(sourceId: number, items: { key: string; article_id: string | null }[]): Promise<void>;
  /** Adds a watch rule (the filter is validated: a bad one is E_VALIDATION, as is a name already used). */
  addAlertRule(input: AlertRuleInput): Promise<AlertRule>;
  listAlertRules(): Promise<AlertRule[]>;
  /** Removes a rule by name with its hits; false when there is none. */
  removeAlertRule(name: string): Promise<boolean>;
  /**
   * Records matches and returns only those that are new: an event already recorded for the rule, or
   * another report of a merged event already recorded for it, is skipped.
   */
  recordAlertHits(hits: AlertHitInput[]): Promise<AlertHit[]>;
  /**
   * Recorded hits, newest first: the web app's alert list.
   * @example await store.listAlertHits({ rule: 'ISKP in Nangarhar', limit: 20 })
   */
  listAlertHits(query?: AlertHitQuery): Promise<AlertHit[]>;
  /** Every stored article in storage order, fetched in batches (for relinking and store migration). */
  iterateArticles(options?: IterateOptions): AsyncIterable<StoredArticle>;
  close(): Promise<void>;
}
