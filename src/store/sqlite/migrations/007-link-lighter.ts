/**
 * Migration 7: a lighter linking write path. The article index of link_reports served one rare
 * look-up (the clusters of a near-duplicate group that joins an earlier one), which now goes through
 * events(article_rid); each report written saves one index insert.
 */
export const sql = `
DROP INDEX IF EXISTS link_reports_article;
`;
