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
  /** Its place in the batch (reports are listed as candidates in the order they came). */
  seq: number;
}

/**
 * Whether a report of the batch is in a blocking window: a day in [lo, hi], or a coarse window that
 * starts in [coarseLo, hi] and ends at lo or later (as the stored candidates are read).
 */
export function inBlockingWindow(f: ReportFeatures, lo: number, hi: number, coarseLo: number): boolean {
  return f.pclass === 'day' ? f.dayLo >= lo && f.dayLo <= hi : f.dayLo >= coarseLo && f.dayLo <= hi && f.dayHi >= lo;
}

/**
 * Where a candidate stands in its blocking window's order, the order the stored candidates are read in:
 * day-precise reports before coarse ones, then by first day, then by event rid (arrival).
 */
export function windowOrder(a: ReportFeatures, aRid: number, b: ReportFeatures, bRid: number): number {
  return (a.pclass === 'day' ? 0 : 1) - (b.pclass === 'day' ? 0 : 1) || a.dayLo - b.dayLo || aRid - bRid;
}

/**
 * The candidates a report is compared with when its window holds more than `limit`: the first `limit`
 * in window order of the stored ones (read before the batch, at most `limit`, already in that order)
 * and the batch's own together. Capping the stored ones alone would make the result depend on how many
 * of the others were stored before this batch began, so that the same articles written in batches of
 * another size would link differently. Returns how many stored ones (a prefix) and which of the batch's own.
 */
export function capInWindowOrder(
  storedFeatures: readonly ReportFeatures[],
  stored: readonly Readonly<CandidateRow>[],
  own: readonly BatchReport[],
  limit: number,
): { stored: number; own: readonly BatchReport[] } {
  if (stored.length + own.length <= limit) return { stored: stored.length, own };
  const ranked = [...own].sort((a, b) => windowOrder(a.features, a.row[0], b.features, b.row[0]));
  let i = 0;
  let j = 0;
  while (i + j < limit && (i < stored.length || j < ranked.length)) {
    const ownNext = ranked[j];
    if (ownNext === undefined || (i < stored.length && windowOrder(storedFeatures[i]!, stored[i]![0], ownNext.features, ownNext.row[0]) < 0)) i++;
    else j++;
  }
  return { stored: i, own: ranked.slice(0, j) };
}

const NO_ROWS: readonly Readonly<CandidateRow>[] = [];
const NO_FEATURES: readonly ReportFeatures[] = [];

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
  /**
   * The batch's own reports per block (blockKey), then per first day (dayLo), matched in memory: a
   * report looks only at the days its window can hold, not at every report of its block so far (a
   * large block would make a batch's cost grow with the square of its size).
   */
  readonly reports = new Map<string, Map<number, BatchReport[]>>();
  private reportCount = 0;
  /** Clusters merged into another during the batch: cluster → [cluster, key] it joined. */
  readonly moved = new Map<string, [string, string]>();

  /** The cluster (and its key) that a possibly merged cluster is part of now. */
  resolve(cluster: string, key: string): [string, string] {
    let c: [string, string] = [cluster, key];
    for (let next = this.moved.get(c[0]); next; next = this.moved.get(c[0])) c = next;
    return c;
  }

  /**
   * A report's blocking window: the stored reports of its block whose dates can match (read for the
   * whole batch beforehand) with their features, and the batch's own reports in the window; at most
   * maxCandidates of them together, the first in window order (capInWindowOrder). `storedFeatures` gives
   * the features of a window's stored candidates, in their order (undefined where unknown: the window
   * is then not capped, as its order cannot be told).
   */
  blockingWindow(
    f: ReportFeatures,
    config: LinkConfig,
    storedFeatures: (window: string, stored: readonly Readonly<CandidateRow>[]) => readonly (ReportFeatures | undefined)[],
  ): { stored: readonly Readonly<CandidateRow>[]; features: readonly (ReportFeatures | undefined)[]; own: readonly BatchReport[] } {
    const c = config.cluster;
    const lo = f.dayLo - c.dayTolerance;
    const hi = f.dayHi + c.dayTolerance;
    const window = windowKey(f.family, f.blockCountry, lo, hi);
    const stored = this.blocks.get(window) ?? NO_ROWS;
    const features = stored.length > 0 ? storedFeatures(window, stored) : NO_FEATURES;
    const own = this.batchCandidates(f, lo, hi, lo - c.maxWindowDays);
    if (stored.length + own.length <= c.maxCandidates || !features.every((x) => x !== undefined)) return { stored, features, own };
    const kept = capInWindowOrder(features as readonly ReportFeatures[], stored, own, c.maxCandidates);
    return { stored: stored.slice(0, kept.stored), features: features.slice(0, kept.stored), own: kept.own };
  }

  /**
   * The blocking candidates of a report (blockingWindow's, the stored ones first), each in its current
   * cluster (the rows kept, when their cluster has not moved: read them, never change them).
   */
  candidates(f: ReportFeatures, config: LinkConfig, featuresOf: (eventRid: number) => ReportFeatures | undefined): readonly Readonly<CandidateRow>[] {
    const { stored, own } = this.blockingWindow(f, config, (_, rows) => rows.map((r) => featuresOf(r[0])));
    const out: Readonly<CandidateRow>[] = [];
    for (const row of [...stored, ...own.map((b) => b.row)]) out.push(this.moved.has(row[2]) ? [row[0], row[1], ...this.resolve(row[2], row[3])] : row);
    return out;
  }

  /**
   * The batch's own reports in a blocking window [lo, hi] of report `f`'s block (coarse ones from
   * coarseLo), in the order they came.
   */
  batchCandidates(f: ReportFeatures, lo: number, hi: number, coarseLo: number): BatchReport[] {
    const days = this.reports.get(blockKey(f.family, f.blockCountry));
    const out: BatchReport[] = [];
    if (!days) return out;
    let lists = 0;
    // Day reports start in [lo, hi], coarse ones in [coarseLo, hi]: every candidate starts in [coarseLo, hi].
    for (let day = coarseLo; day <= hi; day++) {
      const list = days.get(day);
      if (!list) continue;
      lists++;
      for (const b of list) if (inBlockingWindow(b.features, lo, hi, coarseLo)) out.push(b);
    }
    if (lists > 1) out.sort((a, b) => a.seq - b.seq);
    return out;
  }

  /** Keeps a report of the batch as a candidate for the batch's later reports (none when its date is too vague to block on). */
  addReport(f: ReportFeatures, row: CandidateRow): void {
    if (f.pclass === 'none') return;
    const report: BatchReport = { row, features: f, seq: this.reportCount++ };
    const block = blockKey(f.family, f.blockCountry);
    let days = this.reports.get(block);
    if (!days) {
      days = new Map();
      this.reports.set(block, days);
    }
    const list = days.get(f.dayLo);
    if (list) list.push(report);
    else days.set(f.dayLo, [report]);
  }
}
