import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterPoints } from './cluster.js';
import { segment, type Mark } from './highlight.js';

const m = (start: number, end: number, className = 'x'): Mark => ({ start, end, className });

const cases: { label: string; length: number; marks: Mark[]; expect: [number, number, string[]][] }[] = [
  { label: 'no marks is one plain segment', length: 5, marks: [], expect: [[0, 5, []]] },
  { label: 'overlapping marks cut at every boundary', length: 10, marks: [m(2, 6, 'a'), m(4, 8, 'b')], expect: [[0, 2, []], [2, 4, ['a']], [4, 6, ['a', 'b']], [6, 8, ['b']], [8, 10, []]] },
  { label: 'nested marks list the outer one first', length: 6, marks: [m(2, 3, 'inner'), m(0, 6, 'outer')], expect: [[0, 2, ['outer']], [2, 3, ['outer', 'inner']], [3, 6, ['outer']]] },
  { label: 'out-of-range and empty marks are clipped or dropped', length: 4, marks: [m(-3, 2, 'a'), m(3, 99, 'b'), m(2, 2, 'empty')], expect: [[0, 2, ['a']], [2, 3, []], [3, 4, ['b']]] },
];

for (const c of cases) {
  test(`highlight segment: ${c.label}`, () => {
    const got = segment(c.length, c.marks).map((s) => [s.start, s.end, s.marks.map((x) => x.className)]);
    assert.deepEqual(got, c.expect);
  });
}

test('highlight segment: segments tile the whole text, in order, with no gap', () => {
  const marks = Array.from({ length: 50 }, (_, i) => m((i * 37) % 200, ((i * 37) % 200) + (i % 13) + 1));
  const segs = segment(200, marks);
  assert.equal(segs[0]!.start, 0);
  assert.equal(segs[segs.length - 1]!.end, 200);
  for (let i = 1; i < segs.length; i++) assert.equal(segs[i]!.start, segs[i - 1]!.end);
  for (const s of segs) for (const k of s.marks) assert.ok(k.start <= s.start && k.end >= s.end);
});

test('cluster points: near points merge, far ones stay apart, every point is in one cluster', () => {
  const pts = [
    { x: 0, y: 0, index: 0 },
    { x: 10, y: 0, index: 1 },
    { x: 200, y: 200, index: 2 },
    { x: 205, y: 195, index: 3 },
    { x: 500, y: 0, index: 4 },
  ];
  const clusters = clusterPoints(pts, 30);
  assert.deepEqual(clusters.map((c) => c.members), [[0, 1], [2, 3], [4]]);
  assert.deepEqual([clusters[0]!.x, clusters[0]!.y], [5, 0]);
  const many = Array.from({ length: 1000 }, (_, i) => ({ x: (i * 7919) % 800, y: (i * 104729) % 500, index: i }));
  const all = clusterPoints(many, 34).flatMap((c) => c.members).sort((a, b) => a - b);
  assert.deepEqual(all, many.map((p) => p.index));
});
