/**
 * Migration 12: lighter indexes over every article's reports (events), which only the raw-report view
 * (`--reports`, `raw_reports`) sorts and filters by; merged events, what queries return by default, keep
 * theirs. The confidence and (country, date) keys land at random places of trees that grow with the
 * store, so each 1,000-article commit rewrote (and the log and the checkpoint copied) most of their
 * pages. Keyed by country alone, a batch's reports append to their country's range, as merged events'
 * do since migration 11 (a country's page sorts its reports by date, a millisecond for a few hundred).
 * Date and fatality orders keep their indexes (new keys mostly land at the end: recent dates, no
 * count); sorting reports by confidence reads them all, as sorting merged events by type does.
 */
export const sql = `
DROP INDEX IF EXISTS events_sort_confidence;
DROP INDEX IF EXISTS events_country_sort_date;
CREATE INDEX events_country ON events(country);
`;
