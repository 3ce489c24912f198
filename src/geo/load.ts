/**
 * Loading the gazetteer: read the compiled cache (building it first when it is missing or its
 * sources changed), then add the user's extra places.
 */
import { existsSync, readFileSync } from 'node:fs';
import { KnowledgeError, errorMessage } from '../errors.js';
import { buildGazetteerCache, gazetteerCacheFile, sourceStamp } from './build.js';
import { CACHE_FORMAT, Gazetteer, buildGazetteerData, buildKeyHash, decodeGazetteer, encodeGazetteer, readCacheHeader, type GazetteerData } from './gazetteer.js';
import { loadExtraPlaces } from './knowledge.js';

export interface LoadGazetteerOptions {
  /** User files of extra places (JSON or CSV, see loadExtraPlaces). */
  extraPlacesFiles?: string[];
  /** Rebuild the cache even when it is current. */
  rebuild?: boolean;
}

/** Appends the places and names of `extra` to `base` (extra places come after base places). */
export function mergeGazetteerData(base: GazetteerData, extra: GazetteerData): GazetteerData {
  const n0 = base.ids.length;
  const n1 = extra.ids.length;
  const cat = <T extends Int32Array | Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array>(a: T, b: T, make: (n: number) => T): T => {
    const out = make(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  };
  // Re-map the string tables of extra into base's.
  const remap = (baseList: string[], extraList: string[]): { list: string[]; map: number[] } => {
    const list = [...baseList];
    const idx = new Map(list.map((s, i) => [s, i]));
    const map = extraList.map((s) => {
      let i = idx.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        idx.set(s, i);
      }
      return i;
    });
    return { list, map };
  };
  const fc = remap(base.fcodes, extra.fcodes);
  const cc = remap(base.countries, extra.countries);
  const ad = remap(base.admins, extra.admins);
  const fcode = new Uint8Array(n0 + n1);
  fcode.set(base.fcode);
  const country = new Uint16Array(n0 + n1);
  country.set(base.country);
  const admin1 = new Uint32Array(n0 + n1);
  admin1.set(base.admin1);
  const admin2 = new Uint32Array(n0 + n1);
  admin2.set(base.admin2);
  for (let i = 0; i < n1; i++) {
    fcode[n0 + i] = fc.map[extra.fcode[i]!]!;
    country[n0 + i] = cc.map[extra.country[i]!]!;
    admin1[n0 + i] = ad.map[extra.admin1[i]!]!;
    admin2[n0 + i] = ad.map[extra.admin2[i]!]!;
  }
  const extraPostings = new Map<string, Int32Array>();
  for (let k = 0; k < extra.keys.length; k++) {
    const ps = extra.postings.slice(extra.keyStart[k]!, extra.keyStart[k + 1]!).map((x) => x + 2 * n0);
    extraPostings.set(extra.keys[k]!, ps);
  }
  const keys: string[] = [];
  const starts: number[] = [];
  const chunks: Int32Array[] = [];
  let total = 0;
  for (let k = 0; k < base.keys.length; k++) {
    const key = base.keys[k]!;
    keys.push(key);
    starts.push(total);
    // User places come first for a key they share, so that they win ties.
    const more = extraPostings.get(key);
    if (more) {
      chunks.push(more);
      total += more.length;
      extraPostings.delete(key);
    }
    const own = base.postings.subarray(base.keyStart[k]!, base.keyStart[k + 1]!);
    chunks.push(own);
    total += own.length;
  }
  for (const [key, ps] of extraPostings) {
    keys.push(key);
    starts.push(total);
    chunks.push(ps);
    total += ps.length;
  }
  starts.push(total);
  const postings = new Int32Array(total);
  let at = 0;
  for (const c of chunks) {
    postings.set(c, at);
    at += c.length;
  }
  return {
    ids: cat(base.ids, extra.ids, (n) => new Int32Array(n)),
    lat: cat(base.lat, extra.lat, (n) => new Float32Array(n)),
    lon: cat(base.lon, extra.lon, (n) => new Float32Array(n)),
    pop: cat(base.pop, extra.pop, (n) => new Float64Array(n)),
    fcode,
    country,
    admin1,
    admin2,
    names: [...base.names, ...extra.names],
    fcodes: fc.list,
    countries: cc.list,
    admins: ad.list,
    keys,
    keyStart: Int32Array.from(starts),
    postings,
    hash: buildKeyHash(keys),
    maxKeyWords: Math.max(base.maxKeyWords, extra.maxKeyWords),
  };
}

/** Reads the cache when it is current, else null. */
function readCurrentCache(file: string, stamp: string): GazetteerData | null {
  if (!existsSync(file)) return null;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
    const header = readCacheHeader(buf);
    if (header.stamp !== stamp || header.format !== CACHE_FORMAT) return null;
    return decodeGazetteer(buf).data;
  } catch (err) {
    // A truncated or old cache is rebuilt rather than trusted; say so once on stderr.
    process.stderr.write(`khabar: rebuilding the gazetteer cache ${file} (${errorMessage(err)})\n`);
    return null;
  }
}

/**
 * Loads the gazetteer: from data/cache/gazetteer.bin when current (well under a second), else
 * builds it from the installed packages first (several seconds, once).
 * @example const gaz = loadGazetteer(); gaz.find('Jalalabad').map((p) => gaz.country(p)) // ['AF', 'IN', 'KG', ...]
 */
export function loadGazetteer(options: LoadGazetteerOptions = {}): Gazetteer {
  const file = gazetteerCacheFile();
  const stamp = sourceStamp();
  let data = options.rebuild ? null : readCurrentCache(file, stamp);
  if (!data) data = buildGazetteerCache(encodeGazetteer).data;
  const extra = (options.extraPlacesFiles ?? []).flatMap((f) => {
    if (!existsSync(f)) throw new KnowledgeError(`the extra places file ${f} does not exist; check the path`, { file: f });
    return loadExtraPlaces(f);
  });
  if (extra.length > 0) data = mergeGazetteerData(data, buildGazetteerData(extra));
  return new Gazetteer(data);
}
