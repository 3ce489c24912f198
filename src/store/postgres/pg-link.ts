/**
 * Cross-article linking inside the PostgreSQL store: the same algorithm as the SQLite linker
 * (MinHash + LSH near-duplicates, blocked report clustering, value tallies, merged events), run on
 * the writing transaction's connection. Writers hold the store's write lock (an advisory transaction
 * lock), so linking sees every earlier article, whatever worker or machine wrote it.
 */
import type { PoolClient } from 'pg';
import type { LinkConfig } from '../../link/config.js';
import { mergeCluster, reportValues, type TalliedValue } from '../../link/merge.js';
import { bandKeys, minhashSignature, signatureFromBytes, signatureSimilarity, signatureToBytes } from '../../link/minhash.js';
import { articleOrigin, decide, featuresOf, fieldsOfRecord, fixedOrigin, type ReportFeatures } from '../../link/report.js';
import type { EventRecord } from '../../types.js';
import type { EventReport, EventReports } from '../store.js';

/** An article just stored, with its events' store ids. */
export interface PgLinkInput {
  rid: number;
  id: string;
  date: string;
  source: string | null;
  text: string;
  events: { rid: number; record: EventRecord }[];
}

interface CandidateRow {
  rid: number;
  article_rid: number;
  cluster: string;
  cluster_key: string;
  pclass: ReportFeatures['pclass'];
  day_lo: number;
  day_hi: number;
  family: string;
  block_country: string;
  order_key: string;
  record: EventRecord;
}

const CANDIDATES = `SELECT lr.event_rid AS rid, lr.article_rid, lr.cluster, lr.cluster_key, lr.pclass, lr.day_lo, lr.day_hi, lr.family,
  lr.country AS block_country, lr.order_key, lr.record
  FROM link_reports lr
  WHERE lr.family = $1 AND lr.country = $2 AND lr.pclass = $3 AND lr.day_lo BETWEEN $4 AND $5 AND lr.day_hi >= $6 LIMIT $7`;

const TALLY_CONFLICT = `ON CONFLICT (cluster, field, vkey) DO UPDATE SET n = link_values.n + excluded.n,
  value = CASE WHEN excluded.first < link_values.first THEN excluded.value ELSE link_values.value END,
  rid = CASE WHEN excluded.first < link_values.first THEN excluded.rid ELSE link_values.rid END,
  first = least(link_values.first, excluded.first)`;

const CLUSTER_COLUMNS = `event_id, rid, article_rid, article_id, date, date_precision, event_type, mode, acled_event_type,
  acled_sub_event_type, category, actor1_name, actor1_id, actor1_kind, actor1_country, actor2_name, actor2_id, actor2_kind,
  actor2_country, actor_search, location_name, geonames_id, country, admin1, admin2, lat, lon, geo_precision, fatalities,
  injured, count, claim, claimed_by, confidence, reports, independent_sources, record`;

function features(row: CandidateRow): ReportFeatures {
  return {
    ...fieldsOfRecord(row.record, ''),
    family: row.family,
    pclass: row.pclass,
    dayLo: row.day_lo,
    dayHi: row.day_hi,
    blockCountry: row.block_country,
    orderKey: row.order_key,
  };
}

function lowerOrEmpty(v: string | null | undefined): string {
  return v ? v.toLowerCase() : '';
}

/** An order key as PostgreSQL can hold it (text cannot contain NUL; \u0001 sorts the same way here). */
function pgKey(key: string): string {
  return key.replaceAll('\u0000', '\u0001');
}

/** `$1, $2, ... $n` */
export function params(n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');
}

export class PgLinker {
  private readonly hashes: number;

  constructor(private readonly config: LinkConfig) {
    const nd = config.nearDuplicate;
    this.hashes = nd.bands * nd.rowsPerBand;
  }

  /** Links articles just written, on the writing transaction's client, then refreshes the merged events. */
  async link(db: PoolClient, inputs: PgLinkInput[]): Promise<void> {
    const dirty = new Set<string>();
    const sigs = new Map<number, Uint32Array>();
    for (const input of inputs) await this.linkOne(db, input, dirty, sigs);
    await this.refresh(db, dirty);
  }

  private async signatureOf(db: PoolClient, rid: number, sigs: Map<number, Uint32Array>): Promise<Uint32Array | null> {
    const hit = sigs.get(rid);
    if (hit) return hit;
    const r = await db.query<{ signature: Buffer }>('SELECT signature FROM link_articles WHERE article_rid = $1', [rid]);
    const row = r.rows[0];
    if (!row) return null;
    const sig = signatureFromBytes(row.signature);
    sigs.set(rid, sig);
    return sig;
  }

  private async linkOne(db: PoolClient, input: PgLinkInput, dirty: Set<string>, sigs: Map<number, Uint32Array>): Promise<void> {
    const nd = this.config.nearDuplicate;
    const sig = minhashSignature(input.text, nd.shingleWords, this.hashes);
    const keys = bandKeys(sig, nd.bands, nd.rowsPerBand);
    const orderKey = pgKey(`${input.date}\u0000${input.id}`);
    const roots = new Map<number, string>();
    const cands = await db.query<{ article_rid: number; signature: Buffer; dup_root: number; order_key: string; root_key: string | null }>(
      `SELECT la.article_rid, la.signature, la.dup_root, la.order_key, ra.order_key AS root_key
       FROM (SELECT DISTINCT article_rid FROM link_lsh WHERE band_key = ANY($1::bigint[]) LIMIT $2) c
       JOIN link_articles la ON la.article_rid = c.article_rid LEFT JOIN link_articles ra ON ra.article_rid = la.dup_root`,
      [keys, nd.maxCandidates],
    );
    for (const row of cands.rows) {
      const other = signatureFromBytes(row.signature);
      sigs.set(row.article_rid, other);
      if (signatureSimilarity(sig, other) < nd.threshold) continue;
      if (!roots.has(row.dup_root)) roots.set(row.dup_root, row.root_key ?? row.order_key);
    }
    let root = input.rid;
    let rootKey = orderKey;
    for (const [r, key] of roots) {
      if (key < rootKey) {
        root = r;
        rootKey = key;
      }
    }
    await db.query('INSERT INTO link_articles (article_rid, signature, dup_root, order_key, origin) VALUES ($1, $2, $3, $4, $5)', [
      input.rid,
      signatureToBytes(sig),
      root,
      orderKey,
      articleOrigin(input.id, input.source),
    ]);
    await db.query('INSERT INTO link_lsh (band_key, article_rid) SELECT DISTINCT unnest($1::bigint[]), $2::bigint ON CONFLICT DO NOTHING', [keys, input.rid]);
    sigs.set(input.rid, sig);
    for (const r of roots.keys()) {
      if (r === root) continue;
      const moved = await db.query<{ cluster: string }>(
        'SELECT DISTINCT lr.cluster FROM link_articles la JOIN link_reports lr ON lr.article_rid = la.article_rid WHERE la.dup_root = $1',
        [r],
      );
      for (const c of moved.rows) dirty.add(c.cluster);
      await db.query('UPDATE link_articles SET dup_root = $1 WHERE dup_root = $2', [root, r]);
    }
    for (const ev of input.events) await this.linkReport(db, input, ev.rid, ev.record, dirty, sigs);
  }

  private async linkReport(
    db: PoolClient,
    input: PgLinkInput,
    eventRid: number,
    record: EventRecord,
    dirty: Set<string>,
    sigs: Map<number, Uint32Array>,
  ): Promise<void> {
    const c = this.config.cluster;
    const f = featuresOf(fieldsOfRecord(record, input.date), this.config);
    const orderKey = pgKey(f.orderKey);
    let cluster = record.event_id;
    let clusterKey = orderKey;
    await db.query(
      `INSERT INTO link_reports (event_rid, article_rid, cluster, cluster_key, family, country, pclass, day_lo, day_hi, order_key, origin_fixed, record)
       VALUES (${params(12)})`,
      [eventRid, input.rid, cluster, clusterKey, f.family, f.blockCountry, f.pclass, f.dayLo, f.dayHi, orderKey, fixedOrigin(record, this.config), JSON.stringify(record)],
    );
    // One statement for the report's values; equal keys are summed first (one row may be updated once per statement).
    const tally = new Map<string, { field: string; key: string; value: string; n: number }>();
    for (const v of reportValues(record)) {
      const id = `${v.field}\u0001${v.key}`;
      const t = tally.get(id);
      if (t) t.n++;
      else tally.set(id, { field: v.field, key: v.key, value: v.value, n: 1 });
    }
    const ts = [...tally.values()];
    if (ts.length) {
      await db.query(
        `INSERT INTO link_values (cluster, field, vkey, value, n, first, rid)
         SELECT $1, f, k, v, n, $6, $7 FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS x(f, k, v, n) ${TALLY_CONFLICT}`,
        [cluster, ts.map((t) => t.field), ts.map((t) => t.key), ts.map((t) => t.value), ts.map((t) => t.n), orderKey, eventRid],
      );
    }
    if (f.pclass === 'none') {
      dirty.add(cluster);
      return;
    }
    const day = await db.query<CandidateRow>(CANDIDATES, [
      f.family,
      f.blockCountry,
      'day',
      f.dayLo - c.dayTolerance,
      f.dayHi + c.dayTolerance,
      f.dayLo - c.dayTolerance,
      c.maxCandidates,
    ]);
    const coarse = await db.query<CandidateRow>(CANDIDATES, [
      f.family,
      f.blockCountry,
      'coarse',
      f.dayLo - c.maxWindowDays - c.dayTolerance,
      f.dayHi + c.dayTolerance,
      f.dayLo - c.dayTolerance,
      c.maxCandidates,
    ]);
    const joined = new Map<string, string>();
    for (const row of [...day.rows, ...coarse.rows]) {
      if (row.rid === eventRid || row.cluster === cluster || joined.has(row.cluster)) continue;
      const sa = await this.signatureOf(db, input.rid, sigs);
      const sb = await this.signatureOf(db, row.article_rid, sigs);
      const near = sa !== null && sb !== null && signatureSimilarity(sa, sb) >= this.config.nearDuplicate.threshold;
      const d = decide(f, features(row), near, this.config);
      if (d.match) joined.set(row.cluster, row.cluster_key);
    }
    for (const [other, otherKey] of joined) {
      const [keep, keepKey, gone] = otherKey < clusterKey ? [other, otherKey, cluster] : [cluster, clusterKey, other];
      await db.query('UPDATE link_reports SET cluster = $1, cluster_key = $2 WHERE cluster = $3', [keep, keepKey, gone]);
      await db.query(
        `INSERT INTO link_values (cluster, field, vkey, value, n, first, rid)
         SELECT $1, field, vkey, value, n, first, rid FROM link_values WHERE cluster = $2 ${TALLY_CONFLICT}`,
        [keep, gone],
      );
      await db.query('DELETE FROM link_values WHERE cluster = $1', [gone]);
      await db.query('DELETE FROM event_clusters WHERE event_id = $1', [gone]);
      dirty.delete(gone);
      cluster = keep;
      clusterKey = keepKey;
    }
    dirty.add(cluster);
  }

  private async refresh(db: PoolClient, dirty: Set<string>): Promise<void> {
    for (const cluster of dirty) {
      const first = (
        await db.query<{ rid: number; record: EventRecord }>(
          'SELECT lr.event_rid AS rid, lr.record FROM link_reports lr WHERE lr.cluster = $1 ORDER BY lr.order_key LIMIT 1',
          [cluster],
        )
      ).rows[0];
      if (!first) {
        await db.query('DELETE FROM event_clusters WHERE event_id = $1', [cluster]);
        continue;
      }
      const tallies = (await db.query<TalliedValue>('SELECT field, vkey AS key, value, n, first, rid FROM link_values WHERE cluster = $1', [cluster])).rows;
      const counts = (
        await db.query<{ n: number; independent: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT coalesce(lr.origin_fixed, ra.origin))::int AS independent
           FROM link_reports lr JOIN link_articles la ON la.article_rid = lr.article_rid JOIN link_articles ra ON ra.article_rid = la.dup_root
           WHERE lr.cluster = $1`,
          [cluster],
        )
      ).rows[0] ?? { n: 0, independent: 0 };
      const { record, placeRid } = mergeCluster(first.record, first.rid, tallies, counts.n, counts.independent);
      record.event_id = cluster;
      const a1 = record.actor1;
      const a2 = record.actor2;
      const loc = record.location;
      await db.query(
        `INSERT INTO event_clusters (${CLUSTER_COLUMNS})
         SELECT $1, $2, coalesce((SELECT article_rid FROM event_ids WHERE rid = $2), $3::bigint), ${params(34, 4)}
         ON CONFLICT (event_id) DO UPDATE SET (${CLUSTER_COLUMNS.replace('event_id, ', '')}) = ROW(excluded.${CLUSTER_COLUMNS.replace('event_id, ', '').split(/,\s*/).join(', excluded.')})`,
        [
          cluster,
          placeRid,
          0,
          record.article_id,
          record.date,
          record.date_precision,
          record.event_type,
          record.mode,
          record.acled_event_type,
          record.acled_sub_event_type,
          record.category ?? null,
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
          record.fatalities,
          record.injured,
          record.count,
          record.claim,
          record.claimed_by,
          record.confidence,
          counts.n,
          counts.independent,
          JSON.stringify(record),
        ],
      );
    }
  }

  /** Forgets every link and links all stored articles again (call in a transaction holding the write lock). */
  async relinkAll(db: PoolClient): Promise<{ articles: number; reports: number }> {
    await db.query('TRUNCATE link_lsh, link_reports, link_values, event_clusters, link_articles');
    const dirty = new Set<string>();
    const sigs = new Map<number, Uint32Array>();
    let after = 0;
    let articles = 0;
    let reports = 0;
    for (;;) {
      const rows = (
        await db.query<{ rid: number; id: string; date: string; source: string | null; text: string }>(
          'SELECT rid, id, date, source, text FROM articles WHERE rid > $1 ORDER BY rid LIMIT 500',
          [after],
        )
      ).rows;
      const last = rows[rows.length - 1];
      if (!last) break;
      const events = new Map<number, { rid: number; record: EventRecord }[]>();
      const evRows = await db.query<{ rid: number; article_rid: number; record: EventRecord }>(
        'SELECT rid, article_rid, record FROM events WHERE article_rid BETWEEN $1 AND $2 ORDER BY article_rid, position',
        [rows[0]!.rid, last.rid],
      );
      for (const e of evRows.rows) {
        const list = events.get(e.article_rid) ?? [];
        list.push({ rid: e.rid, record: e.record });
        events.set(e.article_rid, list);
      }
      for (const r of rows) {
        const evs = events.get(r.rid) ?? [];
        await this.linkOne(db, { ...r, events: evs }, dirty, sigs);
        articles++;
        reports += evs.length;
      }
      if (sigs.size > 20_000) sigs.clear();
      after = last.rid;
    }
    await this.refresh(db, dirty);
    return { articles, reports };
  }

  /** The merged event that an event id (merged or any report's) belongs to, with all its reports. */
  async reportsOf(db: PoolClient, eventId: string): Promise<EventReports | null> {
    const found = (
      await db.query<{ cluster: string }>('SELECT lr.cluster FROM event_ids e JOIN link_reports lr ON lr.event_rid = e.rid WHERE e.event_id = $1', [eventId])
    ).rows[0];
    const clusterId = found?.cluster ?? eventId;
    const merged = (await db.query<{ record: EventRecord }>('SELECT record FROM event_clusters WHERE event_id = $1', [clusterId])).rows[0];
    if (!merged) return null;
    const rows = (
      await db.query<{
        record: EventRecord;
        id: string;
        date: string;
        title: string | null;
        source: string | null;
        url: string | null;
        dup_of: string | null;
        origin: string;
      }>(
        `SELECT lr.record, a.id, a.date, a.title, a.source, a.url,
           CASE WHEN la.dup_root = la.article_rid THEN NULL ELSE root.id END AS dup_of, coalesce(lr.origin_fixed, ra.origin) AS origin
         FROM link_reports lr JOIN articles a ON a.rid = lr.article_rid
           JOIN link_articles la ON la.article_rid = lr.article_rid JOIN link_articles ra ON ra.article_rid = la.dup_root
           JOIN articles root ON root.rid = la.dup_root
         WHERE lr.cluster = $1 ORDER BY lr.order_key`,
        [clusterId],
      )
    ).rows;
    const reports: EventReport[] = rows.map((r) => ({
      record: { ...r.record, cluster_id: clusterId },
      article: { id: r.id, date: r.date, title: r.title, source: r.source, url: r.url },
      duplicate_of: r.dup_of,
      origin: r.origin,
    }));
    return { event: merged.record, reports };
  }
}
