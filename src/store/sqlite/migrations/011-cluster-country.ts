/**
 * Migration 11: the merged events' country index keyed by country alone. Its date column served no
 * query: the filters compare coalesce(date, '') and sort on it with the event id, which (country, date)
 * cannot give, so every country-filtered page already read the country's rows and sorted them. Keyed
 * by (country, rowid), a batch's new rows append to each country's range instead of landing at random
 * dates across the whole index, so a commit dirties (and the log and checkpoint copy) a page or two per
 * country rather than most of the index; same plans, same results.
 */
export const sql = `
DROP INDEX IF EXISTS event_clusters_country_date;
CREATE INDEX event_clusters_country ON event_clusters(country);
`;
