/**
 * Centres of admin units from their approximate territory: GeoNames' admin tables carry names
 * only, so a unit's land is approximated as the part of its country's polygon that lies nearer to
 * the unit's member places than to any other unit's (a Voronoi partition of the country by its
 * settlements), and its centre is that land's area centroid. Sparse hinterlands (northern
 * Ontario, outback Queensland) count as land, where the middle of the member places' extent
 * leans towards the populated edge.
 */
import { readFileSync } from 'node:fs';

/** A closed ring of [lon, lat] points. */
export type Ring = [number, number][];

/** A member place of a unit: where it is and which unit ("US.TX") it belongs to. */
export interface MemberPlace {
  lat: number;
  lon: number;
  unit: string;
}

/** A unit's territory centre, and how many grid cells of land (cos-latitude weighted, on its country's grid) it was measured on. */
export interface TerritoryCentre {
  lat: number;
  lon: number;
  cells: number;
}

/** Grid step (degrees) of the rasterised territory; a country gets at least this fine a grid. */
export const TERRITORY_STEP = 0.25;
/** Countries smaller than this many grid cells at TERRITORY_STEP are rasterised finer, down to MIN_STEP. */
const MIN_COUNTRY_CELLS = 400;
const MIN_STEP = 0.02;
/** A unit needs this many grid cells of land (on its country's grid) for its territory centre to count (else the caller keeps its own). */
export const MIN_UNIT_CELLS = 3;

/**
 * Decodes a world-atlas TopoJSON file ("countries-50m.json") into polygons (outer ring first, then
 * holes) per ISO 3166 numeric id; geometries that share an id (Australia and its Ashmore and
 * Cartier Islands) are merged.
 * @example countryPolygons(path).get('036')!.length // Australia: its mainland, Tasmania, islands...
 */
export function countryPolygons(file: string): Map<string, Ring[][]> {
  const topo = JSON.parse(readFileSync(file, 'utf8')) as {
    arcs: [number, number][][];
    transform: { scale: [number, number]; translate: [number, number] };
    objects: { countries: { geometries: { type: string; id?: string; arcs: number[][] | number[][][] }[] } };
  };
  const { scale, translate } = topo.transform;
  const arcs: Ring[] = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * scale[0] + translate[0], y * scale[1] + translate[1]] as [number, number];
    });
  });
  const ring = (idx: number[]): Ring => {
    const pts: Ring = [];
    for (const i of idx) {
      const a = i >= 0 ? arcs[i]! : [...arcs[~i]!].reverse();
      for (let k = pts.length ? 1 : 0; k < a.length; k++) pts.push(a[k]!);
    }
    return pts;
  };
  const out = new Map<string, Ring[][]>();
  for (const g of topo.objects.countries.geometries) {
    if (!g.id || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const polys = g.type === 'Polygon' ? [g.arcs as number[][]] : (g.arcs as number[][][]);
    const list = out.get(g.id) ?? [];
    for (const p of polys) list.push(p.map(ring));
    out.set(g.id, list);
  }
  return out;
}

/**
 * Every ring (outer rings and holes) of each country in a world-atlas TopoJSON file, per ISO 3166 numeric id.
 * @example countryRings(path).get('124')!.length // Canada: hundreds of rings (islands)
 */
export function countryRings(file: string): Map<string, Ring[]> {
  return new Map([...countryPolygons(file)].map(([id, polys]) => [id, polys.flat()]));
}

/**
 * The territory centre of every unit of one country with enough land: `rings` are the country's
 * polygon rings (holes included, even-odd), `places` its member places.
 * @example territoryCentres(squareRings, [{ lat: 1, lon: 1, unit: 'A' }, { lat: 1, lon: 9, unit: 'B' }]).get('A') // { lat: 5, lon: 2.5, ... }
 */
export function territoryCentres(rings: readonly Ring[], places: readonly MemberPlace[]): Map<string, TerritoryCentre> {
  const out = new Map<string, TerritoryCentre>();
  if (places.length === 0 || rings.length === 0) return out;
  // A country across the antimeridian (Russia's Chukotka, Fiji, the Aleutians) is measured in
  // 0..360° longitudes, its rings and its places alike.
  const wraps = rings.some((r) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [x] of r) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
    return hi - lo > 180;
  });
  const east = (x: number): number => (wraps && x < 0 ? x + 360 : x);
  const edges: number[] = [];
  let minY = Infinity;
  let maxY = -Infinity;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const r of rings) {
    for (let i = 0; i + 1 < r.length; i++) {
      const x0 = east(r[i]![0]);
      const y0 = r[i]![1];
      const x1 = east(r[i + 1]![0]);
      const y1 = r[i + 1]![1];
      edges.push(x0, y0, x1, y1);
      minY = Math.min(minY, y0, y1);
      maxY = Math.max(maxY, y0, y1);
      minX = Math.min(minX, x0, x1);
      maxX = Math.max(maxX, x0, x1);
    }
  }
  if (edges.length === 0) return out;
  const bboxCells = ((maxY - minY) * (maxX - minX)) / (TERRITORY_STEP * TERRITORY_STEP);
  const step = bboxCells >= MIN_COUNTRY_CELLS ? TERRITORY_STEP : Math.max(MIN_STEP, TERRITORY_STEP * Math.sqrt(bboxCells / MIN_COUNTRY_CELLS));
  // Places on a one-degree grid for the nearest-place search.
  const grid = new Map<number, MemberPlace[]>();
  const cellOf = (lat: number, lon: number): number => (Math.floor(lat) + 90) * 400 + (Math.floor(lon) + 180);
  const shifted = wraps ? places.map((p) => ({ ...p, lon: east(p.lon) })) : places;
  for (const p of shifted) {
    const k = cellOf(p.lat, p.lon);
    let l = grid.get(k);
    if (!l) grid.set(k, (l = []));
    l.push(p);
  }
  // A place far from every fellow member of its unit is most likely mis-coded (a Tibetan village
  // filed under Hebei): it claims no land.
  const sites = new Map<number, MemberPlace[]>();
  for (const p of withoutOutliers(shifted)) {
    const k = cellOf(p.lat, p.lon);
    let l = sites.get(k);
    if (!l) sites.set(k, (l = []));
    l.push(p);
  }
  if (sites.size === 0) return out;
  const acc = new Map<string, [number, number, number]>();
  const xs: number[] = [];
  const half = step / 2;
  for (let y = Math.floor(minY / step) * step + half; y < maxY; y += step) {
    xs.length = 0;
    for (let e = 0; e < edges.length; e += 4) {
      const y0 = edges[e + 1]!;
      const y1 = edges[e + 3]!;
      if (y0 <= y !== y1 <= y) xs.push(edges[e]! + ((y - y0) / (y1 - y0)) * (edges[e + 2]! - edges[e]!));
    }
    xs.sort((a, b) => a - b);
    const w = Math.cos((y * Math.PI) / 180);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      for (let x = Math.floor(xs[i]! / step) * step + half; x < xs[i + 1]!; x += step) {
        if (x < xs[i]!) continue;
        const near = nearestPlace(sites, cellOf, y, x, w);
        if (!near) continue;
        let a = acc.get(near.unit);
        if (!a) acc.set(near.unit, (a = [0, 0, 0]));
        a[0] += w;
        a[1] += w * y;
        a[2] += w * x;
      }
    }
  }
  for (const [unit, [cells, sy, sx]] of acc) {
    const lon = sx / cells;
    if (cells >= MIN_UNIT_CELLS) out.set(unit, { lat: sy / cells, lon: lon > 180 ? lon - 360 : lon, cells });
  }
  return out;
}

/**
 * A member whose nearest fellow member lies farther than OUTLIER_FACTOR times the unit's median
 * nearest-fellow distance, and farther than OUTLIER_MIN_KM, is an outlier: spread-out units
 * (Nunavut) keep their far-apart places, dense ones drop a stray far away.
 */
const OUTLIER_FACTOR = 5;
const OUTLIER_MIN_KM = 300;

/** The places without outliers (see OUTLIER_FACTOR); units of fewer than three places keep all. */
function withoutOutliers(places: readonly MemberPlace[]): MemberPlace[] {
  const grid = new Map<string, MemberPlace[]>();
  const byUnit = new Map<string, MemberPlace[]>();
  const key = (unit: string, lat: number, lon: number): string => `${unit}|${Math.floor(lat)}|${Math.floor(lon)}`;
  for (const p of places) {
    const k = key(p.unit, p.lat, p.lon);
    let l = grid.get(k);
    if (!l) grid.set(k, (l = []));
    l.push(p);
    let u = byUnit.get(p.unit);
    if (!u) byUnit.set(p.unit, (u = []));
    u.push(p);
  }
  // Distance (km) to the nearest fellow member, searched outwards ring by ring of one-degree cells.
  const nearestFellow = (p: MemberPlace): number => {
    const kLon = 111 * Math.max(0.05, Math.cos((p.lat * Math.PI) / 180));
    let best = Infinity;
    for (let r = 0; r <= 60; r++) {
      if ((r - 1) * Math.min(111, kLon) > best) break;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          if (Math.max(Math.abs(dy), Math.abs(dx)) !== r) continue;
          for (const q of grid.get(key(p.unit, p.lat + dy, p.lon + dx)) ?? []) {
            if (q !== p) best = Math.min(best, Math.hypot((q.lat - p.lat) * 111, (q.lon - p.lon) * kLon));
          }
        }
      }
    }
    return best;
  };
  const out: MemberPlace[] = [];
  for (const members of byUnit.values()) {
    if (members.length < 3) {
      out.push(...members);
      continue;
    }
    const d = members.map(nearestFellow);
    const sorted = [...d].sort((a, b) => a - b);
    const limit = Math.max(OUTLIER_MIN_KM, OUTLIER_FACTOR * sorted[sorted.length >> 1]!);
    members.forEach((p, i) => {
      if (d[i]! <= limit) out.push(p);
    });
  }
  return out;
}

/** The member place nearest to (lat, lon), searching rings of one-degree grid cells outwards. */
function nearestPlace(grid: Map<number, MemberPlace[]>, cellOf: (lat: number, lon: number) => number, lat: number, lon: number, cosLat: number): MemberPlace | null {
  let best: MemberPlace | null = null;
  let bestD = Infinity;
  // Ring r holds points at least (r - 1) degrees away in latitude or (r - 1) * cos(lat) in longitude.
  for (let r = 0; r < 60; r++) {
    if (best !== null && (r - 1) * Math.min(1, cosLat) > Math.sqrt(bestD)) break;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dy), Math.abs(dx)) !== r) continue;
        const l = grid.get(cellOf(lat + dy, lon + dx));
        if (!l) continue;
        for (const p of l) {
          const d = (p.lat - lat) ** 2 + ((p.lon - lon) * cosLat) ** 2;
          if (d < bestD) [bestD, best] = [d, p];
        }
      }
    }
  }
  return best;
}
