/**
 * Migration 10: near-duplicate candidates come from an in-memory band index by article day
 * (src/link/band-index.ts), rebuilt from link_articles' signatures, instead of a table of 20 band rows
 * an article whose random keys dirtied more pages with every commit as the store grew. The articles of
 * a day are read by their order key, which starts with the article's date.
 *
 * Each report's compared fields move out of link_reports into a table keyed by event rid: its rows,
 * clustered by blocking key, shrink from ~400 to ~100 bytes, so a report's insert splits fewer pages
 * and a blocking window reads fewer; the fields are written in event order and read by rid.
 */
export const sql = `
DROP TABLE IF EXISTS link_lsh;
CREATE INDEX IF NOT EXISTS link_articles_order ON link_articles(order_key);

CREATE TABLE link_report_fields (
  event_rid  INTEGER PRIMARY KEY REFERENCES events(rid) ON DELETE CASCADE,
  -- what the pairwise decision compares (src/link/report.ts encodeFields)
  fields     TEXT NOT NULL
);
INSERT INTO link_report_fields (event_rid, fields) SELECT event_rid, features FROM link_reports ORDER BY event_rid;
ALTER TABLE link_reports DROP COLUMN features;
`;
