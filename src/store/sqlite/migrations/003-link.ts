/**
 * Migration 3: cross-article linking. Near-duplicate signatures and their LSH band index, each
 * event's report row (blocking keys, cluster, origin), per-cluster value tallies and the merged
 * events that queries return by default. A store with articles from before is relinked on open.
 */
export const sql = `
CREATE TABLE link_articles (
  article_rid  INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,
  signature    BLOB NOT NULL,
  -- rid of the earliest (date, id) article of its near-duplicate group (itself when none)
  dup_root     INTEGER NOT NULL,
  order_key    TEXT NOT NULL,
  -- the article's own origin: "outlet:<publisher>" or "article:<id>"
  origin       TEXT NOT NULL
);
CREATE INDEX link_articles_root ON link_articles(dup_root);

CREATE TABLE link_lsh (
  band_key     INTEGER NOT NULL,
  article_rid  INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  PRIMARY KEY (band_key, article_rid)
) WITHOUT ROWID;

-- clustered by the blocking key, so the candidates of a report are read as one contiguous range
CREATE TABLE link_reports (
  family        TEXT NOT NULL,
  country       TEXT NOT NULL,
  pclass        TEXT NOT NULL,
  day_lo        INTEGER NOT NULL,
  event_rid     INTEGER NOT NULL REFERENCES events(rid) ON DELETE CASCADE,
  day_hi        INTEGER NOT NULL,
  article_rid   INTEGER NOT NULL,
  -- the merged event: the event id of its earliest report by (date, article id, event id), and that key
  cluster       TEXT NOT NULL,
  cluster_key   TEXT NOT NULL,
  order_key     TEXT NOT NULL,
  -- an origin that is not the article's own (an actor's claim, a relayed agency), else NULL
  origin_fixed  TEXT,
  -- what the pairwise decision compares (src/link/report.ts ReportFeatures) as JSON
  features      TEXT NOT NULL,
  PRIMARY KEY (family, country, pclass, day_lo, event_rid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX link_reports_event ON link_reports(event_rid);
CREATE INDEX link_reports_cluster ON link_reports(cluster, order_key);
CREATE INDEX link_reports_article ON link_reports(article_rid);

CREATE TABLE link_values (
  cluster  TEXT NOT NULL,
  field    TEXT NOT NULL,
  vkey     TEXT NOT NULL,
  value    TEXT NOT NULL,
  n        INTEGER NOT NULL,
  first    TEXT NOT NULL,
  rid      INTEGER NOT NULL,
  PRIMARY KEY (cluster, field, vkey)
) WITHOUT ROWID;

-- one row per merged event, with the same columns as events (so any query over "events e" can read
-- merged events instead), plus its report and independent-source counts
CREATE TABLE event_clusters (
  event_id              TEXT PRIMARY KEY,
  -- the report whose place the merged event takes (so event_geo, keyed by events.rid, serves both)
  rid                   INTEGER NOT NULL,
  article_rid           INTEGER NOT NULL,
  article_id            TEXT NOT NULL,
  date                  TEXT,
  date_precision        TEXT NOT NULL,
  event_type            TEXT NOT NULL,
  mode                  TEXT,
  acled_event_type      TEXT,
  acled_sub_event_type  TEXT,
  category              TEXT,
  actor1_name           TEXT,
  actor1_id             TEXT,
  actor1_kind           TEXT,
  actor1_country        TEXT,
  actor2_name           TEXT,
  actor2_id             TEXT,
  actor2_kind           TEXT,
  actor2_country        TEXT,
  actor_search          TEXT NOT NULL,
  location_name         TEXT,
  geonames_id           INTEGER,
  country               TEXT,
  admin1                TEXT,
  admin2                TEXT,
  lat                   REAL,
  lon                   REAL,
  geo_precision         INTEGER,
  fatalities            INTEGER,
  injured               INTEGER,
  count                 INTEGER,
  claim                 TEXT,
  claimed_by            TEXT,
  confidence            REAL NOT NULL,
  reports               INTEGER NOT NULL,
  independent_sources   INTEGER NOT NULL,
  record                TEXT NOT NULL
);
CREATE INDEX event_clusters_sort_date ON event_clusters(coalesce(date, ''), event_id);
CREATE INDEX event_clusters_sort_fatalities ON event_clusters(coalesce(fatalities, -1), event_id);
CREATE INDEX event_clusters_sort_confidence ON event_clusters(confidence, event_id);
CREATE INDEX event_clusters_country_date ON event_clusters(country, date);
CREATE INDEX event_clusters_rid ON event_clusters(rid);

CREATE TABLE link_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO link_state (key, value) SELECT 'relink_needed', '1' WHERE EXISTS (SELECT 1 FROM articles);
`;
