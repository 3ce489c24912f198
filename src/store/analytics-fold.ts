/**
 * The dialect-neutral half of the analytics queries: checking their arguments and folding the rows a
 * store returns into the answer. Each store only writes the SQL (src/store/sqlite/analytics.ts,
 * src/store/postgres/pg-analytics.ts).
 */
import { KhabarError } from '../errors.js';
import type { ActorActivity, SeriesBy, SeriesInterval, SeriesOptions, TimeSeries } from './store.js';

const INTERVALS: readonly SeriesInterval[] = ['day', 'week'];
const BYS: readonly SeriesBy[] = ['none', 'type', 'acled_type', 'actor'];

/**
 * The Monday of the ISO week of a day.
 * @example weekOf('2024-03-14') // '2024-03-11'
 */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function increment(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** The counts, largest first (ties by key). */
export function sortedCounts(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** One event of an actor's activity: whether the actor is side 1 and/or 2, and both sides' names. */
export type ActorActivityRow = {
  date: string | null;
  event_type: string;
  country: string | null;
  fatalities: number | null;
  s1: number | boolean;
  s2: number | boolean;
  a1_id: string | null;
  a1_name: string | null;
  a2_id: string | null;
  a2_name: string | null;
};

/**
 * Checks actorActivity's arguments: the trimmed actor key and the number of counterparts.
 * @example actorActivityArgs(' ttp ', {}) // { key: 'ttp', limit: 20 }
 */
export function actorActivityArgs(actor: string, options: { counterparts?: number }): { key: string; limit: number } {
  const limit = options.counterparts ?? 20;
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) throw new KhabarError('E_VALIDATION', `counterparts must be an integer from 0 to 1000, got ${limit}`);
  const key = actor.trim();
  if (key === '') throw new KhabarError('E_VALIDATION', 'give an actor id or name');
  return { key, limit };
}

/** Folds the events an actor took part in into its counts, weekly activity and counterparts. */
export function foldActorActivity(key: string, rows: readonly ActorActivityRow[], limit: number): ActorActivity {
  const out: ActorActivity = {
    actor: key,
    name: null,
    events: rows.length,
    fatalities: 0,
    first_date: null,
    last_date: null,
    as_actor1: 0,
    as_actor2: 0,
    by_type: {},
    by_country: {},
    weekly: [],
    counterparts: [],
  };
  const names: Record<string, number> = {};
  const weeks = new Map<string, { period: string; events: number; fatalities: number }>();
  const others = new Map<string, { id: string | null; name: string; events: number; fatalities: number }>();
  for (const r of rows) {
    const deaths = r.fatalities ?? 0;
    out.fatalities += deaths;
    if (r.s1) out.as_actor1++;
    if (r.s2) out.as_actor2++;
    increment(out.by_type, r.event_type);
    increment(out.by_country, r.country ?? 'none');
    const own = r.s1 ? r.a1_name : r.a2_name;
    if (own) increment(names, own);
    if (r.date) {
      if (out.first_date === null || r.date < out.first_date) out.first_date = r.date;
      if (out.last_date === null || r.date > out.last_date) out.last_date = r.date;
      const period = weekOf(r.date);
      const w = weeks.get(period) ?? { period, events: 0, fatalities: 0 };
      w.events++;
      w.fatalities += deaths;
      weeks.set(period, w);
    }
    // The other side: actor2 when it is actor1, actor1 when it is actor2 (both when it is on both, which adds nothing).
    const other = r.s1 && !r.s2 ? { id: r.a2_id, name: r.a2_name } : r.s2 && !r.s1 ? { id: r.a1_id, name: r.a1_name } : null;
    if (other?.name) {
      const id = other.id ?? `name:${other.name.toLowerCase()}`;
      const c = others.get(id) ?? { id: other.id, name: other.name, events: 0, fatalities: 0 };
      c.events++;
      c.fatalities += deaths;
      others.set(id, c);
    }
  }
  out.name = Object.entries(names).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  out.by_type = sortedCounts(out.by_type);
  out.by_country = sortedCounts(out.by_country);
  out.weekly = [...weeks.values()].sort((a, b) => a.period.localeCompare(b.period));
  out.counterparts = [...others.values()].sort((a, b) => b.events - a.events || a.name.localeCompare(b.name)).slice(0, limit);
  return out;
}

/**
 * Checks timeSeries' options and fills the defaults.
 * @example seriesArgs({ interval: 'week' }) // { interval: 'week', by: 'none', top: 10 }
 */
export function seriesArgs(options: SeriesOptions): { interval: SeriesInterval; by: SeriesBy; top: number } {
  const interval = options.interval ?? 'day';
  const by = options.by ?? 'none';
  const top = options.top ?? 10;
  if (!INTERVALS.includes(interval)) throw new KhabarError('E_VALIDATION', `invalid interval "${interval}": use one of ${INTERVALS.join(', ')}`);
  if (!BYS.includes(by)) throw new KhabarError('E_VALIDATION', `invalid series split "${by}": use one of ${BYS.join(', ')}`);
  if (!Number.isInteger(top) || top < 1 || top > 100) throw new KhabarError('E_VALIDATION', `series top must be an integer from 1 to 100, got ${top}`);
  return { interval, by, top };
}

/** One (day, key) count of the matching events, as both stores' time-series queries return it. */
export type SeriesRow = { d: string; k: string; n: number; f: number };

/**
 * Folds (day, key) counts into periods, keeping the `top` keys by events and pooling the rest as "other".
 * @example foldTimeSeries(rows, 'week', 'type', 10).keys // ['ASSAULT', 'PROTEST']
 */
export function foldTimeSeries(rows: readonly SeriesRow[], interval: SeriesInterval, by: SeriesBy, top: number): TimeSeries {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.k, (totals.get(r.k) ?? 0) + r.n);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const kept = new Set(ranked.slice(0, top));
  const keys = ranked.length > top ? [...ranked.slice(0, top), 'other'] : ranked;
  const cells = new Map<string, { period: string; key: string; events: number; fatalities: number }>();
  for (const r of rows) {
    const period = interval === 'week' ? weekOf(r.d) : r.d;
    const key = kept.has(r.k) ? r.k : 'other';
    const id = `${period}\u0000${key}`;
    const cell = cells.get(id) ?? { period, key, events: 0, fatalities: 0 };
    cell.events += r.n;
    cell.fatalities += r.f;
    cells.set(id, cell);
  }
  const order = new Map(keys.map((k, i) => [k, i]));
  const buckets = [...cells.values()].sort((a, b) => a.period.localeCompare(b.period) || (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  return { interval, by, keys, buckets };
}
