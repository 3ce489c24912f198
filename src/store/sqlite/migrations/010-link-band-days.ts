/**
 * Migration 10: near-duplicate candidates come from an in-memory band index by article day
 * (src/link/band-index.ts), rebuilt from link_articles' signatures, instead of a table of 20 band rows
 * an article whose random keys dirtied more pages with every commit as the store grew. The articles of
 * a day are read by their order key, which starts with the article's date.
 */
export const sql = `
DROP TABLE IF EXISTS link_lsh;
CREATE INDEX IF NOT EXISTS link_articles_order ON link_articles(order_key);
`;
