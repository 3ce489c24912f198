/**
 * Dialect-neutral blocking of a linking batch, shared by the SQLite and PostgreSQL linkers: the
 * candidate rows, the batch's own reports kept as candidates, the keys of blocking windows, clusters
 * merged during the batch, and the candidates of one report (stored ones of its window, then the
 * batch's own, each in its current cluster).
 */
import type { EventRecord } from '../types.js';
import type { LinkConfig } from './config.js';
import type { ReportFeatures } from './report.js';

/** A blocking candidate: [event rid, article rid, cluster, cluster key]. */
export type CandidateRow = [number, number, string, string];

/** A report written in the current batch, kept in memory as a blocking candidate for the rest of it. */
export interface BatchReport {
  row: CandidateRow;
  features: ReportFeatures;
}

/**
 * Whether a report of the batch is in a blocking window: a day in [lo, hi], or a coarse window that
 * starts in [coarseLo, hi] and ends at lo or later (as the stored candidates are read).
 */
export function inBlockingWindow(f: ReportFeatures, lo: number, hi: number, coarseLo: number): boolean {
  return f.pclass === 'day' ? f.dayLo >= lo && f.dayLo <= hi : f.dayLo >= coarseLo && f.dayLo <= hi && f.dayHi >= lo;
}

/** A report alone in its cluster, written once when the batch ends (unless another report joined it). */
export interface PendingSingle {
  record: EventRecord;
  eventRid: number;
  articleRid: number;
}

/** The (family, country) block of a report: the key of a batch's own reports. */
export function blockKey(family: string, country: string): string {
  return `${family}\u0000${country}`;
}

/** A blocking window: a (family, country) block and a date range, as the key of a batch's stored candidates. */
export function windowKey(family: string, country: string, lo: number, hi: number): string {
  return `${family}\u0000${country}\u0000${lo}\u0000${hi}`;
}

/** What a batch keeps for blocking: stored candidates per window, its own reports per block, merged clusters. */
export class BlockingState {
  /** Stored candidates per blocking window (windowKey), read before the batch's own reports are written. */
  readonly blocks = new Map<string, CandidateRow[]>();
  /** The batch's own reports per block (blockKey), matched in memory. */
  readonly reports = new Map<string, BatchReport[]>();
  /** Clusters merged into another during the batch: cluster → [cluster, key] it joined. */
  readonly moved = new Map<string, [string, string]>();

  /** The cluster (and its key) that a possibly merged cluster is part of now. */
  resolve(cluster: string, key: string): [string, string] {
    let c: [string, string] = [cluster, key];
    for (let next = this.moved.get(c[0]); next; next = this.moved.get(c[0])) c = next;
    return c;
  }

  /**
   * The blocking candidates of a report: stored reports of its block whose dates can match (read for the
   * whole batch beforehand), then the batch's own reports in the window, each in its current cluster
   * (the rows kept, when their cluster has not moved: read them, never change them).
   */
  candidates(f: ReportFeatures, config: LinkConfig): readonly Readonly<CandidateRow>[] {
    const c = config.cluster;
    const lo = f.dayLo - c.dayTolerance;
    const hi = f.dayHi + c.dayTolerance;
    const coarseLo = lo - c.maxWindowDays;
    const out: Readonly<CandidateRow>[] = [];
    for (const r of this.blocks.get(windowKey(f.family, f.blockCountry, lo, hi)) ?? []) {
      if (!this.moved.has(r[2])) {
        out.push(r);
        continue;
      }
      const [cluster, key] = this.resolve(r[2], r[3]);
      out.push([r[0], r[1], cluster, key]);
    }
    for (const b of this.reports.get(blockKey(f.family, f.blockCountry)) ?? []) {
      if (!inBlockingWindow(b.features, lo, hi, coarseLo)) continue;
      if (!this.moved.has(b.row[2])) {
        out.push(b.row);
        continue;
      }
      const [cluster, key] = this.resolve(b.row[2], b.row[3]);
      out.push([b.row[0], b.row[1], cluster, key]);
    }
    return out;
  }

  /** Keeps a report of the batch as a candidate for the batch's later reports (none when its date is too vague to block on). */
  addReport(f: ReportFeatures, row: CandidateRow): void {
    if (f.pclass === 'none') return;
    const report: BatchReport = { row, features: f };
    const block = blockKey(f.family, f.blockCountry);
    const list = this.reports.get(block);
    if (list) list.push(report);
    else this.reports.set(block, [report]);
  }
}
