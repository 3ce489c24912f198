/**
 * Migration 13: the writer writes each batch's full-text entries in its own transaction again (one
 * INSERT ... SELECT per batch, sqlite-store.ts writeBatch), and the after-commit thread only checkpoints
 * (sqlite/after-commit.ts). The thread's commits of the entries made SQLite drop the writer's whole
 * page cache before each batch (in WAL mode a connection discards its cache when another one has
 * committed): from 15,000 to 30,000 benchmark articles the writer read 10-15 KB per article back from
 * the files, and 0.2-5 KB without those commits. With the hash size below, the process's CPU per
 * article fell from 621 to 564 µs over those articles (the writer's outside linking rose from 106 to
 * 144, linking's fell from 368 to 343, the other threads' from 148 to 76). Articles a writer left
 * pending are indexed here; the update and delete triggers go back to those of migration 1.
 *
 * The index's in-memory hash may grow to 16 MB before FTS5 writes it out as a segment (its default is
 * 1 MB): a 5,000-article batch's entries then go to the file as one segment rather than many small
 * ones that FTS5 merges again. At 30,000 benchmark articles the writer's CPU per article outside
 * linking fell from 197 to 158 µs (64 MB did no better). It changes no query's result.
 */
export const sql = `
INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 16777216);

INSERT INTO articles_fts (rowid, title, text)
  SELECT a.rid, a.title, a.text FROM fts_pending p JOIN articles a ON a.rid = p.rid ORDER BY p.rid;

DROP TRIGGER IF EXISTS articles_fts_delete;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
END;

DROP TRIGGER IF EXISTS articles_fts_update;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
END;

DROP TABLE fts_pending;
`;
