/**
 * The columns both stores keep beside each event's full record so that filters run on indexes:
 * one definition, so the SQLite and PostgreSQL stores (and their linkers' merged events) agree.
 */
import type { EventRecord } from '../types.js';

function lowerOrEmpty(v: string | null | undefined): string {
  return v ? v.toLowerCase() : '';
}

/**
 * The text the actor filter searches: both sides' names, ids and words, lower-cased, unit-separated.
 * @example actorSearchKey(ev) // 'security forces\u001fgeneric.security_forces\u001f...'
 */
export function actorSearchKey(ev: EventRecord): string {
  const a1 = ev.actor1;
  const a2 = ev.actor2;
  return [a1?.name, a1?.id, a1?.text, a2?.name, a2?.id, a2?.text].map(lowerOrEmpty).join('\u001f');
}

/** The filter columns of an event, by column name (dates, types, actors, place, numbers, claim). */
export function eventFilterColumns(ev: EventRecord): Record<string, string | number | null> {
  const a1 = ev.actor1;
  const a2 = ev.actor2;
  const loc = ev.location;
  return {
    date: ev.date,
    date_precision: ev.date_precision,
    event_type: ev.event_type,
    mode: ev.mode,
    acled_event_type: ev.acled_event_type,
    acled_sub_event_type: ev.acled_sub_event_type,
    category: ev.category ?? null,
    actor1_name: a1?.name ?? null,
    actor1_id: a1?.id ?? null,
    actor1_kind: a1?.kind ?? null,
    actor1_country: a1?.country ?? null,
    actor2_name: a2?.name ?? null,
    actor2_id: a2?.id ?? null,
    actor2_kind: a2?.kind ?? null,
    actor2_country: a2?.country ?? null,
    actor_search: actorSearchKey(ev),
    location_name: loc?.name ?? null,
    geonames_id: loc?.geonames_id ?? null,
    country: loc?.country_code?.toUpperCase() ?? null,
    admin1: loc?.admin1 ?? null,
    admin2: loc?.admin2 ?? null,
    lat: loc?.lat ?? null,
    lon: loc?.lon ?? null,
    geo_precision: loc?.geo_precision ?? null,
    fatalities: ev.fatalities,
    injured: ev.injured,
    count: ev.count,
    claim: ev.claim,
    claimed_by: ev.claimed_by,
  };
}
