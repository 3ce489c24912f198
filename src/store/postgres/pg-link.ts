/**
 * Cross-article linking inside the PostgreSQL store: the SQLite linker's algorithm (MinHash + LSH
 * near-duplicates, blocked report clustering that joins the earliest matching cluster, value and
 * origin tallies, merged events), run over a whole batch of articles in a fixed number of statements.
 * Writers never link: they mark their articles pending (with signatures computed in the writer), and
 * one linker at a time (PostgresStore.linkPending, under an advisory lock) links them in storage order.
 */
import { eventFilterColumns } from '../event-columns.js';
import type { PoolClient } from 'pg';
import { duplicateKeyRange, withinDuplicateWindow } from '../../link/band-index.js';
import { BlockingState, windowKey, type CandidateRow, type PendingSingle } from '../../link/blocking.js';
import type { LinkConfig } from '../../link/config.js';
import { mergeCluster, reportValues, type TalliedValue } from '../../link/merge.js';
import { bandKeys, minhashSignature, signatureFromBytes, signatureSimilarity, signatureToBytes } from '../../link/minhash.js';
import {
  articleOrigin,
  featuresOf,
  fieldsOfRecord,
  fixedOrigin,
  independentSources,
  matches,
  nameKey,
  type ReportFeatures,
  type ReportOrigin,
} from '../../link/report.js';
import type { EventRecord } from '../../types.js';
import type { EventReport, EventReports } from '../store.js';

/** An article to link: its store id, order fields, MinHash signature and its events' store ids. */
export interface PgLinkInput {
  rid: number;
  id: string;
  date: string;
  source: string | null;
  sig: Uint32Array;
  events: { rid: number; record: EventRecord }[];
}

interface TallyRow {
  cluster: string;
  field: string;
  key: string;
  value: string;
  first: string;
  rid: number;
  n: number;
}

interface ReportRow {
  event_rid: number;
  article_rid: number;
  cluster: string;
  cluster_key: string;
  family: string;
  country: string;
  pclass: string;
  day_lo: number;
  day_hi: number;
  order_key: string;
  origin_fixed: string | null;
  record: EventRecord;
}

/** A merged-event row for the multi-row upsert (json_populate_recordset over event_clusters). */
type ClusterRow = Record<string, unknown>;

/** What one linking run keeps in memory between its few statements. */
class RunState extends BlockingState {
  /** The run's own reports' features. */
  readonly features = new Map<number, ReportFeatures>();
  readonly singles = new Map<string, PendingSingle>();
  readonly dirty = new Set<string>();
  /** Article signatures, near-duplicate groups and order keys known to the run. */
  readonly sigs = new Map<number, Uint32Array>();
  readonly roots = new Map<number, number>();
  readonly keys = new Map<number, string>();
  /** Band key -> the run's articles with it (the run's own LSH index). */
  readonly lsh = new Map<number, number[]>();
  /** Clusters that have tallies (stored, or written by this run). */
  readonly tallied = new Set<string>();
  readonly tallies: TallyRow[] = [];
  /** Stored single-report clusters that another report joined: their one member is tallied at flush. */
  readonly memberTallies: { cluster: string; rid: number; key: string }[] = [];
  readonly reportRows: ReportRow[] = [];
  /** The run's reports' records and origins (a run report that another joins is tallied from here). */
  readonly ownReports = new Map<number, { record: EventRecord; origin: ReportOrigin }>();
  readonly articleRows: { rid: number; key: string; origin: string }[] = [];
  /** event_clusters rows to delete (clusters merged away). */
  readonly drops = new Set<string>();
}

/** An order key as PostgreSQL text can hold it (no NUL; \u0001 sorts the same way here). */
export function pgKey(key: string): string {
  return key.replaceAll('\u0000', '\u0001');
}

/** `$1, $2, ... $n` */
export function params(n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');
}

const FEATURE_CACHE = 100_000;

const TALLY_UPSERT = `INSERT INTO link_values (cluster, field, vkey, value, n, first, rid)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::bigint[])
  ON CONFLICT (cluster, field, vkey) DO UPDATE SET n = link_values.n + excluded.n,
    value = CASE WHEN excluded.first < link_values.first THEN excluded.value ELSE link_values.value END,
    rid = CASE WHEN excluded.first < link_values.first THEN excluded.rid ELSE link_values.rid END,
    first = least(link_values.first, excluded.first)`;

const CLUSTER_COLUMNS = `event_id, rid, article_rid, article_id, date, date_precision, event_type, mode, acled_event_type,
  acled_sub_event_type, category, actor1_name, actor1_id, actor1_kind, actor1_country, actor2_name, actor2_id, actor2_kind,
  actor2_country, actor_search, location_name, geonames_id, country, admin1, admin2, lat, lon, geo_precision, fatalities,
  injured, count, claim, claimed_by, confidence, reports, independent_sources, record`;
const CLUSTER_REST = CLUSTER_COLUMNS.replace('event_id, ', '')
  .split(/,\s*/)
  .map((c) => c.trim());

/** Merged events of a run in one statement; the place's article is looked up from the place report. */
const CLUSTER_UPSERT = `INSERT INTO event_clusters (${CLUSTER_COLUMNS})
  SELECT x.event_id, x.rid, coalesce((SELECT i.article_rid FROM event_ids i WHERE i.rid = x.rid), x.article_rid),
    ${CLUSTER_REST.slice(2).map((c) => `x.${c}`).join(', ')}
  FROM json_populate_recordset(NULL::event_clusters, $1::json) x
  ON CONFLICT (event_id) DO UPDATE SET (${CLUSTER_REST.join(', ')}) = ROW(${CLUSTER_REST.map((c) => `excluded.${c}`).join(', ')})`;

function clusterRow(cluster: string, record: EventRecord, placeRid: number, placeArticle: number, n: number, independent: number): ClusterRow {
  return {
    event_id: cluster,
    rid: placeRid,
    article_rid: placeArticle,
    article_id: record.article_id,
    ...eventFilterColumns(record),
    confidence: record.confidence,
    reports: n,
    independent_sources: independent,
    record,
  };
}

/** A single report's merged event: the report itself, counted once. */
function singleRecord(report: EventRecord, cluster: string): EventRecord {
  const record: EventRecord = { ...report, event_id: cluster, reports: 1, independent_sources: 1 };
  delete record.cluster_id;
  return record;
}

export class PgLinker {
  private readonly hashes: number;
  /** Report features by event rid (immutable: a report's rid is never reused). */
  private readonly feats = new Map<number, ReportFeatures>();

  constructor(private readonly config: LinkConfig) {
    const nd = config.nearDuplicate;
    this.hashes = nd.bands * nd.rowsPerBand;
  }

  /** The MinHash signature of a normalized text (computed by writers, so the linker does not). */
  signature(text: string): Uint32Array {
    return minhashSignature(text, this.config.nearDuplicate.shingleWords, this.hashes);
  }

  /** An article's signature: the one its extraction worker computed (StoredArticleInput.linkSignature), else computed here. */
  signatureOf(input: { result: { text: string }; linkSignature?: Uint32Array }): Uint32Array {
    const given = input.linkSignature;
    return given && given.length === this.hashes ? given : this.signature(input.result.text);
  }

  private keepFeatures(rid: number, f: ReportFeatures): void {
    if (this.feats.size >= FEATURE_CACHE) {
      const oldest = this.feats.keys().next();
      if (!oldest.done) this.feats.delete(oldest.value);
    }
    this.feats.set(rid, f);
  }

  private reportFeatures(record: EventRecord, articleDate: string): ReportFeatures {
    const f = featuresOf(fieldsOfRecord(record, articleDate), this.config);
    f.orderKey = pgKey(f.orderKey);
    return f;
  }

  /**
   * Links a batch of stored, not yet linked articles (in the order given) and refreshes the merged
   * events they touch, on a client inside a transaction that holds the linker lock.
   * @example await linker.link(tx, [{ rid, id, date, source, sig, events: [{ rid: eventRid, record }] }])
   */
  async link(db: PoolClient, inputs: PgLinkInput[]): Promise<void> {
    if (inputs.length === 0) return;
    const run = new RunState();
    const nd = this.config.nearDuplicate;
    const bandsOf = inputs.map((input) => bandKeys(input.sig, nd.bands, nd.rowsPerBand));
    const lshCands = await this.prepareArticles(db, inputs, bandsOf, run);
    await this.prepareReports(db, inputs, run);
    for (const [i, input] of inputs.entries()) await this.linkOne(db, input, bandsOf[i] as number[], lshCands.get(i) ?? [], run);
    await this.flush(db, inputs, bandsOf, run);
  }

  /** LSH candidates of every article of the batch (one statement), with their signatures and groups. */
  private async prepareArticles(db: PoolClient, inputs: PgLinkInput[], bandsOf: number[][], run: RunState): Promise<Map<number, number[]>> {
    const nd = this.config.nearDuplicate;
    const idx: number[] = [];
    const keys: number[] = [];
    for (const [i, ks] of bandsOf.entries()) for (const k of ks) (idx.push(i), keys.push(k));
    // Only articles dated within the near-duplicate window (an order-key range per input, by position).
    const ranges = inputs.map((input) => duplicateKeyRange(input.date, nd.windowDays).map(pgKey));
    const pairs = (
      await db.query<{ i: number; rid: number }>(
        `WITH x AS (SELECT i, array_agg(k) AS ks FROM unnest($1::int[], $2::bigint[]) AS t(i, k) GROUP BY i),
           w AS (SELECT n - 1 AS i, lo, hi FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS r(lo, hi, n))
         SELECT x.i, c.article_rid AS rid FROM x JOIN w ON w.i = x.i CROSS JOIN LATERAL (
           SELECT l.article_rid FROM link_lsh l JOIN link_articles la ON la.article_rid = l.article_rid
           WHERE l.band_key = ANY(x.ks) AND la.order_key >= w.lo AND la.order_key < w.hi LIMIT $3) c`,
        [idx, keys, nd.maxCandidates, ranges.map((r) => r[0]), ranges.map((r) => r[1])],
      )
    ).rows;
    const out = new Map<number, number[]>();
    const want = new Set<number>();
    for (const p of pairs) {
      const list = out.get(p.i) ?? [];
      list.push(p.rid);
      out.set(p.i, list);
      want.add(p.rid);
    }
    if (want.size) {
      const rows = await db.query<{ rid: number; signature: Buffer; root: number; key: string; root_key: string }>(
        `SELECT la.article_rid AS rid, la.signature, la.dup_root AS root, la.order_key AS key, ra.order_key AS root_key
         FROM link_articles la JOIN link_articles ra ON ra.article_rid = la.dup_root WHERE la.article_rid = ANY($1::bigint[])`,
        [[...want]],
      );
      for (const r of rows.rows) {
        run.sigs.set(r.rid, signatureFromBytes(r.signature));
        run.roots.set(r.rid, r.root);
        run.keys.set(r.rid, r.key);
        run.keys.set(r.root, r.root_key);
      }
    }
    for (const input of inputs) run.sigs.set(input.rid, input.sig);
    return out;
  }

  /**
   * Features of the batch's reports, then the stored candidates of all their blocking windows in one
   * statement (at most maxCandidates per window), with the candidates' features, articles' signatures
   * and which candidate clusters have tallies.
   */
  private async prepareReports(db: PoolClient, inputs: PgLinkInput[], run: RunState): Promise<void> {
    const c = this.config.cluster;
    const windows: { i: number; family: string; country: string; lo: number; hi: number; clo: number }[] = [];
    const keys: string[] = [];
    for (const input of inputs) {
      for (const ev of input.events) {
        const f = this.reportFeatures(ev.record, input.date);
        run.features.set(ev.rid, f);
        if (f.pclass === 'none') continue;
        const lo = f.dayLo - c.dayTolerance;
        const hi = f.dayHi + c.dayTolerance;
        const key = windowKey(f.family, f.blockCountry, lo, hi);
        if (run.blocks.has(key)) continue;
        run.blocks.set(key, []);
        windows.push({ i: keys.length, family: f.family, country: f.blockCountry, lo, hi, clo: lo - c.maxWindowDays });
        keys.push(key);
      }
    }
    if (windows.length === 0) return;
    const rows = (
      await db.query<{ i: number; rid: number; article_rid: number; cluster: string; cluster_key: string }>(
        `SELECT w.i, r.rid, r.article_rid, r.cluster, r.cluster_key
         FROM json_to_recordset($1::json) AS w(i int, family text, country text, lo int, hi int, clo int)
         CROSS JOIN LATERAL (
           (SELECT lr.event_rid AS rid, lr.article_rid, lr.cluster, lr.cluster_key FROM link_reports lr
             WHERE lr.family = w.family AND lr.country = w.country AND lr.pclass = 'day' AND lr.day_lo BETWEEN w.lo AND w.hi
             ORDER BY lr.day_lo, lr.event_rid)
           UNION ALL
           (SELECT lr.event_rid, lr.article_rid, lr.cluster, lr.cluster_key FROM link_reports lr
             WHERE lr.family = w.family AND lr.country = w.country AND lr.pclass = 'coarse' AND lr.day_lo BETWEEN w.clo AND w.hi AND lr.day_hi >= w.lo
             ORDER BY lr.day_lo, lr.event_rid)
           LIMIT $2) r`,
        [JSON.stringify(windows), c.maxCandidates],
      )
    ).rows;
    const missingFeatures = new Set<number>();
    const missingSigs = new Set<number>();
    const clusters = new Set<string>();
    for (const r of rows) {
      (run.blocks.get(keys[r.i] as string) as CandidateRow[]).push([r.rid, r.article_rid, r.cluster, r.cluster_key]);
      if (!this.feats.has(r.rid)) missingFeatures.add(r.rid);
      if (!run.sigs.has(r.article_rid)) missingSigs.add(r.article_rid);
      clusters.add(r.cluster);
    }
    if (rows.length === 0) return;
    // One after another: a client runs one statement at a time anyway.
    const feats =
      missingFeatures.size
        ? await db.query<{ rid: number; family: string; country: string; pclass: ReportFeatures['pclass']; day_lo: number; day_hi: number; order_key: string; record: EventRecord }>(
            'SELECT event_rid AS rid, family, country, pclass, day_lo, day_hi, order_key, record FROM link_reports WHERE event_rid = ANY($1::bigint[])',
            [[...missingFeatures]],
          )
        : null;
    const sigs = missingSigs.size
      ? await db.query<{ rid: number; signature: Buffer }>('SELECT article_rid AS rid, signature FROM link_articles WHERE article_rid = ANY($1::bigint[])', [[...missingSigs]])
      : null;
    const tallied = await db.query<{ cluster: string }>('SELECT DISTINCT cluster FROM link_values WHERE cluster = ANY($1::text[])', [[...clusters]]);
    for (const r of feats?.rows ?? []) {
      const fields = fieldsOfRecord(r.record, '');
      this.keepFeatures(r.rid, {
        ...fields,
        family: r.family,
        pclass: r.pclass,
        dayLo: r.day_lo,
        dayHi: r.day_hi,
        blockCountry: r.country,
        orderKey: r.order_key,
        actor1Key: nameKey(fields.actor1_name),
        actor2Key: nameKey(fields.actor2_name),
        admin1Key: nameKey(fields.admin1),
      });
    }
    for (const r of sigs?.rows ?? []) run.sigs.set(r.rid, signatureFromBytes(r.signature));
    for (const r of tallied.rows) run.tallied.add(r.cluster);
  }

  private near(a: number, b: number, run: RunState): boolean {
    const sa = run.sigs.get(a);
    const sb = run.sigs.get(b);
    return sa !== undefined && sb !== undefined && signatureSimilarity(sa, sb) >= this.config.nearDuplicate.threshold;
  }

  private async linkOne(db: PoolClient, input: PgLinkInput, keys: number[], stored: number[], run: RunState): Promise<void> {
    const nd = this.config.nearDuplicate;
    const orderKey = pgKey(`${input.date}\u0000${input.id}`);
    const roots = new Map<number, string>();
    const seen = new Set<number>();
    const candidates = [...stored];
    // The run's own articles, when dated within the near-duplicate window.
    for (const k of keys) for (const r of run.lsh.get(k) ?? []) if (withinDuplicateWindow(input.date, run.keys.get(r) ?? '', nd.windowDays)) candidates.push(r);
    for (const cand of candidates) {
      if (seen.has(cand)) continue;
      seen.add(cand);
      const sig = run.sigs.get(cand);
      const root = run.roots.get(cand);
      // One confirmed copy of a group is enough: the others would name the same group.
      if (!sig || root === undefined || roots.has(root) || signatureSimilarity(input.sig, sig) < nd.threshold) continue;
      roots.set(root, run.keys.get(root) as string);
    }
    let root = input.rid;
    let rootKey = orderKey;
    for (const [r, key] of roots) {
      if (key < rootKey) {
        root = r;
        rootKey = key;
      }
    }
    run.articleRows.push({ rid: input.rid, key: orderKey, origin: articleOrigin(input.id, input.source) });
    run.roots.set(input.rid, root);
    run.keys.set(input.rid, orderKey);
    for (const k of keys) {
      const list = run.lsh.get(k);
      if (list) list.push(input.rid);
      else run.lsh.set(k, [input.rid]);
    }
    for (const r of roots.keys()) {
      if (r === root) continue;
      // A group joins an earlier one: its reports now rest on another origin (rare: one statement each).
      const moved = await db.query<{ cluster: string; key: string }>(
        `WITH m AS (UPDATE link_articles SET dup_root = $1 WHERE dup_root = $2 RETURNING article_rid)
         SELECT DISTINCT lr.cluster, lr.cluster_key AS key FROM m JOIN link_reports lr ON lr.article_rid = m.article_rid`,
        [root, r],
      );
      for (const c of moved.rows) run.dirty.add(run.resolve(c.cluster, c.key)[0]);
      const members = new Set<number>();
      for (const [a, ar] of run.roots) {
        if (ar !== r) continue;
        run.roots.set(a, root);
        members.add(a);
      }
      for (const rep of run.reportRows) if (members.has(rep.article_rid)) run.dirty.add(run.resolve(rep.cluster, rep.cluster_key)[0]);
    }
    for (const ev of input.events) this.linkReport(input, ev.rid, ev.record, run);
  }

  /** Buffers one report's values (and the origin it rests on) for its cluster's tallies. */
  private tally(run: RunState, cluster: string, record: EventRecord, eventRid: number, orderKey: string, origin: ReportOrigin): void {
    const token = origin.fixed ?? origin.article;
    for (const v of reportValues(record)) {
      run.tallies.push({ cluster, field: v.field, key: v.key, value: v.value, first: v.rank ? `${orderKey}\u0001${v.rank}` : orderKey, rid: eventRid, n: 1 });
    }
    run.tallies.push({
      cluster,
      field: 'origin',
      key: `${origin.dupRoot}\u0001${token}`,
      value: JSON.stringify({ root: origin.dupRoot, token }),
      first: orderKey,
      rid: eventRid,
      n: 1,
    });
    run.tallied.add(cluster);
  }

  private linkReport(input: PgLinkInput, eventRid: number, record: EventRecord, run: RunState): void {
    const f = run.features.get(eventRid) ?? this.reportFeatures(record, input.date);
    const own = record.event_id;
    const fixed = fixedOrigin(record, this.config);
    const origin: ReportOrigin = { fixed, dupRoot: run.roots.get(input.rid) ?? input.rid, article: articleOrigin(input.id, input.source) };
    const joined = new Map<string, [string, number]>();
    if (f.pclass !== 'none') {
      for (const row of run.candidates(f, this.config, (rid) => run.features.get(rid) ?? this.feats.get(rid))) {
        const [rid, articleRid, rowCluster, rowKey] = row;
        if (rid === eventRid || joined.has(rowCluster)) continue;
        const other = run.features.get(rid) ?? this.feats.get(rid);
        if (!other) continue;
        if (matches(f, other, () => this.near(input.rid, articleRid, run), this.config)) joined.set(rowCluster, [rowKey, rid]);
      }
    }
    let target = own;
    let targetKey = f.orderKey;
    for (const [other, [otherKey]] of joined) {
      if (otherKey < targetKey) {
        target = other;
        targetKey = otherKey;
      }
    }
    run.reportRows.push({
      event_rid: eventRid,
      article_rid: input.rid,
      cluster: target,
      cluster_key: targetKey,
      family: f.family,
      country: f.blockCountry,
      pclass: f.pclass,
      day_lo: f.dayLo,
      day_hi: f.dayHi,
      order_key: f.orderKey,
      origin_fixed: fixed,
      record,
    });
    run.ownReports.set(eventRid, { record, origin });
    this.keepFeatures(eventRid, f);
    run.addReport(f, [eventRid, input.rid, target, targetKey]);
    if (joined.size === 0) {
      if (!run.dirty.has(own)) run.singles.set(own, { record, eventRid, articleRid: input.rid });
      return;
    }
    for (const [other, [otherKey, memberRid]] of joined) {
      if (!run.tallied.has(other)) {
        // A cluster without tallies has one report: tally it (now when it is this run's, at flush when stored).
        const mine = run.ownReports.get(memberRid);
        if (mine) this.tally(run, other, mine.record, memberRid, otherKey, mine.origin);
        else {
          run.memberTallies.push({ cluster: other, rid: memberRid, key: otherKey });
          run.tallied.add(other);
        }
      }
      if (other === target) continue;
      // Union: a later cluster moves under the earliest report's id (stored rows relabelled at flush).
      if (!run.singles.has(other)) run.drops.add(other);
      run.singles.delete(other);
      run.moved.set(other, [target, targetKey]);
      run.dirty.delete(other);
    }
    this.tally(run, target, record, eventRid, f.orderKey, origin);
    run.dirty.add(target);
  }

  /** Writes what the run decided: articles, bands, relabels, reports, tallies, then the merged events. */
  private async flush(db: PoolClient, inputs: PgLinkInput[], bandsOf: number[][], run: RunState): Promise<void> {
    const sigOf = new Map(inputs.map((i) => [i.rid, i.sig]));
    await db.query(
      `INSERT INTO link_articles (article_rid, signature, dup_root, order_key, origin)
       SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bigint[], $4::text[], $5::text[])`,
      [
        run.articleRows.map((a) => a.rid),
        run.articleRows.map((a) => signatureToBytes(sigOf.get(a.rid) as Uint32Array)),
        run.articleRows.map((a) => run.roots.get(a.rid) ?? a.rid),
        run.articleRows.map((a) => a.key),
        run.articleRows.map((a) => a.origin),
      ],
    );
    const bandRids: number[] = [];
    const bandKeysFlat: number[] = [];
    for (const [i, ks] of bandsOf.entries()) for (const k of ks) (bandRids.push((inputs[i] as PgLinkInput).rid), bandKeysFlat.push(k));
    await db.query('INSERT INTO link_lsh (band_key, article_rid) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING', [bandKeysFlat, bandRids]);

    // Stored clusters merged into others: their reports relabelled, their tallies summed into the target.
    const merges = [...run.moved.keys()].map((gone) => [gone, ...run.resolve(gone, '')] as [string, string, string]);
    if (merges.length) {
      const gone = merges.map((m) => m[0]);
      const target = merges.map((m) => m[1]);
      const key = merges.map((m) => m[2]);
      await db.query(
        `UPDATE link_reports lr SET cluster = m.target, cluster_key = m.key FROM unnest($1::text[], $2::text[], $3::text[]) AS m(gone, target, key)
         WHERE lr.cluster = m.gone`,
        [gone, target, key],
      );
      await db.query(
        `WITH m AS (SELECT * FROM unnest($1::text[], $2::text[]) AS m(gone, target)),
         moved AS (DELETE FROM link_values v USING m WHERE v.cluster = m.gone RETURNING m.target, v.field, v.vkey, v.value, v.n, v.first, v.rid)
         INSERT INTO link_values (cluster, field, vkey, value, n, first, rid)
         SELECT target, field, vkey, (array_agg(value ORDER BY first))[1], sum(n), min(first), (array_agg(rid ORDER BY first))[1]
         FROM moved GROUP BY target, field, vkey
         ON CONFLICT (cluster, field, vkey) DO UPDATE SET n = link_values.n + excluded.n,
           value = CASE WHEN excluded.first < link_values.first THEN excluded.value ELSE link_values.value END,
           rid = CASE WHEN excluded.first < link_values.first THEN excluded.rid ELSE link_values.rid END,
           first = least(link_values.first, excluded.first)`,
        [gone, target],
      );
    }
    for (const r of run.reportRows) [r.cluster, r.cluster_key] = run.resolve(r.cluster, r.cluster_key);
    await db.query(
      `INSERT INTO link_reports (event_rid, article_rid, cluster, cluster_key, family, country, pclass, day_lo, day_hi, order_key, origin_fixed, record)
       SELECT event_rid, article_rid, cluster, cluster_key, family, country, pclass, day_lo, day_hi, order_key, origin_fixed, record
       FROM json_populate_recordset(NULL::link_reports, $1::json)`,
      [JSON.stringify(run.reportRows)],
    );

    if (run.memberTallies.length) {
      const rows = await db.query<{ rid: number; record: EventRecord; fixed: string | null; root: number; origin: string }>(
        `SELECT lr.event_rid AS rid, lr.record, lr.origin_fixed AS fixed, la.dup_root AS root, la.origin
         FROM link_reports lr JOIN link_articles la ON la.article_rid = lr.article_rid WHERE lr.event_rid = ANY($1::bigint[])`,
        [run.memberTallies.map((m) => m.rid)],
      );
      const byRid = new Map(rows.rows.map((r) => [r.rid, r]));
      for (const m of run.memberTallies) {
        const r = byRid.get(m.rid);
        if (r) this.tally(run, m.cluster, r.record, m.rid, m.key, { fixed: r.fixed, dupRoot: r.root, article: r.origin });
      }
    }
    if (run.tallies.length) {
      // Equal keys summed first: one row may be updated once per statement.
      const sum = new Map<string, TallyRow>();
      for (const t of run.tallies) {
        t.cluster = run.resolve(t.cluster, '')[0];
        const id = `${t.cluster}\u0000${t.field}\u0000${t.key}`;
        const have = sum.get(id);
        if (!have) sum.set(id, { ...t });
        else {
          have.n += t.n;
          if (t.first < have.first) {
            have.first = t.first;
            have.value = t.value;
            have.rid = t.rid;
          }
        }
      }
      const ts = [...sum.values()];
      await db.query(TALLY_UPSERT, [
        ts.map((t) => t.cluster),
        ts.map((t) => t.field),
        ts.map((t) => t.key),
        ts.map((t) => t.value),
        ts.map((t) => t.n),
        ts.map((t) => t.first),
        ts.map((t) => t.rid),
      ]);
    }
    if (run.drops.size) await db.query('DELETE FROM event_clusters WHERE event_id = ANY($1::text[])', [[...run.drops]]);

    const out = new Map<string, ClusterRow>();
    for (const [cluster, s] of run.singles) {
      if (run.dirty.has(cluster) || run.moved.has(cluster)) continue;
      out.set(cluster, clusterRow(cluster, singleRecord(s.record, cluster), s.eventRid, s.articleRid, 1, 1));
    }
    await this.refresh(db, run.dirty, out);
    if (out.size) await db.query(CLUSTER_UPSERT, [JSON.stringify([...out.values()])]);
  }

  /** Recomputes the merged events of clusters from their earliest report and tallies (a few statements in all). */
  private async refresh(db: PoolClient, dirty: Set<string>, out: Map<string, ClusterRow>): Promise<void> {
    if (dirty.size === 0) return;
    const list = [...dirty];
    const firsts = await db.query<{ cluster: string; rid: number; article_rid: number; record: EventRecord }>(
      `SELECT DISTINCT ON (cluster) cluster, event_rid AS rid, article_rid, record FROM link_reports WHERE cluster = ANY($1::text[]) ORDER BY cluster, order_key`,
      [list],
    );
    const tallyRows = await db.query<TalliedValue & { cluster: string }>('SELECT cluster, field, vkey AS key, value, n, first, rid FROM link_values WHERE cluster = ANY($1::text[])', [
      list,
    ]);
    const talliesOf = new Map<string, TalliedValue[]>();
    const originRoots = new Set<number>();
    for (const t of tallyRows.rows) {
      const l = talliesOf.get(t.cluster) ?? [];
      l.push(t);
      talliesOf.set(t.cluster, l);
      if (t.field === 'origin') originRoots.add((JSON.parse(t.value) as { root: number }).root);
    }
    // A group may have joined an earlier one since a report was tallied: its root's current root.
    const rootNow = new Map<number, number>();
    if (originRoots.size) {
      const r = await db.query<{ rid: number; root: number }>('SELECT article_rid AS rid, dup_root AS root FROM link_articles WHERE article_rid = ANY($1::bigint[])', [
        [...originRoots],
      ]);
      for (const x of r.rows) rootNow.set(x.rid, x.root);
    }
    const firstOf = new Map(firsts.rows.map((r) => [r.cluster, r]));
    const empty: string[] = [];
    for (const cluster of list) {
      const first = firstOf.get(cluster);
      if (!first) {
        empty.push(cluster);
        continue;
      }
      const tallies = talliesOf.get(cluster) ?? [];
      if (tallies.length === 0) {
        out.set(cluster, clusterRow(cluster, singleRecord(first.record, cluster), first.rid, first.article_rid, 1, 1));
        continue;
      }
      let n = 0;
      const origins: ReportOrigin[] = [];
      for (const t of tallies) {
        if (t.field === 'type') n += t.n;
        else if (t.field === 'origin') {
          const o = JSON.parse(t.value) as { root: number; token: string };
          origins.push({ fixed: o.token, dupRoot: rootNow.get(o.root) ?? o.root, article: o.token });
        }
      }
      const independent = independentSources(origins);
      const { record, placeRid } = mergeCluster(first.record, first.rid, tallies, n, independent);
      record.event_id = cluster;
      out.set(cluster, clusterRow(cluster, record, placeRid, 0, n, independent));
    }
    if (empty.length) await db.query('DELETE FROM event_clusters WHERE event_id = ANY($1::text[])', [empty]);
  }

  /**
   * Forgets every link and links all stored articles again in storage order (call in a transaction
   * holding the linker lock); clears the pending marks of the articles it linked.
   */
  async relinkAll(db: PoolClient): Promise<{ articles: number; reports: number }> {
    await db.query('TRUNCATE link_lsh, link_reports, link_values, event_clusters, link_articles');
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
      const inputs: PgLinkInput[] = rows.map((r) => ({ rid: r.rid, id: r.id, date: r.date, source: r.source, sig: this.signature(r.text), events: events.get(r.rid) ?? [] }));
      await this.link(db, inputs);
      await db.query('DELETE FROM link_pending WHERE article_rid = ANY($1::bigint[])', [rows.map((r) => r.rid)]);
      articles += inputs.length;
      for (const i of inputs) reports += i.events.length;
      after = last.rid;
    }
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
           CASE WHEN la.dup_root = la.article_rid THEN NULL ELSE root.id END AS dup_of, coalesce(lr.origin_fixed, la.origin) AS origin
         FROM link_reports lr JOIN articles a ON a.rid = lr.article_rid
           JOIN link_articles la ON la.article_rid = lr.article_rid JOIN articles root ON root.rid = la.dup_root
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
