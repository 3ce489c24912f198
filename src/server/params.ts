/**
 * Query-string parameters of the API, validated with zod and turned into the store's EventFilter and
 * the other endpoints' options. Unknown parameters are an error, so a typo never silently widens a query.
 */
import { z } from 'zod';
import { KhabarError } from '../errors.js';
import { EVENT_SORTS } from '../store/index.js';
import type { EventFilter, EventSort } from '../store/index.js';
import type { SeriesBy, SeriesInterval } from '../store/store.js';

/** The event filter parameters, shared by /api/events, /api/export, /api/places, /api/timeseries, /api/actors/{id}. */
export const FILTER_PARAMS = [
  'from', 'to', 'country', 'admin1', 'actor', 'type', 'plover', 'acled', 'q', 'bbox', 'near', 'km',
  'min_sources', 'min_confidence', 'article',
] as const;

const list = z
  .array(z.string())
  .transform((vs) => vs.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''));

const single = (name: string) =>
  z
    .array(z.string())
    .refine((vs) => vs.length <= 1, `give "${name}" once`)
    .transform((vs) => (vs[0] === undefined || vs[0].trim() === '' ? undefined : vs[0].trim()));

const numbers = (name: string, n: number, what: string) =>
  single(name).transform((v, ctx) => {
    if (v === undefined) return undefined;
    const parts = v.split(',').map((p) => Number(p.trim()));
    if (parts.length !== n || parts.some((p) => !Number.isFinite(p))) {
      ctx.addIssue({ code: 'custom', message: `"${name}" takes ${what}, got "${v}"` });
      return z.NEVER;
    }
    return parts;
  });

const number = (name: string) =>
  single(name).transform((v, ctx) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `"${name}" takes a number, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

/** Groups repeated query parameters: ?type=a&type=b → { type: ['a', 'b'] }. */
export function groupParams(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of search) (out[k] ??= []).push(v);
  return out;
}

function fail(issues: z.core.$ZodIssue[]): never {
  const detail = issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
  throw new KhabarError('E_VALIDATION', `invalid query: ${detail}`);
}

function parseWith<T extends z.ZodType>(schema: T, params: Record<string, string[]>): z.output<T> {
  const r = schema.safeParse(params);
  if (!r.success) fail(r.error.issues);
  return r.data;
}

const filterShape = {
  from: single('from'),
  to: single('to'),
  country: list,
  admin1: single('admin1'),
  actor: single('actor'),
  type: list,
  plover: list,
  acled: list,
  q: single('q'),
  bbox: numbers('bbox', 4, 'west,south,east,north in degrees'),
  near: numbers('near', 2, 'lat,lon in degrees (with km)'),
  km: number('km'),
  min_sources: number('min_sources'),
  min_confidence: number('min_confidence'),
  article: single('article'),
};

type FilterParams = z.output<z.ZodObject<typeof filterShape>>;

function toFilter(p: Partial<FilterParams>): EventFilter {
  const f: EventFilter = {};
  if (p.from !== undefined) f.from = p.from;
  if (p.to !== undefined) f.to = p.to;
  if (p.country?.length) f.country = p.country;
  if (p.admin1 !== undefined) f.admin1 = p.admin1;
  if (p.actor !== undefined) f.actor = p.actor;
  // PLOVER and ACLED codes are matched by the store's type filter (any of event, ACLED and sub-event type).
  const types = [...(p.type ?? []), ...(p.plover ?? []), ...(p.acled ?? [])];
  if (types.length) f.type = types;
  if (p.q !== undefined) f.text = p.q;
  if (p.bbox) {
    const [west, south, east, north] = p.bbox as [number, number, number, number];
    f.bbox = { west, south, east, north };
  }
  if ((p.near === undefined) !== (p.km === undefined)) {
    throw new KhabarError('E_VALIDATION', 'invalid query: give "near" (lat,lon) and "km" together');
  }
  if (p.near && p.km !== undefined) {
    const [lat, lon] = p.near as [number, number];
    f.near = { lat, lon, km: p.km };
  }
  if (p.min_sources !== undefined) f.min_sources = p.min_sources;
  if (p.min_confidence !== undefined) f.min_confidence = p.min_confidence;
  if (p.article !== undefined) f.article_id = p.article;
  return f;
}

function schemaWith<E extends z.ZodRawShape>(extra: E) {
  return z.object({ ...filterShape, ...extra }).partial().strict();
}

const pageShape = {
  limit: number('limit'),
  cursor: single('cursor'),
  sort: single('sort'),
};
const eventsSchema = schemaWith(pageShape);

/**
 * /api/events parameters → EventFilter (limit default 100, at most 10000).
 * @example parseEventQuery(new URLSearchParams('country=PK,AF&bbox=60,20,80,40')).country // ['PK', 'AF']
 */
export function parseEventQuery(search: URLSearchParams, defaultLimit = 100): EventFilter {
  const p = parseWith(eventsSchema, groupParams(search));
  const f = toFilter(p);
  f.limit = p.limit ?? defaultLimit;
  if (p.cursor !== undefined) f.cursor = p.cursor;
  if (p.sort !== undefined) {
    if (!EVENT_SORTS.includes(p.sort as EventSort)) throw new KhabarError('E_VALIDATION', `invalid query: sort must be one of ${EVENT_SORTS.join(', ')}`);
    f.sort = p.sort as EventSort;
  }
  return f;
}

const exportSchema = schemaWith({ format: single('format'), limit: number('limit'), sort: single('sort') });
export const EXPORT_API_FORMATS = ['csv', 'json', 'jsonl', 'geojson'] as const;
export type ExportApiFormat = (typeof EXPORT_API_FORMATS)[number];

/** /api/export parameters: the filter, the format (default csv), an optional cap on the count. */
export function parseExportQuery(search: URLSearchParams): { filter: EventFilter; format: ExportApiFormat } {
  const p = parseWith(exportSchema, groupParams(search));
  const format = (p.format ?? 'csv') as ExportApiFormat;
  if (!EXPORT_API_FORMATS.includes(format)) throw new KhabarError('E_VALIDATION', `invalid query: format must be one of ${EXPORT_API_FORMATS.join(', ')}`);
  const filter = toFilter(p);
  if (p.limit !== undefined) filter.limit = p.limit;
  if (p.sort !== undefined) {
    if (!EVENT_SORTS.includes(p.sort as EventSort)) throw new KhabarError('E_VALIDATION', `invalid query: sort must be one of ${EVENT_SORTS.join(', ')}`);
    filter.sort = p.sort as EventSort;
  }
  return { filter, format };
}

const seriesSchema = schemaWith({ interval: single('interval'), by: single('by'), top: number('top') });

/** /api/timeseries parameters: the filter and interval (day|week), split (none|type|acled_type|actor), top. */
export function parseSeriesQuery(search: URLSearchParams): { filter: EventFilter; interval: SeriesInterval; by: SeriesBy; top: number } {
  const p = parseWith(seriesSchema, groupParams(search));
  const interval = p.interval ?? 'day';
  const by = p.by ?? 'none';
  if (interval !== 'day' && interval !== 'week') throw new KhabarError('E_VALIDATION', 'invalid query: interval must be day or week');
  if (!['none', 'type', 'acled_type', 'actor'].includes(by)) throw new KhabarError('E_VALIDATION', 'invalid query: by must be one of none, type, acled_type, actor');
  return { filter: toFilter(p), interval, by: by as SeriesBy, top: p.top ?? 10 };
}

const placesSchema = schemaWith({ limit: number('limit') });

/** /api/places parameters: the filter and a limit (default 500). */
export function parsePlacesQuery(search: URLSearchParams): { filter: EventFilter; limit: number } {
  const p = parseWith(placesSchema, groupParams(search));
  return { filter: toFilter(p), limit: p.limit ?? 500 };
}

const profileSchema = schemaWith({ counterparts: number('counterparts') });

/** /api/actors/{id} parameters: a filter over the actor's events and how many counterparts. */
export function parseProfileQuery(search: URLSearchParams): { filter: EventFilter; counterparts: number } {
  const p = parseWith(profileSchema, groupParams(search));
  return { filter: toFilter(p), counterparts: p.counterparts ?? 20 };
}

const searchSchema = z.object({ q: single('q'), limit: number('limit'), offset: number('offset') }).partial().strict();

/** /api/actors and /api/articles search parameters: q, limit, offset. */
export function parseSearchQuery(search: URLSearchParams): { q: string | undefined; limit: number; offset: number } {
  const p = parseWith(searchSchema, groupParams(search));
  return { q: p.q, limit: p.limit ?? 20, offset: p.offset ?? 0 };
}

/** No parameters allowed. */
export function parseNoQuery(search: URLSearchParams): void {
  parseWith(z.object({}).strict(), groupParams(search));
}
