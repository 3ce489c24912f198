/**
 * Migration 12: lighter confidence and country indexes. Keyed by (confidence, event id), each new
 * event's entry landed at a random place of a tree that grows with the store, so each 1,000-article
 * commit rewrote (and the log and the checkpoint copied) most of its pages. Keyed by confidence alone
 * (and so by rowid after it), a batch's rows append to the end of their value's run, and confidences
 * take a few dozen values: the page of that order is read from the index value by value, and only the
 * events that share a value are sorted by id (SQLite's "temp b-tree for last term of ORDER BY"). Date
 * keys take thousands of values, as many as a batch's new rows, so the date indexes keep their id.
 *
 * Reports (events), which only the raw-report view sorts and filters, also lose their (country, date)
 * index for one keyed by country alone, as merged events' since migration 11 (a country's page sorts
 * its reports by date, a millisecond for a few hundred).
 */
export const sql = `
DROP INDEX IF EXISTS events_sort_confidence;
DROP INDEX IF EXISTS events_country_sort_date;
CREATE INDEX events_confidence ON events(confidence);
CREATE INDEX events_country ON events(country);

DROP INDEX IF EXISTS event_clusters_sort_confidence;
CREATE INDEX event_clusters_confidence ON event_clusters(confidence);
`;
