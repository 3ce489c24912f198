/**
 * Migration 14: the writer writes each batch's full-text entries in its own transaction again (one
 * INSERT ... SELECT per batch, sqlite-store.ts writeBatch), and the after-commit thread only checkpoints
 * (sqlite/after-commit.ts). The thread's commits of the entries made SQLite drop the writer's whole
 * page cache before each batch (in WAL mode a connection discards its cache when another one has
 * committed): from 15,000 to 30,000 benchmark articles the writer read 10-15 KB per article back from
 * the files, and 0.2-5 KB without those commits. Writing the entries costs the writer about 30 µs per
 * article more than that re-reading did, and saves the thread about 50. Articles a writer left pending
 * are indexed here; the update and delete triggers go back to those of migration 1.
 */
export const sql = `
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
