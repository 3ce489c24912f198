/**
 * Compares two conventions for the point of an admin-1 unit on the shared geoparsing corpora
 * (read at run time from ../shared/data, measuring only): the gazetteer's current point (since
 * build rules version 3 the territory centre itself, else the trimmed extent centre of the unit's
 * member places, so the two agree unless the build changes) against the territory centre of
 * src/geo/territory-centres.ts (the area centroid of the country's land nearest to the unit's
 * member places). For every gold toponym resolved, given its span, to an admin-1 unit, it prints
 * accuracy at 161 km under both, and the corpus accuracy if the gazetteer took territory centres.
 * Run: node dist/eval/geo-centres.js [--changes]   (--changes lists the units that move across 161 km)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { geoparseText, loadGazetteer } from '../src/geo/index.js';
import { defaultDataDir } from './data.js';
import { haversineKm } from './scorers.js';
import { ADMIN1_CODES } from '../src/geo/gazetteer.js';
import { countryRings, territoryCentres, type MemberPlace, type TerritoryCentre } from '../src/geo/territory-centres.js';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries') as { numericToAlpha2(n: string): string | undefined };

interface Gold {
  start: number;
  end: number;
  phrase: string;
  lat: number | null;
  lon: number | null;
}

const dir = process.env.KHABAR_SHARED_DATA ?? defaultDataDir();
if (!existsSync(dir)) {
  process.stderr.write(`no evaluation data at ${dir}; set KHABAR_SHARED_DATA\n`);
  process.exit(1);
}
const listChanges = process.argv.includes('--changes');

/** Code-point offset → UTF-16 offset; an offset outside the text (a few gold items have one) maps to its end. */
function cpToUtf16(text: string): (cp: number) => number {
  const map: number[] = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return (cp) => map[cp] ?? u;
}

const gaz = loadGazetteer();

// Territory centres of every admin-1 unit, from the settlements the gazetteer holds.
const cpu0 = process.cpuUsage();
const members = new Map<string, MemberPlace[]>();
for (let p = 0; p < gaz.size; p++) {
  const fc = gaz.fcode(p);
  // Settlements that exist (not historical, abandoned or destroyed ones).
  if (!fc.startsWith('PPL') || fc === 'PPLH' || fc === 'PPLQ' || fc === 'PPLW') continue;
  const cc = gaz.country(p);
  const a1 = gaz.admin1(p);
  if (!cc || !a1) continue;
  let l = members.get(cc);
  if (!l) members.set(cc, (l = []));
  l.push({ lat: gaz.lat(p), lon: gaz.lon(p), unit: `${cc}.${a1}` });
}
const centres = new Map<string, TerritoryCentre>();
const atlas = join(PACKAGE_ROOT, 'node_modules', 'world-atlas', 'countries-50m.json');
for (const [num, rings] of countryRings(atlas)) {
  const cc = countries.numericToAlpha2(num);
  const places = cc ? members.get(cc) : undefined;
  if (!places) continue;
  for (const [unit, c] of territoryCentres(rings, places)) centres.set(unit, c);
}
const cpu = process.cpuUsage(cpu0);
console.log(`territory centres: ${centres.size} admin-1 units in ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);

for (const file of ['geoparse_geowebnews.jsonl', 'geoparse_geovirus.jsonl']) {
  const recs = readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; toponyms: Gold[] });
  let n = 0;
  let okAll = 0;
  let okAllTerritory = 0;
  let units = 0;
  let okUnit = 0;
  let okUnitTerritory = 0;
  const changes = new Map<string, string>();
  for (const r of recs) {
    const conv = cpToUtf16(r.text);
    const gold = r.toponyms.filter((t) => t.lat !== null && t.lon !== null).map((t) => ({ ...t, start: conv(t.start), end: conv(t.end) }));
    const res = geoparseText(gaz, r.text, { givenSpans: gold.map((g) => ({ start: g.start, end: g.end })) });
    gold.forEach((g, i) => {
      const p = res[i]!;
      n++;
      const d = p.lat !== null && p.lon !== null ? haversineKm(p.lat, p.lon, g.lat!, g.lon!) : Infinity;
      let dt = d;
      if (p.feature_code !== null && ADMIN1_CODES.has(p.feature_code) && p.name) {
        const q = gaz.find(p.name).find((x) => ADMIN1_CODES.has(gaz.fcode(x)) && gaz.country(x) === p.country_code);
        const c = q === undefined ? undefined : centres.get(`${gaz.country(q)}.${gaz.admin1(q)}`);
        if (c) {
          dt = haversineKm(c.lat, c.lon, g.lat!, g.lon!);
          units++;
          if (d <= 161) okUnit++;
          if (dt <= 161) okUnitTerritory++;
          if (d <= 161 !== dt <= 161) changes.set(`${p.name} (${p.country_code})`, `${dt <= 161 ? 'now within' : 'now beyond'} 161 km (${Math.round(d)} → ${Math.round(dt)} km)`);
        }
      }
      if (d <= 161) okAll++;
      if (dt <= 161) okAllTerritory++;
    });
  }
  const pct = (a: number, b: number): string => ((100 * a) / Math.max(1, b)).toFixed(1);
  console.log(`\n${file}: ${units} gold toponyms resolved to an admin-1 unit`);
  console.log(`  admin-1 acc@161: gazetteer's point ${pct(okUnit, units)}%, territory centre ${pct(okUnitTerritory, units)}%`);
  console.log(`  corpus acc@161 given spans: ${pct(okAll, n)}% now, ${pct(okAllTerritory, n)}% with territory centres`);
  if (listChanges) for (const [k, v] of changes) console.log(`    ${k}: ${v}`);
}
