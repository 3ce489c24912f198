/**
 * The embedded store: SQLite through better-sqlite3 (WAL, foreign keys, versioned migrations, FTS5
 * over articles, a B-tree index over event locations). Statements are prepared once at open; a connection
 * that writes many articles leaves the checkpoints to a thread of its own (after-commit.ts), and waits
 * for it before it writes again.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { KhabarError, errorMessage } from '../../errors.js';
import type { Article, ArticleResult, Entity, EventRecord, Span } from '../../types.js';
import { boxesAround, encodeCursor, haversineKm, normalizeFilter, splitBox, type BoundingBox, type EventFilter, type NormalizedFilter } from '../filter.js';
import { parseTextQuery, type QueryTerm, type TextQuery } from '../query.js';
import type {
  ActorActivity,
  PlaceSummary,
  SeriesOptions,
  TimeSeries,
  ArticleHit,
  EventPage,
  IterateOptions,
  ListOptions,
  QuarantineRecord,
  SearchOptions,
  Store,
  StoreStats,
  StoredArticle,
  WriteBatch,
  WriteSummary,
} from '../store.js';
import { MIGRATIONS } from './migrations/index.js';
import { decodeEntities, preparedFor } from '../prepared.js';
import { loadLinkConfig } from '../../link/config.js';
import { SqliteLinker, type LinkInput } from './link.js';
import type { EventReports, RelinkSummary, ReplaceSummary, StoredArticleInput } from '../store.js';
import { actorActivity, listPlaces, timeSeries } from './analytics.js';
import { SqliteSourceState } from './sources.js';
import { AfterCommitThread } from './after-commit.js';
import type { AlertHit, AlertHitInput, AlertHitQuery, AlertRule, AlertRuleInput, PollRecord, SourceInput, SourceRecord, SourceState, StoredPoll } from '../store.js';

type DB = Database.Database;
type Param = string | number | null;

export interface SqliteStoreOptions {
  /** Fail with E_NOT_FOUND (and how to create one) when the file does not exist yet. */
  mustExist?: boolean;
  /** How long to wait for another process's write lock, ms (default 10000). */
  busyTimeoutMs?: number;
}

/** Articles a connection writes before its checkpoints move to a thread of their own (after-commit.ts). */
const CHECKPOINT_THREAD_AFTER = 1000;
/** SQLite's default wal_autocheckpoint, which the writer returns to when the checkpoint thread stops. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

const SNIPPET_OPEN = '\u0002';
const SNIPPET_CLOSE = '\u0003';
/** Title matches weigh more than body matches. */
const BM25 = 'bm25(articles_fts, 5.0, 1.0)';

/** Applies pending migrations, each in its own immediate transaction (safe if two processes open at once). */
function migrate(db: DB, path: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  const current = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  if ((current.v ?? 0) > latest) {
    throw new KhabarError('E_STORE', `the store ${path} has schema version ${current.v}, newer than this khabar knows (${latest}): upgrade khabar`, { file: path });
  }
  for (const m of MIGRATIONS) {
    const apply = db.transaction(() => {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (done) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    });
    apply.immediate();
  }
}

/** FTS5 text for one term: always a quoted string, so no user character is FTS5 syntax. */
function ftsTerm(t: QueryTerm): string {
  return `"${t.text.replaceAll('"', '""')}"${t.prefix ? ' *' : ''}`;
}

/** Translates a parsed query to an FTS5 MATCH expression. */
export function toFts5(q: TextQuery): string {
  const positive = q.clauses.map((c) => (c.length === 1 ? ftsTerm(c[0] as QueryTerm) : `(${c.map(ftsTerm).join(' OR ')})`)).join(' AND ');
  return q.excluded.reduce((expr, t) => `${expr} NOT ${ftsTerm(t)}`, positive.includes(' ') && q.excluded.length ? `(${positive})` : positive);
}

/** Splits an FTS5 snippet with control-character markers into plain text and highlight spans. */
function parseSnippet(marked: string): { snippet: string; highlights: Span[] } {
  let snippet = '';
  const highlights: Span[] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === SNIPPET_OPEN) open = snippet.length;
    else if (ch === SNIPPET_CLOSE) {
      if (open >= 0) highlights.push({ start: open, end: snippet.length });
      open = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

interface ArticleRow {
  rid: number;
  id: string;
  date: string;
  title: string | null;
  text: string;
  raw_text: string | null;
  url: string | null;
  source: string | null;
  language: string | null;
  origin_file: string;
  origin_line: number | null;
  ingested_at: string;
  extracted: number;
  entities: string | null;
}

interface EntityRow {
  kind: Entity['kind'];
  start: number;
  end: number;
  text: string;
  ref_id: string | null;
  name: string | null;
  value: string | number | null;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly path: string;
  private db: DB | null;
  private readonly st: ReturnType<typeof prepareStatements>;
  private readonly linker: SqliteLinker;
  private readonly sources: SqliteSourceState;
  private readonly busyTimeoutMs: number;
  /** Articles written through this connection; past CHECKPOINT_THREAD_AFTER, the after-commit thread starts. */
  private written = 0;
  private after: AfterCommitThread | null = null;

  private constructor(path: string, db: DB, busyTimeoutMs: number) {
    this.path = path;
    this.db = db;
    this.busyTimeoutMs = busyTimeoutMs;
    this.st = prepareStatements(db);
    this.linker = new SqliteLinker(db, loadLinkConfig());
    this.sources = new SqliteSourceState(db);
  }

  /**
   * Opens (creating and migrating when needed) a store file.
   * @example const store = SqliteStore.open('khabar.db'); await store.stats();
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (options.mustExist && path !== ':memory:' && !existsSync(path)) {
      throw new KhabarError('E_NOT_FOUND', `there is no store at ${path} yet: create one with "khabar ingest PATH... --db ${path}"`);
    }
    let db: DB | null = null;
    try {
      const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
      db = new Database(path, { timeout: busyTimeoutMs });
      // 8 KB pages for a new store (an existing file keeps its own): a commit writes, and a checkpoint
      // copies, half as many pages for the same rows, an article row (2 KB of text, as much of entity
      // JSON) needs no overflow page, and trees are shallower. At 50,000 benchmark articles the writing
      // thread's CPU per article outside linking fell by 14% against 4 KB, linking's rose by 1%; 16 KB
      // pages cut the first by 23% but raised linking's (random reads) by 6%.
      db.pragma('page_size = 8192');
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      // A page cache that holds the hot index pages of a large store, and sort/temp b-trees in memory.
      // The link tables and id indexes are written at random keys (band keys, cluster and event ids):
      // with SQLite's 2 MB default each insert's cost grows with the store; 256 MB (allocated only as
      // pages are read) cut linking's CPU per article at 30,000 articles by a quarter against 64 MB.
      db.pragma('cache_size = -262144');
      db.pragma('temp_store = MEMORY');
      db.function('khabar_km', { deterministic: true }, (lat1, lon1, lat2, lon2) =>
        haversineKm(Number(lat1), Number(lon1), Number(lat2), Number(lon2)),
      );
      migrate(db, path);
      const store = new SqliteStore(path, db, busyTimeoutMs);
      store.linker.backfillIfNeeded();
      return store;
    } catch (err) {
      db?.close();
      if (err instanceof KhabarError) throw err;
      const code = (err as { code?: unknown }).code;
      const why = code === 'SQLITE_NOTADB' ? 'the file is not an SQLite database' : errorMessage(err);
      throw new KhabarError('E_STORE', `cannot open the store ${path}: ${why}`, { file: path }, { cause: err });
    }
  }

  private conn(): DB {
    if (!this.db) throw new KhabarError('E_STORE', `the store ${this.path} is closed`);
    return this.db;
  }

  async writeBatch(batch: WriteBatch): Promise<WriteSummary> {
    // The after-commit thread's checkpoint first, so that this batch's commit may restart the log at its start.
    await this.afterCommitIdle();
    const db = this.conn();
    const st = this.st;
    const now = new Date().toISOString();
    const run = db.transaction((b: WriteBatch): WriteSummary => {
      const summary: WriteSummary = { inserted: 0, duplicates: 0, events: 0, quarantined: 0 };
      const linked: LinkInput[] = [];
      for (const input of b.articles) {
        const { article, result, extracted, linkSignature } = input;
        if (result.article_id !== article.id) {
          throw new KhabarError('E_VALIDATION', `article result ${result.article_id} does not belong to article ${article.id}`, { articleId: article.id });
        }
        const title = article.title ?? result.title;
        // JSON and search keys computed by the extraction worker when it sent them (src/store/prepared.ts).
        const prepared = preparedFor(input);
        const info = st.insertArticle.run(
          article.id,
          article.date,
          title,
          result.text,
          article.rawText === result.text ? null : article.rawText,
          article.url,
          article.source,
          article.language,
          article.origin.file,
          article.origin.line,
          now,
          extracted === false ? 0 : 1,
          prepared.entities,
        );
        if (info.changes === 0) {
          summary.duplicates++;
          continue;
        }
        summary.inserted++;
        const rid = Number(info.lastInsertRowid);
        const link: LinkInput = { rid, id: article.id, date: article.date, source: article.source, text: result.text, signature: linkSignature, events: [] };
        linked.push(link);
        result.events.forEach((ev, i) => {
          if (ev.article_id !== article.id) {
            throw new KhabarError('E_VALIDATION', `event ${ev.event_id} names article ${ev.article_id} but is stored with article ${article.id}`, {
              articleId: article.id,
            });
          }
          const erid = this.insertEvent(rid, i, ev, prepared.records[i] as string, prepared.actorSearch[i] as string);
          link.events.push({ rid: erid, record: ev });
          ev.sources.forEach((s, j) => st.insertSource.run(erid, j, s.name, s.kind));
          summary.events++;
        });
      }
      // The batch's full-text entries in one statement (no insert trigger since migration 6: a trigger
      // costs twice as much), in this transaction (migration 13). Its new articles are the rows from its
      // first rid to its last: each took the next rid above every row stored.
      const first = linked[0];
      const last = linked[linked.length - 1];
      if (first && last) st.indexArticles.run(first.rid, last.rid);
      for (const q of b.quarantine) {
        st.insertQuarantine.run(q.file, q.line, q.code, q.reason, q.excerpt, q.article_id ?? null, now);
        summary.quarantined++;
      }
      // Cross-article linking in the same transaction: a crash leaves no article unlinked.
      this.linker.link(linked);
      return summary;
    });
    let summary: WriteSummary;
    try {
      summary = run.immediate(batch);
    } catch (err) {
      // Rolled back (a failed commit included): store ids the linker remembers may be reused.
      this.linker.forget();
      throw err;
    }
    this.afterWrite(summary.inserted);
    return summary;
  }

  /**
   * After a committed write of `articles` articles: once this connection has written many, a thread of
   * its own (after-commit.ts) checkpoints every few thousand articles; a store that writes a few
   * articles never starts it.
   */
  private afterWrite(articles: number): void {
    if (this.path === ':memory:' || this.path === '') return;
    this.written += articles;
    if (!this.after && this.written >= CHECKPOINT_THREAD_AFTER) {
      this.after = new AfterCommitThread(this.path, this.busyTimeoutMs, (active) => this.setCheckpointing(active));
    }
    void this.after?.afterCommit(articles);
  }

  /** Hands checkpoints to the after-commit thread, or takes them back (it stopped). */
  private setCheckpointing(threadActive: boolean): void {
    this.db?.pragma(`wal_autocheckpoint = ${threadActive ? 0 : SQLITE_AUTOCHECKPOINT_PAGES}`);
  }

  /** Waits until the after-commit thread has done what was asked of it (benchmarks call it too, to count its CPU). */
  private async afterCommitIdle(): Promise<void> {
    await this.after?.idle();
  }

  /** Inserts one event row; `record` and `actorSearch` are its prepared JSON and actor search key (src/store/prepared.ts). */
  private insertEvent(articleRid: number, position: number, ev: EventRecord, record: string, actorSearch: string): number {
    const a1 = ev.actor1;
    const a2 = ev.actor2;
    const loc = ev.location;
    try {
      const info = this.st.insertEvent.run(
        ev.event_id,
        articleRid,
        ev.article_id,
        position,
        ev.date,
        ev.date_precision,
        ev.event_type,
        ev.mode,
        ev.acled_event_type,
        ev.acled_sub_event_type,
        ev.category ?? null,
        a1?.name ?? null,
        a1?.id ?? null,
        a1?.kind ?? null,
        a1?.country ?? null,
        a2?.name ?? null,
        a2?.id ?? null,
        a2?.kind ?? null,
        a2?.country ?? null,
        actorSearch,
        loc?.name ?? null,
        loc?.geonames_id ?? null,
        loc?.country_code?.toUpperCase() ?? null,
        loc?.admin1 ?? null,
        loc?.admin2 ?? null,
        loc?.lat ?? null,
        loc?.lon ?? null,
        loc?.geo_precision ?? null,
        ev.fatalities,
        ev.injured,
        ev.count,
        ev.claim,
        ev.claimed_by,
        ev.confidence,
        ev.evidence.start,
        ev.evidence.end,
        record,
      );
      return Number(info.lastInsertRowid);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new KhabarError(
          'E_VALIDATION',
          `event id ${ev.event_id} is already stored with another article: event ids must be unique in the store (derive them from the article id)`,
          { articleId: ev.article_id },
          { cause: err },
        );
      }
      throw err;
    }
  }

  async hasArticle(id: string): Promise<boolean> {
    this.conn();
    return this.st.hasArticle.get(id) !== undefined;
  }

  private loadArticle(row: ArticleRow): StoredArticle {
    const entities = row.entities !== null ? decodeEntities(row.entities, row.text) : (this.st.entitiesOf.all(row.rid) as EntityRow[]).map((r) => {
      const e: Entity = { text: r.text, start: r.start, end: r.end, kind: r.kind, id: r.ref_id };
      if (r.name !== null) e.name = r.name;
      if (r.value !== null) e.value = r.value;
      return e;
    });
    const events = (this.st.eventsOf.all(row.rid) as { record: string }[]).map((r) => JSON.parse(r.record) as EventRecord);
    const article: Article = {
      id: row.id,
      date: row.date,
      title: row.title,
      rawText: row.raw_text ?? row.text,
      url: row.url,
      source: row.source,
      language: row.language,
      origin: { file: row.origin_file, line: row.origin_line },
    };
    const result: ArticleResult = { article_id: row.id, date: row.date, title: row.title, text: row.text, entities, events };
    const stored: StoredArticle = { article, result, ingested_at: row.ingested_at };
    if (row.extracted === 0) stored.extracted = false;
    return stored;
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    this.conn();
    const row = this.st.articleById.get(id) as ArticleRow | undefined;
    return row ? this.loadArticle(row) : null;
  }

  async getEvent(id: string): Promise<EventRecord | null> {
    this.conn();
    const merged = this.linker.mergedEvent(id);
    if (merged) return merged;
    const row = this.st.eventById.get(id) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as EventRecord) : null;
  }

  async queryEvents(filter: EventFilter = {}): Promise<EventRecord[]> {
    return (await this.queryEventPage(filter)).events;
  }

  async queryEventPage(filter: EventFilter = {}): Promise<EventPage> {
    const f = normalizeFilter(filter);
    const db = this.conn();
    const { where, params } = buildWhere(f);
    const sortKey = SORT_KEY[f.sort];
    const desc = f.sort !== 'date_asc';
    if (f.after) {
      const cmp = desc ? '<' : '>';
      where.push(`(${sortKey} ${cmp} ? OR (${sortKey} = ? AND e.event_id ${cmp} ?))`);
      params.push(f.after.key, f.after.key, f.after.id);
    }
    // Sort and page narrow rows (no record), then fetch the page's records by rowid: sorting
    // thousands of matches with their JSON attached is what made filtered pages slow.
    const sql = `SELECT e.rid AS rid, e.event_id AS id, ${sortKey} AS k FROM ${eventTable(f)} e
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sortKey} ${desc ? 'DESC' : 'ASC'}, e.event_id ${desc ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`;
    params.push(f.limit + 1, f.offset);
    const rows = withTextErrors(f.text, () => db.prepare(sql).all(...params)) as { rid: number; id: string; k: string | number }[];
    const more = rows.length > f.limit;
    const page = more ? rows.slice(0, f.limit) : rows;
    const last = page[page.length - 1];
    return {
      events: page.map((r) =>
        f.raw_reports ? (JSON.parse((this.st.recordByRid.get(r.rid) as { record: string }).record) as EventRecord) : (this.linker.mergedEvent(r.id) as EventRecord),
      ),
      next_cursor: more && last ? encodeCursor({ sort: f.sort, key: last.k, id: last.id }) : null,
    };
  }

  async countEvents(filter: EventFilter = {}): Promise<number> {
    const f = normalizeFilter({ ...filter, limit: undefined, offset: undefined, cursor: undefined });
    const db = this.conn();
    const { where, params } = buildWhere(f);
    const sql = `SELECT count(*) AS n FROM ${eventTable(f)} e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const row = withTextErrors(f.text, () => db.prepare(sql).get(...params)) as { n: number };
    return row.n;
  }

  async searchArticles(query: string, options: SearchOptions = {}): Promise<ArticleHit[]> {
    this.conn();
    const limit = options.limit ?? 20;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new KhabarError('E_VALIDATION', `search limit must be an integer from 1 to 1000, got ${limit}`);
    if (!Number.isInteger(offset) || offset < 0) throw new KhabarError('E_VALIDATION', `search offset must be a non-negative integer, got ${offset}`);
    const match = toFts5(parseTextQuery(query));
    const rows = withTextErrors(query, () => this.st.search.all(match, limit, offset)) as {
      id: string;
      date: string;
      title: string | null;
      source: string | null;
      url: string | null;
      score: number;
      snip: string;
    }[];
    return rows.map((r) => ({
      article_id: r.id,
      date: r.date,
      title: r.title,
      source: r.source,
      url: r.url,
      score: r.score,
      ...parseSnippet(r.snip),
    }));
  }

  async stats(): Promise<StoreStats> {
    const db = this.conn();
    const one = <T>(sql: string): T => db.prepare(sql).get() as T;
    const counts = (sql: string): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of db.prepare(sql).all() as { k: string; n: number }[]) out[r.k] = r.n;
      return out;
    };
    const ad = one<{ from: string | null; to: string | null }>('SELECT min(date) AS "from", max(date) AS "to" FROM articles');
    // Events are merged events (one per real-world event, src/link); reports are every article's events.
    const ed = one<{ from: string | null; to: string | null }>('SELECT min(date) AS "from", max(date) AS "to" FROM event_clusters');
    return {
      articles: one<{ n: number }>('SELECT count(*) AS n FROM articles').n,
      events: one<{ n: number }>('SELECT count(*) AS n FROM event_clusters').n,
      reports: one<{ n: number }>('SELECT count(*) AS n FROM events').n,
      entities:
        one<{ n: number }>('SELECT count(*) AS n FROM entities').n +
        (one<{ n: number | null }>('SELECT sum(json_array_length(entities)) AS n FROM articles WHERE entities IS NOT NULL').n ?? 0),
      quarantine: one<{ n: number }>('SELECT count(*) AS n FROM quarantine').n,
      article_dates: { from: ad.from, to: ad.to },
      event_dates: { from: ed.from, to: ed.to },
      fatalities: one<{ n: number | null }>('SELECT sum(fatalities) AS n FROM event_clusters').n ?? 0,
      report_fatalities: one<{ n: number | null }>('SELECT sum(fatalities) AS n FROM events').n ?? 0,
      by_type: counts('SELECT event_type AS k, count(*) AS n FROM event_clusters GROUP BY 1 ORDER BY 2 DESC, 1'),
      by_acled_type: counts(`SELECT coalesce(acled_event_type, 'none') AS k, count(*) AS n FROM event_clusters GROUP BY 1 ORDER BY 2 DESC, 1`),
      by_country: counts(`SELECT coalesce(country, 'none') AS k, count(*) AS n FROM event_clusters GROUP BY 1 ORDER BY 2 DESC, 1`),
      quarantine_by_code: counts('SELECT code AS k, count(*) AS n FROM quarantine GROUP BY 1 ORDER BY 2 DESC, 1'),
    };
  }

  async listQuarantine(options: ListOptions = {}): Promise<QuarantineRecord[]> {
    this.conn();
    const limit = options.limit ?? 100;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new KhabarError('E_VALIDATION', `quarantine limit must be an integer from 1 to 100000, got ${limit}`);
    if (!Number.isInteger(offset) || offset < 0) throw new KhabarError('E_VALIDATION', `quarantine offset must be a non-negative integer, got ${offset}`);
    return this.st.quarantine.all(limit, offset) as QuarantineRecord[];
  }

  async *iterateArticles(options: IterateOptions = {}): AsyncGenerator<StoredArticle> {
    const size = options.batchSize ?? 500;
    let after = 0;
    for (;;) {
      this.conn();
      // Each batch is read whole before yielding, so no statement stays open while the caller writes.
      const rows = this.st.articlesAfter.all(after, size) as ArticleRow[];
      const loaded = rows.map((r) => this.loadArticle(r));
      for (const a of loaded) yield a;
      const last = rows[rows.length - 1];
      if (!last || rows.length < size) return;
      after = last.rid;
    }
  }

  async timeSeries(filter: EventFilter = {}, options: SeriesOptions = {}): Promise<TimeSeries> {
    const f = normalizeFilter({ ...filter, limit: undefined, offset: undefined, cursor: undefined });
    return withTextErrors(f.text, () => timeSeries(this.conn(), { ...buildWhere(f), table: eventTable(f) }, options));
  }

  async actorActivity(actor: string, filter: EventFilter = {}, options: { counterparts?: number } = {}): Promise<ActorActivity> {
    const f = normalizeFilter({ ...filter, limit: undefined, offset: undefined, cursor: undefined });
    return withTextErrors(f.text, () => actorActivity(this.conn(), { ...buildWhere(f), table: eventTable(f) }, actor, options));
  }

  async listPlaces(filter: EventFilter = {}, options: { limit?: number } = {}): Promise<PlaceSummary[]> {
    const f = normalizeFilter({ ...filter, limit: undefined, offset: undefined, cursor: undefined });
    return withTextErrors(f.text, () => listPlaces(this.conn(), { ...buildWhere(f), table: eventTable(f) }, options));
  }

  async listReports(eventId: string): Promise<EventReports | null> {
    this.conn();
    return this.linker.reportsOf(eventId);
  }

  async relink(): Promise<RelinkSummary> {
    this.conn();
    return this.linker.relink();
  }

  private replaceSt: ReturnType<typeof prepareReplaceStatements> | null = null;

  async replaceResults(articles: StoredArticleInput[]): Promise<ReplaceSummary> {
    await this.afterCommitIdle();
    const db = this.conn();
    const st = this.st;
    const rs = (this.replaceSt ??= prepareReplaceStatements(db));
    const run = db.transaction((list: StoredArticleInput[]): ReplaceSummary => {
      const summary: ReplaceSummary = { replaced: 0, missing: 0, events: 0 };
      for (const input of list) {
        const { article, result, extracted } = input;
        if (result.article_id !== article.id) {
          throw new KhabarError('E_VALIDATION', `article result ${result.article_id} does not belong to article ${article.id}`, { articleId: article.id });
        }
        const rid = rs.ridOf.get(article.id) as number | undefined;
        if (rid === undefined) {
          summary.missing++;
          continue;
        }
        // Title and text only when they changed: the full-text entry is rewritten on each update of them.
        rs.updateText.run({ title: article.title ?? result.title, text: result.text, rid });
        const prepared = preparedFor(input);
        rs.updateResult.run(article.rawText === result.text ? null : article.rawText, extracted === false ? 0 : 1, prepared.entities, rid);
        rs.dropEntities.run(rid);
        // Merged events named after or placed at its reports go now (the others wait for relink);
        // deleting the events drops their sources, places and link rows (foreign keys, triggers).
        rs.dropClusters.run({ rid });
        rs.dropEvents.run(rid);
        result.events.forEach((ev, i) => {
          if (ev.article_id !== article.id) {
            throw new KhabarError('E_VALIDATION', `event ${ev.event_id} names article ${ev.article_id} but is stored with article ${article.id}`, {
              articleId: article.id,
            });
          }
          const erid = this.insertEvent(rid, i, ev, prepared.records[i] as string, prepared.actorSearch[i] as string);
          ev.sources.forEach((src, j) => st.insertSource.run(erid, j, src.name, src.kind));
          summary.events++;
        });
        summary.replaced++;
      }
      if (summary.replaced > 0) this.linker.markStale();
      return summary;
    });
    let summary: ReplaceSummary;
    try {
      summary = run.immediate(articles);
    } catch (err) {
      // Rolled back: store ids the linker remembers may be reused.
      this.linker.forget();
      throw err;
    }
    this.afterWrite(summary.replaced);
    return summary;
  }

  // Followed sources and watch rules (issue 10): see ./sources.ts.
  async addSource(input: SourceInput): Promise<SourceRecord> {
    this.conn();
    return this.sources.addSource(input);
  }
  async listSources(): Promise<SourceRecord[]> {
    this.conn();
    return this.sources.listSources();
  }
  async removeSource(name: string): Promise<boolean> {
    this.conn();
    return this.sources.removeSource(name);
  }
  async updateSourceState(id: number, state: SourceState): Promise<void> {
    this.conn();
    this.sources.updateSourceState(id, state);
  }
  async recordPoll(poll: PollRecord): Promise<number> {
    this.conn();
    return this.sources.recordPoll(poll);
  }
  async listPolls(options?: { source?: string; limit?: number }): Promise<StoredPoll[]> {
    this.conn();
    return this.sources.listPolls(options);
  }
  async unseenItems(sourceId: number, keys: string[]): Promise<string[]> {
    this.conn();
    return this.sources.unseenItems(sourceId, keys);
  }
  async markItemsSeen(sourceId: number, items: { key: string; article_id: string | null }[]): Promise<void> {
    this.conn();
    this.sources.markItemsSeen(sourceId, items);
  }
  async addAlertRule(input: AlertRuleInput): Promise<AlertRule> {
    this.conn();
    return this.sources.addAlertRule(input);
  }
  async listAlertRules(): Promise<AlertRule[]> {
    this.conn();
    return this.sources.listAlertRules();
  }
  async removeAlertRule(name: string): Promise<boolean> {
    this.conn();
    return this.sources.removeAlertRule(name);
  }
  async recordAlertHits(hits: AlertHitInput[]): Promise<AlertHit[]> {
    this.conn();
    return this.sources.recordAlertHits(hits);
  }
  async listAlertHits(query?: AlertHitQuery): Promise<AlertHit[]> {
    this.conn();
    return this.sources.listAlertHits(query);
  }

  async close(): Promise<void> {
    if (!this.db) return;
    // The after-commit thread finishes and stops first: the last connection to close checkpoints the rest itself.
    const after = this.after;
    this.after = null;
    await after?.close();
    if (!this.db) return;
    this.db.close();
    this.db = null;
  }
}

const ARTICLE_COLUMNS = 'rid, id, date, title, text, raw_text, url, source, language, origin_file, origin_line, ingested_at, extracted, entities';

function prepareStatements(db: DB) {
  return {
    insertArticle: db.prepare(
      `INSERT INTO articles (id, date, title, text, raw_text, url, source, language, origin_file, origin_line, ingested_at, extracted, entities)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO events (event_id, article_rid, article_id, position, date, date_precision, event_type, mode, acled_event_type,
         acled_sub_event_type, category, actor1_name, actor1_id, actor1_kind, actor1_country, actor2_name, actor2_id, actor2_kind,
         actor2_country, actor_search, location_name, geonames_id, country, admin1, admin2, lat, lon, geo_precision, fatalities,
         injured, count, claim, claimed_by, confidence, evidence_start, evidence_end, record)
       VALUES (${Array(37).fill('?').join(', ')})`,
    ),
    indexArticles: db.prepare('INSERT INTO articles_fts (rowid, title, text) SELECT rid, title, text FROM articles WHERE rid BETWEEN ? AND ?'),
    insertSource: db.prepare('INSERT INTO event_sources (event_rid, position, name, kind) VALUES (?, ?, ?, ?)'),
    insertQuarantine: db.prepare(
      `INSERT INTO quarantine (file, line, code, reason, excerpt, article_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    hasArticle: db.prepare('SELECT 1 FROM articles WHERE id = ?'),
    articleById: db.prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ?`),
    articlesAfter: db.prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE rid > ? ORDER BY rid LIMIT ?`),
    entitiesOf: db.prepare('SELECT kind, start, "end", text, ref_id, name, value FROM entities WHERE article_rid = ? ORDER BY position'),
    eventsOf: db.prepare('SELECT record FROM events WHERE article_rid = ? ORDER BY position'),
    eventById: db.prepare('SELECT record FROM events WHERE event_id = ?'),
    recordByRid: db.prepare('SELECT record FROM events WHERE rid = ?'),
    search: db.prepare(
      `SELECT a.id, a.date, a.title, a.source, a.url, -${BM25} AS score,
         snippet(articles_fts, -1, char(2), char(3), '…', 16) AS snip
       FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid
       WHERE articles_fts MATCH ? ORDER BY ${BM25}, a.id LIMIT ? OFFSET ?`,
    ),
    quarantine: db.prepare('SELECT id, file, line, code, reason, excerpt, article_id, at FROM quarantine ORDER BY id LIMIT ? OFFSET ?'),
  };
}

/** Statements of replaceResults, prepared on first use (most processes never replace a result). */
function prepareReplaceStatements(db: DB) {
  return {
    ridOf: db.prepare('SELECT rid FROM articles WHERE id = ?').pluck(true),
    updateText: db.prepare('UPDATE articles SET title = @title, text = @text WHERE rid = @rid AND (title IS NOT @title OR text IS NOT @text)'),
    updateResult: db.prepare('UPDATE articles SET raw_text = ?, extracted = ?, entities = ? WHERE rid = ?'),
    dropEntities: db.prepare('DELETE FROM entities WHERE article_rid = ?'),
    dropEvents: db.prepare('DELETE FROM events WHERE article_rid = ?'),
    dropClusters: db.prepare(
      `DELETE FROM event_clusters WHERE event_id IN (SELECT event_id FROM events WHERE article_rid = @rid)
         OR rid IN (SELECT rid FROM events WHERE article_rid = @rid)`,
    ),
  };
}

/** Merged events (one per real-world event, src/link) by default; every article's report on request. */
function eventTable(f: NormalizedFilter): 'events' | 'event_clusters' {
  return f.raw_reports ? 'events' : 'event_clusters';
}

/** The sort key of each order, as an SQL expression over `events e` (never null, so keyset paging works). */
const SORT_KEY: Record<NormalizedFilter['sort'], string> = {
  date_desc: "coalesce(e.date, '')",
  date_asc: "coalesce(e.date, '')",
  fatalities_desc: 'coalesce(e.fatalities, -1)',
  confidence_desc: 'e.confidence',
};

function placeholders(n: number): string {
  return Array(n).fill('?').join(', ');
}

/**
 * The reports located in any of the boxes, through the index over located events (events_place); a
 * merged event is located at one of its reports (its rid), so the same condition serves both tables.
 */
function boxCondition(boxes: BoundingBox[], params: Param[]): string {
  const parts = boxes.map((b) => {
    params.push(b.south, b.north, b.west, b.east);
    return '(lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?)';
  });
  return `e.rid IN (SELECT rid FROM events WHERE ${parts.join(' OR ')})`;
}

/** The WHERE conditions of a filter; every user value is a bound parameter. */
function buildWhere(f: NormalizedFilter): { where: string[]; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  // Dates are compared as the sort index's expression so that a range is an index range; '' (no
  // date) sorts before every date, and is excluded as soon as either bound is given.
  if (f.from || f.to) {
    where.push("coalesce(e.date, '') >= ?");
    params.push(f.from ?? '0');
  }
  if (f.to) {
    where.push("coalesce(e.date, '') <= ?");
    params.push(f.to);
  }
  if (f.countries.length) {
    where.push(`e.country IN (${placeholders(f.countries.length)})`);
    params.push(...f.countries);
  }
  if (f.admin1) {
    where.push('lower(e.admin1) = ?');
    params.push(f.admin1);
  }
  if (f.types.length) {
    const list = placeholders(f.types.length);
    where.push(
      `(lower(e.event_type) IN (${list}) OR lower(e.acled_event_type) IN (${list}) OR lower(e.acled_sub_event_type) IN (${list}) OR lower(e.category) IN (${list}))`,
    );
    for (let i = 0; i < 4; i++) params.push(...f.types);
  }
  if (f.actor) {
    where.push('instr(e.actor_search, ?) > 0');
    params.push(f.actor);
  }
  if (f.near) {
    where.push(boxCondition(boxesAround(f.near), params));
    where.push('khabar_km(e.lat, e.lon, ?, ?) <= ?');
    params.push(f.near.lat, f.near.lon, f.near.km);
  }
  if (f.bbox) {
    const boxes = splitBox(f.bbox);
    where.push(boxCondition(boxes, params));
    // The event's own coordinates too (a merged event's row, not only its place report's).
    where.push(`(${boxes.map(() => '(e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?)').join(' OR ')})`);
    for (const b of boxes) params.push(b.south, b.north, b.west, b.east);
  }
  if (f.text) {
    where.push('e.article_rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)');
    params.push(toFts5(parseTextQuery(f.text)));
  }
  if (f.article_id) {
    // A report names its article by rid too, which an index serves (events_article): alert matching
    // looks up each new article's reports, which by id alone is a scan of every report. (A merged
    // event's article_rid is its place report's, which need not be the article it is named after.)
    if (f.raw_reports) {
      where.push('e.article_rid = (SELECT rid FROM articles WHERE id = ?)');
      params.push(f.article_id);
    }
    where.push('e.article_id = ?');
    params.push(f.article_id);
  }
  if (f.min_confidence !== null) {
    where.push('e.confidence >= ?');
    params.push(f.min_confidence);
  }
  if (f.min_sources !== null) {
    where.push("coalesce(json_extract(e.record, '$.independent_sources'), 1) >= ?");
    params.push(f.min_sources);
  }
  return { where, params };
}

/** Runs a statement that may carry a MATCH; an engine-side query error becomes E_VALIDATION. */
function withTextErrors<T>(query: string | null, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (query !== null && err instanceof Error && /fts5|syntax error|unterminated/i.test(err.message)) {
      throw new KhabarError('E_VALIDATION', `invalid search query ${JSON.stringify(query)}: ${err.message}`, {}, { cause: err });
    }
    throw err;
  }
}
