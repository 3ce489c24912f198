/**
 * Aggregate queries for the app on the SQLite store: time series, an actor's activity, places. Each
 * takes the WHERE fragment of a normalized event filter (bound parameters only) and adds its own.
 */
import type Database from 'better-sqlite3';
import { KhabarError } from '../../errors.js';
import { actorActivityArgs, foldActorActivity, foldTimeSeries, seriesArgs, type ActorActivityRow, type SeriesRow } from '../analytics-fold.js';
import type { ActorActivity, PlaceSummary, SeriesOptions, TimeSeries } from '../store.js';

type DB = Database.Database;
type Param = string | number | null;

/** The WHERE conditions and parameters of a filter, as the store's buildWhere makes them. */
export interface WhereFragment {
  where: string[];
  params: Param[];
  /** The table the conditions read as `e` (merged events or every report); chosen by the store, never by input. */
  table?: string;
}


function whereSql(conditions: string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** Counts per day or week, split by a key; see Store.timeSeries. */
export function timeSeries(db: DB, frag: WhereFragment, options: SeriesOptions): TimeSeries {
  const { interval, by, top } = seriesArgs(options);

  const conditions = ['e.date IS NOT NULL', ...frag.where];
  let sql: string;
  let params: Param[];
  if (by === 'actor') {
    const side = (n: 1 | 2): string =>
      `SELECT e.date AS d, coalesce(e.actor${n}_id, e.actor${n}_name) AS k, e.fatalities AS f FROM ${frag.table ?? 'events'} e
       ${whereSql([...conditions, `e.actor${n}_name IS NOT NULL`])}`;
    sql = `SELECT d, k, count(*) AS n, coalesce(sum(f), 0) AS f FROM (${side(1)} UNION ALL ${side(2)}) GROUP BY d, k`;
    params = [...frag.params, ...frag.params];
  } else {
    const key = by === 'type' ? 'e.event_type' : by === 'acled_type' ? "coalesce(e.acled_event_type, 'none')" : "'all'";
    sql = `SELECT e.date AS d, ${key} AS k, count(*) AS n, coalesce(sum(e.fatalities), 0) AS f FROM ${frag.table ?? 'events'} e ${whereSql(conditions)} GROUP BY d, k`;
    params = [...frag.params];
  }
  const rows = db.prepare(sql).all(...params) as SeriesRow[];
  return foldTimeSeries(rows, interval, by, top);
}

/** An actor's counts, weekly activity and counterparts; see Store.actorActivity. */
export function actorActivity(db: DB, frag: WhereFragment, actor: string, options: { counterparts?: number }): ActorActivity {
  const { key, limit } = actorActivityArgs(actor, options);
  const lower = key.toLowerCase();
  const side = (n: 1 | 2): string => `(e.actor${n}_id = ? OR lower(e.actor${n}_name) = ?)`;
  const sql = `SELECT e.date AS date, e.event_type AS event_type, e.country AS country, e.fatalities AS fatalities,
      ${side(1)} AS s1, ${side(2)} AS s2, e.actor1_id AS a1_id, e.actor1_name AS a1_name, e.actor2_id AS a2_id, e.actor2_name AS a2_name
    FROM ${frag.table ?? 'events'} e ${whereSql([`(${side(1)} OR ${side(2)})`, ...frag.where])}`;
  const rows = db.prepare(sql).all(key, lower, key, lower, key, lower, key, lower, ...frag.params) as ActorActivityRow[];
  return foldActorActivity(key, rows, limit);
}

/** Places of the matching events; see Store.listPlaces. */
export function listPlaces(db: DB, frag: WhereFragment, options: { limit?: number }): PlaceSummary[] {
  const limit = options.limit ?? 500;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new KhabarError('E_VALIDATION', `places limit must be an integer from 1 to 10000, got ${limit}`);
  const sql = `SELECT e.location_name AS name, e.country AS country_code, e.admin1 AS admin1, e.geonames_id AS geonames_id,
      avg(e.lat) AS lat, avg(e.lon) AS lon, count(*) AS events, coalesce(sum(e.fatalities), 0) AS fatalities, max(e.date) AS last_date
    FROM ${frag.table ?? 'events'} e ${whereSql(['e.location_name IS NOT NULL', ...frag.where])}
    GROUP BY e.location_name, e.country, e.admin1, e.geonames_id
    ORDER BY events DESC, name ASC LIMIT ?`;
  return db.prepare(sql).all(...frag.params, limit) as PlaceSummary[];
}
