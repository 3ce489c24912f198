/**
 * Reader for GeoNames dump files in their standard tab-separated format (allCountries.txt,
 * cities500.txt, XX.txt: 19 columns), streaming line by line so a full dump never sits in memory.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { KnowledgeError } from '../errors.js';
import type { PlaceInput } from './gazetteer.js';

/** Feature classes kept from a full dump: admin units, populated places, water, terrain, areas. */
const KEEP_CLASSES = new Set(['A', 'P', 'H', 'T', 'L']);
/** Alternate names kept: Latin script, not an airport/postal code such as "JAA". */
const LATIN_NAME = /^[\p{Script=Latin}\p{M}\s'’.\-()]+$/u;
const CODE_LIKE = /^[A-Z0-9]{2,4}$/;
/**
 * Seats of government (capitals, seats of first- and second-level units) keep their alternate
 * names whatever their population: GeoNames lacks the population of some (Al Qāmishlī, a city
 * of some 200,000, has 0), and news names seats by their common spellings ("Qamishli").
 */
const SEAT_CODES = new Set(['PPLC', 'PPLA', 'PPLA2']);

export interface DumpOptions {
  /** Keep alternate names only for places at least this populous (and all admin units and seats). */
  altNamesMinPopulation: number;
}

/**
 * Parses one dump line, or returns null for a feature we do not keep (or a malformed line with
 * too few columns, which the caller counts).
 * @example parseDumpLine('1138958\tKabul\tKabul\tCabul,Kaboul\t34.52813\t69.17233\tP\tPPLC\tAF\t\t13\t\t\t\t4434550\t\t1808\tAsia/Kabul\t2023-01-01', { altNamesMinPopulation: 0 })
 */
export function parseDumpLine(line: string, options: DumpOptions): PlaceInput | null | 'bad' {
  const c = line.split('\t');
  if (c.length < 15) return 'bad';
  const fclass = c[6]!;
  if (!KEEP_CLASSES.has(fclass)) return null;
  const id = Number(c[0]);
  const lat = Number(c[4]);
  const lon = Number(c[5]);
  if (!Number.isInteger(id) || !Number.isFinite(lat) || !Number.isFinite(lon)) return 'bad';
  const fcode = c[7] || fclass;
  const population = Number(c[14]) || 0;
  const names: string[] = [];
  const ascii = c[2]!;
  if (ascii && ascii !== c[1]) names.push(ascii);
  if (fclass === 'A' || population >= options.altNamesMinPopulation || SEAT_CODES.has(fcode)) {
    for (const alt of (c[3] ?? '').split(',')) {
      if (alt.length < 3 || CODE_LIKE.test(alt) || !LATIN_NAME.test(alt)) continue;
      names.push(alt);
    }
  }
  return {
    id,
    name: c[1]!,
    lat,
    lon,
    fcode,
    country: c[8] || null,
    admin1: c[10] || null,
    admin2: c[11] || null,
    population,
    names,
  };
}

/** Reads every kept place of a dump file. Throws KnowledgeError when most lines are malformed. */
export async function readDump(file: string, options: DumpOptions): Promise<PlaceInput[]> {
  const out: PlaceInput[] = [];
  let bad = 0;
  let lines = 0;
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line === '' || line.startsWith('#')) continue;
    lines++;
    const p = parseDumpLine(line, options);
    if (p === 'bad') bad++;
    else if (p) out.push(p);
  }
  if (lines > 0 && bad > lines / 2) {
    throw new KnowledgeError(
      `${file} does not look like a GeoNames dump (${bad} of ${lines} lines lack the 19 tab-separated columns); give allCountries.txt, cities500.txt or a country file such as AF.txt`,
      { file },
    );
  }
  return out;
}
