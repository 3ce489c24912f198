/**
 * The shared store: PostgreSQL through node-postgres. Full-text search on a generated tsvector (GIN),
 * events partitioned by month (partitions made on demand), JSONB records, a lat/lon btree with a
 * bounding-box prefilter and exact haversine, versioned migrations under an advisory lock. Writers
 * serialize on a transaction advisory lock so cross-article linking sees every earlier article.
 */
import pg from 'pg';
import type { PoolClient, Pool as PgPool, QueryResultRow } from 'pg';
import { KhabarError, errorMessage } from '../../errors.js';
import { loadLinkConfig } from '../../link/config.js';
import type { Article, ArticleResult, Entity, EventRecord, Span } from '../../types.js';
import { boxesAround, encodeCursor, normalizeFilter, splitBox, type EventFilter, type NormalizedFilter } from '../filter.js';
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
import { PgLinker, params, type PgLinkInput } from './pg-link.js';
import { PG_MIGRATIONS, POSTGIS_SQL } from './migrations.js';
import { PgSourceState } from './pg-sources.js';

export interface PostgresStoreOptions {
  /** Fail with E_NOT_FOUND when the database (schema) holds no store yet. */
  mustExist?: boolean;
  /** Connections in the pool (default 4). */
  poolSize?: number;
  /** How long a write waits for the write lock, ms (default 60000). */
  busyTimeoutMs?: number;
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
export function parsePgTarget(target: string): { connectionString: string; schema: string } {
  let url: URL;
  try {
    url = new URL(target);
  } catch (err) {
    throw new KhabarError('E_USAGE', `not a PostgreSQL URL: ${redactUrl(target)} (expected postgres://user@host:5432/db)`, {}, { cause: err });
  }
  const schema = url.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new KhabarError('E_USAGE', `invalid schema name "${schema}": use letters, digits and _`);
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

/** A stable 32-bit advisory lock key for a name (the same in every process). */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

type Param = string | number | boolean | null | Buffer | unknown[];

/** Collects bound parameters and hands out their `$n` placeholders. */
class Binder {
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

/** The WHERE conditions of a filter over `events e` or `event_clusters e`; every user value is bound. */
function buildWhere(f: NormalizedFilter, b: Binder): string[] {
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
    const boxes = boxesAround(f.near);
    where.push(`(${boxes.map((x) => `(e.lat BETWEEN ${b.p(x.south)} AND ${b.p(x.north)} AND e.lon BETWEEN ${b.p(x.west)} AND ${b.p(x.east)})`).join(' OR ')})`);
    where.push(`khabar_km(e.lat, e.lon, ${b.p(f.near.lat)}, ${b.p(f.near.lon)}) <= ${b.p(f.near.km)}`);
  }
  if (f.bbox) {
    const boxes = splitBox(f.bbox);
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

function lowerOrEmpty(v: string | null | undefined): string {
  return v ? v.toLowerCase() : '';
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

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly schema: string;
  /** The URL with the password hidden, for messages. */
  readonly label: string;
  private pool: PgPool | null;
  private readonly linker = new PgLinker(loadLinkConfig());
  private readonly months = new Set<string>();
  private readonly lockTimeoutMs: number;
  private readonly sources = new PgSourceState(
    (sql, values) => this.query(sql, values ?? []),
    (fn) => this.transaction(fn),
  );
  /** Whether PostGIS was available when the store was opened (the geography column exists). */
  postgis = false;

  private constructor(pool: PgPool, schema: string, label: string, lockTimeoutMs: number) {
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
    const { connectionString, schema } = parsePgTarget(target);
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
    const store = new PostgresStore(pool, schema, label, options.busyTimeoutMs ?? 60_000);
    try {
      await store.migrate(options.mustExist ?? false);
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
  private async migrate(mustExist: boolean): Promise<void> {
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
        this.postgis = await this.tryPostgis(client);
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
    const created: string[] = [];
    const summary = await this.transaction((tx) => this.writeBatchIn(tx, batch, created));
    for (const m of created) this.months.add(m);
    return summary;
  }

  /**
   * Writes a batch on a connection inside an open transaction, taking the store's write lock (released
   * at commit or rollback). Writers on every machine serialize here, so linking is never concurrent.
   */
  async writeBatchIn(tx: PoolClient, batch: WriteBatch, createdMonths: string[] = []): Promise<WriteSummary> {
    this.conn();
    await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.lockTimeoutMs))}`);
    await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-write:${this.schema}`)]);
    const now = new Date().toISOString();
    const summary: WriteSummary = { inserted: 0, duplicates: 0, events: 0, quarantined: 0 };
    const linked: PgLinkInput[] = [];
    for (const { article, result, extracted } of batch.articles) {
      if (result.article_id !== article.id) {
        throw new KhabarError('E_VALIDATION', `article result ${result.article_id} does not belong to article ${article.id}`, { articleId: article.id });
      }
      const ins = await tx.query<{ rid: number }>(
        `INSERT INTO articles (id, date, title, text, raw_text, url, source, language, origin_file, origin_line, ingested_at, extracted)
         VALUES (${params(12)}) ON CONFLICT (id) DO NOTHING RETURNING rid`,
        [
          article.id,
          article.date,
          article.title ?? result.title,
          result.text,
          article.rawText === result.text ? null : article.rawText,
          article.url,
          article.source,
          article.language,
          article.origin.file,
          article.origin.line,
          now,
          extracted !== false,
        ],
      );
      const rid = ins.rows[0]?.rid;
      if (rid === undefined) {
        summary.duplicates++;
        continue;
      }
      summary.inserted++;
      const link: PgLinkInput = { rid, id: article.id, date: article.date, source: article.source, text: result.text, events: [] };
      linked.push(link);
      await this.insertEntities(tx, rid, result.entities);
      for (const [i, ev] of result.events.entries()) {
        if (ev.article_id !== article.id) {
          throw new KhabarError('E_VALIDATION', `event ${ev.event_id} names article ${ev.article_id} but is stored with article ${article.id}`, {
            articleId: article.id,
          });
        }
        const erid = await this.insertEvent(tx, rid, i, ev, createdMonths);
        link.events.push({ rid: erid, record: ev });
        summary.events++;
      }
    }
    for (const q of batch.quarantine) {
      await tx.query(
        `INSERT INTO quarantine (file, line, code, reason, excerpt, article_id, at) VALUES (${params(7)}) ON CONFLICT DO NOTHING`,
        [q.file, q.line, q.code, q.reason, q.excerpt, q.article_id ?? null, now],
      );
      summary.quarantined++;
    }
    await this.linker.link(tx, linked);
    return summary;
  }

  private async insertEntities(tx: PoolClient, rid: number, e: Entity[]): Promise<void> {
    if (!e.length) return;
    await tx.query(
      `INSERT INTO entities (article_rid, position, kind, start, "end", text, ref_id, name, value)
       SELECT $1::bigint, p - 1, kind, s, en, t, r, n, v FROM unnest($2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
         WITH ORDINALITY AS x(kind, s, en, t, r, n, v, p)`,
      [
        rid,
        e.map((x) => x.kind),
        e.map((x) => x.start),
        e.map((x) => x.end),
        e.map((x) => x.text),
        e.map((x) => x.id),
        e.map((x) => x.name ?? null),
        e.map((x) => (x.value === undefined || x.value === null ? null : JSON.stringify(x.value))),
      ],
    );
  }

  /**
   * Replaces the pipeline result of stored articles (see Store.replaceResults); merged events are
   * stale until relink().
   * @example await store.replaceResults([{ article, result }]); await store.relink();
   */
  async replaceResults(articles: StoredArticleInput[]): Promise<ReplaceSummary> {
    const created: string[] = [];
    const summary = await this.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-write:${this.schema}`)]);
      const out: ReplaceSummary = { replaced: 0, missing: 0, events: 0 };
      for (const { article, result, extracted } of articles) {
        if (result.article_id !== article.id) {
          throw new KhabarError('E_VALIDATION', `article result ${result.article_id} does not belong to article ${article.id}`, { articleId: article.id });
        }
        const rid = (await tx.query<{ rid: number }>('SELECT rid FROM articles WHERE id = $1', [article.id])).rows[0]?.rid;
        if (rid === undefined) {
          out.missing++;
          continue;
        }
        for (const table of ['entities', 'link_reports', 'events']) await tx.query(`DELETE FROM ${table} WHERE article_rid = $1`, [rid]);
        // Merged events named by a report that is gone go too (the rest are stale until relink()).
        const gone = (await tx.query<{ event_id: string }>('DELETE FROM event_ids WHERE article_rid = $1 RETURNING event_id', [rid])).rows.map((r) => r.event_id);
        if (gone.length) {
          await tx.query('DELETE FROM event_clusters WHERE event_id = ANY($1::text[])', [gone]);
          await tx.query('DELETE FROM link_values WHERE cluster = ANY($1::text[])', [gone]);
        }
        await tx.query('UPDATE articles SET title = $2, text = $3, raw_text = $4, extracted = $5 WHERE rid = $1', [
          rid,
          article.title ?? result.title,
          result.text,
          article.rawText === result.text ? null : article.rawText,
          extracted !== false,
        ]);
        await this.insertEntities(tx, rid, result.entities);
        for (const [i, ev] of result.events.entries()) {
          if (ev.article_id !== article.id) {
            throw new KhabarError('E_VALIDATION', `event ${ev.event_id} names article ${ev.article_id} but is stored with article ${article.id}`, { articleId: article.id });
          }
          await this.insertEvent(tx, rid, i, ev, created);
          out.events++;
        }
        out.replaced++;
      }
      return out;
    });
    for (const m of created) this.months.add(m);
    return summary;
  }

  /** Creates the month's partition when it is new (under the write lock, so never twice at once). */
  private async ensurePartition(tx: PoolClient, month: string, created: string[]): Promise<void> {
    if (this.months.has(month) || created.includes(month)) return;
    const name = `events_m${month.slice(0, 4)}${month.slice(5, 7)}`;
    await tx.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF events FOR VALUES FROM ('${month}') TO ('${nextMonth(month)}')`);
    created.push(month);
  }

  private async insertEvent(tx: PoolClient, articleRid: number, position: number, ev: EventRecord, created: string[]): Promise<number> {
    const a1 = ev.actor1;
    const a2 = ev.actor2;
    const loc = ev.location;
    const month = monthOf(ev.date);
    if (month) await this.ensurePartition(tx, month, created);
    // The id row and the event row in one statement: no event row when the id is taken.
    const ins = await tx.query<{ rid: number }>(
      `WITH id AS (
         INSERT INTO event_ids (event_id, rid, article_rid, month) VALUES ($1, nextval('events_rid_seq'), $2, $37::date) ON CONFLICT (event_id) DO NOTHING RETURNING rid)
       INSERT INTO events (${EVENT_INSERT_COLUMNS}) SELECT id.rid, ${params(38)} FROM id RETURNING rid`,
      [
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
      [a1?.name, a1?.id, a1?.text, a2?.name, a2?.id, a2?.text].map(lowerOrEmpty).join('\u001f'),
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
      month,
      JSON.stringify(ev),
      ],
    );
    const rid = ins.rows[0]?.rid;
    if (rid === undefined) {
      throw new KhabarError(
        'E_VALIDATION',
        `event id ${ev.event_id} is already stored with another article: event ids must be unique in the store (derive them from the article id)`,
        { articleId: ev.article_id },
      );
    }
    return rid;
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
    const where = buildWhere(f, b);
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
    const where = buildWhere(f, b);
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
    return { where: buildWhere(f, b), params: b.values, table: f.raw_reports ? 'events' : 'event_clusters' };
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
      await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(`khabar-write:${this.schema}`)]);
      return this.linker.relinkAll(tx);
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

