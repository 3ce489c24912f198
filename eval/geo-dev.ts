/**
 * Development scorecard of the geoparser on the shared geoparsing corpora (read at run time from
 * ../shared/data): accuracy at 161 km and exact GeoNames match given gold spans, and detection
 * precision/recall/F1 (gold = spans with coordinates, i.e. place types).
 * Run: npx tsx eval/geo-dev.ts [--errors N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { geoparseText, loadGazetteer } from '../src/geo/index.js';

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

const dir = process.env.KHABAR_SHARED_DATA ?? join(PACKAGE_ROOT, '..', 'shared', 'data');
if (!existsSync(dir)) {
  process.stderr.write(`no evaluation data at ${dir}; set KHABAR_SHARED_DATA\n`);
  process.exit(1);
}
const showErrors = Number(process.argv[process.argv.indexOf('--errors') + 1]) || 0;

/** Code-point offset → UTF-16 offset. */
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

function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

const t0 = performance.now();
const gaz = loadGazetteer();
geoparseText(gaz, 'Warm-up in Kabul.');
console.log(`gazetteer: ${gaz.size} places, loaded in ${(performance.now() - t0).toFixed(0)} ms`);

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
  let tpNoDem = 0;
  let fpNoDem = 0;
  let ms = 0;
  let chars = 0;
  // Variant: embedded toponyms ("Jamaica" in "Jamaica Cancer Society") neither counted nor penalised.
  let etp = 0;
  let efp = 0;
  let efn = 0;
  const fpList: string[] = [];
  const fnList: string[] = [];
  for (const r of recs) {
    const conv = cpToUtf16(r.text);
    const gold = r.toponyms.filter((t) => t.lat !== null && t.lon !== null).map((t) => ({ ...t, start: conv(t.start), end: conv(t.end) }));
    const res = geoparseText(gaz, r.text, { givenSpans: gold.map((g) => ({ start: g.start, end: g.end })) });
    gold.forEach((g, i) => {
      const p = res[i]!;
      n++;
      if (p.lat === null || p.lon === null) none++;
      const d = p.lat !== null && p.lon !== null ? km(p.lat, p.lon, g.lat!, g.lon!) : Infinity;
      if (d <= 161) ok++;
      // Same-named area chosen but its centre follows another convention (GeoNames vs Wikipedia).
      else if (p.feature_code && /^(PCL|ADM1|CONT|RGN|OCN|SEA)/.test(p.feature_code) && (p.name === g.phrase || p.text === g.phrase)) areaSame++;
      else if (errors.length < 100000) errors.push(`${g.phrase} → ${p.name} ${p.country_code}.${p.admin1} ${p.feature_code} (${Math.round(d)} km) gold ${g.lat},${g.lon}`);
      if (g.geonameid) {
        idN++;
        if (p.geonames_id === Number(g.geonameid)) idOk++;
      }
    });
    const t = performance.now();
    const found = geoparseText(gaz, r.text);
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
      }
      if (!p.demonym) hit ? tpNoDem++ : fpNoDem++;
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
    }
  }
  const P = tp / (tp + fp);
  const R = tp / (tp + fn);
  console.log(`\n${file}: ${recs.length} docs`);
  console.log(`  given spans: area misses with the same-named area chosen (centre conventions): ${areaSame}; acc@161 counting those ${((ok + areaSame) / n).toFixed(4)}`);
  console.log(`  given spans: acc@161 ${(ok / n).toFixed(4)} (${ok}/${n}), none ${none}; exact GeoNames id ${(idOk / Math.max(1, idN)).toFixed(4)} (${idOk}/${idN})`);
  const P2 = tpNoDem / (tpNoDem + fpNoDem);
  const R2 = tpNoDem / (tpNoDem + fn + (tp - tpNoDem));
  console.log(`  detection without demonyms: P ${P2.toFixed(4)} R ${R2.toFixed(4)} F1 ${((2 * P2 * R2) / (P2 + R2)).toFixed(4)}`);
  console.log(`  detection: P ${P.toFixed(4)} R ${R.toFixed(4)} F1 ${((2 * P * R) / (P + R)).toFixed(4)} (tp ${tp} fp ${fp} fn ${fn}); without demonym output: P ${(tpNoDem / (tpNoDem + fpNoDem)).toFixed(4)}`);
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
    console.log('  resolution errors: ' + count(errors.map((e) => e.replace(/ \(\d+ km\).*/, ''))));
    console.log('  FP: ' + count(fpList));
    console.log('  FN: ' + count(fnList));
  }
}
