/**
 * The in-memory gazetteer: places in parallel typed arrays (coordinates, population, codes) and a
 * name index from folded keys to place numbers, plus its compact binary form for the cache.
 */
import { KnowledgeError } from '../errors.js';
import { keyLength, nameKey } from './fold.js';

/** A place as given to the builder (from GeoNames rows, admin tables, countries, user files). */
export interface PlaceInput {
  /** GeoNames id, or null for places without one (derived admin units, user places). */
  id: number | null;
  name: string;
  lat: number;
  lon: number;
  /** GeoNames feature code: PPL, PPLA, PPLC, ADM1, ADM2, PCLI, CONT, RGN... */
  fcode: string;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  population: number;
  /** Other names (alternate spellings, exonyms); the name itself is always indexed. */
  names: string[];
}

/** One resolved place, as read back from the gazetteer. */
export interface PlaceRecord {
  index: number;
  id: number | null;
  name: string;
  lat: number;
  lon: number;
  fcode: string;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  population: number;
}

export interface GazetteerData {
  ids: Int32Array;
  lat: Float32Array;
  lon: Float32Array;
  pop: Float64Array;
  fcode: Uint8Array;
  country: Uint16Array;
  admin1: Uint32Array;
  admin2: Uint32Array;
  /** Bit 0: the key is the place's own name (not only an alternate) — stored per posting. */
  names: string[];
  fcodes: string[];
  countries: string[];
  /** Table of admin codes; index 0 is the empty code. */
  admins: string[];
  keys: string[];
  /**
   * CSR: postings of key k are postings[keyStart[k] .. keyStart[k+1]). A posting is place*2 +
   * primary. Keys with no postings are word prefixes of longer names ("new" of "new york"),
   * so the matcher knows when to read one more word.
   */
  keyStart: Int32Array;
  postings: Int32Array;
  /** Open-addressing hash table of key numbers (-1 empty), size a power of two: no Map to build at load. */
  hash: Int32Array;
  /** Longest key, in words. */
  maxKeyWords: number;
}

/** FNV-1a over UTF-16 code units. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Builds the hash table over keys (load factor at most 1/2). */
export function buildKeyHash(keys: readonly string[]): Int32Array {
  let size = 1024;
  while (size < keys.length * 2) size *= 2;
  const table = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let k = 0; k < keys.length; k++) {
    let slot = hashKey(keys[k]!) & mask;
    while (table[slot] !== -1) slot = (slot + 1) & mask;
    table[slot] = k;
  }
  return table;
}

/** Feature codes that stand for administrative units of level 1/2, countries and larger areas. */
export const COUNTRY_CODES = new Set(['PCLI', 'PCLD', 'PCLF', 'PCLS', 'PCLIX', 'PCL', 'TERR']);
export const ADMIN1_CODES = new Set(['ADM1', 'ADM1H']);
export const ADMIN2_CODES = new Set(['ADM2', 'ADM2H']);
export const REGION_CODES = new Set([
  'CONT', 'RGN', 'RGNE', 'AREA', 'ISLS', 'PEN', 'MTS', 'DSRT', 'OCN', 'SEA', 'GULF',
  // Physical features a news story names as places: rivers, straits, lakes, bays, channels, canals, deltas, plateaus, valleys, basins.
  'STM', 'STRT', 'LK', 'LKS', 'BAY', 'CHN', 'CNL', 'DLTA', 'PLAT', 'VAL', 'BSN', 'ISL',
  // Former states (the Soviet Union): no country code today, named like regions.
  'PCLH',
]);

/**
 * Bits of a place's kind, from its feature code (Gazetteer.kind): one array read instead of
 * set look-ups by code string. @example (g.kind(p) & PLACE_KIND.country) !== 0
 */
export const PLACE_KIND = { country: 1, admin1: 2, admin2: 4, region: 8, capital: 16 } as const;

function kindOfCode(fcode: string): number {
  let k = 0;
  if (COUNTRY_CODES.has(fcode)) k |= PLACE_KIND.country;
  if (ADMIN1_CODES.has(fcode)) k |= PLACE_KIND.admin1;
  if (ADMIN2_CODES.has(fcode)) k |= PLACE_KIND.admin2;
  if (REGION_CODES.has(fcode)) k |= PLACE_KIND.region;
  if (fcode === 'PPLC') k |= PLACE_KIND.capital;
  return k;
}

/** The places of a postings list, taken together (Gazetteer.postingsSummary). */
export interface PostingsSummary {
  /** Union of the places' PLACE_KIND bits. */
  kinds: number;
  /** The largest population among the places. */
  maxPopulation: number;
}

/** At most this many names stay in keyOf's cache; it starts afresh when full. */
const MAX_CACHED_NAME_KEYS = 10000;

/** Marks a place's admin unit as not yet looked up (admin1Units, admin2Units). */
const UNIT_UNKNOWN = -2;

export class Gazetteer {
  readonly size: number;
  /** Longest name in words: the matcher never looks further. */
  readonly maxKeyWords: number;
  /** "AF" → the country's place number. */
  private readonly countryPlace = new Map<string, number>();
  /** "AF.18" → the admin-1 place number; "AF.18.801" → the admin-2 one. */
  private readonly adminPlace = new Map<string, number>();
  /** "SO" → the place number of its capital (the most populous PPLC). */
  private readonly capitalPlace = new Map<string, number>();
  /** PLACE_KIND bits of each feature code, by code number. */
  private readonly codeKind: Uint8Array;
  /** Place → its admin-1 / admin-2 unit's place number (-1 none), filled as asked (UNIT_UNKNOWN until then). */
  private admin1Units: Int32Array | null = null;
  private admin2Units: Int32Array | null = null;
  /** Names → their keys, for keyOf. */
  private readonly nameKeys = new Map<string, string>();
  /** Postings arrays → their summary, for postingsSummary. */
  private readonly summaries = new WeakMap<Int32Array, PostingsSummary>();

  constructor(readonly data: GazetteerData) {
    this.size = data.ids.length;
    this.codeKind = Uint8Array.from(data.fcodes, kindOfCode);
    this.maxKeyWords = Math.min(data.maxKeyWords, 8);
    for (let p = 0; p < this.size; p++) {
      const fc = data.fcodes[data.fcode[p]!]!;
      const cc = data.countries[data.country[p]!]!;
      if (COUNTRY_CODES.has(fc)) {
        if (!this.countryPlace.has(cc)) this.countryPlace.set(cc, p);
      } else if (fc === 'PPLC') {
        const q = this.capitalPlace.get(cc);
        if (q === undefined || data.pop[p]! > data.pop[q]!) this.capitalPlace.set(cc, p);
      } else if (ADMIN1_CODES.has(fc)) {
        const k = `${cc}.${data.admins[data.admin1[p]!]}`;
        if (!this.adminPlace.has(k)) this.adminPlace.set(k, p);
      } else if (ADMIN2_CODES.has(fc)) {
        const k = `${cc}.${data.admins[data.admin1[p]!]}.${data.admins[data.admin2[p]!]}`;
        if (!this.adminPlace.has(k)) this.adminPlace.set(k, p);
      }
    }
  }

  /**
   * Postings (place*2 + primary-name bit) for a folded key, or null.
   * @example gazetteer.postings('jalalabad') // Int32Array [...]
   */
  postings(key: string): Int32Array | null {
    const k = this.keyNumber(key);
    if (k < 0) return null;
    const a = this.data.keyStart[k]!;
    const b = this.data.keyStart[k + 1]!;
    return a === b ? null : this.data.postings.subarray(a, b);
  }

  /** Is `key` a name, or the first words of a longer name? */
  hasKey(key: string): boolean {
    return this.keyNumber(key) >= 0;
  }

  private keyNumber(key: string): number {
    const { hash, keys } = this.data;
    const mask = hash.length - 1;
    let slot = hashKey(key) & mask;
    for (;;) {
      const k = hash[slot]!;
      if (k === -1) return -1;
      if (keys[k] === key) return k;
      slot = (slot + 1) & mask;
    }
  }

  /** Place numbers whose names fold to the same key as `name`. @example gazetteer.find('Kabul') */
  find(name: string): number[] {
    const p = this.postings(this.keyOf(name));
    if (!p) return [];
    const out: number[] = [];
    for (const x of p) out.push(x >> 1);
    return out;
  }

  /**
   * nameKey(name), remembered: the stages ask for the same unit, country and region names again
   * and again. @example gazetteer.keyOf('St. Louis') // 'st louis'
   */
  keyOf(name: string): string {
    let key = this.nameKeys.get(name);
    if (key === undefined) {
      key = nameKey(name);
      if (this.nameKeys.size >= MAX_CACHED_NAME_KEYS) this.nameKeys.clear();
      this.nameKeys.set(name, key);
    }
    return key;
  }

  fcode(p: number): string {
    return this.data.fcodes[this.data.fcode[p]!]!;
  }
  /** PLACE_KIND bits of the place's feature code. */
  kind(p: number): number {
    return this.codeKind[this.data.fcode[p]!]!;
  }

  /**
   * What the places of a postings list are, taken together: the union of their PLACE_KIND bits
   * and the largest population. Remembered for each postings array (a name's postings come back
   * as the same array from the name index), since reading every place of a common name touches
   * memory all over the gazetteer. @example (g.postingsSummary(postings).kinds & PLACE_KIND.country) !== 0
   */
  postingsSummary(postings: Int32Array): PostingsSummary {
    let summary = this.summaries.get(postings);
    if (summary === undefined) {
      let kinds = 0;
      let maxPopulation = 0;
      for (const x of postings) {
        const p = x >> 1;
        kinds |= this.kind(p);
        maxPopulation = Math.max(maxPopulation, this.population(p));
      }
      summary = { kinds, maxPopulation };
      this.summaries.set(postings, summary);
    }
    return summary;
  }
  country(p: number): string | null {
    const c = this.data.countries[this.data.country[p]!]!;
    return c === '' ? null : c;
  }
  admin1(p: number): string | null {
    const a = this.data.admins[this.data.admin1[p]!]!;
    return a === '' ? null : a;
  }
  admin2(p: number): string | null {
    const a = this.data.admins[this.data.admin2[p]!]!;
    return a === '' ? null : a;
  }
  population(p: number): number {
    return this.data.pop[p]!;
  }
  name(p: number): string {
    return this.data.names[p]!;
  }
  lat(p: number): number {
    return this.data.lat[p]!;
  }
  lon(p: number): number {
    return this.data.lon[p]!;
  }
  id(p: number): number | null {
    const id = this.data.ids[p]!;
    return id > 0 ? id : null;
  }

  /** The country's own place number, e.g. countryPlace('AF'). */
  countryOf(cc: string): number | null {
    return this.countryPlace.get(cc) ?? null;
  }
  /** The country's capital, e.g. capitalOf('SO') for Mogadishu; null when the gazetteer has none. */
  capitalOf(cc: string): number | null {
    return this.capitalPlace.get(cc) ?? null;
  }
  /** The admin-1 unit's place number, e.g. admin1Place('AF', '18') for Nangarhar. */
  admin1Place(cc: string, a1: string): number | null {
    return this.adminPlace.get(`${cc}.${a1}`) ?? null;
  }
  admin2Place(cc: string, a1: string, a2: string): number | null {
    return this.adminPlace.get(`${cc}.${a1}.${a2}`) ?? null;
  }

  /**
   * The NAME of place p's admin-1 unit (output wants names; codes stay internal), or null when
   * the place has no admin-1 code or the unit is not in the gazetteer.
   * @example gazetteer.admin1Name(jalalabad) // 'Nangarhar'
   */
  admin1Name(p: number): string | null {
    this.admin1Units ??= new Int32Array(this.size).fill(UNIT_UNKNOWN);
    let u = this.admin1Units[p]!;
    if (u === UNIT_UNKNOWN) {
      const cc = this.country(p);
      const a1 = this.admin1(p);
      u = (cc && a1 ? this.admin1Place(cc, a1) : null) ?? -1;
      this.admin1Units[p] = u;
    }
    return u < 0 ? null : this.name(u);
  }

  /** The NAME of place p's admin-2 unit, or null. @example gazetteer.admin2Name(dik) // 'Dera Ismail Khan District' */
  admin2Name(p: number): string | null {
    this.admin2Units ??= new Int32Array(this.size).fill(UNIT_UNKNOWN);
    let u = this.admin2Units[p]!;
    if (u === UNIT_UNKNOWN) {
      const cc = this.country(p);
      const a1 = this.admin1(p);
      const a2 = this.admin2(p);
      u = (cc && a1 && a2 ? this.admin2Place(cc, a1, a2) : null) ?? -1;
      this.admin2Units[p] = u;
    }
    return u < 0 ? null : this.name(u);
  }

  record(p: number): PlaceRecord {
    return {
      index: p,
      id: this.id(p),
      name: this.name(p),
      lat: this.lat(p),
      lon: this.lon(p),
      fcode: this.fcode(p),
      country: this.country(p),
      admin1: this.admin1(p),
      admin2: this.admin2(p),
      population: this.population(p),
    };
  }
}

/** Words that never make a key on their own (too short or pure numbers/punctuation). */
function usableKey(key: string): boolean {
  if (key.length < 2) return false;
  if (/^[\d\s,]+$/.test(key)) return false;
  return true;
}

/**
 * Builds the arrays and the name index from place inputs. Later inputs with the same GeoNames id
 * replace earlier ones (a full dump refines cities500).
 * @example buildGazetteerData([{ id: 1138958, name: 'Kabul', lat: 34.5, lon: 69.2, fcode: 'PPLC', country: 'AF', admin1: '13', admin2: null, population: 3e6, names: [] }])
 */
export function buildGazetteerData(inputs: Iterable<PlaceInput>): GazetteerData {
  const byId = new Map<number, number>();
  const places: PlaceInput[] = [];
  for (const p of inputs) {
    if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
    if (p.id !== null && p.id > 0) {
      const at = byId.get(p.id);
      if (at !== undefined) {
        places[at] = p;
        continue;
      }
      byId.set(p.id, places.length);
    }
    places.push(p);
  }
  const n = places.length;
  const table = (): { list: string[]; index: Map<string, number>; get(s: string): number } => {
    const list: string[] = [''];
    const index = new Map<string, number>([['', 0]]);
    return {
      list,
      index,
      get(s: string): number {
        let i = index.get(s);
        if (i === undefined) {
          i = list.length;
          list.push(s);
          index.set(s, i);
        }
        return i;
      },
    };
  };
  const fcodes = table();
  const countries = table();
  const admins = table();
  const data = {
    ids: new Int32Array(n),
    lat: new Float32Array(n),
    lon: new Float32Array(n),
    pop: new Float64Array(n),
    fcode: new Uint8Array(n),
    country: new Uint16Array(n),
    admin1: new Uint32Array(n),
    admin2: new Uint32Array(n),
    names: new Array<string>(n),
  };
  const keyPostings = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const p = places[i]!;
    data.ids[i] = p.id ?? 0;
    data.lat[i] = p.lat;
    data.lon[i] = p.lon;
    data.pop[i] = p.population;
    const fc = fcodes.get(p.fcode);
    if (fc > 255) throw new KnowledgeError('too many distinct feature codes in the gazetteer (more than 255); check the input files');
    data.fcode[i] = fc;
    data.country[i] = countries.get(p.country ?? '');
    data.admin1[i] = admins.get(p.admin1 ?? '');
    data.admin2[i] = admins.get(p.admin2 ?? '');
    data.names[i] = p.name;
    const own = nameKey(p.name);
    const seen = new Set<string>();
    const add = (key: string, primary: boolean): void => {
      if (seen.has(key) || !usableKey(key)) return;
      seen.add(key);
      let list = keyPostings.get(key);
      if (!list) keyPostings.set(key, (list = []));
      list.push(i * 2 + (primary ? 1 : 0));
    };
    add(own, true);
    for (const alt of p.names) add(nameKey(alt), false);
  }
  // Word prefixes of longer names, as keys without postings.
  let maxKeyWords = 1;
  for (const key of [...keyPostings.keys()]) {
    maxKeyWords = Math.max(maxKeyWords, keyLength(key));
    let at = key.indexOf(' ');
    while (at > 0) {
      const prefix = key.slice(0, at);
      if (!keyPostings.has(prefix)) keyPostings.set(prefix, []);
      at = key.indexOf(' ', at + 1);
    }
  }
  const keys = [...keyPostings.keys()];
  const keyStart = new Int32Array(keys.length + 1);
  let total = 0;
  for (let k = 0; k < keys.length; k++) {
    keyStart[k] = total;
    total += keyPostings.get(keys[k]!)!.length;
  }
  keyStart[keys.length] = total;
  const postings = new Int32Array(total);
  let at = 0;
  for (const key of keys) for (const x of keyPostings.get(key)!) postings[at++] = x;
  return { ...data, fcodes: fcodes.list, countries: countries.list, admins: admins.list, keys, keyStart, postings, hash: buildKeyHash(keys), maxKeyWords };
}

// ---- binary cache form: [u32 header length][header JSON][pad to 8][typed arrays] ----

const ARRAYS = ['ids', 'lat', 'lon', 'pop', 'fcode', 'country', 'admin1', 'admin2', 'keyStart', 'postings', 'hash'] as const;
type ArrayName = (typeof ARRAYS)[number];
const CTORS = {
  ids: Int32Array,
  lat: Float32Array,
  lon: Float32Array,
  pop: Float64Array,
  fcode: Uint8Array,
  country: Uint16Array,
  admin1: Uint32Array,
  admin2: Uint32Array,
  keyStart: Int32Array,
  postings: Int32Array,
  hash: Int32Array,
} as const;

export interface CacheHeader {
  format: number;
  /** What the cache was built from (package versions, imported files): rebuilt when it changes. */
  stamp: string;
  names: { offset: number; length: number };
  keys: { offset: number; length: number };
  fcodes: string[];
  countries: string[];
  admins: string[];
  maxKeyWords: number;
  arrays: Record<ArrayName, { offset: number; length: number }>;
}

export const CACHE_FORMAT = 3;

/** Serializes the gazetteer to one buffer. */
export function encodeGazetteer(data: GazetteerData, stamp: string): Buffer {
  const arrays = {} as CacheHeader['arrays'];
  let offset = 0;
  for (const name of ARRAYS) {
    const a = data[name];
    arrays[name] = { offset, length: a.length };
    offset += a.byteLength;
    offset = (offset + 7) & ~7;
  }
  // Names and keys go as raw UTF-8 text after the arrays (one per line): no JSON to parse at load.
  const names = Buffer.from(data.names.join('\n'), 'utf8');
  const keys = Buffer.from(data.keys.join('\n'), 'utf8');
  const header: CacheHeader = {
    format: CACHE_FORMAT,
    stamp,
    names: { offset, length: names.length },
    keys: { offset: offset + names.length, length: keys.length },
    fcodes: data.fcodes,
    countries: data.countries,
    admins: data.admins,
    maxKeyWords: data.maxKeyWords,
    arrays,
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = (4 + head.length + 7) & ~7;
  const out = Buffer.alloc(start + offset + names.length + keys.length);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  for (const name of ARRAYS) {
    const a = data[name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, start + arrays[name].offset);
  }
  names.copy(out, start + offset);
  keys.copy(out, start + offset + names.length);
  return out;
}

/** Reads the header only (small: the names and keys are outside it). */
export function readCacheHeader(buf: Buffer): CacheHeader {
  const len = buf.readUInt32LE(0);
  return JSON.parse(buf.toString('utf8', 4, 4 + len)) as CacheHeader;
}

/*
 * V8 stores a string as one byte a character only when it is made from one-byte text: a name cut out of
 * (or parsed from) text that holds one wider character anywhere is two bytes a character, "Rome" as much
 * as "Ἀθῆναι". Such a name turns every string it is joined into two-byte: the JSON of each event record
 * and entity list, which then costs twice the bytes to build, to pass to the thread that writes the store,
 * and to write. So the names, admin names and codes are read twice, as UTF-8 and as Latin-1 (one byte a
 * byte), and each one whose two readings have the same length (it is ASCII: the readings are equal) is
 * taken from the Latin-1 one, which is one-byte.
 */

/** Each of `utf8` in one-byte form where it is ASCII; `latin1` is the same list read as Latin-1. */
function asciiOneByte(utf8: string[], latin1: readonly string[]): string[] {
  for (let i = 0; i < utf8.length; i++) if (utf8[i]!.length === latin1[i]!.length) utf8[i] = latin1[i]!;
  return utf8;
}

/** readCacheHeader with its lists of admin names, countries and feature codes in one-byte form where ASCII. */
function readCacheHeaderOneByte(buf: Buffer): CacheHeader {
  const header = readCacheHeader(buf);
  const latin1 = JSON.parse(buf.toString('latin1', 4, 4 + buf.readUInt32LE(0))) as CacheHeader;
  asciiOneByte(header.admins, latin1.admins);
  asciiOneByte(header.countries, latin1.countries);
  asciiOneByte(header.fcodes, latin1.fcodes);
  return header;
}

/** Decodes a buffer written by encodeGazetteer; the typed arrays are views into one aligned copy. */
export function decodeGazetteer(buf: Buffer): { data: GazetteerData; stamp: string } {
  const header = readCacheHeaderOneByte(buf);
  if (header.format !== CACHE_FORMAT) throw new KnowledgeError('the gazetteer cache has an old format; run "khabar gazetteer build"');
  const len = buf.readUInt32LE(0);
  const start = (4 + len + 7) & ~7;
  // Copy into an aligned ArrayBuffer: Node's pooled Buffers may be unaligned for Float64 views.
  const body = new ArrayBuffer(header.names.offset);
  new Uint8Array(body).set(buf.subarray(start, start + header.names.offset));
  const view = <N extends ArrayName>(name: N): InstanceType<(typeof CTORS)[N]> => {
    const { offset, length } = header.arrays[name];
    const Ctor = CTORS[name] as unknown as new (b: ArrayBuffer, o: number, l: number) => InstanceType<(typeof CTORS)[N]>;
    return new Ctor(body, offset, length);
  };
  const text = (r: { offset: number; length: number }, encoding: 'utf8' | 'latin1' = 'utf8'): string =>
    buf.toString(encoding, start + r.offset, start + r.offset + r.length);
  const keys = text(header.keys);
  const data: GazetteerData = {
    ids: view('ids'),
    lat: view('lat'),
    lon: view('lon'),
    pop: view('pop'),
    fcode: view('fcode'),
    country: view('country'),
    admin1: view('admin1'),
    admin2: view('admin2'),
    keyStart: view('keyStart'),
    postings: view('postings'),
    hash: view('hash'),
    maxKeyWords: header.maxKeyWords,
    names: asciiOneByte(text(header.names).split('\n'), text(header.names, 'latin1').split('\n')),
    keys: keys === '' ? [] : keys.split('\n'),
    fcodes: header.fcodes,
    countries: header.countries,
    admins: header.admins,
  };
  return { data, stamp: header.stamp };
}
