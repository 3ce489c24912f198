/**
 * Ingest: readers that turn files, folders, globs, stdin and HTML pages into articles, and bad input
 * into quarantine items with a stable code and a reason.
 */
export { readInputs } from './read-inputs.js';
export { articleFromHtml, readHtmlBytes, type HtmlMeta } from './html.js';
export { articleId } from './article-id.js';
export { parseDatedText, readDatedBytes, headlineOf } from './dated.js';
export { readJsonl, readJsonArrayBytes, parseRecord, articleRecordSchema, type ArticleRecord } from './jsonl.js';
export { detectLanguage, languageFromTag } from './language.js';
export { expandGlob, globToRegExp, hasGlob } from './glob.js';
export { isValidDay, dayOf } from './dates.js';
export { DEFAULT_MAX_BYTES, type IngestItem, type ReadOptions, type ReaderOptions } from './types.js';
