/**
 * The PostgreSQL schema's versioned migrations, in order (append, never edit a shipped one). Applied
 * by whichever process opens the store first, under an advisory lock (see migrate in pg-store.ts).
 */

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Text compared or sorted like SQLite does (bytewise), whatever the database's collation. */
const C = 'COLLATE "C"';

/** The columns events (reports) and event_clusters (merged events) share, so one WHERE serves both. */
const EVENT_COLUMNS = `
  article_rid           bigint NOT NULL,
  article_id            text ${C} NOT NULL,
  date                  text ${C},
  date_precision        text NOT NULL,
  event_type            text NOT NULL,
  mode                  text,
  acled_event_type      text,
  acled_sub_event_type  text,
  category              text,
  actor1_name           text,
  actor1_id             text,
  actor1_kind           text,
  actor1_country        text,
  actor2_name           text,
  actor2_id             text,
  actor2_kind           text,
  actor2_country        text,
  actor_search          text NOT NULL,
  location_name         text,
  geonames_id           bigint,
  country               text,
  admin1                text,
  admin2                text,
  lat                   double precision,
  lon                   double precision,
  geo_precision         integer,
  fatalities            integer,
  injured               integer,
  count                 integer,
  claim                 text,
  claimed_by            text,
  confidence            double precision NOT NULL,`;

const m001 = `
CREATE TABLE articles (
  rid          bigserial PRIMARY KEY,
  id           text ${C} NOT NULL UNIQUE,
  date         text ${C} NOT NULL,
  title        text,
  text         text NOT NULL,
  raw_text     text,
  url          text,
  source       text,
  language     text,
  origin_file  text NOT NULL,
  origin_line  integer,
  ingested_at  text NOT NULL,
  -- title matches weigh more than body matches (ts_rank weights A > B)
  tsv          tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', text), 'B')) STORED
);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_tsv ON articles USING gin(tsv);

CREATE TABLE entities (
  article_rid  bigint NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  position     integer NOT NULL,
  kind         text NOT NULL,
  start        integer NOT NULL,
  "end"        integer NOT NULL,
  text         text NOT NULL,
  ref_id       text,
  name         text,
  value        jsonb,
  PRIMARY KEY (article_rid, position)
);
CREATE INDEX entities_ref ON entities(ref_id) WHERE ref_id IS NOT NULL;

-- Event ids are unique in the store; a partitioned table can only enforce keys that contain the
-- partition key, so this small table holds the id -> row mapping and the uniqueness.
CREATE SEQUENCE events_rid_seq;
CREATE TABLE event_ids (
  event_id     text ${C} PRIMARY KEY,
  rid          bigint NOT NULL UNIQUE,
  article_rid  bigint NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  month        date
);
CREATE INDEX event_ids_article ON event_ids(article_rid);

-- One row per report of an event in an article, partitioned by the month of the event's date
-- (partitions are created on demand; undated events live in the default partition).
CREATE TABLE events (
  rid                   bigint NOT NULL,
  event_id              text ${C} NOT NULL,
  position              integer NOT NULL,
  ${EVENT_COLUMNS}
  evidence_start        integer NOT NULL,
  evidence_end          integer NOT NULL,
  month                 date,
  record                jsonb NOT NULL
) PARTITION BY RANGE (month);
CREATE TABLE events_undated PARTITION OF events DEFAULT;
CREATE INDEX events_rid ON events(rid);
CREATE INDEX events_event_id ON events(event_id);
CREATE INDEX events_article ON events(article_rid);
CREATE INDEX events_sort_date ON events((coalesce(date, '')), event_id);
CREATE INDEX events_sort_fatalities ON events((coalesce(fatalities, -1)), event_id);
CREATE INDEX events_sort_confidence ON events(confidence, event_id);
CREATE INDEX events_country_sort_date ON events(country, (coalesce(date, '')), event_id);
CREATE INDEX events_latlon ON events(lat, lon) WHERE lat IS NOT NULL;

CREATE TABLE quarantine (
  id          bigserial PRIMARY KEY,
  file        text NOT NULL,
  line        integer,
  code        text ${C} NOT NULL,
  reason      text NOT NULL,
  excerpt     text NOT NULL,
  article_id  text,
  at          text NOT NULL
);
CREATE UNIQUE INDEX quarantine_once ON quarantine(file, (coalesce(line, -1)), code, md5(excerpt));

-- Cross-article linking (the same tables as SQLite migration 3).
CREATE TABLE link_articles (
  article_rid  bigint PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,
  signature    bytea NOT NULL,
  dup_root     bigint NOT NULL,
  order_key    text ${C} NOT NULL,
  origin       text NOT NULL
);
CREATE INDEX link_articles_root ON link_articles(dup_root);

CREATE TABLE link_lsh (
  band_key     bigint NOT NULL,
  article_rid  bigint NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  PRIMARY KEY (band_key, article_rid)
);

CREATE TABLE link_reports (
  event_rid     bigint PRIMARY KEY,
  article_rid   bigint NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
  cluster       text ${C} NOT NULL,
  cluster_key   text ${C} NOT NULL,
  family        text NOT NULL,
  country       text NOT NULL,
  pclass        text NOT NULL,
  day_lo        integer NOT NULL,
  day_hi        integer NOT NULL,
  order_key     text ${C} NOT NULL,
  origin_fixed  text,
  -- the report's record again: linking reads candidates here, never probing every events partition
  record        jsonb NOT NULL
);
CREATE INDEX link_reports_block ON link_reports(family, country, pclass, day_lo);
CREATE INDEX link_reports_cluster ON link_reports(cluster, order_key);
CREATE INDEX link_reports_article ON link_reports(article_rid);

CREATE TABLE link_values (
  cluster  text ${C} NOT NULL,
  field    text ${C} NOT NULL,
  vkey     text ${C} NOT NULL,
  value    text NOT NULL,
  n        integer NOT NULL,
  first    text ${C} NOT NULL,
  rid      bigint NOT NULL,
  PRIMARY KEY (cluster, field, vkey)
);

CREATE TABLE event_clusters (
  event_id              text ${C} PRIMARY KEY,
  rid                   bigint NOT NULL,
  ${EVENT_COLUMNS}
  reports               integer NOT NULL,
  independent_sources   integer NOT NULL,
  record                jsonb NOT NULL
);
CREATE INDEX event_clusters_sort_date ON event_clusters((coalesce(date, '')), event_id);
CREATE INDEX event_clusters_sort_fatalities ON event_clusters((coalesce(fatalities, -1)), event_id);
CREATE INDEX event_clusters_sort_confidence ON event_clusters(confidence, event_id);
CREATE INDEX event_clusters_country_date ON event_clusters(country, (coalesce(date, '')), event_id);
CREATE INDEX event_clusters_latlon ON event_clusters(lat, lon) WHERE lat IS NOT NULL;
`;

/** The work queue (src/queue): one job per article, leases, and worker heartbeats. */
const m002 = `
CREATE TABLE queue_jobs (
  id           bigserial PRIMARY KEY,
  article_id   text ${C} NOT NULL UNIQUE,
  article      jsonb NOT NULL,
  -- queued | running | done | failed
  state        text NOT NULL DEFAULT 'queued',
  -- times claimed (a worker that dies holding it leaves it claimed) and times extraction failed
  attempts     integer NOT NULL DEFAULT 0,
  failures     integer NOT NULL DEFAULT 0,
  lease_until  timestamptz,
  worker       text,
  last_error   text,
  enqueued_at  timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz
);
CREATE INDEX queue_jobs_ready ON queue_jobs(id) WHERE state IN ('queued', 'running');
CREATE INDEX queue_jobs_finished ON queue_jobs(finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE queue_workers (
  id            text PRIMARY KEY,
  host          text NOT NULL,
  pid           integer NOT NULL,
  concurrency   integer NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  stopped_at    timestamptz,
  done          bigint NOT NULL DEFAULT 0,
  failed        bigint NOT NULL DEFAULT 0
);
`;

/** Not-extracted articles (issue 10), followed sources, polls, seen items, watch rules and hits. */
const m003 = `
ALTER TABLE articles ADD COLUMN extracted boolean NOT NULL DEFAULT true;

CREATE TABLE sources (
  id              bigserial PRIMARY KEY,
  name            text ${C} NOT NULL UNIQUE,
  location        text NOT NULL,
  every_s         integer NOT NULL,
  added_at        text NOT NULL,
  etag            text,
  last_modified   text,
  next_poll_at    text NOT NULL,
  failures        integer NOT NULL DEFAULT 0,
  last_polled_at  text,
  last_error      text
);

CREATE TABLE source_polls (
  id           bigserial PRIMARY KEY,
  source_id    bigint NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  started_at   text NOT NULL,
  finished_at  text NOT NULL,
  status       text NOT NULL,
  http_status  integer,
  items        integer NOT NULL,
  new          integer NOT NULL,
  duplicates   integer NOT NULL,
  failed       integer NOT NULL,
  error_code   text,
  error        text,
  item_errors  jsonb NOT NULL
);
CREATE INDEX source_polls_source ON source_polls(source_id, id);

CREATE TABLE source_items (
  source_id   bigint NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  item_key    text NOT NULL,
  article_id  text,
  seen_at     text NOT NULL,
  PRIMARY KEY (source_id, item_key)
);

CREATE TABLE alert_rules (
  id          bigserial PRIMARY KEY,
  name        text ${C} NOT NULL UNIQUE,
  filter      jsonb NOT NULL,
  webhook     text,
  created_at  text NOT NULL
);

CREATE TABLE alert_hits (
  id          bigserial PRIMARY KEY,
  rule_id     bigint NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
  event_id    text NOT NULL,
  cluster_id  text,
  article_id  text NOT NULL,
  at          text NOT NULL,
  record      jsonb NOT NULL,
  UNIQUE (rule_id, event_id)
);
CREATE INDEX alert_hits_rule ON alert_hits(rule_id, id);
CREATE UNIQUE INDEX alert_hits_cluster ON alert_hits(rule_id, cluster_id) WHERE cluster_id IS NOT NULL;
`;

/**
 * Linking apart from writing (issue 11): writers mark their articles pending with what linking needs
 * (MinHash signature, events with their store ids); one linker at a time links them. Links made by
 * the earlier in-write linker lack origin tallies: a store that holds articles is relinked on open.
 */
const m004 = `
CREATE TABLE link_pending (
  article_rid  bigint PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,
  id           text ${C} NOT NULL,
  date         text ${C} NOT NULL,
  source       text,
  signature    bytea NOT NULL,
  -- [{ "rid": event store id, "record": EventRecord }] in article order (json: read once, never queried)
  events       json NOT NULL
);
CREATE TABLE link_state (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO link_state (key, value) SELECT 'relink_needed', '1' WHERE EXISTS (SELECT 1 FROM articles);
`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  { version: 1, name: 'initial', sql: m001 },
  { version: 2, name: 'queue', sql: m002 },
  { version: 3, name: 'sources', sql: m003 },
  { version: 4, name: 'link_pending', sql: m004 },
];

/**
 * Tried after the migrations, outside them: a PostGIS geography column and its GiST index when the
 * extension can be created (it is optional; without it the lat/lon btree and haversine serve).
 */
export const POSTGIS_SQL = `
ALTER TABLE events ADD COLUMN IF NOT EXISTS geog geography(Point, 4326)
  GENERATED ALWAYS AS (CASE WHEN lat IS NULL OR lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED;
CREATE INDEX IF NOT EXISTS events_geog ON events USING gist(geog);
ALTER TABLE event_clusters ADD COLUMN IF NOT EXISTS geog geography(Point, 4326)
  GENERATED ALWAYS AS (CASE WHEN lat IS NULL OR lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED;
CREATE INDEX IF NOT EXISTS event_clusters_geog ON event_clusters USING gist(geog);
`;
