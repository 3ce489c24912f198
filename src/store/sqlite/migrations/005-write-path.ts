/**
 * Migration 5: a lighter write path. An article's entities are kept as one compact JSON array on its
 * row (tuples, see sqlite-store.ts encodeEntities) instead of one row each; rows of older stores stay
 * readable. Drops indexes no query can use: the entity ref index (nothing looks entities up by id) and
 * the event type indexes (the type filter compares lower(...), which a plain index does not serve).
 */
export const sql = `
ALTER TABLE articles ADD COLUMN entities TEXT;
DROP INDEX IF EXISTS entities_ref;
DROP INDEX IF EXISTS events_type;
DROP INDEX IF EXISTS events_acled_type;
`;
