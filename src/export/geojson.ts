/**
 * Events as a GeoJSON FeatureCollection (RFC 7946): one Point feature per placed event, the full
 * record as its properties; events without coordinates are left out and counted.
 */
import type { EventRecord } from '../types.js';

export interface EventFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: EventRecord;
}

export interface EventFeatureCollection {
  type: 'FeatureCollection';
  features: EventFeature[];
}

/** The feature of a placed event, or null when it has no coordinates. Coordinates are [lon, lat]. */
export function eventToFeature(e: EventRecord): EventFeature | null {
  const loc = e.location;
  if (!loc || loc.lat === null || loc.lon === null) return null;
  return { type: 'Feature', id: e.event_id, geometry: { type: 'Point', coordinates: [loc.lon, loc.lat] }, properties: e };
}

/**
 * @example
 * const { collection, omitted } = eventsToGeoJson(events);
 * collection.features[0].geometry.coordinates // [70.9, 31.83]  (lon, lat)
 */
export function eventsToGeoJson(events: Iterable<EventRecord>): { collection: EventFeatureCollection; omitted: number } {
  const features: EventFeature[] = [];
  let omitted = 0;
  for (const e of events) {
    const f = eventToFeature(e);
    if (f) features.push(f);
    else omitted++;
  }
  return { collection: { type: 'FeatureCollection', features }, omitted };
}
