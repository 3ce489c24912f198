/**
 * The event filter every store accepts, its validation (zod: the filter is a boundary, fed by the CLI
 * and the HTTP API), keyset cursors, and the dialect-free geometry (bounding box around a radius).
 */
import { z } from 'zod';
import { KhabarError } from '../errors.js';

/** Sort orders; ties are broken by event id in the same direction, so pages are stable. */
export type EventSort = 'date_desc' | 'date_asc' | 'fatalities_desc' | 'confidence_desc';

export const EVENT_SORTS: readonly EventSort[] = ['date_desc', 'date_asc', 'fatalities_desc', 'confidence_desc'];

/** A point and a radius in kilometres. */
export interface GeoPoint {
  lat: number;
  lon: number;
  km: number;
}

/** Degrees; `west > east` means the box crosses the antimeridian. */
export interface BoundingBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface EventFilter {
  /** Event date on or after, `YYYY-MM-DD` (events without a date are then excluded). */
  from?: string;
  /** Event date on or before, `YYYY-MM-DD`. */
  to?: string;
  /** ISO 3166-1 alpha-2 code(s) of the event's location, any case. */
  country?: string | string[];
  /** Admin-1 name of the event's location, case-insensitive equality. */
  admin1?: string;
  /** PLOVER type, ACLED event type, ACLED sub-event type or category; case-insensitive equality; any of. */
  type?: string | string[];
  /** Case-insensitive substring of either actor's name, id or words in the article. */
  actor?: string;
  near?: GeoPoint;
  bbox?: BoundingBox;
  /** Full-text query over the event's article (title and text). */
  text?: string;
  article_id?: string;
  min_confidence?: number;
  /** At least this many independent sources (cross-article linking fills it; an unlinked event counts as 1). */
  min_sources?: number;
  /**
   * List every report (each article's own event record) instead of the merged events, one per
   * real-world event, that queries return by default (src/link).
   */
  raw_reports?: boolean;
  /** 1..10000, default 1000. */
  limit?: number;
  offset?: number;
  /** From a previous EventPage.next_cursor; the filter and sort must be the same. */
  cursor?: string;
  /** Default date_desc. */
  sort?: EventSort;
}

export const MAX_EVENT_LIMIT = 10_000;
export const DEFAULT_EVENT_LIMIT = 1_000;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real calendar date');

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]);

export const eventFilterSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    country: oneOrMany.optional(),
    admin1: z.string().min(1).optional(),
    type: oneOrMany.optional(),
    actor: z.string().min(1).max(200).optional(),
    near: z
      .object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        km: z.number().positive().max(20_100),
      })
      .strict()
      .optional(),
    bbox: z
      .object({
        south: z.number().min(-90).max(90),
        west: z.number().min(-180).max(180),
        north: z.number().min(-90).max(90),
        east: z.number().min(-180).max(180),
      })
      .strict()
      .refine((b) => b.south <= b.north, 'bbox south must not be above north')
      .optional(),
    text: z.string().min(1).max(1000).optional(),
    article_id: z.string().min(1).optional(),
    min_confidence: z.number().min(0).max(1).optional(),
    min_sources: z.number().int().min(1).max(10_000).optional(),
    raw_reports: z.boolean().optional(),
    limit: z.number().int().min(1).max(MAX_EVENT_LIMIT).optional(),
    offset: z.number().int().min(0).optional(),
    cursor: z.string().min(1).optional(),
    sort: z.enum(['date_desc', 'date_asc', 'fatalities_desc', 'confidence_desc']).optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, '"from" must not be after "to"')
  .refine((f) => f.cursor === undefined || f.offset === undefined, 'give a cursor or an offset, not both');

/** Where the previous page ended: its last event's sort key and id. */
export interface CursorPosition {
  sort: EventSort;
  key: string | number;
  id: string;
}

/** The filter after validation: lists normalized, defaults filled in, the cursor decoded. */
export interface NormalizedFilter {
  from: string | null;
  to: string | null;
  /** Upper-cased. */
  countries: string[];
  /** Lower-cased. */
  admin1: string | null;
  /** Lower-cased. */
  types: string[];
  /** Lower-cased. */
  actor: string | null;
  near: GeoPoint | null;
  bbox: BoundingBox | null;
  text: string | null;
  article_id: string | null;
  min_confidence: number | null;
  min_sources: number | null;
  /** List every report (one per article) instead of one merged event per cluster. */
  raw_reports: boolean;
  limit: number;
  offset: number;
  after: CursorPosition | null;
  sort: EventSort;
}

function validationError(what: string, issues: z.core.$ZodIssue[]): KhabarError {
  const detail = issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
  return new KhabarError('E_VALIDATION', `invalid ${what}: ${detail}`);
}

const cursorSchema = z.object({
  s: z.enum(['date_desc', 'date_asc', 'fatalities_desc', 'confidence_desc']),
  k: z.union([z.string(), z.number()]),
  i: z.string(),
});

/** Encodes a page position as an opaque URL-safe string. */
export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ s: pos.sort, k: pos.key, i: pos.id }), 'utf8').toString('base64url');
}

/** Decodes a cursor; E_VALIDATION when it is not one of ours. */
export function decodeCursor(cursor: string): CursorPosition {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (err) {
    throw new KhabarError('E_VALIDATION', 'invalid cursor: pass back next_cursor exactly as a previous page returned it', {}, { cause: err });
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success) throw new KhabarError('E_VALIDATION', 'invalid cursor: pass back next_cursor exactly as a previous page returned it');
  return { sort: parsed.data.s, key: parsed.data.k, id: parsed.data.i };
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Validates and normalizes a filter; throws KhabarError E_VALIDATION naming the bad field.
 * @example normalizeFilter({ country: 'pk', limit: 5 }).countries // ['PK']
 */
export function normalizeFilter(filter: EventFilter = {}): NormalizedFilter {
  const parsed = eventFilterSchema.safeParse(filter);
  if (!parsed.success) throw validationError('event filter', parsed.error.issues);
  const f = parsed.data;
  const sort: EventSort = f.sort ?? 'date_desc';
  let after: CursorPosition | null = null;
  if (f.cursor !== undefined) {
    after = decodeCursor(f.cursor);
    if (after.sort !== sort) throw new KhabarError('E_VALIDATION', `invalid cursor: it continues a "${after.sort}" listing, not "${sort}"`);
    if ((sort === 'date_desc' || sort === 'date_asc') !== (typeof after.key === 'string')) {
      throw new KhabarError('E_VALIDATION', 'invalid cursor: pass back next_cursor exactly as a previous page returned it');
    }
  }
  return {
    from: f.from ?? null,
    to: f.to ?? null,
    countries: asList(f.country).map((c) => c.toUpperCase()),
    admin1: f.admin1?.toLowerCase() ?? null,
    types: asList(f.type).map((t) => t.toLowerCase()),
    actor: f.actor?.toLowerCase() ?? null,
    near: f.near ?? null,
    bbox: f.bbox ?? null,
    text: f.text ?? null,
    article_id: f.article_id ?? null,
    min_confidence: f.min_confidence ?? null,
    min_sources: f.min_sources ?? null,
    raw_reports: f.raw_reports ?? false,
    limit: f.limit ?? DEFAULT_EVENT_LIMIT,
    offset: f.offset ?? 0,
    after,
    sort,
  };
}

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle distance in km.
 * @example Math.round(haversineKm(33.6844, 73.0479, 31.5204, 74.3587)) // 270 (Islamabad–Lahore)
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The lat/lon boxes that contain every point within `km` of the centre: one box, or two when the
 * circle crosses the antimeridian; a box spanning all longitudes when it reaches a pole.
 * @example boxesAround({ lat: 0, lon: 179.9, km: 50 }).length // 2
 */
export function boxesAround(p: GeoPoint): BoundingBox[] {
  const dLat = (p.km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const south = Math.max(-90, p.lat - dLat);
  const north = Math.min(90, p.lat + dLat);
  if (south <= -90 || north >= 90) return [{ south, west: -180, north, east: 180 }];
  // The widest longitude spread of the circle (at the latitude of its tangent point).
  const ratio = Math.sin(p.km / EARTH_RADIUS_KM) / Math.cos(p.lat * (Math.PI / 180));
  if (ratio >= 1) return [{ south, west: -180, north, east: 180 }];
  const dLon = Math.asin(ratio) * (180 / Math.PI);
  const west = p.lon - dLon;
  const east = p.lon + dLon;
  if (west < -180) return [{ south, west: west + 360, north, east: 180 }, { south, west: -180, north, east }];
  if (east > 180) return [{ south, west, north, east: 180 }, { south, west: -180, north, east: east - 360 }];
  return [{ south, west, north, east }];
}

/** Splits a box that crosses the antimeridian (west > east) into two plain boxes. */
export function splitBox(b: BoundingBox): BoundingBox[] {
  if (b.west <= b.east) return [b];
  return [
    { south: b.south, west: b.west, north: b.north, east: 180 },
    { south: b.south, west: -180, north: b.north, east: b.east },
  ];
}
