/**
 * The shared store: PostgreSQL through node-postgres. Full-text search on a generated tsvector (GIN),
 * events partitioned by month (partitions made on demand), JSONB records, PostGIS geography with GiST
 * indexes when the extension is there (a lat/lon btree with a bounding-box prefilter otherwise; exact
 * haversine both ways), versioned migrations under an advisory lock. Writers run at once (no store-wide
 * lock); linking runs apart, one linker at a time, over the articles written (linkPending).
 */
import pg from 'pg';
import type { PoolClient, Pool as PgPool, QueryResultRow } from 'pg';
import { KhabarError, errorMessage } from '../../errors.js';
import { loadLinkConfig } from '../../link/config.js';
import type { Article, ArticleResult, Entity, EventRecord, Span } from '../../types.js';
import { boxesAround, encodeCursor, normalizeFilter, splitBox, type EventFilter, type NormalizedFilter } from '../filter.js';
import { eventFilterColumns } from '../event-columns.js';
import { parseTextQuery, type QueryTerm, type TextQuery } from '../query.js';
import type {
  ActorActivity,
  AlertHit,
  AlertHitInput,
  AlertHitQuery,
  AlertRule,
  AlertRuleInput,
  PollRecord,
  SourceInput,
  SourceRecord,
  SourceState,
  StoredPoll,
  ArticleHit,
  EventPage,
  EventReports,
  IterateOptions,
  ListOptions,
  PlaceSummary,
  QuarantineRecord,
  RelinkSummary,
  SearchOptions,
  SeriesOptions,
  Store,
  StoreStats,
  StoredArticle,
  StoredArticleInput,
  ReplaceSummary,
  TimeSeries,
  WriteBatch,
  WriteSummary,
} from '../store.js';
import { pgActorActivity, pgListPlaces, pgTimeSeries, type PgWhere } from './pg-analytics.js';
import { signatureFromBytes, signatureToBytes } from '../../link/minhash.js';
import { PgLinker } from './pg-link.js';
import { PG_MIGRATIONS, POSTGIS_SQL } from './migrations.js';
import { PgSourceState } from './pg-sources.js';

export interface PostgresStoreOptions {
  /** Fail with E_NOT_FOUND when the database (schema) holds no store yet. */
  mustExist?: boolean;
  /** Connections in the pool (default 4). */
  poolSize?: number;
  /** How long linking waits for the linker lock (and partition creation for its lock), ms (default 60000). */
  busyTimeoutMs?: number;
  /**
   * Use PostGIS when the server has it (default true; `?postgis=off` in the URL sets false): the
   * geography columns and GiST indexes serve near/bbox filters. Off, the lat/lon btree serves.
   */
  postgis?: boolean;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const HL_OPEN = '\u0002';
const HL_CLOSE = '\u0003';

/** int8 and numeric as JS numbers (counts, sums and ids stay far below 2^53). */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid);
  },
};

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Splits a store URL into the connection string and the schema (`?schema=NAME`, default "public").
 * @example parsePgTarget('postgres://h/db?schema=k1') // { connectionString: 'postgres://h/db', schema: 'k1' }
 */
export function parsePgTarget(target: string): { connectionString: string; schema: string; postgis?: boolean } {
  let url: URL;
  try {
    url = new URL(target);
  } catch (err) {
    throw new KhabarError('E_USAGE', `not a PostgreSQL URL: ${redactUrl(target)} (expected postgres://user@host:5432/db)`, {}, { cause: err });
  }
  const schema = url.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new KhabarError('E_USAGE', `invalid schema name "${schema}": use letters, digits and _`);
  url.searchParams.delete('schema');
  const postgis = url.searchParams.get('postgis');
  if (postgis !== null && postgis !== 'on' && postgis !== 'off') throw new KhabarError('E_USAGE', `postgis=${postgis} in the store URL: use postgis=on or postgis=off`);
  url.searchParams.delete('postgis');
  return { connectionString: url.toString(), schema, ...(postgis !== null ? { postgis: postgis === 'on' } : {}) };
}

/** A stable 32-bit advisory lock key for a name (the same in every process). */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

type Param = string | number | boolean | null | Buffer | unknown[];

/** Collects bound parameters and hands out their `$n` placeholders. */
export class Binder {
  readonly values: Param[] = [];
  p(v: Param): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** A term's tsquery text: its words as quoted lexemes joined by `<->` (a phrase), `:*` for a prefix. */
function tsTerm(t: QueryTerm): string {
  const words = t.text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  const body = words.map((w) => `'${w}'`).join(' <-> ');
  return `${words.length > 1 ? `(${body})` : body}${t.prefix ? ':*' : ''}`;
}

/**
 * Translates a parsed query to tsquery text (only letters and digits of the user's input get through).
 * @example toTsquery(parseTextQuery('Doha OR "car bomb" -drone')) // "('doha' | ('car' <-> 'bomb')) & !'drone'"
 */
export function toTsquery(q: TextQuery): string {
  const clauses = q.clauses.map((c) => (c.length === 1 ? tsTerm(c[0] as QueryTerm) : `(${c.map(tsTerm).join(' | ')})`));
  return [...clauses, ...q.excluded.map((t) => `!${tsTerm(t)}`)].join(' & ');
}

const SORT_KEY: Record<NormalizedFilter['sort'], string> = {
  date_desc: "coalesce(e.date, '')",
  date_asc: "coalesce(e.date, '')",
  fatalities_desc: 'coalesce(e.fatalities, -1)',
  confidence_desc: 'e.confidence',
};

/**
 * Degrees a PostGIS bounding-box prefilter is widened by: the geography box of a lat/lon rectangle is
 * drawn with great-circle edges (densified every 0.5 degree), which can fall a few hundred metres inside
 * its parallels; the exact lat/lon test follows.
 */
const BOX_MARGIN_DEG = 0.05;

/**
 * The WHERE conditions of a filter over `events e` or `event_clusters e`; every user value is bound.
 * With `postgis`, near and bbox are first narrowed through the geography column's GiST index
 * (ST_DWithin, &&), then tested exactly as without it (haversine, lat/lon ranges), so both give the same rows.
 */
export function buildWhere(f: NormalizedFilter, b: Binder, postgis = false): string[] {
  const where: string[] = [];
  if (f.from || f.to) where.push(`coalesce(e.date, '') >= ${b.p(f.from ?? '0')}`);
  if (f.to) where.push(`coalesce(e.date, '') <= ${b.p(f.to)}`);
  if (f.countries.length) where.push(`e.country = ANY(${b.p(f.countries)}::text[])`);
  if (f.admin1) where.push(`lower(e.admin1) = ${b.p(f.admin1)}`);
  if (f.types.length) {
    const list = b.p(f.types);
    where.push(
      `(lower(e.event_type) = ANY(${list}::text[]) OR lower(e.acled_event_type) = ANY(${list}::text[]) OR lower(e.acled_sub_event_type) = ANY(${list}::text[]) OR lower(e.category) = ANY(${list}::text[]))`,
    );
  }
  if (f.actor) where.push(`strpos(e.actor_search, ${b.p(f.actor)}) > 0`);
  if (f.near) {
    if (postgis) {
      // A metre of slack per km over the sphere PostGIS uses: the exact haversine decides.
      where.push(`ST_DWithin(e.geog, ST_SetSRID(ST_MakePoint(${b.p(f.near.lon)}, ${b.p(f.near.lat)}), 4326)::geography, ${b.p(f.near.km * 1001 + 1)}, false)`);
    } else {
      const boxes = boxesAround(f.near);
      where.push(`(${boxes.map((x) => `(e.lat BETWEEN ${b.p(x.south)} AND ${b.p(x.north)} AND e.lon BETWEEN ${b.p(x.west)} AND ${b.p(x.east)})`).join(' OR ')})`);
    }
    where.push(`khabar_km(e.lat, e.lon, ${b.p(f.near.lat)}, ${b.p(f.near.lon)}) <= ${b.p(f.near.km)}`);
  }
  if (f.bbox) {
    const boxes = splitBox(f.bbox);
    if (postgis) {
      const m = BOX_MARGIN_DEG;
      const env = (x: (typeof boxes)[number]): string =>
        `ST_Segmentize(ST_MakeEnvelope(${b.p(Math.max(-180, x.west - m))}, ${b.p(Math.max(-90, x.south - m))}, ${b.p(Math.min(180, x.east + m))}, ${b.p(Math.min(90, x.north + m))}, 4326), 0.5)::geography`;
      // Very wide or polar boxes keep only the exact test (their great-circle box would be another shape).
      if (boxes.every((x) => x.east - x.west <= 90 && x.south > -85 && x.north < 85)) where.push(`(${boxes.map((x) => `e.geog && ${env(x)}`).join(' OR ')})`);
    }
    where.push(`(${boxes.map((x) => `(e.lat BETWEEN ${b.p(x.south)} AND ${b.p(x.north)} AND e.lon BETWEEN ${b.p(x.west)} AND ${b.p(x.east)})`).join(' OR ')})`);
  }
  if (f.text) where.push(`e.article_rid IN (SELECT rid FROM articles WHERE tsv @@ to_tsquery('english', ${b.p(toTsquery(parseTextQuery(f.text)))}))`);
  if (f.article_id) where.push(`e.article_id = ${b.p(f.article_id)}`);
  if (f.min_confidence !== null) where.push(`e.confidence >= ${b.p(f.min_confidence)}`);
  if (f.min_sources !== null) where.push(`coalesce((e.record->>'independent_sources')::int, 1) >= ${b.p(f.min_sources)}`);
  return where;
}

function whereSql(where: string[]): string {
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** The first day of the event date's month (the partition key), or null for the default partition. */
export function monthOf(date: string | null): string | null {
  const m = date ? /^(\d{4})-(\d{2})/.exec(date) : null;
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12 || m[1] === '0000') return null;
  return `${m[1]}-${m[2]}-01`;
}

function nextMonth(first: string): string {
  const y = Number(first.slice(0, 4));
  const m = Number(first.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${first.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
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
  extracted: boolean;
}

const ARTICLE_COLUMNS = 'rid, id, date, title, text, raw_text, url, source, language, origin_file, origin_line, ingested_at, extracted';

const EVENT_INSERT_COLUMNS = `rid, event_id, article_rid, article_id, position, date, date_precision, event_type, mode, acled_event_type,
  acled_sub_event_type, category, actor1_name, actor1_id, actor1_kind, actor1_country, actor2_name, actor2_id, actor2_kind,
  actor2_country, actor_search, location_name, geonames_id, country, admin1, admin2, lat, lon, geo_precision, fatalities,
  injured, count, claim, claimed_by, confidence, evidence_start, evidence_end, month, record`;

/** An events row (json_populate_recordset over events) of a report at `position` in its article. */
function eventRow(ev: EventRecord, articleRid: number, position: number): Record<string, unknown> {
  return {
    event_id: ev.event_id,
    article_rid: articleRid,
    article_id: ev.article_id,
    position,
    ...eventFilterColumns(ev),
    confidence: ev.confidence,
    evidence_start: ev.evidence.start,
    evidence_end: ev.evidence.end,
    month: monthOf(ev.date),
    record: ev,
  };
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly schema: string;
  /** The URL with the password hidden, for messages. */
  readonly label: string;
  private pool: PgPool | null;
  private readonly linker = new PgLinker(loadLinkConfig());
  private readonly months = new Set<string>();
  /** The connection that creates month partitions (opened on the first new month), and its queue. */
  private partitioner: pg.Client | null = null;
  private partitionTurn: Promise<void> = Promise.resolve();
  private readonly lockTimeoutMs: number;
  private readonly sources = new PgSourceState(
    (sql, values) => this.query(sql, values ?? []),
    (fn) => this.transaction(fn),
  );
  /** Whether near/bbox filters go through PostGIS (the extension is there, the geography columns exist, not turned off). */
  postgis = false;

  private constructor(
    pool: PgPool,
    schema: string,
    label: string,
    lockTimeoutMs: number,
    private readonly connectionString: string,
  ) {
    this.pool = pool;
    this.schema = schema;
    this.label = label;
    this.lockTimeoutMs = lockTimeoutMs;
  }

  /**
   * Connects, creating the schema and applying pending migrations when needed.
   * @example const store = await PostgresStore.open('postgres://postgres@127.0.0.1:5432/khabar'); await store.stats();
   */
  static async open(target: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { connectionString, schema, postgis } = parsePgTarget(target);
    const label = redactUrl(target);
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 4,
      options: `-c search_path=${schema},public`,
      types: TYPES,
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', () => {
      // An idle client lost its connection: the pool drops it; the next query reports any real outage.
    });
    const store = new PostgresStore(pool, schema, label, options.busyTimeoutMs ?? 60_000, connectionString);
    try {
      await store.migrate(options.mustExist ?? false, options.postgis ?? postgis ?? true);
      // Links made before this version (or left stale by replaceResults): linked again, once.
      if ((await store.query("SELECT 1 FROM link_state WHERE key = 'relink_needed'")).length) await store.relink();
      return store;
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof KhabarError) throw err;
      throw new KhabarError('E_STORE', `cannot open the store ${label}: ${errorMessage(err)}. Check that PostgreSQL runs and the URL is right.`, { file: label }, { cause: err });
    }
  }

  private conn(): PgPool {
    if (!this.pool) throw new KhabarError('E_STORE', `the store ${this.label} is closed`);
    return this.pool;
  }

  /** Applies pending migrations under a session advisory lock: the first process migrates, the others wait. */
  private async migrate(mustExist: boolean, usePostgis: boolean): Promise<void> {
    const client = await this.conn().connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [lockKey(`khabar-migrate:${this.schema}`)]);
      try {
        const exists = (await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t")).rows[0]?.t;
        if (!exists && mustExist) {
          throw new KhabarError('E_NOT_FOUND', `there is no store at ${this.label} yet: create one with "khabar ingest PATH... --db ${this.label}"`);
        }
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
        await client.query(`CREATE OR REPLACE FUNCTION khabar_km(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8
          LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT 2 * 6371.0088 * asin(least(1, sqrt(sin(radians(lat2 - lat1) / 2) ^ 2
              + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2))) $$`);
        const current = (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0;
        const latest = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]?.version ?? 0;
        if (current > latest) {
          throw new KhabarError('E_STORE', `the store ${this.label} has schema version ${current}, newer than this khabar knows (${latest}): upgrade khabar`);
        }
        for (const m of PG_MIGRATIONS) {
          if (m.version <= current) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        }
        this.postgis = usePostgis && (await this.tryPostgis(client));
        const parts = await client.query<{ name: string }>(
          "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass",
        );
        for (const { name } of parts.rows) {
          const m = /^events_m(\d{4})(\d{2})$/.exec(name);
          if (m) this.months.add(`${m[1]}-${m[2]}-01`);
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockKey(`khabar-migrate:${this.schema}`)]);
      }
    } finally {
      client.release();
    }
  }

  /** Adds the PostGIS geography column when the extension exists or can be created; false otherwise. */
  private async tryPostgis(client: PoolClient): Promise<boolean> {
    await client.query('BEGIN');
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
      await client.query(POSTGIS_SQL);
      await client.query('COMMIT');
      return true;
    } catch {
      // Not installed on this server (or no right to create it): the lat/lon btree and haversine serve.
      await client.query('ROLLBACK');
      return false;
    }
  }

  /**
   * Runs `fn` in one transaction on one connection (the queue completes jobs this way, with its writes).
   * @example await store.transaction(async (tx) => { await store.writeBatchIn(tx, batch); await tx.query(...); })
   */
  async transaction<T>(fn: (tx: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.conn().connect();
    try {
      await client.query('BEGIN');
      try {
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      client.release();
    }
  }

  /** One query on the pool (for the queue and status). */
  async query<R extends QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await this.conn().query<R>(sql, values)).rows;
  }

  async writeBatch(batch: WriteBatch): Promise<WriteSummary> {
    const summary = await this.transaction((tx) => this.writeBatchIn(tx, batch));
    // Linked after the commit (writes never wait for linking); this call waits for the linker lock.
    if (summary.inserted) await this.linkPending({ wait: true });
    return summary;
  }

  /**
   * Writes a batch on a connection inside an open transaction, in a fixed number of statements and
   * without a store-wide lock: writers on every machine run at once. The articles are marked pending;
   * linkPending() links them once committed (writeBatch does; the queue's workers do after each batch).
   */
  async writeBatchIn(tx: PoolClient, batch: WriteBatch): Promise<WriteSummary> {
    this.conn();
    const now = new Date().toISOString();
    const summary: WriteSummary = { inserted: 0, duplicates: 0, events: 0, quarantined: 0 };
    const unique = new Map<string, StoredArticleInput>();
    const eventIds = new Set<string>();
    const months = new Set<string>();
    for (const input of batch.articles) {
      const { article, result } = input;
      if (result.article_id !== article.id) {
        throw new KhabarError('E_VALIDATION', `article result ${result.article_id} does not belong to article ${article.id}`, { articleId: article.id });
      }
      if (unique.has(article.id)) {
        summary.duplicates++;
        continue;
      }
      unique.set(article.id, input);
      for (const ev of result.events) {
        if (ev.article_id !== article.id) {
          throw new KhabarError('E_VALIDATION', `event ${ev.event_id} names article ${ev.article_id} but is stored with article ${article.id}`, { articleId: article.id });
        }
        if (eventIds.has(ev.event_id)) {
          throw new KhabarError('E_VALIDATION', `event id ${ev.event_id} appears twice in the batch: event ids must be unique in the store`, { articleId: article.id });
        }
        eventIds.add(ev.event_id);
        const m = monthOf(ev.date);
        if (m) months.add(m);
      }
    }
    // Partitions first, on their own connection, before this transaction touches events.
    await this.ensureMonths([...months]);
    const list = [...unique.values()];
    const inserted = new Map<string, number>();
    if (list.length) {
      const rows = await tx.query<{ rid: number; id: string }>(
        `INSERT INTO articles (id, date, title, text, raw_text, url, source, language, origin_file, origin_line, ingested_at, extracted)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::bool[])
         ON CONFLICT (id) DO NOTHING RETURNING rid, id`,
        [
          list.map((x) => x.article.id),
          list.map((x) => x.article.date),
          list.map((x) => x.article.title ?? x.result.title),
          list.map((x) => x.result.text),
          list.map((x) => (x.article.rawText === x.result.text ? null : x.article.rawText)),
          list.map((x) => x.article.url),
          list.map((x) => x.article.source),
          list.map((x) => x.article.language),
          list.map((x) => x.article.origin.file),
          list.map((x) => x.article.origin.line),
          list.map(() => now),
          list.map((x) => x.extracted !== false),
        ],
      );
      for (const r of rows.rows) inserted.set(r.id, r.rid);
    }
    const stored = list.filter((x) => inserted.has(x.article.id)).map((x) => ({ rid: inserted.get(x.article.id) as number, input: x }));
    summary.inserted = stored.length;
    summary.duplicates += list.length - stored.length;
    const eventRids = await this.insertResults(tx, stored);
    summary.events = eventRids.size;
    if (stored.length) {
      // What the linker needs, computed here so that many writers share the work of the one linker.
      await tx.query(
        `INSERT INTO link_pending (article_rid, id, date, source, signature, events)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::json[])`,
        [
          stored.map((s) => s.rid),
          stored.map((s) => s.input.article.id),
          stored.map((s) => s.input.article.date),
          stored.map((s) => s.input.article.source),
          stored.map((s) => signatureToBytes(this.linker.signatureOf(s.input))),
          stored.map((s) => JSON.stringify(s.input.result.events.map((ev) => ({ rid: eventRids.get(ev.event_id), record: ev })))),
        ],
      );
    }
    if (batch.quarantine.length) {
      const q = batch.quarantine;
      await tx.query(
        `INSERT INTO quarantine (file, line, code, reason, excerpt, article_id, at)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) ON CONFLICT DO NOTHING`,
        [q.map((x) => x.file), q.map((x) => x.line), q.map((x) => x.code), q.map((x) => x.reason), q.map((x) => x.excerpt), q.map((x) => x.article_id ?? null), q.map(() => now)],
      );
      summary.quarantined = q.length;
    }
    return summary;
  }

  /**
   * Inserts the entities and events of stored articles (two statements); returns event id -> store id.
   * An event id already stored is E_VALIDATION (the caller's transaction then writes nothing).
   */
  private async insertResults(tx: PoolClient, stored: { rid: number; input: StoredArticleInput }[]): Promise<Map<string, number>> {
    const ents: Record<string, unknown>[] = [];
    const evs: Record<string, unknown>[] = [];
    for (const { rid, input } of stored) {
      for (const [i, e] of input.result.entities.entries()) {
        ents.push({ article_rid: rid, position: i, kind: e.kind, start: e.start, end: e.end, text: e.text, ref_id: e.id, name: e.name ?? null, value: e.value ?? null });
      }
      for (const [i, ev] of input.result.events.entries()) evs.push(eventRow(ev, rid, i));
    }
    if (ents.length) {
      await tx.query(
        `INSERT INTO entities (article_rid, position, kind, start, "end", text, ref_id, name, value)
         SELECT article_rid, position, kind, start, "end", text, ref_id, name, value FROM json_populate_recordset(NULL::entities, $1::json)`,
        [JSON.stringify(ents)],
      );
    }
    const rids = new Map<string, number>();
    if (evs.length === 0) return rids;
    // The id rows and the event rows in one statement: no event row for an id already taken.
    const rows = await tx.query<{ rid: number; event_id: string }>(
      `WITH src AS (SELECT * FROM json_populate_recordset(NULL::events, $1::json)),
       ids AS (INSERT INTO event_ids (event_id, rid, article_rid, month)
               SELECT event_id, nextval('events_rid_seq'), article_rid, month FROM src ON CONFLICT (event_id) DO NOTHING RETURNING event_id, rid)
       INSERT INTO events (${EVENT_INSERT_COLUMNS}) SELECT ids.rid, ${EVENT_INSERT_COLUMNS.replace(/^rid, /, '').split(/,\s*/).map((c) => `src.${c.trim()}`).join(', ')}
       FROM src JOIN ids USING (event_id) RETURNING rid, event_id`,
      [JSON.stringify(evs)],
    );
    for (const r of rows.rows) rids.set(r.event_id, r.rid);
    if (rids.size < evs.length) {
      const taken = evs.map((e) => e.event_id as string).find((id) => !rids.has(id));
      const article = evs.find((e) => e.event_id === taken)?.article_id as string | undefined;
      throw new KhabarError(
        'E_VALIDATION',
        `event id ${taken} is already stored with another article: event ids must be unique in the store (derive them from the article id)`,
        article ? { articleId: article } : {},
      );
    }
    return rids;
  }

  /**
   * Links pending articles (written but not linked yet), in storage order, 500 at a time, one linker at
   * a time across every process (an advisory lock held for each run's transaction). With `wait: false`
   * it returns at once when another process links: that linker looks for pending articles again after
   * it releases the lock, so nothing committed before this call is left unlinked. Returns the articles it linked.
   * @example await store.linkPending({ wait: false }) // 20
   */
  async linkPending(options: { wait?: boolean; batch?: number } = {}): Promise<number> {
    const wait = options.wait ?? true;
    const size = options.batch ?? 500;
    let total = 0;
    for (;;) {
      const n = await this.transaction(async (tx) => {
        // Links are derived data: a run lost to a server crash leaves its articles pending, linked again.
        await tx.query('SET LOCAL synchronous_commit = off');
        if (wait) {
          await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.lockTimeoutMs))}`);
          await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-link:${this.schema}`)]);
        } else {
          const got = (await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [lockKey(`khabar-link:${this.schema}`)])).rows[0]?.ok;
          if (!got) return -1;
        }
        const rows = (
          await tx.query<{ rid: number; id: string; date: string; source: string | null; signature: Buffer; events: { rid: number; record: EventRecord }[]; linked: boolean }>(
            `SELECT p.article_rid AS rid, p.id, p.date, p.source, p.signature, p.events,
               EXISTS (SELECT 1 FROM link_articles la WHERE la.article_rid = p.article_rid) AS linked
             FROM link_pending p ORDER BY p.article_rid LIMIT $1`,
            [size],
          )
        ).rows;
        // An article a relink linked meanwhile is not linked twice.
        const todo = rows.filter((r) => !r.linked);
        await this.linker.link(
          tx,
          todo.map((r) => ({ rid: r.rid, id: r.id, date: r.date, source: r.source, sig: signatureFromBytes(r.signature), events: r.events })),
        );
        if (rows.length) await tx.query('DELETE FROM link_pending WHERE article_rid = ANY($1::bigint[])', [rows.map((r) => r.rid)]);
        return rows.length;
      });
      if (n < 0) return total;
      total += n;
      // Look again after releasing the lock: a writer that committed while this run held it may have
      // found the lock taken and left its articles to this linker.
      if (n === 0 && !(await this.query('SELECT 1 FROM link_pending LIMIT 1')).length) return total;
    }
  }

  /**
   * Replaces the pipeline result of stored articles (see Store.replaceResults); merged events are
   * stale until relink() (a store reopened before that relinks on open).
   * @example await store.replaceResults([{ article, result }]); await store.relink();
   */
  async replaceResults(articles: StoredArticleInput[]): Promise<ReplaceSummary> {
    const months = new Set<string>();
    for (const { article, result } of articles) {
      if (result.article_id !== article.id) {
        throw new KhabarError('E_VALIDATION', `article result ${result.article_id} does not belong to article ${article.id}`, { articleId: article.id });
      }
      for (const ev of result.events) {
        if (ev.article_id !== article.id) {
          throw new KhabarError('E_VALIDATION', `event ${ev.event_id} names article ${ev.article_id} but is stored with article ${article.id}`, { articleId: article.id });
        }
        const m = monthOf(ev.date);
        if (m) months.add(m);
      }
    }
    await this.ensureMonths([...months]);
    return this.transaction(async (tx) => {
      // The linker reads these rows: no linking run while they change.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-link:${this.schema}`)]);
      const found = new Map(
        (await tx.query<{ rid: number; id: string }>('SELECT rid, id FROM articles WHERE id = ANY($1::text[])', [articles.map((a) => a.article.id)])).rows.map((r) => [r.id, r.rid]),
      );
      const seen = new Set<string>();
      const stored: { rid: number; input: StoredArticleInput }[] = [];
      let missing = 0;
      for (const input of articles) {
        const rid = found.get(input.article.id);
        if (rid === undefined) missing++;
        else if (!seen.has(input.article.id)) stored.push({ rid, input });
        seen.add(input.article.id);
      }
      const rids = stored.map((s) => s.rid);
      if (rids.length) {
        for (const table of ['entities', 'link_reports', 'link_pending', 'events']) await tx.query(`DELETE FROM ${table} WHERE article_rid = ANY($1::bigint[])`, [rids]);
        // Merged events named by a report that is gone go too (the rest are stale until relink()).
        const gone = (await tx.query<{ event_id: string }>('DELETE FROM event_ids WHERE article_rid = ANY($1::bigint[]) RETURNING event_id', [rids])).rows.map((r) => r.event_id);
        if (gone.length) {
          await tx.query('DELETE FROM event_clusters WHERE event_id = ANY($1::text[])', [gone]);
          await tx.query('DELETE FROM link_values WHERE cluster = ANY($1::text[])', [gone]);
        }
        await tx.query(
          `UPDATE articles a SET title = x.title, text = x.text, raw_text = x.raw_text, extracted = x.extracted
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS x(rid, title, text, raw_text, extracted) WHERE a.rid = x.rid`,
          [
            rids,
            stored.map((s) => s.input.article.title ?? s.input.result.title),
            stored.map((s) => s.input.result.text),
            stored.map((s) => (s.input.article.rawText === s.input.result.text ? null : s.input.article.rawText)),
            stored.map((s) => s.input.extracted !== false),
          ],
        );
        await tx.query("INSERT INTO link_state (key, value) VALUES ('relink_needed', '1') ON CONFLICT (key) DO NOTHING");
      }
      const events = (await this.insertResults(tx, stored)).size;
      return { replaced: stored.length, missing, events };
    });
  }

  /**
   * Creates the month partitions not known to exist yet, in a short transaction of their own (under
   * an advisory lock, so never twice at once), before any write transaction touches events: creating
   * a partition locks the events table, which a writer holding rows in it would otherwise deadlock on.
   */
  private async ensureMonths(months: string[]): Promise<void> {
    if (months.every((m) => this.months.has(m))) return;
    // One creation at a time in this process, on one connection kept for it.
    const turn = this.partitionTurn.then(() => this.createMonths(months));
    this.partitionTurn = turn.catch(() => undefined);
    return turn;
  }

  private async createMonths(months: string[]): Promise<void> {
    const missing = months.filter((m) => !this.months.has(m)).sort();
    if (missing.length === 0) return;
    if (!this.partitioner) {
      const fresh = new pg.Client({ connectionString: this.connectionString, options: `-c search_path=${this.schema},public`, connectionTimeoutMillis: 10_000 });
      fresh.on('error', () => {
        // The connection dropped while idle: forget it; the next creation opens another.
        if (this.partitioner === fresh) this.partitioner = null;
      });
      await fresh.connect();
      this.partitioner = fresh;
    }
    const client = this.partitioner;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.lockTimeoutMs))}`);
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-partition:${this.schema}`)]);
      for (const month of missing) {
        const name = `events_m${month.slice(0, 4)}${month.slice(5, 7)}`;
        await client.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF events FOR VALUES FROM ('${month}') TO ('${nextMonth(month)}')`);
      }
      await client.query('COMMIT');
      for (const m of missing) this.months.add(m);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        this.partitioner = null;
        void client.end().catch(() => undefined);
      });
      throw new KhabarError('E_STORE', `cannot create the event partitions ${missing.join(', ')} in ${this.label}: ${errorMessage(err)}`, { file: this.label }, { cause: err });
    }
  }

  async hasArticle(id: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM articles WHERE id = $1', [id])).length > 0;
  }

  private async loadArticles(rows: ArticleRow[]): Promise<StoredArticle[]> {
    if (rows.length === 0) return [];
    const rids = rows.map((r) => r.rid);
    const ents = await this.query<{ article_rid: number; kind: Entity['kind']; start: number; end: number; text: string; ref_id: string | null; name: string | null; value: string | number | null }>(
      'SELECT article_rid, kind, start, "end", text, ref_id, name, value FROM entities WHERE article_rid = ANY($1::bigint[]) ORDER BY article_rid, position',
      [rids],
    );
    const evs = await this.query<{ article_rid: number; record: EventRecord }>(
      'SELECT article_rid, record FROM events WHERE article_rid = ANY($1::bigint[]) ORDER BY article_rid, position',
      [rids],
    );
    const entitiesOf = new Map<number, Entity[]>();
    for (const r of ents) {
      const e: Entity = { text: r.text, start: r.start, end: r.end, kind: r.kind, id: r.ref_id };
      if (r.name !== null) e.name = r.name;
      if (r.value !== null) e.value = r.value;
      const list = entitiesOf.get(r.article_rid) ?? [];
      list.push(e);
      entitiesOf.set(r.article_rid, list);
    }
    const eventsOf = new Map<number, EventRecord[]>();
    for (const r of evs) {
      const list = eventsOf.get(r.article_rid) ?? [];
      list.push(r.record);
      eventsOf.set(r.article_rid, list);
    }
    return rows.map((row) => {
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
      const result: ArticleResult = {
        article_id: row.id,
        date: row.date,
        title: row.title,
        text: row.text,
        entities: entitiesOf.get(row.rid) ?? [],
        events: eventsOf.get(row.rid) ?? [],
      };
      const stored: StoredArticle = { article, result, ingested_at: row.ingested_at };
      if (!row.extracted) stored.extracted = false;
      return stored;
    });
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    const rows = await this.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = $1`, [id]);
    return (await this.loadArticles(rows))[0] ?? null;
  }

  async getEvent(id: string): Promise<EventRecord | null> {
    const merged = await this.query<{ record: EventRecord }>('SELECT record FROM event_clusters WHERE event_id = $1', [id]);
    if (merged[0]) return merged[0].record;
    const raw = await this.query<{ record: EventRecord }>('SELECT record FROM events WHERE event_id = $1', [id]);
    return raw[0]?.record ?? null;
  }

  async queryEvents(filter: EventFilter = {}): Promise<EventRecord[]> {
    return (await this.queryEventPage(filter)).events;
  }

  async queryEventPage(filter: EventFilter = {}): Promise<EventPage> {
    this.conn();
    const f = normalizeFilter(filter);
    const b = new Binder();
    const where = buildWhere(f, b, this.postgis);
    const sortKey = SORT_KEY[f.sort];
    const desc = f.sort !== 'date_asc';
    if (f.after) {
      const cmp = desc ? '<' : '>';
      const key = b.p(f.after.key);
      where.push(`(${sortKey} ${cmp} ${key} OR (${sortKey} = ${key} AND e.event_id ${cmp} ${b.p(f.after.id)}))`);
    }
    const dir = desc ? 'DESC' : 'ASC';
    const table = f.raw_reports ? 'events' : 'event_clusters';
    const sql = `SELECT e.event_id AS id, ${sortKey} AS k, e.record FROM ${table} e ${whereSql(where)}
      ORDER BY ${sortKey} ${dir}, e.event_id ${dir} LIMIT ${b.p(f.limit + 1)} OFFSET ${b.p(f.offset)}`;
    const rows = await this.query<{ id: string; k: string | number; record: EventRecord }>(sql, b.values);
    const more = rows.length > f.limit;
    const page = more ? rows.slice(0, f.limit) : rows;
    const last = page[page.length - 1];
    return {
      events: page.map((r) => r.record),
      next_cursor: more && last ? encodeCursor({ sort: f.sort, key: last.k, id: last.id }) : null,
    };
  }

  async countEvents(filter: EventFilter = {}): Promise<number> {
    this.conn();
    const f = normalizeFilter({ ...filter, limit: undefined, offset: undefined, cursor: undefined });
    const b = new Binder();
    const where = buildWhere(f, b, this.postgis);
    const rows = await this.query<{ n: number }>(`SELECT count(*) AS n FROM ${f.raw_reports ? 'events' : 'event_clusters'} e ${whereSql(where)}`, b.values);
    return rows[0]?.n ?? 0;
  }

  async searchArticles(query: string, options: SearchOptions = {}): Promise<ArticleHit[]> {
    this.conn();
    const limit = options.limit ?? 20;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new KhabarError('E_VALIDATION', `search limit must be an integer from 1 to 1000, got ${limit}`);
    if (!Number.isInteger(offset) || offset < 0) throw new KhabarError('E_VALIDATION', `search offset must be a non-negative integer, got ${offset}`);
    const tsq = toTsquery(parseTextQuery(query));
    const rows = await this.query<{ id: string; date: string; title: string | null; source: string | null; url: string | null; score: number; snip: string }>(
      `WITH q AS (SELECT to_tsquery('english', $1) AS q),
       hits AS (SELECT a.rid, a.id, a.date, a.title, a.source, a.url, a.text, ts_rank(a.tsv, q.q) AS score
                FROM articles a, q WHERE a.tsv @@ q.q ORDER BY score DESC, a.id LIMIT $2 OFFSET $3)
       SELECT h.id, h.date, h.title, h.source, h.url, h.score::float8 AS score,
         ts_headline('english', coalesce(h.title, '') || E'\\n' || h.text, q.q, $4) AS snip
       FROM hits h, q ORDER BY h.score DESC, h.id`,
      [tsq, limit, offset, `StartSel=${HL_OPEN}, StopSel=${HL_CLOSE}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`],
    );
    return rows.map((r) => ({ article_id: r.id, date: r.date, title: r.title, source: r.source, url: r.url, score: r.score, ...parseSnippet(r.snip) }));
  }

  async stats(): Promise<StoreStats> {
    this.conn();
    const one = async <T extends QueryResultRow>(sql: string): Promise<T> => (await this.query<T>(sql))[0] as T;
    const counts = async (sql: string): Promise<Record<string, number>> => {
      const out: Record<string, number> = {};
      // Most first, ties bytewise (as SQLite orders them), whatever the database's collation.
      const rows = await this.query<{ k: string; n: number }>(sql);
      rows.sort((a, b) => b.n - a.n || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      for (const r of rows) out[r.k] = r.n;
      return out;
    };
    // Event counts are of merged events (one per real-world event); `reports` counts every article's events.
    const [ad, ed, articles, events, reports, entities, quarantine, fatalities, reportFatalities, byType, byAcled, byCountry, byCode] = await Promise.all([
      one<{ from: string | null; to: string | null }>('SELECT min(date) AS "from", max(date) AS "to" FROM articles'),
      one<{ from: string | null; to: string | null }>('SELECT min(date) AS "from", max(date) AS "to" FROM event_clusters'),
      one<{ n: number }>('SELECT count(*) AS n FROM articles'),
      one<{ n: number }>('SELECT count(*) AS n FROM event_clusters'),
      one<{ n: number }>('SELECT count(*) AS n FROM event_ids'),
      one<{ n: number }>('SELECT count(*) AS n FROM entities'),
      one<{ n: number }>('SELECT count(*) AS n FROM quarantine'),
      one<{ n: number | null }>('SELECT sum(fatalities) AS n FROM event_clusters'),
      one<{ n: number | null }>('SELECT sum(fatalities) AS n FROM events'),
      counts('SELECT event_type AS k, count(*) AS n FROM event_clusters GROUP BY 1'),
      counts(`SELECT coalesce(acled_event_type, 'none') AS k, count(*) AS n FROM event_clusters GROUP BY 1`),
      counts(`SELECT coalesce(country, 'none') AS k, count(*) AS n FROM event_clusters GROUP BY 1`),
      counts('SELECT code AS k, count(*) AS n FROM quarantine GROUP BY 1'),
    ]);
    return {
      articles: articles.n,
      events: events.n,
      reports: reports.n,
      entities: entities.n,
      quarantine: quarantine.n,
      article_dates: { from: ad.from, to: ad.to },
      event_dates: { from: ed.from, to: ed.to },
      fatalities: fatalities.n ?? 0,
      report_fatalities: reportFatalities.n ?? 0,
      by_type: byType,
      by_acled_type: byAcled,
      by_country: byCountry,
      quarantine_by_code: byCode,
    };
  }

  async listQuarantine(options: ListOptions = {}): Promise<QuarantineRecord[]> {
    this.conn();
    const limit = options.limit ?? 100;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new KhabarError('E_VALIDATION', `quarantine limit must be an integer from 1 to 100000, got ${limit}`);
    if (!Number.isInteger(offset) || offset < 0) throw new KhabarError('E_VALIDATION', `quarantine offset must be a non-negative integer, got ${offset}`);
    return this.query<QuarantineRecord>('SELECT id, file, line, code, reason, excerpt, article_id, at FROM quarantine ORDER BY id LIMIT $1 OFFSET $2', [limit, offset]);
  }

  async *iterateArticles(options: IterateOptions = {}): AsyncGenerator<StoredArticle> {
    const size = options.batchSize ?? 500;
    let after = 0;
    for (;;) {
      const rows = await this.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE rid > $1 ORDER BY rid LIMIT $2`, [after, size]);
      for (const a of await this.loadArticles(rows)) yield a;
      const last = rows[rows.length - 1];
      if (!last || rows.length < size) return;
      after = last.rid;
    }
  }

  private analyticsWhere(filter: EventFilter): PgWhere {
    const f = normalizeFilter({ ...filter, limit: undefined, offset: undefined, cursor: undefined });
    const b = new Binder();
    return { where: buildWhere(f, b, this.postgis), params: b.values, table: f.raw_reports ? 'events' : 'event_clusters' };
  }

  async timeSeries(filter: EventFilter = {}, options: SeriesOptions = {}): Promise<TimeSeries> {
    this.conn();
    return pgTimeSeries((sql, values) => this.query(sql, values), this.analyticsWhere(filter), options);
  }

  async actorActivity(actor: string, filter: EventFilter = {}, options: { counterparts?: number } = {}): Promise<ActorActivity> {
    this.conn();
    return pgActorActivity((sql, values) => this.query(sql, values), this.analyticsWhere(filter), actor, options);
  }

  async listPlaces(filter: EventFilter = {}, options: { limit?: number } = {}): Promise<PlaceSummary[]> {
    this.conn();
    return pgListPlaces((sql, values) => this.query(sql, values), this.analyticsWhere(filter), options);
  }

  async listReports(eventId: string): Promise<EventReports | null> {
    const client = await this.conn().connect();
    try {
      return await this.linker.reportsOf(client, eventId);
    } finally {
      client.release();
    }
  }

  async relink(): Promise<RelinkSummary> {
    const t0 = performance.now();
    const done = await this.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-link:${this.schema}`)]);
      const out = await this.linker.relinkAll(tx);
      await tx.query("DELETE FROM link_state WHERE key = 'relink_needed'");
      return out;
    });
    const dup = await this.query<{ n: number }>('SELECT count(*) AS n FROM link_articles WHERE dup_root <> article_rid');
    const events = await this.query<{ n: number }>('SELECT count(*) AS n FROM event_clusters');
    return { articles: done.articles, duplicates: dup[0]?.n ?? 0, reports: done.reports, events: events[0]?.n ?? 0, ms: performance.now() - t0 };
  }

  addSource(input: SourceInput): Promise<SourceRecord> {
    return this.sources.addSource(input);
  }
  listSources(): Promise<SourceRecord[]> {
    return this.sources.listSources();
  }
  removeSource(name: string): Promise<boolean> {
    return this.sources.removeSource(name);
  }
  updateSourceState(id: number, state: SourceState): Promise<void> {
    return this.sources.updateSourceState(id, state);
  }
  recordPoll(poll: PollRecord): Promise<number> {
    return this.sources.recordPoll(poll);
  }
  listPolls(options?: { source?: string; limit?: number }): Promise<StoredPoll[]> {
    return this.sources.listPolls(options);
  }
  unseenItems(sourceId: number, keys: string[]): Promise<string[]> {
    return this.sources.unseenItems(sourceId, keys);
  }
  markItemsSeen(sourceId: number, items: { key: string; article_id: string | null }[]): Promise<void> {
    return this.sources.markItemsSeen(sourceId, items);
  }
  addAlertRule(input: AlertRuleInput): Promise<AlertRule> {
    return this.sources.addAlertRule(input);
  }
  listAlertRules(): Promise<AlertRule[]> {
    return this.sources.listAlertRules();
  }
  removeAlertRule(name: string): Promise<boolean> {
    return this.sources.removeAlertRule(name);
  }
  recordAlertHits(hits: AlertHitInput[]): Promise<AlertHit[]> {
    return this.sources.recordAlertHits(hits);
  }
  listAlertHits(query?: AlertHitQuery): Promise<AlertHit[]> {
    return this.sources.listAlertHits(query);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    this.pool = null;
    await this.partitionTurn;
    await this.partitioner?.end().catch(() => undefined);
    this.partitioner = null;
    await pool.end();
  }
}

/** Splits a ts_headline with control-character markers into plain text and highlight spans. */
function parseSnippet(marked: string): { snippet: string; highlights: Span[] } {
  let snippet = '';
  const highlights: Span[] = [];
  let open = -1;
  for (const ch of marked.replace(/\s+/g, ' ').trim()) {
    if (ch === HL_OPEN) open = snippet.length;
    else if (ch === HL_CLOSE) {
      if (open >= 0) highlights.push({ start: open, end: snippet.length });
      open = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

