/**
 * Migration 9: a lighter index over event locations. The R*Tree (event_geo) cost every located event
 * a tree insert that rewrites whole node blobs, plus a row in each of its shadow tables; a B-tree index
 * over (lat, lon) of the events that have both answers the same box look-ups (a latitude range, the
 * longitude checked in the index) at a fraction of the write cost, and it is exact where the R*Tree
 * held 32-bit floats.
 */
export const sql = `
DROP TRIGGER IF EXISTS events_geo_delete;
DROP TABLE IF EXISTS event_geo;
CREATE INDEX events_place ON events(lat, lon) WHERE lat IS NOT NULL AND lon IS NOT NULL;
`;
