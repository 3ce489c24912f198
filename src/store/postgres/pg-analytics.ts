/**
 * Aggregate queries for the app on the PostgreSQL store (time series, an actor's activity, places):
 * the same answers as the SQLite store's analytics, with `$n` parameters after the filter's own.
 */
import { KhabarError } from '../../errors.js';
import { actorActivityArgs, foldActorActivity, foldTimeSeries, seriesArgs, type ActorActivityRow, type SeriesRow } from '../analytics-fold.js';
import type { ActorActivity, PlaceSummary, SeriesOptions, TimeSeries } from '../store.js';

/** The WHERE conditions of a filter and their bound values ($1..$n). */
export interface PgWhere {
  where: string[];
  params: unknown[];
  /** The table the conditions read as `e`: event_clusters (merged events) or events (every report). */
  table: 'events' | 'event_clusters';
}

type Run = <R extends Record<string, unknown>>(sql: string, values: unknown[]) => Promise<R[]>;


function whereSql(conditions: string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** Counts per day or week, split by a key; see Store.timeSeries. */
export async function pgTimeSeries(run: Run, frag: PgWhere, options: SeriesOptions): Promise<TimeSeries> {
  const { interval, by, top } = seriesArgs(options);
  const conditions = ['e.date IS NOT NULL', ...frag.where];
  let sql: string;
  if (by === 'actor') {
    const side = (n: 1 | 2): string =>
      `SELECT e.date AS d, coalesce(e.actor${n}_id, e.actor${n}_name) AS k, e.fatalities AS f FROM ${frag.table} e ${whereSql([...conditions, `e.actor${n}_name IS NOT NULL`])}`;
    sql = `SELECT d, k, count(*) AS n, coalesce(sum(f), 0) AS f FROM (${side(1)} UNION ALL ${side(2)}) s GROUP BY d, k`;
  } else {
    const key = by === 'type' ? 'e.event_type' : by === 'acled_type' ? "coalesce(e.acled_event_type, 'none')" : "'all'";
    sql = `SELECT e.date AS d, ${key} AS k, count(*) AS n, coalesce(sum(e.fatalities), 0) AS f FROM ${frag.table} e ${whereSql(conditions)} GROUP BY 1, 2`;
  }
  const rows = await run<SeriesRow>(sql, frag.params);
  return foldTimeSeries(rows, interval, by, top);
}

/** An actor's counts, weekly activity and counterparts; see Store.actorActivity. */
export async function pgActorActivity(run: Run, frag: PgWhere, actor: string, options: { counterparts?: number }): Promise<ActorActivity> {
  const { key, limit } = actorActivityArgs(actor, options);
  const k = `$${frag.params.length + 1}`;
  const l = `$${frag.params.length + 2}`;
  const side = (n: 1 | 2): string => `(coalesce(e.actor${n}_id = ${k}, false) OR coalesce(lower(e.actor${n}_name) = ${l}, false))`;
  const rows = await run<ActorActivityRow>(
    `SELECT e.date, e.event_type, e.country, e.fatalities, ${side(1)} AS s1, ${side(2)} AS s2,
       e.actor1_id AS a1_id, e.actor1_name AS a1_name, e.actor2_id AS a2_id, e.actor2_name AS a2_name
     FROM ${frag.table} e ${whereSql([`(${side(1)} OR ${side(2)})`, ...frag.where])}`,
    [...frag.params, key, key.toLowerCase()],
  );
  return foldActorActivity(key, rows, limit);
}

/** Places of the matching events; see Store.listPlaces. */
export async function pgListPlaces(run: Run, frag: PgWhere, options: { limit?: number }): Promise<PlaceSummary[]> {
  const limit = options.limit ?? 500;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new KhabarError('E_VALIDATION', `places limit must be an integer from 1 to 10000, got ${limit}`);
  return run<PlaceSummary & Record<string, unknown>>(
    `SELECT e.location_name AS name, e.country AS country_code, e.admin1 AS admin1, e.geonames_id AS geonames_id,
       avg(e.lat) AS lat, avg(e.lon) AS lon, count(*) AS events, coalesce(sum(e.fatalities), 0) AS fatalities, max(e.date) AS last_date
     FROM ${frag.table} e ${whereSql(['e.location_name IS NOT NULL', ...frag.where])}
     GROUP BY e.location_name, e.country, e.admin1, e.geonames_id
     ORDER BY events DESC, e.location_name COLLATE "C" ASC LIMIT $${frag.params.length + 1}`,
    [...frag.params, limit],
  );
}
