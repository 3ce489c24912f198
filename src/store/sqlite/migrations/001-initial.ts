/**
 * Migration 1: articles, entities, events (one row per report of an event in an article), the
 * attribution chain, quarantine, full-text search over articles and a spatial index over events.
 */
export const sql = `
CREATE TABLE articles (
  rid          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  date         TEXT NOT NULL,
  title        TEXT,
  text         TEXT NOT NULL,
  -- the text as read, only when it differs from the normalized text (NULL = same), so relinking can
  -- re-run the pipeline from the original without doubling the store's size for clean input
  raw_text     TEXT,
  url          TEXT,
  source       TEXT,
  language     TEXT,
  origin_file  TEXT NOT NULL,
  origin_line  INTEGER,
  ingested_at  TEXT NOT NULL,
  -- 1 once the pipeline's result is stored (a work queue may store articles before extraction)
  extracted    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_date ON articles(date);

CREATE TABLE entities (
  article_rid  INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  start        INTEGER NOT NULL,
  "end"        INTEGER NOT NULL,
  text         TEXT NOT NULL,
  ref_id       TEXT,
  name         TEXT,
  value,
  PRIMARY KEY (article_rid, position)
) WITHOUT ROWID;
CREATE INDEX entities_ref ON entities(ref_id) WHERE ref_id IS NOT NULL;

CREATE TABLE events (
  rid                   INTEGER PRIMARY KEY,
  event_id              TEXT NOT NULL UNIQUE,
  article_rid           INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  article_id            TEXT NOT NULL,
  position              INTEGER NOT NULL,
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
  -- lower-cased names, ids and article words of both actors, for substring search
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
  evidence_start        INTEGER NOT NULL,
  evidence_end          INTEGER NOT NULL,
  -- the full EventRecord as JSON: what readers get back
  record                TEXT NOT NULL
);
CREATE INDEX events_article ON events(article_rid);
CREATE INDEX events_date ON events(date, event_id);
CREATE INDEX events_country_date ON events(country, date);
CREATE INDEX events_type ON events(event_type);
CREATE INDEX events_acled_type ON events(acled_event_type);

CREATE TABLE event_sources (
  event_rid  INTEGER NOT NULL REFERENCES events(rid) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  PRIMARY KEY (event_rid, position)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE event_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);
CREATE TRIGGER events_geo_delete AFTER DELETE ON events BEGIN
  DELETE FROM event_geo WHERE id = old.rid;
END;

CREATE TABLE quarantine (
  id          INTEGER PRIMARY KEY,
  file        TEXT NOT NULL,
  line        INTEGER,
  code        TEXT NOT NULL,
  reason      TEXT NOT NULL,
  excerpt     TEXT NOT NULL,
  article_id  TEXT,
  at          TEXT NOT NULL
);
-- the same bad input quarantined again (a re-run) is kept once
CREATE UNIQUE INDEX quarantine_once ON quarantine(file, coalesce(line, -1), code, excerpt);

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, text,
  content = 'articles', content_rowid = 'rid',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
END;
`;
