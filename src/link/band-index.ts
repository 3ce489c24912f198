/**
 * An in-memory LSH band index of near-duplicate candidates, by article day: copies of one text are
 * looked for only among articles dated within the near-duplicate window of each other (syndicated
 * copies run within days of the original), so a look-up reads at most three blocks of days,
 * whatever the size of the store. Blocks are loaded on demand and the least recently used are
 * dropped beyond a budget of entries (the store keeps the signatures they are rebuilt from).
 */
import { dayNumber } from './report.js';

const DAY_MS = 86_400_000;

/**
 * The order-key range [lo, hi) of the articles dated in days [from, to]: an article's order key is its
 * date, a separator below \u0002 (\u0000 in SQLite, \u0001 in PostgreSQL) and its id.
 * @example articleKeyRange(19849, 19850) // ['2024-05-06', '2024-05-07\u0002']
 */
export function articleKeyRange(from: number, to: number): [string, string] {
  return [dayDate(from), `${dayDate(to)}\u0002`];
}

/**
 * The order-key range of the articles that may be near-duplicates of an article dated `date`: those
 * dated within `windowDays` of it.
 * @example duplicateKeyRange('2024-05-06', 7) // ['2024-04-29', '2024-05-13\u0002']
 */
export function duplicateKeyRange(date: string, windowDays: number): [string, string] {
  const day = dayNumber(date);
  return articleKeyRange(day - windowDays, day + windowDays);
}

/**
 * The `YYYY-MM-DD` date of a day number (days since 1970-01-01), as dayNumber reads it.
 * @example dayDate(19849) // '2024-05-06'
 */
export function dayDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whether two article dates (`YYYY-MM-DD`, or order keys that start with one) are within `windowDays` of each other. */
export function withinDuplicateWindow(a: string, b: string, windowDays: number): boolean {
  return Math.abs(dayNumber(a.slice(0, 10)) - dayNumber(b.slice(0, 10))) <= windowDays;
}

/**
 * The band entries of a block of consecutive days: most in sorted typed arrays (16 bytes an entry,
 * found by binary search), the latest in a map of band key -> flat [rid, day, ...] until they are
 * merged into the arrays (a map entry costs ~8 times as much memory).
 */
class Block {
  private keys = new Float64Array(0);
  private rids = new Int32Array(0);
  private days = new Int32Array(0);
  private readonly recent = new Map<number, number[]>();
  private recentCount = 0;

  get size(): number {
    return this.keys.length + this.recentCount;
  }

  add(key: number, rid: number, day: number): void {
    const list = this.recent.get(key);
    if (list) list.push(rid, day);
    else this.recent.set(key, [rid, day]);
    this.recentCount++;
    if (this.recentCount >= Math.max(RECENT_MIN, this.keys.length / 4)) this.compact();
  }

  /**
   * Merges the recent entries into the sorted arrays: only the recent ones are sorted (by key, then
   * rid), then the two sorted runs are merged, so a compaction costs the block's size once, not a sort of it.
   */
  compact(): void {
    const r = this.recentCount;
    const recentKeys = new Float64Array(r);
    const recentRids = new Int32Array(r);
    const recentDays = new Int32Array(r);
    const order = new Int32Array(r);
    let i = 0;
    for (const [key, list] of this.recent) {
      for (let j = 0; j < list.length; j += 2) {
        recentKeys[i] = key;
        recentRids[i] = list[j] as number;
        recentDays[i] = list[j + 1] as number;
        order[i] = i;
        i++;
      }
    }
    order.sort((a, b) => (recentKeys[a] as number) - (recentKeys[b] as number) || (recentRids[a] as number) - (recentRids[b] as number));
    const old = this.keys.length;
    const n = old + r;
    const keys = new Float64Array(n);
    const rids = new Int32Array(n);
    const days = new Int32Array(n);
    let a = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      const from = b < r ? (order[b] as number) : -1;
      const takeOld =
        a < old && (from < 0 || (this.keys[a] as number) < (recentKeys[from] as number) || ((this.keys[a] as number) === (recentKeys[from] as number) && (this.rids[a] as number) <= (recentRids[from] as number)));
      if (takeOld) {
        keys[k] = this.keys[a] as number;
        rids[k] = this.rids[a] as number;
        days[k] = this.days[a] as number;
        a++;
      } else {
        keys[k] = recentKeys[from] as number;
        rids[k] = recentRids[from] as number;
        days[k] = recentDays[from] as number;
        b++;
      }
    }
    this.keys = keys;
    this.rids = rids;
    this.days = days;
    this.recent.clear();
    this.recentCount = 0;
  }

  /** Calls `found` with the rid and day of each entry filed under `key`. */
  each(key: number, found: (rid: number, day: number) => void): void {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.keys.length && this.keys[i] === key; i++) found(this.rids[i] as number, this.days[i] as number);
    const list = this.recent.get(key);
    if (list) for (let j = 0; j < list.length; j += 2) found(list[j] as number, list[j + 1] as number);
  }
}

/** Entries a block takes in its map before they are merged into its arrays (and at least a quarter of those). */
const RECENT_MIN = 2048;

/** An article as the loader returns it: its store id, day number and band keys. */
export interface BandedArticle {
  rid: number;
  day: number;
  keys: number[];
}

/**
 * Near-duplicate candidates by shared LSH band within a window of days.
 * @example
 * const index = new BandIndex(7, 2_000_000, (from, to) => articlesOfDays(from, to));
 * index.candidates(19850, keys, 64) // store ids of articles dated 19843..19857 sharing a band
 * index.add(19850, rid, keys)
 */
export class BandIndex {
  /** Days per block: a window of 2 * windowDays + 1 days spans at most three blocks. */
  private readonly blockDays: number;
  private readonly blocks = new Map<number, Block>();
  private entries = 0;

  /**
   * @param windowDays articles more than this many days apart are never candidates
   * @param budget band entries kept in memory before least recently used blocks of days are dropped
   * @param load the articles of days [from, to] (store ids, day numbers and band keys), read when their block is not in memory
   */
  constructor(
    readonly windowDays: number,
    private readonly budget: number,
    private readonly load: (from: number, to: number) => BandedArticle[],
  ) {
    this.blockDays = windowDays + 1;
  }

  /** The block holding a day, loaded when missing (and moved to the most recently used end). */
  private block(day: number): Block {
    const n = Math.floor(day / this.blockDays);
    const hit = this.blocks.get(n);
    if (hit) {
      this.blocks.delete(n);
      this.blocks.set(n, hit);
      return hit;
    }
    const block = new Block();
    for (const a of this.load(n * this.blockDays, n * this.blockDays + this.blockDays - 1)) for (const key of a.keys) block.add(key, a.rid, a.day);
    block.compact();
    this.blocks.set(n, block);
    this.entries += block.size;
    this.evict(n);
    return block;
  }

  /**
   * Store ids of articles dated within the window of `day` that share a band key with `keys`, each once,
   * at most `limit` of them (when there are more, those of the nearest days, then the lowest ids: the likeliest copies).
   */
  candidates(day: number, keys: readonly number[], limit: number): number[] {
    const lo = day - this.windowDays;
    const hi = day + this.windowDays;
    const found: [number, number][] = [];
    const seen = new Set<number>();
    const take = (rid: number, d: number): void => {
      if (d < lo || d > hi || seen.has(rid)) return;
      seen.add(rid);
      found.push([rid, Math.abs(d - day)]);
    };
    for (let b = Math.floor(lo / this.blockDays); b <= Math.floor(hi / this.blockDays); b++) {
      const block = this.block(b * this.blockDays);
      for (const key of keys) block.each(key, take);
    }
    if (found.length > limit) found.sort((a, b) => a[1] - b[1] || a[0] - b[0]).length = limit;
    return found.map((f) => f[0]);
  }

  /** Files an article's band keys under its day. */
  add(day: number, rid: number, keys: readonly number[]): void {
    const block = this.block(day);
    for (const key of keys) block.add(key, rid, day);
    this.entries += keys.length;
    this.evict(Math.floor(day / this.blockDays));
  }

  /** Drops least recently used blocks (never `keep`) while the entries exceed the budget. */
  private evict(keep: number): void {
    for (const [n, block] of this.blocks) {
      if (this.entries <= this.budget) return;
      if (n === keep) continue;
      this.blocks.delete(n);
      this.entries -= block.size;
    }
  }

  /** Forgets every day (the store changed under it, or a transaction rolled back). */
  clear(): void {
    this.blocks.clear();
    this.entries = 0;
  }
}
