/**
 * The hand-written geographic knowledge files under data/geo (context cues, non-places, exonyms,
 * regions) and user extra-places files (JSON or CSV), each read once and checked against a schema.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';
import type { PlaceInput } from './gazetteer.js';

export const CuesSchema = z.object({
  $comment: z.string().optional(),
  adminWords: z.record(z.string(), z.union([z.literal(1), z.literal(2)])),
  settlementWords: z.array(z.string()),
  before: z.array(z.string()),
  nameAffixes: z.object({ suffixes: z.array(z.string()), prefixes: z.array(z.string()) }),
  metonymyVerbs: z.array(z.string()),
  nearWords: z.array(z.string()),
  joiners: z.array(z.string()),
  languageBefore: z.array(z.string()),
  languageAfter: z.array(z.string()),
  /** Compass words that modify a name ("West Surrey", "Western US"): never a place on their own inside a longer span. */
  directionWords: z.array(z.string()).default([]),
  /** Head nouns of facility and institution names ("Colorado State University", "Bank of Japan"): the name is the toponym span. */
  facilityWords: z.array(z.string()).default([]),
  /** The facility heads that name a physical site ("Royal Street", "Central Hospital"), found even with no place name in them. */
  siteWords: z.array(z.string()).default([]),
  /** Heads of natural-feature names ("Swat Valley", "Islington Bay"): capitalised after a place name, they belong to its span. */
  featureWords: z.array(z.string()).default([]),
  /** Titles beside a name that ask for its admin-1 unit ("New York Governor", "the governor of Kandahar") or its town ("London Mayor"); no part of the name. */
  officeWords: z.object({ unit: z.array(z.string()), settlement: z.array(z.string()) }).default({ unit: [], settlement: [] }),
});
export type Cues = z.infer<typeof CuesSchema>;

export const NonPlacesSchema = z.object({
  $comment: z.string().optional(),
  words: z.array(z.string()),
  phrases: z.array(z.string()),
  /** Common first names: a name next to one is part of a person's name ("Ben Wagner"). */
  givenNames: z.array(z.string()).default([]),
  /** Words that open a personal name ("Abu", "Bin"): before a capitalised word, never a place. */
  nameParticles: z.array(z.string()).default([]),
  /** Organisation names that are never places ("Taliban"), even without the actor stage. */
  organisations: z.array(z.string()).default([]),
});
export type NonPlaces = z.infer<typeof NonPlacesSchema>;

export const ExonymsSchema = z.object({
  $comment: z.string().optional(),
  countries: z.record(z.string().regex(/^[A-Z]{2}$/), z.array(z.string().min(1))),
  places: z.array(
    z.object({
      alias: z.string().min(1),
      name: z.string().min(1),
      country: z.string().optional(),
      admin1: z.string().optional(),
      /** The alias names an admin-1 unit of this country. */
      admin1Of: z.string().optional(),
    }),
  ),
});
export type Exonyms = z.infer<typeof ExonymsSchema>;

export const CountryCentresSchema = z.object({
  $comment: z.string().optional(),
  countries: z.array(z.object({ country: z.string().regex(/^[A-Z]{2}$/), id: z.number().int().positive(), lat: z.number(), lon: z.number() })),
  /** The GeoNames id of every country ("MZ" → 1036973), for the countries without a listed centre. */
  ids: z.record(z.string().regex(/^[A-Z]{2}$/), z.number().int().positive()).default({}),
});
export type CountryCentres = z.infer<typeof CountryCentresSchema>;

export function loadCountryCentres(path = dataPath('geo', 'countries.json')): CountryCentres {
  return readJson(path, CountryCentresSchema, 'country centres');
}

/** One place of a user file (and of data/geo/regions.json). Only name, lat and lon are required. */
export const ExtraPlaceSchema = z.object({
  id: z.number().int().positive().nullable().optional(),
  name: z.string().min(1),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  fcode: z.string().optional(),
  country: z.string().regex(/^[A-Z]{2}$/).nullable().optional(),
  admin1: z.string().nullable().optional(),
  admin2: z.string().nullable().optional(),
  population: z.number().nonnegative().optional(),
  names: z.array(z.string()).optional(),
});
export const ExtraPlacesFileSchema = z.union([z.object({ $comment: z.string().optional(), places: z.array(ExtraPlaceSchema) }), z.array(ExtraPlaceSchema)]);

function readJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`cannot read the ${what} file ${path}: ${errorMessage(err)}; check that it exists and is valid JSON`, { file: path });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      `the ${what} file ${path} does not match its schema at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; fix that entry`,
      { file: path },
    );
  }
  return parsed.data;
}

/** data/geo/shared-regions.json: regions lying in several countries, and those countries. */
export const SharedRegionsSchema = z.object({
  $comment: z.string().optional(),
  regions: z.array(z.object({ name: z.string().min(1), countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(2) })),
});
export type SharedRegions = z.infer<typeof SharedRegionsSchema>;

export function loadSharedRegions(path = dataPath('geo', 'shared-regions.json')): SharedRegions {
  return readJson(path, SharedRegionsSchema, 'shared regions');
}

export function loadCues(path = dataPath('geo', 'cues.json')): Cues {
  return readJson(path, CuesSchema, 'geo cues');
}
export function loadNonPlaces(path = dataPath('geo', 'non-places.json')): NonPlaces {
  return readJson(path, NonPlacesSchema, 'non-places');
}
export function loadExonyms(path = dataPath('geo', 'exonyms.json')): Exonyms {
  return readJson(path, ExonymsSchema, 'exonyms');
}

function toInput(p: z.infer<typeof ExtraPlaceSchema>): PlaceInput {
  return {
    id: p.id ?? null,
    name: p.name,
    lat: p.lat,
    lon: p.lon,
    fcode: p.fcode ?? 'PPL',
    country: p.country ?? null,
    admin1: p.admin1 ?? null,
    admin2: p.admin2 ?? null,
    population: p.population ?? 0,
    names: p.names ?? [],
  };
}

/** Splits one CSV line, honouring double quotes ("a, b" stays one field). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/**
 * Reads a user extra-places file: JSON (an array, or `{ "places": [...] }`) or CSV with a header
 * naming at least name, lat, lon (optional: country, admin1, admin2, fcode, population, id, and
 * names separated by ";").
 * @example loadExtraPlaces('my-places.csv') // [{ name: 'Camp Bastion', lat: 31.86, lon: 64.22, ... }]
 */
export function loadExtraPlaces(path: string): PlaceInput[] {
  if (!path.toLowerCase().endsWith('.csv')) {
    const parsed = readJson(path, ExtraPlacesFileSchema, 'extra places');
    return (Array.isArray(parsed) ? parsed : parsed.places).map(toInput);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KnowledgeError(`cannot read the extra places file ${path}: ${errorMessage(err)}`, { file: path });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  for (const need of ['name', 'lat', 'lon']) {
    if (!header.includes(need)) throw new KnowledgeError(`the CSV file ${path} needs a header with the column "${need}" (name,lat,lon[,country,admin1,admin2,fcode,population,id,names])`, { file: path });
  }
  const out: PlaceInput[] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = csvFields(lines[i]!);
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => {
      const v = f[j];
      if (v === undefined || v === '') return;
      if (h === 'lat' || h === 'lon' || h === 'population' || h === 'id') rec[h] = Number(v);
      else if (h === 'names') rec[h] = v.split(';').map((s) => s.trim()).filter(Boolean);
      else rec[h] = v;
    });
    const parsed = ExtraPlaceSchema.safeParse(rec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KnowledgeError(`${path}:${i + 1}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}; fix that row`, { file: path, line: i + 1 });
    }
    out.push(toInput(parsed.data));
  }
  return out;
}

/** data/geo/regions.json: continents and large regions. */
export function loadRegions(path = dataPath('geo', 'regions.json')): PlaceInput[] {
  return loadExtraPlaces(path);
}
