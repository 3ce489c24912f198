/**
 * Polling followed sources: one poll reads a feed or page (conditionally), turns new feed items into
 * articles (the linked page through readability, else the item's own content), ingests them, and
 * leaves a poll record and the source's next state; the Watcher polls every due source, one bad
 * source never stopping the others.
 */
import { readFile, stat } from 'node:fs/promises';
import { KhabarError, errorMessage } from '../errors.js';
import { articleFromHtml, type HtmlMeta } from '../ingest/html.js';
import { languageFromTag } from '../ingest/language.js';
import { processItems, type Extractor, type IngestItem, type IngestSummary } from '../ingest/process.js';
import type { PollRecord, SourceRecord, SourceState, Store } from '../store/store.js';
import type { Article, QuarantineItem } from '../types.js';
import { DEFAULT_FETCH_MAX_BYTES, decodeBody, fetchText } from './fetch.js';
import { looksLikeFeed, parseFeed, type FeedItem } from './feeds.js';
import { HostLimiter, backoffSeconds, retryAfterSeconds } from './schedule.js';

export interface PollDeps {
  store: Store;
  extractor: Extractor;
  /** Shared by every request of the watch (feeds and pages). Default: one request per host per second. */
  limiter?: HostLimiter;
  /** The clock, ms since the epoch (tests move it). */
  now?: () => number;
  fetch?: typeof fetch;
  /** Largest feed or page body, bytes (default 5 MB). */
  maxBytes?: number;
  timeoutMs?: number;
  /** New items turned into articles per poll (default 100); the rest wait for the next poll. */
  maxItemsPerPoll?: number;
  /** Called with the ids of the articles each poll stored or found already stored (watch rules run here). */
  onArticles?: (articleIds: string[], source: SourceRecord) => Promise<void>;
}

export interface PollOutcome {
  source: SourceRecord;
  poll: PollRecord;
  /** Articles the poll handed to the store (new or already stored). */
  articleIds: string[];
}

/** A page shorter than this (normalized characters) is no article when the feed item says more. */
const MIN_PAGE_CHARS = 200;
const EXCERPT_CHARS = 300;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const HTML_SPECIAL = /[&<>"]/g;

function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

function escapeHtml(s: string): string {
  return s.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c]!);
}

function asKhabarError(err: unknown, code: 'E_FETCH' | 'E_FEED' | 'E_INGEST_HTML', where: string): KhabarError {
  if (err instanceof KhabarError) return err;
  return new KhabarError(code, `${where}: ${errorMessage(err)}`, { url: where }, { cause: err });
}

/** The language of an article built from a feed item: detected, else what the feed declares. */
function withFeedLanguage(article: Article, item: FeedItem): Article {
  if (article.language !== null || item.language === null) return article;
  return { ...article, language: languageFromTag(item.language) };
}

/** An article from the feed item's own content or summary (HTML or text), or null when it has none. */
function articleFromItem(item: FeedItem, meta: HtmlMeta): Article | null {
  const body = item.content ?? item.summary;
  if (!body) return null;
  const title = item.title ? `<title>${escapeHtml(item.title)}</title><h1>${escapeHtml(item.title)}</h1>` : '';
  const html = `<!doctype html><html><head>${title}</head><body><article>${body.includes('<') ? body : `<p>${escapeHtml(body)}</p>`}</article></body></html>`;
  return articleFromHtml(html, meta);
}

/** Bytes of a local source file, with its modification time as the validator. */
async function readLocal(path: string, maxBytes: number): Promise<{ text: string; modified: string }> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new KhabarError('E_INPUT_NOT_FOUND', `${path}: cannot read the source file (${errorMessage(err)}); fix the path or remove the source.`, { file: path });
  }
  if (info.size > maxBytes) throw new KhabarError('E_INGEST_TOO_LARGE', `${path}: ${info.size} bytes, over the ${maxBytes}-byte cap.`, { file: path });
  const bytes = await readFile(path);
  return { text: decodeBody(bytes, null, path), modified: info.mtime.toISOString() };
}

interface ResolvedItem {
  ingest: IngestItem;
  /** A page problem that the feed's own content made up for, or the reason the item failed. */
  note: { code: string; message: string } | null;
}

/** Polls sources: one source at a time with `poll`, or every due one with `pollDue`. */
export class Watcher {
  private readonly limiter: HostLimiter;
  private readonly now: () => number;

  constructor(private readonly deps: PollDeps) {
    this.limiter = deps.limiter ?? new HostLimiter(1000);
    this.now = deps.now ?? Date.now;
  }

  private fetchOptions() {
    return {
      beforeRequest: (url: URL) => this.limiter.wait(url),
      maxBytes: this.deps.maxBytes ?? DEFAULT_FETCH_MAX_BYTES,
      ...(this.deps.timeoutMs !== undefined ? { timeoutMs: this.deps.timeoutMs } : {}),
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
    };
  }

  /** The article behind one feed item: its page, else the item's content, else a quarantine item. */
  private async resolveItem(item: FeedItem, source: SourceRecord, fetchedAt: string): Promise<ResolvedItem> {
    const meta: HtmlMeta = { fetchedAt, source: source.name, ...(item.date ? { feedDate: item.date } : {}), ...(item.link ? { url: item.link } : {}) };
    let note: ResolvedItem['note'] = null;
    let fromPage: Article | null = null;
    if (item.link && isUrl(item.link)) {
      try {
        const page = await fetchText(item.link, this.fetchOptions());
        if (page.status === 'ok') fromPage = articleFromHtml(page.text, { ...meta, url: page.url });
      } catch (err) {
        const e = asKhabarError(err, 'E_INGEST_HTML', item.link);
        note = { code: e.code, message: e.message };
      }
    }
    let fromFeed: Article | null = null;
    try {
      fromFeed = articleFromItem(item, meta);
    } catch (err) {
      if (!fromPage) {
        const e = asKhabarError(err, 'E_INGEST_HTML', item.link ?? source.location);
        note = note ?? { code: e.code, message: e.message };
      }
    }
    // A page with (next to) no article text loses to a feed item that says more; alone it is no article.
    const pageChars = fromPage?.rawText.length ?? 0;
    if (fromPage && pageChars < MIN_PAGE_CHARS && !fromFeed) {
      note = { code: 'E_INGEST_HTML', message: `${item.link}: the page has no article (${pageChars} characters of text) and the feed item carries no text` };
      fromPage = null;
    }
    const useFeed = fromFeed !== null && (fromPage === null || (pageChars < MIN_PAGE_CHARS && fromFeed.rawText.length > pageChars));
    const article = useFeed ? fromFeed : fromPage;
    if (article) {
      if (useFeed && note) note = { code: note.code, message: `${note.message} (stored the feed item's own text instead)` };
      return { ingest: { kind: 'article', article: withFeedLanguage(article, item) }, note };
    }
    const why = note ?? { code: 'E_INGEST_EMPTY', message: `${item.link ?? item.key}: the item has no page and no content or summary in the feed.` };
    const q: QuarantineItem = {
      file: item.link ?? source.location,
      line: null,
      code: why.code,
      reason: `${why.message} The item was not stored; it is not fetched again.`,
      excerpt: `${item.title ?? ''} ${item.summary ?? ''}`.trim().slice(0, EXCERPT_CHARS),
    };
    return { ingest: { kind: 'quarantine', item: q }, note: why };
  }

  /**
   * Polls one source now, whatever its schedule; records the poll and the source's next state.
   * Never throws for a source's own failure (it is in the poll record), only for store errors.
   * @example const { poll } = await watcher.poll(source); // poll.status 'ok', poll.new 3
   */
  async poll(source: SourceRecord): Promise<PollOutcome> {
    const { store } = this.deps;
    const startMs = this.now();
    const started = new Date(startMs).toISOString();
    const poll: PollRecord = {
      source_id: source.id, started_at: started, finished_at: started, status: 'ok', http_status: null,
      items: 0, new: 0, duplicates: 0, failed: 0, error_code: null, error: null, item_errors: [],
    };
    const state: SourceState = {
      etag: source.etag, last_modified: source.last_modified, next_poll_at: '', failures: 0, last_polled_at: started, last_error: null,
    };
    let articleIds: string[] = [];
    let retryAfter: number | null = null;
    try {
      let body: string | null = null;
      let baseUrl: string | undefined;
      if (isUrl(source.location)) {
        const r = await fetchText(source.location, { ...this.fetchOptions(), etag: source.etag, lastModified: source.last_modified });
        poll.http_status = r.httpStatus;
        if (r.status === 'ok') {
          body = r.text;
          baseUrl = r.url;
          state.etag = r.etag;
          state.last_modified = r.lastModified;
        }
      } else {
        const local = await readLocal(source.location, this.deps.maxBytes ?? DEFAULT_FETCH_MAX_BYTES);
        if (local.modified !== source.last_modified) {
          body = local.text;
          state.last_modified = local.modified;
        }
      }
      if (body === null) poll.status = 'not_modified';
      else {
        const result = await this.ingestBody(source, body, baseUrl, started, poll);
        articleIds = result;
      }
    } catch (err) {
      const e = asKhabarError(err, 'E_FETCH', source.location);
      poll.status = 'failed';
      poll.error_code = e.code;
      poll.error = e.message;
      if (typeof e.context.status === 'number') poll.http_status = e.context.status;
      retryAfter = retryAfterSeconds(typeof e.context.retryAfter === 'string' ? e.context.retryAfter : null, startMs);
      // Keep the old validators: the failed answer says nothing about the content.
      state.etag = source.etag;
      state.last_modified = source.last_modified;
      state.failures = source.failures + 1;
      state.last_error = `${e.code}: ${e.message}`;
    }
    const endMs = this.now();
    poll.finished_at = new Date(endMs).toISOString();
    const waitS = poll.status === 'failed' ? backoffSeconds(source.every_s, state.failures, retryAfter) : source.every_s;
    state.next_poll_at = new Date(startMs + waitS * 1000).toISOString();
    await store.recordPoll(poll);
    await store.updateSourceState(source.id, state);
    const updated: SourceRecord = { ...source, ...state };
    if (articleIds.length > 0) await this.deps.onArticles?.(articleIds, updated);
    return { source: updated, poll, articleIds };
  }

  /** Turns a fetched body (feed or page) into stored articles; fills the poll's counts. */
  private async ingestBody(source: SourceRecord, body: string, baseUrl: string | undefined, fetchedAt: string, poll: PollRecord): Promise<string[]> {
    const { store } = this.deps;
    const ingest: IngestItem[] = [];
    const seen: { key: string; article_id: string | null }[] = [];
    if (looksLikeFeed(body)) {
      const feed = parseFeed(body, baseUrl ?? source.location);
      poll.items = feed.items.length;
      const fresh = new Set(await store.unseenItems(source.id, feed.items.map((i) => i.key)));
      const todo = feed.items.filter((i) => fresh.has(i.key)).slice(0, this.deps.maxItemsPerPoll ?? 100);
      for (const item of todo) {
        const r = await this.resolveItem(item, source, fetchedAt);
        ingest.push(r.ingest);
        if (r.note) poll.item_errors.push({ item: item.link ?? item.key, ...r.note });
        if (r.ingest.kind === 'quarantine') poll.failed++;
        seen.push({ key: item.key, article_id: r.ingest.kind === 'article' ? r.ingest.article.id : null });
      }
    } else {
      poll.items = 1;
      const meta: HtmlMeta = isUrl(source.location)
        ? { url: baseUrl ?? source.location, fetchedAt, source: source.name }
        : { file: source.location, fetchedAt, source: source.name };
      ingest.push({ kind: 'article', article: articleFromHtml(body, meta) });
    }
    const summary: IngestSummary = await processItems(ingest, store, this.deps.extractor);
    poll.new = summary.inserted;
    poll.duplicates = summary.duplicates;
    // Seen only once stored: a crash before this line re-reads the items, and the article ids dedupe them.
    if (seen.length > 0) await store.markItemsSeen(source.id, seen);
    return ingest.flatMap((i) => (i.kind === 'article' ? [i.article.id] : []));
  }

  /** Sources whose next poll is due at the watcher's clock. */
  async dueSources(): Promise<SourceRecord[]> {
    const now = this.now();
    return (await this.deps.store.listSources()).filter((s) => Date.parse(s.next_poll_at) <= now);
  }

  /**
   * Polls every due source, `concurrency` at a time (the host limiter still spaces same-host requests).
   * @example const outcomes = await watcher.pollDue(); // one PollOutcome per due source
   */
  async pollDue(concurrency = 4): Promise<PollOutcome[]> {
    const due = await this.dueSources();
    const out: PollOutcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length) {
        const source = due[next++]!;
        out.push(await this.poll(source));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return out;
  }

  /** Milliseconds until the next source is due (0 when one is due now, null when there is none). */
  async msUntilNext(): Promise<number | null> {
    const sources = await this.deps.store.listSources();
    if (sources.length === 0) return null;
    const soonest = Math.min(...sources.map((s) => Date.parse(s.next_poll_at)));
    return Math.max(0, soonest - this.now());
  }
}
