/**
 * Development scorecard of the geoparser on the shared geoparsing corpora (read at run time from
 * ../shared/data): accuracy at 161 km and exact GeoNames match given gold spans, and detection
 * precision/recall/F1 (gold = spans with coordinates, i.e. place types).
 * Run: npx tsx eval/geo-dev.ts [--errors N]   (N > 0 also prints the error-class tables)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { geoparseText, loadGazetteer } from '../src/geo/index.js';
import { defaultDataDir } from './data.js';
import { haversineKm } from './scorers.js';
import { conventionOfFile, detectOptions } from './geo-conventions.js';

interface Gold {
  start: number;
  end: number;
  phrase: string;
  lat: number | null;
  lon: number | null;
  geonameid?: number | null;
  type?: string;
}
interface Rec {
  id: string;
  text: string;
  toponyms: Gold[];
}

const dir = process.env.KHABAR_SHARED_DATA ?? defaultDataDir();
if (!existsSync(dir)) {
  process.stderr.write(`no evaluation data at ${dir}; set KHABAR_SHARED_DATA\n`);
  process.exit(1);
}
const showErrors = Number(process.argv[process.argv.indexOf('--errors') + 1]) || 0;

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

/** Reverse geocoder over the gazetteer's settlements (1° grid): the country and admin-1 code at a point. */
function makeReverse(g: ReturnType<typeof loadGazetteer>): (lat: number, lon: number) => { cc: string | null; a1: string | null } {
  const grid = new Map<number, number[]>();
  const cell = (la: number, lo: number): number => (Math.floor(la) + 90) * 400 + (Math.floor(lo) + 180);
  for (let p = 0; p < g.size; p++) {
    if (!g.fcode(p).startsWith('PPL') || !g.country(p)) continue;
    const c = cell(g.lat(p), g.lon(p));
    let l = grid.get(c);
    if (!l) grid.set(c, (l = []));
    l.push(p);
  }
  return (lat, lon) => {
    let best = -1;
    let bd = 150;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      for (const p of grid.get(cell(lat + dy, lon + dx)) ?? []) {
        const d = haversineKm(lat, lon, g.lat(p), g.lon(p));
        if (d < bd) [bd, best] = [d, p];
      }
    }
    return best < 0 ? { cc: null, a1: null } : { cc: g.country(best), a1: g.admin1(best) };
  };
}

const AREA = /^(PCL|TERR|ADM1|ADM2|CONT|RGN|OCN|SEA|GULF|AREA|ISLS|PEN|MTS|DSRT)/;

/** Adds one to a counter keyed by class. */
function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
function table(title: string, m: Map<string, number>, total: number): void {
  console.log(`  ${title}:`);
  for (const [k, v] of [...m.entries()].sort((a, b) => b[1] - a[1])) console.log(`    ${k.padEnd(44)} ${String(v).padStart(5)}  ${((100 * v) / total).toFixed(1)}%`);
}

const t0 = performance.now();
const gaz = loadGazetteer();
geoparseText(gaz, 'Warm-up in Kabul.');
console.log(`gazetteer: ${gaz.size} places, loaded in ${(performance.now() - t0).toFixed(0)} ms`);
const reverse = showErrors ? makeReverse(gaz) : null;

// Detection runs under each corpus's annotation convention (eval/geo-conventions.ts), the same
// options the scorecard (npm run eval) uses, so that both print the same detection figures.

for (const file of ['geoparse_geowebnews.jsonl', 'geoparse_geovirus.jsonl']) {
  const recs = readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
  let n = 0;
  let ok = 0;
  let idN = 0;
  let idOk = 0;
  let none = 0;
  let areaSame = 0;
  const errors: string[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let ms = 0;
  let chars = 0;
  // Variant: embedded toponyms ("Jamaica" in "Jamaica Cancer Society") neither counted nor penalised.
  let etp = 0;
  let efp = 0;
  let efn = 0;
  const fpList: string[] = [];
  const convention = conventionOfFile(file);
  const resClass = new Map<string, number>();
  const fpClass = new Map<string, number>();
  const fnClass = new Map<string, number>();
  const fnList: string[] = [];
  for (const r of recs) {
    const conv = cpToUtf16(r.text);
    const gold = r.toponyms.filter((t) => t.lat !== null && t.lon !== null).map((t) => ({ ...t, start: conv(t.start), end: conv(t.end) }));
    const res = geoparseText(gaz, r.text, { givenSpans: gold.map((g) => ({ start: g.start, end: g.end })) });
    gold.forEach((g, i) => {
      const p = res[i]!;
      n++;
      if (p.lat === null || p.lon === null) none++;
      const d = p.lat !== null && p.lon !== null ? haversineKm(p.lat, p.lon, g.lat!, g.lon!) : Infinity;
      if (d <= 161) ok++;
      if (d > 161 && reverse) {
        // Error classes, in order: none; an area whose centre follows another convention (the gold
        // point lies in the chosen area); the name has no gazetteer entry near the gold point;
        // wrong country; right country, wrong place.
        const at = reverse(g.lat!, g.lon!);
        const fc = p.feature_code ?? '';
        const near = gaz.find(g.phrase).some((q) => haversineKm(gaz.lat(q), gaz.lon(q), g.lat!, g.lon!) <= 161);
        let k: string;
        if (p.lat === null) k = 'none chosen';
        else if (AREA.test(fc) && at.cc !== null && at.cc === p.country_code) k = `area centre convention (${fc.startsWith('PCL') ? 'country' : fc.startsWith('ADM') ? 'admin unit' : 'region'})`;
        else if (!near) k = at.cc !== null && at.cc === p.country_code ? 'not in gazetteer near gold (same country)' : 'not in gazetteer near gold (other country)';
        else if (at.cc !== null && at.cc !== p.country_code) k = 'wrong country (right one a candidate)';
        else k = 'right country, wrong place';
        bump(resClass, k);
        if (process.env.GEO_SAMPLE === k.split(' ')[0]) console.log(`    [${k}] ${g.phrase} → ${p.name} ${p.country_code} ${fc} ${p.lat},${p.lon} gold ${g.lat},${g.lon} (${Math.round(d)} km)`);
      }

      // Same-named area chosen but its centre follows another convention (GeoNames vs Wikipedia).
      if (d <= 161) {
        // right
      } else if (p.feature_code && /^(PCL|ADM1|CONT|RGN|OCN|SEA)/.test(p.feature_code) && (p.name === g.phrase || p.text === g.phrase)) areaSame++;
      else if (errors.length < 100000) errors.push(`${g.phrase} → ${p.name} ${p.country_code}.${p.admin1} ${p.feature_code} (${Math.round(d)} km) gold ${g.lat},${g.lon}`);
      if (g.geonameid) {
        idN++;
        if (p.geonames_id === Number(g.geonameid)) idOk++;
      }
    });
    const t = performance.now();
    const found = geoparseText(gaz, r.text, detectOptions(convention));
    ms += performance.now() - t;
    chars += r.text.length;
    const goldSet = new Set(gold.map((g) => `${g.start}:${g.end}`));
    const foundSet = new Set(found.map((p) => `${p.start}:${p.end}`));
    for (const p of found) {
      const hit = goldSet.has(`${p.start}:${p.end}`);
      if (hit) tp++;
      else {
        fp++;
        fpList.push(p.text + (p.demonym ? '(d)' : ''));
        if (showErrors) {
          const same = r.toponyms.map((t) => ({ ...t, start: conv(t.start), end: conv(t.end) })).find((t) => t.start === p.start && t.end === p.end);
          const overlapGold = gold.some((t) => t.start < p.end && p.start < t.end);
          const dem = p.demonym ? 'demonym ' : '';
          bump(fpClass, same ? `${dem}labelled non-place: ${same.type ?? '?'}` : overlapGold ? `${dem}boundary (overlaps a gold place)` : `${dem}unlabelled (spurious)`);
        }
      }
    }
    const embedded = gold.filter((g) => g.type?.startsWith('Embedded'));
    const standalone = gold.filter((g) => !g.type?.startsWith('Embedded'));
    const standaloneSet = new Set(standalone.map((g) => `${g.start}:${g.end}`));
    for (const p of found) {
      if (standaloneSet.has(`${p.start}:${p.end}`)) etp++;
      else if (!embedded.some((e) => e.start < p.end && p.start < e.end)) efp++;
    }
    for (const g of standalone) if (!foundSet.has(`${g.start}:${g.end}`)) efn++;
    for (const g of gold) if (!foundSet.has(`${g.start}:${g.end}`)) {
      fn++;
      fnList.push(g.phrase);
      if (showErrors) {
        const overlap = found.some((p) => p.start < g.end && g.start < p.end);
        const known = gaz.find(g.phrase).length > 0;
        bump(fnClass, `${g.type ?? 'place'}: ${overlap ? 'boundary' : known ? 'name known, not taken' : 'name not in gazetteer'}`);
      }
    }
  }
  const P = tp / (tp + fp);
  const R = tp / (tp + fn);
  console.log(`\n${file}: ${recs.length} docs`);
  console.log(`  given spans: area misses with the same-named area chosen (centre conventions): ${areaSame}; acc@161 counting those ${((ok + areaSame) / n).toFixed(4)}`);
  console.log(`  given spans: acc@161 ${(ok / n).toFixed(4)} (${ok}/${n}), none ${none}; exact GeoNames id ${(idOk / Math.max(1, idN)).toFixed(4)} (${idOk}/${idN})`);
  console.log(`  detection (${convention.name}: demonyms ${convention.demonyms ? 'output' : 'not output'}, facility spans ${convention.facilitySpans ? 'on' : 'off'}, embedded names ${convention.embeddedNames ? 'on' : 'off'}, site names ${convention.siteNames ? 'on' : 'off'}, capitals ${convention.capitals ? 'on' : 'off'}): P ${P.toFixed(4)} R ${R.toFixed(4)} F1 ${((2 * P * R) / (P + R)).toFixed(4)} (tp ${tp} fp ${fp} fn ${fn})`);
  if (etp + efn < tp + fn) {
    const eP = etp / (etp + efp);
    const eR = etp / (etp + efn);
    console.log(`  detection, embedded toponyms excluded: P ${eP.toFixed(4)} R ${eR.toFixed(4)} F1 ${((2 * eP * eR) / (eP + eR)).toFixed(4)}`);
  }
  console.log(`  speed: ${((recs.length / ms) * 1000).toFixed(0)} docs/s (${((chars / ms) * 1000 / 1e6).toFixed(2)} M chars/s, avg ${Math.round(chars / recs.length)} chars)`);
  if (showErrors) {
    const count = (l: string[]): string => {
      const m = new Map<string, number>();
      for (const x of l) m.set(x, (m.get(x) ?? 0) + 1);
      return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, showErrors).map(([k, v]) => `${k}×${v}`).join(', ');
    };
    table('resolution error classes (given spans)', resClass, n);
    table('detection FP classes', fpClass, fp);
    table('detection FN classes', fnClass, fn);
    console.log('  resolution errors: ' + count(errors.map((e) => e.replace(/ \(\d+ km\).*/, ''))));
    console.log('  FP: ' + count(fpList));
    console.log('  FN: ' + count(fnList));
  }
}
