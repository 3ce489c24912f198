/**
 * The merged event of a cluster of reports, from per-value tallies (how many reports gave each value,
 * and the earliest report that gave it), so that it is recomputed in time proportional to the number
 * of distinct values, not of reports, and does not depend on the order reports arrived in.
 */
import type { EventActor, EventLocation, EventRecord, ReportedAlternative, SourceKind } from '../types.js';

export type LinkField = 'type' | 'actor1' | 'actor2' | 'location' | 'date' | 'fatalities' | 'injured' | 'count' | 'claim' | 'source' | 'confidence' | 'origin';

/** One value a report gives for a field: `key` identifies equal values, `value` is its JSON. */
export interface ValueEntry {
  field: LinkField;
  key: string;
  value: string;
  /** Ties between values of one report (its sources) keep the report's order: appended to its order key. */
  rank?: string;
}

/** A tallied value of a cluster. */
export interface TalliedValue extends ValueEntry {
  /** Reports that gave it. */
  n: number;
  /** Order key of the earliest report that gave it. */
  first: string;
  /** Store id of that report (for the location: the row whose place indexes the merged event). */
  rid: number;
}

interface TypeValue {
  event_type: string;
  mode: string | null;
  acled_event_type: string | null;
  acled_sub_event_type: string | null;
  category: EventRecord['category'] | null;
}

interface DateValue {
  date: string | null;
  date_precision: EventRecord['date_precision'];
}

interface ClaimValue {
  claim: EventRecord['claim'];
  claimed_by: string | null;
}

/**
 * The values a report contributes to its cluster's tallies.
 * @example reportValues(ev).find((v) => v.field === 'fatalities') // { field: 'fatalities', key: '12', value: '12' }
 */
export function reportValues(ev: EventRecord): ValueEntry[] {
  const out: ValueEntry[] = [];
  const type: TypeValue = {
    event_type: ev.event_type,
    mode: ev.mode,
    acled_event_type: ev.acled_event_type,
    acled_sub_event_type: ev.acled_sub_event_type,
    category: ev.category ?? null,
  };
  out.push({ field: 'type', key: `${ev.event_type}|${ev.acled_sub_event_type ?? ''}|${ev.mode ?? ''}`, value: JSON.stringify(type) });
  for (const role of ['actor1', 'actor2'] as const) {
    const a = ev[role];
    if (a) out.push({ field: role, key: a.id ?? `name:${a.name.toLowerCase()}`, value: JSON.stringify(a) });
  }
  const loc = ev.location;
  if (loc) out.push({ field: 'location', key: loc.geonames_id !== null ? `g:${loc.geonames_id}` : `n:${loc.name.toLowerCase()}|${loc.country_code ?? ''}`, value: JSON.stringify(loc) });
  const date: DateValue = { date: ev.date, date_precision: ev.date_precision };
  out.push({ field: 'date', key: `${ev.date ?? ''}|${ev.date_precision}`, value: JSON.stringify(date) });
  for (const f of ['fatalities', 'injured', 'count'] as const) {
    const v = ev[f];
    if (v !== null) out.push({ field: f, key: String(v), value: String(v) });
  }
  const claim: ClaimValue = { claim: ev.claim, claimed_by: ev.claimed_by };
  out.push({ field: 'claim', key: `${ev.claim ?? ''}|${ev.claimed_by ?? ''}`, value: JSON.stringify(claim) });
  const seen = new Set<string>();
  for (const s of ev.sources) {
    const key = s.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field: 'source', key, value: JSON.stringify({ name: s.name, kind: s.kind }), rank: String(seen.size).padStart(4, '0') });
  }
  out.push({ field: 'confidence', key: String(ev.confidence), value: String(ev.confidence) });
  return out;
}

/**
 * Each tallied value's parsed JSON, kept while the tally object lives (the linker keeps a cluster's
 * tallies between batches, and a large cluster's merged event is recomputed as each report joins it):
 * parsed again only when the tally's value changed. Callers only read the parsed values.
 */
const parsedValues = new WeakMap<TalliedValue, { json: string; parsed: unknown }>();

/** A tally's value, parsed once per distinct JSON text it held. */
function valueOf<T>(t: TalliedValue): T {
  const hit = parsedValues.get(t);
  if (hit && hit.json === t.value) return hit.parsed as T;
  const parsed = JSON.parse(t.value) as unknown;
  parsedValues.set(t, { json: t.value, parsed });
  return parsed as T;
}

/** Most reported first; ties to the earliest report. */
function bySupport(a: TalliedValue, b: TalliedValue): number {
  return b.n - a.n || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
}

/**
 * Values listed in a merged event's alternatives for one field, the best supported first; the others
 * are counted. A long-running cluster can gather hundreds of dates, and its record (rewritten as each
 * report joins) would grow with them.
 */
export const LISTED_ALTERNATIVES = 10;

/**
 * The first `k` of a field's values in `order` (all of them, sorted, when there are no more), found in
 * one pass that keeps the k best so far: a large cluster's merged event is recomputed as each report
 * joins it, and sorting all its values each time would cost more as it grows.
 */
function leading(list: TalliedValue[], order: (a: TalliedValue, b: TalliedValue) => number, k = LISTED_ALTERNATIVES): TalliedValue[] {
  if (list.length <= k) return list.sort(order);
  const top: TalliedValue[] = [];
  for (const t of list) {
    if (top.length === k) {
      if (order(t, top[k - 1] as TalliedValue) >= 0) continue;
      top.pop();
    }
    let i = top.length;
    while (i > 0 && order(t, top[i - 1] as TalliedValue) < 0) i--;
    top.splice(i, 0, t);
  }
  return top;
}

const PRECISION_RANK: Record<string, number> = { day: 0, week: 1, month: 2, year: 3 };

export interface MergedEvent {
  record: EventRecord;
  /** Store id of the report whose place the merged event takes (for spatial and text indexes). */
  placeRid: number;
}

/**
 * The merged event of a cluster: the earliest report's record (id, evidence) with each field set to
 * the best-supported value; fatalities, injured and count set to the lowest figure reported (ACLED
 * records the most conservative one) with every figure kept in `alternatives` and the fatality
 * range in `fatalities_range`.
 * @example mergeCluster(earliest, earliestRid, tallies, 6, 2).record.reports // 6
 */
export function mergeCluster(earliest: EventRecord, earliestRid: number, tallies: TalliedValue[], reports: number, independent: number): MergedEvent {
  const byField = new Map<string, TalliedValue[]>();
  for (const t of tallies) {
    const list = byField.get(t.field);
    if (list) list.push(t);
    else byField.set(t.field, [t]);
  }
  // Each field's list is read once, so it may be reordered in place (the lists are this call's own).
  const all = (field: LinkField): TalliedValue[] => byField.get(field) ?? [];
  const record: EventRecord = { ...earliest, reports, independent_sources: independent };
  delete record.cluster_id;
  const alternatives: ReportedAlternative[] = [];
  /** Notes a field's alternatives when its reports disagree: `listed` leads `list` (every value of the field). */
  const note = (
    field: ReportedAlternative['field'],
    list: TalliedValue[],
    listed: TalliedValue[],
    show: (t: TalliedValue) => ReportedAlternative['values'][number]['value'],
  ): void => {
    if (list.length <= 1) return;
    const alternative: ReportedAlternative = { field, values: listed.map((t) => ({ value: show(t), reports: t.n })) };
    if (list.length > listed.length) {
      let reportsListed = 0;
      for (const t of listed) reportsListed += t.n;
      let reportsAll = 0;
      for (const t of list) reportsAll += t.n;
      alternative.others = { values: list.length - listed.length, reports: reportsAll - reportsListed };
    }
    alternatives.push(alternative);
  };

  const typeList = all('type');
  const types = leading(typeList, bySupport);
  const bestType = types[0];
  if (bestType) {
    const t = valueOf<TypeValue>(bestType);
    record.event_type = t.event_type;
    record.mode = t.mode;
    record.acled_event_type = t.acled_event_type;
    record.acled_sub_event_type = t.acled_sub_event_type;
    record.category = t.category;
    note('event_type', typeList, types, (v) => {
      const x = valueOf<TypeValue>(v);
      return [x.event_type, x.acled_sub_event_type].filter((s) => s !== null).join(' / ');
    });
  }
  for (const role of ['actor1', 'actor2'] as const) {
    const list = all(role);
    const listed = leading(list, bySupport);
    if (listed[0]) record[role] = valueOf<EventActor>(listed[0]);
    note(role, list, listed, (v) => valueOf<EventActor>(v));
  }
  let placeRid = earliestRid;
  const placeList = all('location');
  // Ranks read from the parsed values only where support ties (valueOf keeps each parse).
  const geoPrecision = (t: TalliedValue): number => valueOf<EventLocation>(t).geo_precision;
  const places = leading(placeList, (a, b) => b.n - a.n || geoPrecision(a) - geoPrecision(b) || bySupport(a, b));
  if (places[0]) {
    record.location = valueOf<EventLocation>(places[0]);
    placeRid = places[0].rid;
  }
  note('location', placeList, places, (v) => valueOf<EventLocation>(v));
  const dateList = all('date');
  const dateRank = (t: TalliedValue): number => PRECISION_RANK[valueOf<DateValue>(t).date_precision] ?? 9;
  const dates = leading(dateList, (a, b) => b.n - a.n || dateRank(a) - dateRank(b) || bySupport(a, b));
  if (dates[0]) {
    const d = valueOf<DateValue>(dates[0]);
    record.date = d.date;
    record.date_precision = d.date_precision;
  }
  note('date', dateList, dates, (v) => {
    const d = valueOf<DateValue>(v);
    return d.date === null ? 'undated' : d.date_precision === 'day' ? d.date : `${d.date} (${d.date_precision})`;
  });
  for (const f of ['fatalities', 'injured', 'count'] as const) {
    const list = all(f);
    const figures = list.map((t) => Number(t.value));
    record[f] = figures.length ? Math.min(...figures) : null;
    note(f, list, leading(list, bySupport), (v) => Number(v.value));
    if (f === 'fatalities') {
      if (figures.length > 1) record.fatalities_range = { min: Math.min(...figures), max: Math.max(...figures) };
      else delete record.fatalities_range;
    }
  }
  // Claims take few values (a claim and who makes it): all of them in order, as the first 'reported' one is wanted.
  const claims = all('claim').sort(bySupport);
  // A report that states the event itself outweighs actors' claims of it.
  const reported = claims.find((t) => valueOf<ClaimValue>(t).claim === 'reported');
  const bestClaim = reported ?? claims[0];
  if (bestClaim) {
    const c = valueOf<ClaimValue>(bestClaim);
    record.claim = c.claim;
    record.claimed_by = c.claimed_by;
  }
  note('claim', claims, claims.slice(0, LISTED_ALTERNATIVES), (v) => {
    const c = valueOf<ClaimValue>(v);
    return c.claimed_by ? `${c.claim ?? 'none'} by ${c.claimed_by}` : (c.claim ?? 'none');
  });
  record.sources = all('source')
    .sort(bySupport)
    .map((t) => valueOf<{ name: string; kind: SourceKind }>(t));
  const confidences = all('confidence').map((t) => Number(t.value));
  if (confidences.length) record.confidence = Math.max(...confidences);
  if (alternatives.length) record.alternatives = alternatives;
  else delete record.alternatives;
  return { record, placeRid };
}
