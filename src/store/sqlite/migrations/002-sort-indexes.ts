/**
 * Migration 2: indexes that match the event sort orders (key, then event id, same direction), so a
 * page of a large store is read in index order instead of sorting every matching event; the date
 * filters compare the same expression, so a date range is an index range too.
 */
export const sql = `
DROP INDEX IF EXISTS events_date;
DROP INDEX IF EXISTS events_country_date;
CREATE INDEX events_sort_date ON events(coalesce(date, ''), event_id);
CREATE INDEX events_sort_fatalities ON events(coalesce(fatalities, -1), event_id);
CREATE INDEX events_sort_confidence ON events(confidence, event_id);
CREATE INDEX events_country_sort_date ON events(country, coalesce(date, ''), event_id);
`;
