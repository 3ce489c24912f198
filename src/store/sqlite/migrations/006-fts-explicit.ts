/**
 * Migration 6: the store writes an article's full-text entry itself, in the same statement batch as
 * the row (sqlite-store.ts writeBatch), instead of through an insert trigger: the trigger costs about
 * twice as much per article. Delete and update keep their triggers.
 */
export const sql = `
DROP TRIGGER IF EXISTS articles_fts_insert;
`;
