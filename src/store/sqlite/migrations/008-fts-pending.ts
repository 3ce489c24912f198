/**
 * Migration 8: full-text entries written behind the writer. A store writing many articles records each
 * new article's rid in fts_pending, and its after-commit thread (sqlite/after-commit.ts) writes their
 * full-text entries in a transaction of its own; opening a store indexes any left pending. The update
 * and delete triggers touch the index only for articles already in it.
 */
export const sql = `
CREATE TABLE fts_pending (rid INTEGER PRIMARY KEY);

DROP TRIGGER IF EXISTS articles_fts_delete;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text)
    SELECT 'delete', old.rid, old.title, old.text WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);
  DELETE FROM fts_pending WHERE rid = old.rid;
END;

DROP TRIGGER IF EXISTS articles_fts_update;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
  WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = new.rid) BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rid, old.title, old.text);
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
END;
`;
