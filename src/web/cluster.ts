/**
 * Screen-space clustering of map markers at the current zoom: points near each other become one
 * cluster placed at their mean position.
 */

export interface ScreenPoint {
  x: number;
  y: number;
  /** The caller's index of the point (into its event array). */
  index: number;
}

export interface Cluster {
  x: number;
  y: number;
  members: number[];
}

/**
 * Greedy distance clustering: each point joins the first cluster whose seed is within `radius` pixels,
 * else seeds a new one; clusters are drawn at their members' mean position. Seeds are at least
 * `radius` apart, so cluster circles rarely hide each other.
 * @example clusterPoints([{ x: 1, y: 1, index: 0 }, { x: 5, y: 3, index: 1 }, { x: 90, y: 90, index: 2 }], 20).map((c) => c.members)
 * // [[0, 1], [2]]
 */
export function clusterPoints(points: readonly ScreenPoint[], radius: number): Cluster[] {
  const r2 = radius * radius;
  const seeds: { x: number; y: number; sx: number; sy: number; members: number[] }[] = [];
  // A coarse grid of seeds keeps this near-linear for thousands of points.
  const grid = new Map<string, number[]>();
  const cellOf = (x: number, y: number): [number, number] => [Math.floor(x / radius), Math.floor(y / radius)];
  for (const p of points) {
    const [cx, cy] = cellOf(p.x, p.y);
    let found = -1;
    for (let dx = -1; dx <= 1 && found < 0; dx++) {
      for (let dy = -1; dy <= 1 && found < 0; dy++) {
        for (const i of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          const s = seeds[i]!;
          if ((s.x - p.x) ** 2 + (s.y - p.y) ** 2 <= r2) {
            found = i;
            break;
          }
        }
      }
    }
    if (found < 0) {
      found = seeds.length;
      seeds.push({ x: p.x, y: p.y, sx: 0, sy: 0, members: [] });
      const key = `${cx},${cy}`;
      grid.set(key, [...(grid.get(key) ?? []), found]);
    }
    const seed = seeds[found]!;
    seed.sx += p.x;
    seed.sy += p.y;
    seed.members.push(p.index);
  }
  return seeds.map((c) => ({ x: c.sx / c.members.length, y: c.sy / c.members.length, members: c.members }));
}
