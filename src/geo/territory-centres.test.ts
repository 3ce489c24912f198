import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countryRings, territoryCentres, type Ring } from './territory-centres.js';

/** A square country from (0,0) to (10,10), [lon, lat] corners. */
const square: Ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];

test('territoryCentres splits the country between the units by nearest member place', () => {
  const c = territoryCentres([square], [
    { lat: 5, lon: 1, unit: 'W' },
    { lat: 5, lon: 9, unit: 'E' },
  ]);
  // Each unit holds its half of the square: centres at lon 2.5 and 7.5, lat near 5.
  assert.ok(Math.abs(c.get('W')!.lon - 2.5) < 0.2, JSON.stringify(c.get('W')));
  assert.ok(Math.abs(c.get('E')!.lon - 7.5) < 0.2, JSON.stringify(c.get('E')));
  assert.ok(Math.abs(c.get('W')!.lat - 5) < 0.2);
});

test('territoryCentres counts a sparse hinterland: the centre is not pulled to the populated edge', () => {
  // Unit N has its towns along lat 4 and none further north; S has its towns along lat 1.
  const row = (lat: number, unit: string): { lat: number; lon: number; unit: string }[] => Array.from({ length: 20 }, (_, i) => ({ lat, lon: 0.25 + i * 0.5, unit }));
  const c = territoryCentres([square], [...row(4, 'N'), ...row(1, 'S')]);
  // N holds the land north of lat 2.5, empty north included: its centre lies near lat 6.25, where
  // the middle of its towns' extent would say lat 4.
  assert.ok(Math.abs(c.get('N')!.lat - 6.25) < 0.2, JSON.stringify(c.get('N')));
  assert.ok(Math.abs(c.get('S')!.lat - 1.25) < 0.2, JSON.stringify(c.get('S')));
});

test('territoryCentres: a place far from every fellow of its unit (mis-coded) claims no land; a spread-out unit keeps its places', () => {
  // Towns about 110 km apart down each side.
  const west = [2, 3, 4, 5, 6, 7, 8].map((lat) => ({ lat, lon: 1, unit: 'W' }));
  const east = [2, 3, 4, 5, 6, 7, 8].map((lat) => ({ lat, lon: 9, unit: 'E' }));
  // A "W" place deep in E's land, some 800 km from any other W place.
  const c = territoryCentres([square], [...west, ...east, { lat: 5, lon: 8.5, unit: 'W' }]);
  assert.ok(Math.abs(c.get('E')!.lon - 7.5) < 0.2, JSON.stringify(c.get('E')));
  assert.ok(Math.abs(c.get('W')!.lon - 2.5) < 0.2, JSON.stringify(c.get('W')));
  // A unit whose towns all lie some 900 km apart keeps them: its land reaches the east edge.
  const sparse = territoryCentres([square], [...west, { lat: 1, lon: 9, unit: 'S' }, { lat: 9, lon: 9, unit: 'S' }, { lat: 5, lon: 9.5, unit: 'S' }]);
  assert.ok(sparse.get('S')!.lon > 6.5, JSON.stringify(sparse.get('S')));
});

test('territoryCentres measures a country across the antimeridian in 0..360° longitudes', () => {
  // A square from 170°E to 170°W, as TopoJSON writes it: longitudes jump from 170 to -170.
  const across: Ring = [[170, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]];
  const c = territoryCentres([across], [{ lat: 5, lon: 175, unit: 'W' }, { lat: 5, lon: -175, unit: 'E' }]);
  assert.ok(Math.abs(c.get('W')!.lon - 175) < 0.3, JSON.stringify(c.get('W')));
  assert.ok(Math.abs(c.get('E')!.lon + 175) < 0.3, JSON.stringify(c.get('E')));
  // Each unit holds about half of the square's 20 x 10 degrees, not a band around the globe.
  assert.ok(c.get('W')!.cells < 2 * 100 / (0.25 * 0.25), JSON.stringify(c.get('W')));
});

test('territoryCentres leaves out holes and units with no land of their own', () => {
  const hole: Ring = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]];
  const c = territoryCentres([square, hole], [{ lat: 5, lon: 5, unit: 'A' }]);
  assert.ok(Math.abs(c.get('A')!.lat - 5) < 0.2 && Math.abs(c.get('A')!.lon - 5) < 0.2);
  // A unit whose places lie far from the country's land holds none of it.
  const two = territoryCentres([square], [{ lat: 5, lon: 5, unit: 'A' }, { lat: 5, lon: 30, unit: 'B' }]);
  assert.equal(two.has('B'), false);
  assert.equal(territoryCentres([square], []).size, 0);
});

test('countryRings decodes TopoJSON arcs and merges geometries that share an id', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-rings-'));
  try {
    const file = join(dir, 'countries.json');
    // Quantised arcs (delta-encoded, scale 1): arc 0 is a square, arc 1 a small island square.
    const topo = {
      type: 'Topology',
      transform: { scale: [1, 1], translate: [0, 0] },
      arcs: [
        [[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]],
        [[20, 20], [1, 0], [0, 1], [-1, 0], [0, -1]],
      ],
      objects: { countries: { type: 'GeometryCollection', geometries: [
        { type: 'Polygon', id: '036', arcs: [[0]] },
        { type: 'Polygon', id: '036', arcs: [[1]] },
        { type: 'Polygon', arcs: [[1]] },
      ] } },
    };
    writeFileSync(file, JSON.stringify(topo));
    const rings = countryRings(file);
    assert.equal(rings.size, 1);
    assert.equal(rings.get('036')!.length, 2);
    assert.deepEqual(rings.get('036')![0]![2], [10, 10]);
    assert.deepEqual(rings.get('036')![1]![0], [20, 20]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
