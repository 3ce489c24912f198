/**
 * Followed sources: feed parsing, fetching, schedules and the watcher (issue 10).
 */
export { fetchText, decodeBody, parseContentType, isTextType, DEFAULT_FETCH_MAX_BYTES, type FetchOptions, type FetchResult } from './fetch.js';
export { parseFeed, looksLikeFeed, type Feed, type FeedItem, type FeedFormat } from './feeds.js';
export { HostLimiter, parseEvery, formatEvery, backoffSeconds, retryAfterSeconds, MIN_EVERY_S, MAX_BACKOFF_S } from './schedule.js';
export { Watcher, type PollDeps, type PollOutcome } from './poll.js';
export { extractOrSkip, isExtractable, unextractedResult, EXTRACTED_LANGUAGES, type GatedOutcome } from '../ingest/language-gate.js';
