/**
 * Migration 4: followed sources (feeds and pages) with their conditional-request and back-off state,
 * a record of every poll, the feed items already seen, saved watch rules and the events they matched.
 */
export const sql = `
CREATE TABLE sources (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  location        TEXT NOT NULL,
  every_s         INTEGER NOT NULL,
  added_at        TEXT NOT NULL,
  etag            TEXT,
  last_modified   TEXT,
  next_poll_at    TEXT NOT NULL,
  failures        INTEGER NOT NULL DEFAULT 0,
  last_polled_at  TEXT,
  last_error      TEXT
);

CREATE TABLE source_polls (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  started_at   TEXT NOT NULL,
  finished_at  TEXT NOT NULL,
  status       TEXT NOT NULL,
  http_status  INTEGER,
  items        INTEGER NOT NULL,
  new          INTEGER NOT NULL,
  duplicates   INTEGER NOT NULL,
  failed       INTEGER NOT NULL,
  error_code   TEXT,
  error        TEXT,
  -- JSON array of {item, code, message}
  item_errors  TEXT NOT NULL
);
CREATE INDEX source_polls_source ON source_polls(source_id, id);

CREATE TABLE source_items (
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  item_key    TEXT NOT NULL,
  article_id  TEXT,
  seen_at     TEXT NOT NULL,
  PRIMARY KEY (source_id, item_key)
);

CREATE TABLE alert_rules (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  -- the saved EventFilter as JSON
  filter      TEXT NOT NULL,
  webhook     TEXT,
  created_at  TEXT NOT NULL
);

CREATE TABLE alert_hits (
  id          INTEGER PRIMARY KEY,
  rule_id     INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL,
  -- the merged event the report belongs to when known: one hit per rule and merged event
  cluster_id  TEXT,
  article_id  TEXT NOT NULL,
  at          TEXT NOT NULL,
  -- the matching EventRecord as JSON, as it was when it matched
  record      TEXT NOT NULL,
  UNIQUE (rule_id, event_id)
);
CREATE INDEX alert_hits_rule ON alert_hits(rule_id, id);
CREATE INDEX alert_hits_cluster ON alert_hits(rule_id, cluster_id);
`;
