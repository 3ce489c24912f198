/** Event exports: ACLED-style CSV, JSON, JSON Lines and GeoJSON, whole or streamed. */
export { CSV_COLUMNS, csvField, csvHeader, eventToCsvLine, eventToRow, eventsToCsv } from './csv.js';
export type { CsvColumn } from './csv.js';
export { eventToFeature, eventsToGeoJson } from './geojson.js';
export type { EventFeature, EventFeatureCollection } from './geojson.js';
export { eventsToJson, eventsToJsonl } from './json.js';
export { countryName, interCode, interaction, timePrecision } from './acled.js';
export { EXPORT_FORMATS, OutputClosedError, fileSink, stdoutSink, writeEvents } from './stream.js';
export type { ExportCounts, ExportFormat, Sink } from './stream.js';
