/**
 * Events as CSV with ACLED-style column names (so ACLED tooling and habits carry over) followed by
 * Khabar's own fields. RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted.
 */
import type { EventRecord } from '../types.js';
import { countryName, eventCountry, interCode, interaction, timePrecision } from './acled.js';

/** The columns, in order: ACLED's first, then Khabar's extras. */
export const CSV_COLUMNS = [
  'event_id',
  'event_date',
  'year',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'inter1',
  'actor2',
  'inter2',
  'interaction',
  'country',
  'admin1',
  'admin2',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
  // Khabar's extras
  'plover_event_type',
  'mode',
  'category',
  'country_code',
  'geonames_id',
  'actor1_id',
  'actor1_kind',
  'actor1_country',
  'actor2_id',
  'actor2_kind',
  'actor2_country',
  'source_kinds',
  'injured',
  'count',
  'claim',
  'claimed_by',
  'confidence',
  'evidence_start',
  'evidence_end',
  'reports',
  'independent_sources',
  'article_id',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field, quoted when it holds a comma, a quote or a line break (quotes doubled).
 * @example csvField('said "no", then left') // '"said ""no"", then left"'
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The flat ACLED-style row of one event, by column. */
export function eventToRow(e: EventRecord): Record<CsvColumn, string | number | null> {
  const cc = eventCountry(e);
  const inter1 = interCode(e.actor1, cc);
  const inter2 = interCode(e.actor2, cc);
  const loc = e.location;
  return {
    event_id: e.event_id,
    event_date: e.date,
    year: e.date ? Number(e.date.slice(0, 4)) : null,
    time_precision: timePrecision(e.date_precision),
    event_type: e.acled_event_type,
    sub_event_type: e.acled_sub_event_type,
    actor1: e.actor1?.name ?? null,
    inter1,
    actor2: e.actor2?.name ?? null,
    inter2,
    interaction: interaction(inter1, inter2),
    country: countryName(cc),
    admin1: loc?.admin1 ?? null,
    admin2: loc?.admin2 ?? null,
    location: loc?.name ?? null,
    latitude: loc?.lat ?? null,
    longitude: loc?.lon ?? null,
    geo_precision: loc?.geo_precision ?? null,
    source: e.sources.map((s) => s.name).join('; '),
    notes: e.evidence.text,
    fatalities: e.fatalities,
    plover_event_type: e.event_type,
    mode: e.mode,
    category: e.category ?? null,
    country_code: cc,
    geonames_id: loc?.geonames_id ?? null,
    actor1_id: e.actor1?.id ?? null,
    actor1_kind: e.actor1?.kind ?? null,
    actor1_country: e.actor1?.country ?? null,
    actor2_id: e.actor2?.id ?? null,
    actor2_kind: e.actor2?.kind ?? null,
    actor2_country: e.actor2?.country ?? null,
    source_kinds: e.sources.map((s) => s.kind).join('; '),
    injured: e.injured,
    count: e.count,
    claim: e.claim,
    claimed_by: e.claimed_by,
    confidence: e.confidence,
    evidence_start: e.evidence.start,
    evidence_end: e.evidence.end,
    reports: e.reports ?? null,
    independent_sources: e.independent_sources ?? null,
    article_id: e.article_id,
  };
}

/** The header line, with its CRLF. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One event's CSV line, with its CRLF (for streaming). */
export function eventToCsvLine(e: EventRecord): string {
  const row = eventToRow(e);
  return `${CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
}

/**
 * A whole CSV document: header and one line per event.
 * @example eventsToCsv(events).split('\r\n')[0].startsWith('event_id,event_date,year') // true
 */
export function eventsToCsv(events: Iterable<EventRecord>): string {
  let out = csvHeader();
  for (const e of events) out += eventToCsvLine(e);
  return out;
}
