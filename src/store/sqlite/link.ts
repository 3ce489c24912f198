/**
 * Cross-article linking inside the SQLite store, run in the write transaction: near-duplicate
 * articles (MinHash + an in-memory LSH band index of the articles dated within the near-duplicate
 * window, src/link/band-index.ts), reports clustered into events (blocking by type family,
 * country and date window, then the pairwise decision of src/link), per-cluster value tallies and
 * the merged event rows that queries read. Every look-up is indexed, so the cost per article does not
 * grow with the store.
 */
import { randomUUID } from 'node:crypto';
import { actorSearchKey } from '../event-columns.js';
import type Database from 'better-sqlite3';
import { BandIndex, articleKeyRange, type BandedArticle } from '../../link/band-index.js';
import { BlockingState, windowKey, type CandidateRow, type PendingSingle } from '../../link/blocking.js';
import type { LinkConfig } from '../../link/config.js';
import { mergeCluster, reportValues, type TalliedValue } from '../../link/merge.js';
import { bandKeys, minhashSignature, signatureFromBytes, signatureSimilarity, signatureToBytes } from '../../link/minhash.js';
import {
  articleOrigin,
  dayNumber,
  decodeFields,
  encodeFields,
  featuresOf,
  fieldsOfRecord,
  fixedOrigin,
  IndependentSources,
  answerMatches,
  pairAnswer,
  type ReportFeatures,
  type ReportOrigin,
} from '../../link/report.js';
import type { EventRecord } from '../../types.js';
import type { EventReport, EventReports, RelinkSummary } from '../store.js';

type DB = Database.Database;
type Param = string | number | null;

/** Columns of an event_clusters row, in the order write() lists their values. */
const CLUSTER_COLUMN_NAMES = [
  'event_id', 'rid', 'article_rid', 'article_id', 'date', 'date_precision', 'event_type', 'mode', 'acled_event_type',
  'acled_sub_event_type', 'category', 'actor1_name', 'actor1_id', 'actor1_kind', 'actor1_country', 'actor2_name', 'actor2_id', 'actor2_kind',
  'actor2_country', 'actor_search', 'location_name', 'geonames_id', 'country', 'admin1', 'admin2', 'lat', 'lon', 'geo_precision', 'fatalities',
  'injured', 'count', 'claim', 'claimed_by', 'confidence', 'reports', 'independent_sources', 'record',
] as const;
const CLUSTER_COLUMNS = CLUSTER_COLUMN_NAMES.length;

/** An article just stored, with its events' store ids. */
export interface LinkInput {
  rid: number;
  id: string;
  date: string;
  source: string | null;
  /** The normalized text. */
  text: string;
  /** Its MinHash signature when computed elsewhere (a worker); computed here when absent or of another size. */
  signature?: Uint32Array | undefined;
  events: { rid: number; record: EventRecord }[];
}

/**
 * What one writeBatch's linking keeps in memory: blocking results per key (one query per distinct
 * (family, country, date window) in the batch), the batch's own reports by (family, country),
 * clusters merged into others (so remembered rows resolve to their current cluster), and the
 * single-report clusters still to write.
 */
class BatchState extends BlockingState {
  /** Each report's features, computed once. */
  readonly features = new Map<number, ReportFeatures>();
  /** The features of each blocking window's stored candidates (as blocks lists them), found once a batch by prepareStoredFeatures. */
  readonly storedFeatures = new Map<string, ReportFeatures[]>();
  readonly singles = new Map<string, PendingSingle>();
  readonly dirty = new Set<string>();
}

/** The record stored for a merged event of one report: it is read from the report's own row (mergedEvent). */
const SINGLE_RECORD = '{}';

/** Articles' link rows kept in memory between look-ups, least recently used dropped first (bounded: the store stays the truth). */
const ARTICLE_CACHE = 20_000;

/** An article's near-duplicate state: its signature, its group's earliest article, its order key. */
interface LinkedArticle {
  sig: Uint32Array;
  root: number;
  key: string;
}
/**
 * Report features kept in memory in two generations of this many (~1.2 kB each, so 24 to 48 MB): the
 * recent one takes every report stored or looked up; when it is full it becomes the older one (the
 * older one is dropped), and a report found in the older one is taken into the recent one again. So
 * the reports that blocking windows keep returning stay, at the cost of one look-up a hit (a
 * least-recently-used order costs a delete and an insert a hit); others' features are read back
 * from link_report_fields.
 */
const FEATURE_GENERATION = 20_000;

/** LSH band entries kept in memory (20 an article, ~16 bytes each, so ~32 MB): the articles of the days most recently looked at. */
const BAND_BUDGET = 2_000_000;

/** Clusters of two or more reports whose tallies and earliest report are kept in memory between batches. */
const CLUSTER_CACHE = 10_000;

/**
 * A cluster of two or more reports as kept in memory: its tallies (as link_values holds them once the
 * batch is written) and its earliest report, the one that names it.
 */
interface ClusterState {
  /** Tallied values by `field \0 vkey`, but for origins. */
  tallies: Map<string, TalliedValue>;
  /** Tallied origins (field 'origin') by `origin \0 vkey`: one a near-duplicate group and token, so as many as the cluster's sources. */
  origins: Map<string, TalliedValue>;
  /** The independent sources of the origins, kept as they are added (a refresh reads its count). */
  sources: IndependentSources;
  /** Keys of the tallies (origins included) changed since they were last written. */
  changed: Set<string>;
  earliestRid: number;
  earliest: EventRecord;
  /**
   * The event_clusters row this linker last wrote for the cluster (null: not known here). A later
   * write then updates only the columns that changed (the report counts and the record, mostly), so the
   * row keeps its place and the indexes on unchanged columns are not rewritten.
   */
  row: Param[] | null;
}

const tallyKey = (field: string, key: string): string => `${field}\u0000${key}`;

/** A cluster's state before any report is tallied in it. */
function newClusterState(earliestRid: number, earliest: EventRecord): ClusterState {
  return { tallies: new Map(), origins: new Map(), sources: new IndependentSources(), changed: new Set(), earliestRid, earliest, row: null };
}

export class SqliteLinker {
  private readonly st;
  private readonly arts = new Map<number, LinkedArticle>();
  /**
   * The near-duplicate group root of every article seen since the caches were last dropped, by article
   * rid (0: not known here), as it was then; movedRoots says where groups merged since have gone. Four
   * bytes an article, so LSH candidates of groups already confirmed are skipped without reading their
   * signatures (buckets of often-syndicated texts return many copies of one group).
   */
  private knownRoots = new Int32Array(1024);
  private readonly movedRoots = new Map<number, number>();
  /** PRAGMA data_version when the article cache was last known to match the store. */
  private dataVersion = -1;
  /**
   * The link generation this linker last wrote (link_state 'generation', a new token each linking
   * batch): when another connection committed, its caches still hold unless the generation changed
   * (a write that leaves links alone, such as a source's poll state, keeps them; another linker's batch does not).
   */
  private generation: string | null = null;
  /** Report features, the recent and the older generation (FEATURE_GENERATION). */
  private feats = new Map<number, ReportFeatures>();
  private olderFeats = new Map<number, ReportFeatures>();
  /** Clusters of several reports (LRU order), read from the store on a miss; those with changes are written when a batch ends. */
  private readonly clusters = new Map<string, ClusterState>();
  /** Updates of event_clusters by the columns they set (their indexes joined by commas). */
  private readonly clusterUpdateStatements = new Map<string, Database.Statement>();
  private readonly hashes: number;
  /** Near-duplicate candidates by LSH band, by article day (rebuilt from link_articles' signatures). */
  private readonly bands: BandIndex;

  constructor(
    private readonly db: DB,
    private readonly config: LinkConfig,
  ) {
    const nd = config.nearDuplicate;
    this.hashes = nd.bands * nd.rowsPerBand;
    this.st = {
      articlesOfDays: db.prepare('SELECT article_rid, signature, order_key FROM link_articles WHERE order_key >= ? AND order_key < ?').raw(true),
      linkedArticle: db.prepare('SELECT signature, dup_root, order_key FROM link_articles WHERE article_rid = ?').raw(true),
      insertArticle: db.prepare('INSERT INTO link_articles (article_rid, signature, dup_root, order_key, origin) VALUES (?, ?, ?, ?, ?)'),
      clustersOfGroup: db.prepare(
        `SELECT DISTINCT lr.cluster AS cluster FROM link_articles la JOIN events e ON e.article_rid = la.article_rid
           JOIN link_reports lr ON lr.event_rid = e.rid WHERE la.dup_root = ?`,
      ),
      moveGroup: db.prepare('UPDATE link_articles SET dup_root = ? WHERE dup_root = ?'),
      insertReport: db.prepare(
        `INSERT INTO link_reports (event_rid, article_rid, cluster, cluster_key, family, country, pclass, day_lo, day_hi, order_key, origin_fixed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFields: db.prepare('INSERT INTO link_report_fields (event_rid, fields) VALUES (?, ?)'),
      // The stored candidates of every blocking window of a batch, in one statement: windows are
      // [family, country, lo, hi, coarseLo] (a JSON array, its values read out once a window, not once
      // a row); each is read as one primary-key range per date class, at most @limit rows, and comes
      // back as one JSON array of candidate rows.
      blocking: db
        .prepare(
          `WITH w AS MATERIALIZED (
             SELECT key, value ->> 0 AS family, value ->> 1 AS country, value ->> 2 AS lo, value ->> 3 AS hi, value ->> 4 AS coarse_lo FROM json_each(@w)
           )
           SELECT w.key, (SELECT json_group_array(json_array(event_rid, article_rid, cluster, cluster_key)) FROM (
             SELECT event_rid, article_rid, cluster, cluster_key FROM link_reports
               WHERE family = w.family AND country = w.country AND pclass = 'day' AND day_lo BETWEEN w.lo AND w.hi
             UNION ALL
             SELECT event_rid, article_rid, cluster, cluster_key FROM link_reports
               WHERE family = w.family AND country = w.country AND pclass = 'coarse' AND day_lo BETWEEN w.coarse_lo AND w.hi AND day_hi >= w.lo
             LIMIT @limit))
           FROM w`,
        )
        .raw(true),
      recordOf: db.prepare('SELECT record FROM events WHERE rid = ?'),
      featuresOf: db.prepare('SELECT fields FROM link_report_fields WHERE event_rid = ?').pluck(true),
      // Rids as a JSON array, in rid order (so the table is read front to back).
      featuresOfMany: db.prepare('SELECT event_rid, fields FROM link_report_fields WHERE event_rid IN (SELECT value FROM json_each(?))').raw(true),
      dropTallies: db.prepare('DELETE FROM link_values WHERE cluster = ?'),
      upsertTally: db.prepare(
        `INSERT INTO link_values (cluster, field, vkey, value, n, first, rid) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (cluster, field, vkey) DO UPDATE SET value = excluded.value, n = excluded.n, first = excluded.first, rid = excluded.rid`,
      ),
      insertCluster: db.prepare(`INSERT OR REPLACE INTO event_clusters (${CLUSTER_COLUMN_NAMES.join(', ')}) VALUES (${CLUSTER_COLUMN_NAMES.map(() => '?').join(', ')})`),
      relabel: db.prepare('UPDATE link_reports SET cluster = ?, cluster_key = ? WHERE cluster = ?'),
      dropCluster: db.prepare('DELETE FROM event_clusters WHERE event_id = ?'),
      earliest: db.prepare(
        'SELECT lr.event_rid AS rid, e.record AS record FROM link_reports lr JOIN events e ON e.rid = lr.event_rid WHERE lr.cluster = ? ORDER BY lr.order_key LIMIT 1',
      ),
      tallies: db.prepare('SELECT field, vkey AS key, value, n, first, rid FROM link_values WHERE cluster = ?'),
      originOf: db.prepare(
        `SELECT lr.origin_fixed AS fixed, la.dup_root AS dupRoot, la.origin AS article
         FROM link_reports lr JOIN link_articles la ON la.article_rid = lr.article_rid WHERE lr.event_rid = ?`,
      ),
      articleOfEvent: db.prepare('SELECT article_rid FROM events WHERE rid = ?'),
      clusterOfEvent: db.prepare('SELECT lr.cluster AS cluster FROM events e JOIN link_reports lr ON lr.event_rid = e.rid WHERE e.event_id = ?'),
      merged: db.prepare(
        `SELECT c.record AS record, CASE WHEN c.record = '${SINGLE_RECORD}' THEN (SELECT record FROM events WHERE rid = c.rid) END AS report
         FROM event_clusters c WHERE c.event_id = ?`,
      ),
      reports: db.prepare(
        `SELECT e.record AS record, a.id AS id, a.date AS date, a.title AS title, a.source AS source, a.url AS url,
           CASE WHEN la.dup_root = la.article_rid THEN NULL ELSE root.id END AS dup_of, coalesce(lr.origin_fixed, la.origin) AS origin
         FROM link_reports lr JOIN events e ON e.rid = lr.event_rid JOIN articles a ON a.rid = lr.article_rid
           JOIN link_articles la ON la.article_rid = lr.article_rid JOIN articles root ON root.rid = la.dup_root
         WHERE lr.cluster = ? ORDER BY lr.order_key`,
      ),
      needsRelink: db.prepare("SELECT 1 FROM link_state WHERE key = 'relink_needed'"),
      relinkDone: db.prepare("DELETE FROM link_state WHERE key = 'relink_needed'"),
      generation: db.prepare("SELECT value FROM link_state WHERE key = 'generation'").pluck(true),
      setGeneration: db.prepare("INSERT OR REPLACE INTO link_state (key, value) VALUES ('generation', ?)"),
      markStale: db.prepare("INSERT OR REPLACE INTO link_state (key, value) VALUES ('relink_needed', '1')"),
      articlesAfter: db.prepare('SELECT rid, id, date, source, text FROM articles WHERE rid > ? ORDER BY rid LIMIT ?'),
      eventsOfArticles: db.prepare('SELECT rid, article_rid, record FROM events WHERE article_rid BETWEEN ? AND ? ORDER BY article_rid, position'),
    };
    this.bands = new BandIndex(nd.windowDays, BAND_BUDGET, (from, to) => this.articlesOfDays(from, to));
  }

  /** The linked articles dated in days [from, to] (day numbers), with their band keys, for the band index. */
  private articlesOfDays(from: number, to: number): BandedArticle[] {
    const nd = this.config.nearDuplicate;
    const rows = this.st.articlesOfDays.all(...articleKeyRange(from, to)) as [number, Buffer, string][];
    return rows.map(([rid, sig, key]) => ({ rid, day: dayNumber(key.slice(0, 10)), keys: bandKeys(signatureFromBytes(sig), nd.bands, nd.rowsPerBand) }));
  }

  /** An article's signature and group, from the cache or the store (null when it is not linked). */
  private linked(articleRid: number): LinkedArticle | null {
    const hit = this.arts.get(articleRid);
    if (hit) {
      // Least recently used goes first: the old articles that LSH buckets keep returning stay.
      this.arts.delete(articleRid);
      this.arts.set(articleRid, hit);
      return hit;
    }
    const row = this.st.linkedArticle.get(articleRid) as [Buffer, number, string] | undefined;
    if (!row) return null;
    const a: LinkedArticle = { sig: signatureFromBytes(row[0]), root: row[1], key: row[2] };
    this.remember(articleRid, a);
    return a;
  }

  /** The current group root of an article when known in memory, else null (then linked() reads it). */
  private knownRoot(articleRid: number): number | null {
    let root = articleRid < this.knownRoots.length ? (this.knownRoots[articleRid] as number) : 0;
    if (root === 0) return null;
    for (let next = this.movedRoots.get(root); next !== undefined; next = this.movedRoots.get(root)) root = next;
    return root;
  }

  private remember(articleRid: number, a: LinkedArticle): void {
    if (Number.isInteger(articleRid) && articleRid > 0 && articleRid < 0x7fff_ffff && a.root < 0x7fff_ffff) {
      if (articleRid >= this.knownRoots.length) {
        const grown = new Int32Array(Math.max(articleRid + 1, this.knownRoots.length * 2));
        grown.set(this.knownRoots);
        this.knownRoots = grown;
      }
      this.knownRoots[articleRid] = a.root;
    }
    if (this.arts.size >= ARTICLE_CACHE) {
      const oldest = this.arts.keys().next();
      if (!oldest.done) this.arts.delete(oldest.value);
    }
    this.arts.set(articleRid, a);
  }

  private nearDuplicates(a: number, b: number): boolean {
    const sa = this.linked(a);
    const sb = this.linked(b);
    return sa !== null && sb !== null && signatureSimilarity(sa.sig, sb.sig) >= this.config.nearDuplicate.threshold;
  }

  /**
   * Links articles just written (call inside the same transaction as the write), then refreshes the
   * merged events they touched.
   * @example linker.link([{ rid, id, date, source, text, events: [{ rid: eventRid, record }] }])
   */
  link(inputs: LinkInput[]): void {
    const batch = new BatchState();
    // Another connection committed since the last batch: its group moves may have changed what the
    // article cache holds (signatures and order keys never change, groups may).
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.dataVersion && (this.st.generation.get() ?? null) !== this.generation) {
      this.forgetArticles();
      this.clusters.clear();
    }
    this.dataVersion = version;
    try {
      this.prepare(inputs, batch);
      for (const input of inputs) this.linkOne(input, batch);
      this.finish(batch);
      this.newGeneration();
    } catch (err) {
      // The transaction rolls back: store ids will be reused, so nothing remembered about them holds.
      this.forget();
      throw err;
    }
  }

  /**
   * Marks every link stale (results were replaced): relink() recomputes them, and a store opened
   * before that relinks on open. Call inside the transaction that replaced them.
   */
  markStale(): void {
    this.st.markStale.run();
    this.newGeneration();
    this.forget();
  }

  /** Tells other connections' linkers that links changed (their caches no longer hold). */
  private newGeneration(): void {
    this.generation = randomUUID();
    this.st.setGeneration.run(this.generation);
  }

  /** Drops what is kept in memory between batches (after a rollback, or before relinking). */
  forget(): void {
    this.forgetArticles();
    this.feats.clear();
    this.olderFeats.clear();
    this.clusters.clear();
    this.generation = null;
  }

  private forgetArticles(): void {
    this.arts.clear();
    this.bands.clear();
    this.knownRoots.fill(0);
    this.movedRoots.clear();
  }

  /**
   * Computes the batch's report features, then reads the stored candidates of all its blocking windows
   * in one statement (at most maxCandidates per window, as a per-report query would), before any
   * report of the batch is written.
   */
  private prepare(inputs: LinkInput[], batch: BatchState): void {
    const c = this.config.cluster;
    const windows: [string, string, number, number, number][] = [];
    const keys: string[] = [];
    for (const input of inputs) {
      for (const ev of input.events) {
        const f = featuresOf(fieldsOfRecord(ev.record, input.date), this.config);
        batch.features.set(ev.rid, f);
        if (f.pclass === 'none') continue;
        const lo = f.dayLo - c.dayTolerance;
        const hi = f.dayHi + c.dayTolerance;
        const key = windowKey(f.family, f.blockCountry, lo, hi);
        if (batch.blocks.has(key)) continue;
        batch.blocks.set(key, []);
        keys.push(key);
        windows.push([f.family, f.blockCountry, lo, hi, lo - c.maxWindowDays]);
      }
    }
    if (windows.length === 0) return;
    for (const [w, rows] of this.st.blocking.all({ w: JSON.stringify(windows), limit: c.maxCandidates }) as [number, string][]) {
      batch.blocks.set(keys[w] as string, JSON.parse(rows) as CandidateRow[]);
    }
    this.prepareStoredFeatures(batch);
  }

  /**
   * The features of every window's stored candidates, found before the batch's own reports enter the
   * feature cache (a batch's reports outnumber a generation, so they would push out candidates read
   * before their turn): those the cache misses are read in one statement, not one a candidate.
   */
  private prepareStoredFeatures(batch: BatchState): void {
    const missing: number[] = [];
    for (const rows of batch.blocks.values()) for (const row of rows) if (!this.feats.has(row[0]) && !this.olderFeats.has(row[0])) missing.push(row[0]);
    const read = new Map<number, ReportFeatures>();
    if (missing.length > 0) {
      for (const [rid, fields] of this.st.featuresOfMany.all(JSON.stringify(missing.sort((a, b) => a - b))) as [number, string][]) {
        read.set(rid, featuresOf(decodeFields(fields), this.config));
      }
    }
    for (const [window, rows] of batch.blocks) {
      if (rows.length === 0) continue;
      batch.storedFeatures.set(
        window,
        rows.map(([rid]) => {
          const f = read.get(rid);
          if (!f) return this.featuresOf(rid);
          this.keepFeatures(rid, f);
          return f;
        }),
      );
    }
  }

  /** Writes the batch's merged events: each single-report cluster once, then every changed cluster. */
  private finish(batch: BatchState): void {
    for (const [cluster, s] of batch.singles) {
      if (batch.dirty.has(cluster) || batch.moved.has(cluster)) continue;
      this.write(cluster, s.record, s.eventRid, s.articleRid, 1, 1, true);
    }
    this.refresh(batch.dirty);
    this.flushTallies();
  }

  /** `UPDATE event_clusters SET <the columns> WHERE event_id = ?`, by the columns' indexes. */
  private clusterUpdateStatement(columns: number[]): Database.Statement {
    const key = columns.join(',');
    let st = this.clusterUpdateStatements.get(key);
    if (!st) {
      st = this.db.prepare(`UPDATE event_clusters SET ${columns.map((c) => `${CLUSTER_COLUMN_NAMES[c]} = ?`).join(', ')} WHERE event_id = ?`);
      this.clusterUpdateStatements.set(key, st);
    }
    return st;
  }

  private linkOne(input: LinkInput, batch: BatchState): void {
    const dirty = batch.dirty;
    const nd = this.config.nearDuplicate;
    const sig = input.signature?.length === this.hashes ? input.signature : minhashSignature(input.text, nd.shingleWords, this.hashes);
    const keys = bandKeys(sig, nd.bands, nd.rowsPerBand);
    const orderKey = `${input.date}\u0000${input.id}`;
    // Near-duplicates: LSH candidates, confirmed on the signatures.
    const roots = new Map<number, string>();
    const seen = new Set<number>();
    const day = dayNumber(input.date);
    const dated = Number.isFinite(day);
    for (const candidate of dated ? this.bands.candidates(day, keys, nd.maxCandidates) : []) {
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      const known = this.knownRoot(candidate);
      if (known !== null && roots.has(known)) continue;
      const other = this.linked(candidate);
      // One confirmed copy of a group is enough: the others would name the same group.
      if (!other || roots.has(other.root) || signatureSimilarity(sig, other.sig) < nd.threshold) continue;
      roots.set(other.root, (this.linked(other.root) as LinkedArticle).key);
    }
    let root = input.rid;
    let rootKey = orderKey;
    for (const [r, key] of roots) {
      if (key < rootKey) {
        root = r;
        rootKey = key;
      }
    }
    // Filed before the row is written: a day loaded now from the store must not hold the article twice.
    if (dated) this.bands.add(day, input.rid, keys);
    const origin = articleOrigin(input.id, input.source);
    this.st.insertArticle.run(input.rid, signatureToBytes(sig), root, orderKey, origin);
    this.remember(input.rid, { sig, root, key: orderKey });
    for (const r of roots.keys()) {
      if (r === root) continue;
      // A group joins an earlier one: its reports now rest on another origin.
      for (const c of this.st.clustersOfGroup.all(r) as { cluster: string }[]) {
        dirty.add(c.cluster);
        this.clusters.get(c.cluster)?.sources.joinGroups(r, root);
      }
      this.st.moveGroup.run(root, r);
      for (const a of this.arts.values()) if (a.root === r) a.root = root;
      this.movedRoots.set(r, root);
    }
    for (const ev of input.events) this.linkReport(input, root, origin, ev.rid, ev.record, batch);
  }

  private featuresOf(eventRid: number): ReportFeatures {
    const hit = this.feats.get(eventRid);
    if (hit) return hit;
    const older = this.olderFeats.get(eventRid);
    if (older) {
      this.keepFeatures(eventRid, older);
      return older;
    }
    // Features are read only on a cache miss: recent reports and the candidates read again and again stay in memory.
    const f = featuresOf(decodeFields(this.st.featuresOf.get(eventRid) as string), this.config);
    this.keepFeatures(eventRid, f);
    return f;
  }

  private keepFeatures(eventRid: number, f: ReportFeatures): void {
    if (this.feats.size >= FEATURE_GENERATION) {
      this.olderFeats = this.feats;
      this.feats = new Map();
    }
    this.feats.set(eventRid, f);
  }

  /** Writes the tallies changed by the batch (each value once, whatever the number of reports that changed it). */
  private flushTallies(): void {
    const upsert = this.st.upsertTally;
    for (const [cluster, state] of this.clusters) {
      for (const k of state.changed) {
        const t = (state.tallies.get(k) ?? state.origins.get(k)) as TalliedValue;
        upsert.run(cluster, t.field, t.key, t.value, t.n, t.first, t.rid);
      }
      state.changed.clear();
    }
    // Keep the most recently used clusters (all written now, so any may go).
    for (const cluster of this.clusters.keys()) {
      if (this.clusters.size <= CLUSTER_CACHE) break;
      this.clusters.delete(cluster);
    }
  }

  /**
   * A cluster's state: from memory, else its tallies and earliest report from the store (moved to the
   * most recent end of the cache); null when the store holds no tallies for it (a single report).
   */
  private clusterState(cluster: string): ClusterState | null {
    const hit = this.clusters.get(cluster);
    if (hit) {
      this.clusters.delete(cluster);
      this.clusters.set(cluster, hit);
      return hit;
    }
    const rows = this.st.tallies.all(cluster) as TalliedValue[];
    if (rows.length === 0) return null;
    const first = this.st.earliest.get(cluster) as { rid: number; record: string };
    const state = newClusterState(first.rid, JSON.parse(first.record) as EventRecord);
    for (const t of rows) {
      if (t.field !== 'origin') {
        state.tallies.set(tallyKey(t.field, t.key), t);
        continue;
      }
      state.origins.set(tallyKey(t.field, t.key), t);
      // The key is `root \0 token`; the group may have joined an earlier one since: its root's current root.
      const cut = t.key.indexOf('\u0000');
      const root = Number(t.key.slice(0, cut));
      const token = t.key.slice(cut + 1);
      state.sources.add({ fixed: token, dupRoot: this.linked(root)?.root ?? root, article: token });
    }
    this.clusters.set(cluster, state);
    return state;
  }

  /** Adds one tallied value (n reports, the earliest of them `first`) to a cluster's tallies, as an upsert of link_values would. */
  private addValue(state: ClusterState, field: string, key: string, value: string, n: number, first: string, rid: number): void {
    const k = tallyKey(field, key);
    const tallies = field === 'origin' ? state.origins : state.tallies;
    const t = tallies.get(k);
    if (!t) tallies.set(k, { field: field as TalliedValue['field'], key, value, n, first, rid });
    else {
      t.n += n;
      if (first < t.first) {
        t.value = value;
        t.rid = rid;
        t.first = first;
      }
    }
    state.changed.add(k);
  }

  /**
   * Adds one report's values to its cluster's tallies, with the origin it rests on (its article's
   * near-duplicate group at this time, and its origin token).
   */
  private tally(state: ClusterState, record: EventRecord, eventRid: number, orderKey: string, origin: ReportOrigin): void {
    const values = reportValues(record);
    const token = origin.fixed ?? origin.article;
    values.push({ field: 'origin', key: `${origin.dupRoot}\u0000${token}`, value: JSON.stringify({ root: origin.dupRoot, token }) });
    for (const v of values) this.addValue(state, v.field, v.key, v.value, 1, v.rank ? `${orderKey}\u0001${v.rank}` : orderKey, eventRid);
    state.sources.add(origin);
  }

  /**
   * Records in `joined` the cluster (as it is now: the row's, unless it merged into another during the
   * batch) of a candidate that matches report `f`, unless it is the report itself or its cluster is
   * already joined.
   */
  private consider(
    f: ReportFeatures,
    eventRid: number,
    articleRid: number,
    other: ReportFeatures,
    row: Readonly<CandidateRow>,
    batch: BatchState,
    joined: Map<string, [string, number]>,
  ): void {
    const [otherRid, otherArticleRid] = row;
    let cluster = row[2];
    let key = row[3];
    if (batch.moved.has(cluster)) [cluster, key] = batch.resolve(cluster, key);
    if (otherRid === eventRid || joined.has(cluster)) return;
    const answer = pairAnswer(f, other, this.config);
    if (answer === 'different') return;
    if (answerMatches(answer, answer !== 'match' && this.nearDuplicates(articleRid, otherArticleRid))) joined.set(cluster, [key, otherRid]);
  }

  /** Links one report of an article (its near-duplicate group `root`, its origin token `articleOriginToken`, as articleOrigin gives it). */
  private linkReport(input: LinkInput, root: number, articleOriginToken: string, eventRid: number, record: EventRecord, batch: BatchState): void {
    const dirty = batch.dirty;
    const f = batch.features.get(eventRid) ?? featuresOf(fieldsOfRecord(record, input.date), this.config);
    const own = record.event_id;
    const fixed = fixedOrigin(record, this.config);
    // Matching clusters: cluster id → [its key, a member's event rid]. The candidates are those of the
    // report's blocking window (BlockingState.blockingWindow: stored ones, read for the whole batch
    // beforehand, and the batch's own, capped together), each in its current cluster, compared on
    // features found once a batch (stored ones) or carried (the batch's own).
    const joined = new Map<string, [string, number]>();
    if (f.pclass !== 'none') {
      // prepare() found the features of every window that has stored candidates.
      const window = batch.blockingWindow(f, this.config, (key) => batch.storedFeatures.get(key) as ReportFeatures[]);
      for (let i = 0; i < window.stored.length; i++) {
        this.consider(f, eventRid, input.rid, window.features[i] as ReportFeatures, window.stored[i] as CandidateRow, batch, joined);
      }
      for (const b of window.own) this.consider(f, eventRid, input.rid, b.features, b.row, batch, joined);
    }
    // The report goes straight into the earliest of the clusters it joins (or its own, when earliest).
    let target = own;
    let targetKey = f.orderKey;
    for (const [other, [otherKey]] of joined) {
      if (otherKey < targetKey) {
        target = other;
        targetKey = otherKey;
      }
    }
    this.st.insertReport.run(eventRid, input.rid, target, targetKey, f.family, f.blockCountry, f.pclass, f.dayLo, f.dayHi, f.orderKey, fixed);
    this.st.insertFields.run(eventRid, encodeFields(f));
    this.keepFeatures(eventRid, f);
    batch.addReport(f, [eventRid, input.rid, target, targetKey]);
    if (joined.size === 0) {
      // A report alone: its own merged event, no tallies (they are written when a second report joins),
      // written when the batch ends unless another report of the batch joins it first.
      if (!dirty.has(own)) batch.singles.set(own, { record, eventRid, articleRid: input.rid });
      return;
    }
    // Every joined cluster's state first (a cluster of one report gets its tallies now), then the unions.
    const states = new Map<string, ClusterState>();
    for (const [other, [otherKey, memberRid]] of joined) {
      let state = this.clusterState(other);
      if (!state) {
        const member = JSON.parse((this.st.recordOf.get(memberRid) as { record: string }).record) as EventRecord;
        state = newClusterState(memberRid, member);
        this.tally(state, member, memberRid, otherKey, this.st.originOf.get(memberRid) as ReportOrigin);
        this.clusters.set(other, state);
      }
      states.set(other, state);
    }
    let targetState = states.get(target);
    if (!targetState) {
      targetState = newClusterState(eventRid, record);
      this.clusters.set(target, targetState);
    }
    for (const [other, state] of states) {
      if (other === target) continue;
      // Union: a later cluster moves under the earliest report's id.
      this.st.relabel.run(target, targetKey, other);
      for (const t of state.tallies.values()) this.addValue(targetState, t.field, t.key, t.value, t.n, t.first, t.rid);
      for (const t of state.origins.values()) this.addValue(targetState, t.field, t.key, t.value, t.n, t.first, t.rid);
      targetState.sources.absorb(state.sources);
      this.st.dropTallies.run(other);
      this.clusters.delete(other);
      if (!batch.singles.has(other)) this.st.dropCluster.run(other);
      batch.moved.set(other, [target, targetKey]);
      dirty.delete(other);
    }
    this.tally(targetState, record, eventRid, f.orderKey, { fixed, dupRoot: root, article: articleOriginToken });
    dirty.add(target);
  }

  /**
   * Recomputes the merged event of each cluster from its tallies (in memory, or read from the store for a
   * cluster only dirtied by a near-duplicate group joining an earlier one; none: it has one report).
   */
  private refresh(dirty: Set<string>): void {
    for (const cluster of dirty) {
      const state = this.clusterState(cluster);
      if (!state) {
        const first = this.st.earliest.get(cluster) as { rid: number; record: string } | undefined;
        if (!first) {
          this.st.dropCluster.run(cluster);
          continue;
        }
        // One report: its own merged event.
        const earliest = JSON.parse(first.record) as EventRecord;
        const articleRid = (this.st.articleOfEvent.get(first.rid) as { article_rid: number }).article_rid;
        this.write(cluster, { ...earliest, event_id: cluster }, first.rid, articleRid, 1, 1, earliest.event_id === cluster);
        continue;
      }
      // Origins are tallied apart: a cluster has as many as sources, and its independent count is kept as they come.
      const tallies = [...state.tallies.values()];
      let n = 0;
      for (const t of tallies) if (t.field === 'type') n += t.n;
      const independent = state.sources.count;
      const { record, placeRid } = mergeCluster(state.earliest, state.earliestRid, tallies, n, independent);
      record.event_id = cluster;
      const placeArticle = (this.st.articleOfEvent.get(placeRid) as { article_rid: number } | undefined)?.article_rid ?? 0;
      this.write(cluster, record, placeRid, placeArticle, n, independent, false, state);
    }
  }

  /**
   * Writes a merged event row, one statement a row (an upsert of one row costs SQLite about half what
   * each row of a 10- to 100-row statement does: 6.5 against 13 µs). `single`: the merged event is its one report (same id), so its record
   * is not copied: the row stores SINGLE_RECORD and mergedEvent reads the report's own record.
   */
  private write(cluster: string, record: EventRecord, placeRid: number, placeArticle: number, n: number, independent: number, single = false, state?: ClusterState): void {
    const a1 = record.actor1;
    const a2 = record.actor2;
    const loc = record.location;
    const row: Param[] = [
      cluster,
      placeRid,
      placeArticle,
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
      actorSearchKey(record),
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
      n,
      independent,
      single ? SINGLE_RECORD : JSON.stringify(record),
    ];
    const before = state?.row ?? null;
    if (state) state.row = row;
    if (before === null) {
      this.st.insertCluster.run(row);
      return;
    }
    // Column 0 is the key (the cluster id): compare the others.
    const changed: number[] = [];
    for (let c = 1; c < CLUSTER_COLUMNS; c++) if (row[c] !== before[c]) changed.push(c);
    if (changed.length === 0) return;
    this.clusterUpdateStatement(changed).run(...changed.map((c) => row[c] as Param), cluster);
  }

  /** Links articles stored before linking existed, once (a store upgraded to migration 3). */
  backfillIfNeeded(): void {
    if (this.st.needsRelink.get() === undefined) return;
    this.db.transaction(() => {
      if (this.st.needsRelink.get() === undefined) return;
      this.relinkInTransaction();
    }).immediate();
  }

  /**
   * Forgets every link and links all stored articles and reports again, in one transaction.
   * @example linker.relink() // { articles: 120, duplicates: 14, reports: 310, events: 190, ms: 420 }
   */
  relink(): RelinkSummary {
    return this.db.transaction(() => this.relinkInTransaction()).immediate();
  }

  private relinkInTransaction(): RelinkSummary {
    try {
      return this.relinkAll();
    } catch (err) {
      this.forget();
      throw err;
    }
  }

  private relinkAll(): RelinkSummary {
    const t0 = performance.now();
    for (const table of ['link_reports', 'link_report_fields', 'link_values', 'event_clusters', 'link_articles']) this.db.exec(`DELETE FROM ${table}`);
    this.forget();
    let batch = new BatchState();
    let after = 0;
    let articles = 0;
    let reports = 0;
    for (;;) {
      const rows = this.st.articlesAfter.all(after, 500) as { rid: number; id: string; date: string; source: string | null; text: string }[];
      const last = rows[rows.length - 1];
      if (!last) break;
      const events = new Map<number, { rid: number; record: EventRecord }[]>();
      for (const e of this.st.eventsOfArticles.all(rows[0]!.rid, last.rid) as { rid: number; article_rid: number; record: string }[]) {
        const list = events.get(e.article_rid) ?? [];
        list.push({ rid: e.rid, record: JSON.parse(e.record) as EventRecord });
        events.set(e.article_rid, list);
      }
      const inputs: LinkInput[] = rows.map((r) => ({ rid: r.rid, id: r.id, date: r.date, source: r.source, text: r.text, events: events.get(r.rid) ?? [] }));
      this.prepare(inputs, batch);
      for (const input of inputs) {
        this.linkOne(input, batch);
        articles++;
        reports += input.events.length;
      }
      after = last.rid;
      this.finish(batch);
      batch = new BatchState();
    }
    this.st.relinkDone.run();
    this.newGeneration();
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      articles,
      duplicates: one('SELECT count(*) AS n FROM link_articles WHERE dup_root <> article_rid'),
      reports,
      events: one('SELECT count(*) AS n FROM event_clusters'),
      ms: performance.now() - t0,
    };
  }

  /** A merged event by its id, or null when the id names no merged event. */
  mergedEvent(eventId: string): EventRecord | null {
    const row = this.st.merged.get(eventId) as MergedRow | undefined;
    return row ? mergedRecord(row) : null;
  }

  /** The merged event that an event id (merged or any report's) belongs to, with all its reports. */
  reportsOf(eventId: string): EventReports | null {
    const found = this.st.clusterOfEvent.get(eventId) as { cluster: string } | undefined;
    if (!found) return null;
    const merged = this.st.merged.get(found.cluster) as MergedRow | undefined;
    if (!merged) return null;
    const rows = this.st.reports.all(found.cluster) as {
      record: string;
      id: string;
      date: string;
      title: string | null;
      source: string | null;
      url: string | null;
      dup_of: string | null;
      origin: string;
    }[];
    const reports: EventReport[] = rows.map((r) => ({
      record: { ...(JSON.parse(r.record) as EventRecord), cluster_id: found.cluster },
      article: { id: r.id, date: r.date, title: r.title, source: r.source, url: r.url },
      duplicate_of: r.dup_of,
      origin: r.origin,
    }));
    return { event: mergedRecord(merged), reports };
  }
}

interface MergedRow {
  record: string;
  /** The record of its one report, when single (else null). */
  report: string | null;
}

/** A merged event's record; a single-report event is its report's record with its counts. */
function mergedRecord(row: MergedRow): EventRecord {
  if (row.record !== SINGLE_RECORD) return JSON.parse(row.record) as EventRecord;
  return { ...(JSON.parse(row.report ?? '{}') as EventRecord), reports: 1, independent_sources: 1 };
}
