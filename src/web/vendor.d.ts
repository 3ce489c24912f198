// Just the parts of d3-geo and topojson-client the app uses (the packages ship no types).
declare module 'd3-geo' {
  export interface GeoProjection {
    (point: [number, number]): [number, number] | null;
    invert?(point: [number, number]): [number, number] | null;
    fitExtent(extent: [[number, number], [number, number]], object: unknown): GeoProjection;
    fitSize(size: [number, number], object: unknown): GeoProjection;
    scale(): number;
    scale(s: number): GeoProjection;
    translate(): [number, number];
    translate(t: [number, number]): GeoProjection;
    precision(p: number): GeoProjection;
  }
  export interface GeoPath {
    (object: unknown): string | null;
  }
  export function geoPath(projection?: GeoProjection | null): GeoPath;
  export function geoNaturalEarth1(): GeoProjection;
  export function geoEquirectangular(): GeoProjection;
  export function geoGraticule10(): unknown;
}

declare module 'topojson-client' {
  export function feature(topology: unknown, object: unknown): { type: string; features: { type: string; id?: string; properties: { name?: string }; geometry: unknown }[] };
  export function mesh(topology: unknown, object: unknown, filter?: (a: unknown, b: unknown) => boolean): unknown;
}
