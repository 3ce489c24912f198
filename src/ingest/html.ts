/**
 * HTML pages (files on disk, or pages fetched by the feed watcher): the main text via
 * @mozilla/readability on linkedom, plus title, date (with where it came from), canonical URL, site
 * name and language from the page's metadata.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { IngestError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import type { Article, ArticleDateSource } from '../types.js';
import { articleId } from './article-id.js';
import { dayOf, isValidDay } from './dates.js';
import { tooLarge } from './dated.js';
import { decodeText } from './decode.js';
import { detectLanguage, languageFromTag } from './language.js';
import { quarantine, quarantineError } from './quarantine.js';
import type { IngestItem, ReaderOptions } from './types.js';

export interface HtmlMeta {
  /** The page's address (for relative canonical links and provenance). */
  url?: string;
  /** The file it was read from; defaults to the URL in error messages. */
  file?: string;
  /** When the page was fetched (ISO timestamp): the date of last resort. */
  fetchedAt?: string;
  /** The feed item's date, used when the page itself has none. */
  feedDate?: string;
  /** Date to use when nothing else gives one (`YYYY-MM-DD`). */
  defaultDate?: string;
  /** The source's name as the caller knows it (a feed's name); wins over the page's site name. */
  source?: string;
}

/** Meta tags (property, name or itemprop) that carry the publication date, most specific first. */
const DATE_META = [
  'article:published_time',
  'og:published_time',
  'og:article:published_time',
  'datepublished',
  'published_time',
  'publish-date',
  'publishdate',
  'pubdate',
  'parsely-pub-date',
  'sailthru.date',
  'dc.date.issued',
  'dcterms.issued',
  'dc.date',
  'dcterms.created',
  'date',
];
const BLOCK = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'UL', 'OL', 'BLOCKQUOTE',
  'PRE', 'TABLE', 'TR', 'FIGURE', 'FIGCAPTION', 'HEADER', 'FOOTER', 'DL', 'DT', 'DD', 'HR', 'ADDRESS',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'NAV', 'ASIDE', 'FORM', 'BUTTON']);
const SPACES = /[ \t\f\v\u00a0]+/g;
const HTML_SPACE = /[ \t\n\r\f]+/g;
const MAX_JSONLD_DEPTH = 6;

interface DomNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** The text of a DOM subtree with a blank line between blocks and a line break for <br>. */
function blockText(root: DomNode): string {
  const out: string[] = [];
  const walk = (node: DomNode, depth: number, pre: boolean): void => {
    if (node.nodeType === 3) {
      // HTML folds source line breaks into spaces; only blocks and <br> break lines (and <pre> keeps them).
      const v = node.nodeValue ?? '';
      out.push(pre ? v : v.replace(HTML_SPACE, ' '));
      return;
    }
    if (node.nodeType !== 1 || depth > 200) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    if (name === 'BR') {
      out.push('\n');
      return;
    }
    const block = BLOCK.has(name);
    if (block) out.push('\n\n');
    const kids = node.childNodes;
    for (let i = 0; i < kids.length; i++) walk(kids[i]!, depth + 1, pre || name === 'PRE');
    if (block) out.push('\n\n');
  };
  walk(root, 0, false);
  const lines = out.join('').split('\n').map((l) => l.replace(SPACES, ' ').trim());
  const kept: string[] = [];
  for (const l of lines) {
    if (l === '' && (kept.length === 0 || kept[kept.length - 1] === '')) continue;
    kept.push(l);
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.join('\n');
}

function fold(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

/** Finds datePublished (else dateCreated) anywhere in a JSON-LD value. */
function jsonLdDate(value: unknown, key: string, depth = 0): string | null {
  if (depth > MAX_JSONLD_DEPTH || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const d = jsonLdDate(v, key, depth + 1);
      if (d) return d;
    }
    return null;
  }
  const rec = value as Record<string, unknown>;
  const own = rec[key];
  if (typeof own === 'string') {
    const d = dayOf(own);
    if (d) return d;
  }
  for (const v of Object.values(rec)) {
    if (typeof v === 'object') {
      const d = jsonLdDate(v, key, depth + 1);
      if (d) return d;
    }
  }
  return null;
}

function metaContent(doc: Document, names: readonly string[]): string | null {
  const metas = doc.querySelectorAll('meta');
  const found = new Map<string, string>();
  for (const m of Array.from(metas)) {
    const key = (m.getAttribute('property') ?? m.getAttribute('name') ?? m.getAttribute('itemprop') ?? '').toLowerCase();
    const content = m.getAttribute('content');
    if (key && content && !found.has(key)) found.set(key, content);
  }
  for (const n of names) {
    const v = found.get(n);
    if (v !== undefined && v.trim() !== '') return v;
  }
  return null;
}

function pageDate(doc: Document): { date: string; source: ArticleDateSource } | null {
  const metas = doc.querySelectorAll('meta');
  const byKey = new Map<string, string>();
  for (const m of Array.from(metas)) {
    const key = (m.getAttribute('property') ?? m.getAttribute('name') ?? m.getAttribute('itemprop') ?? '').toLowerCase();
    const content = m.getAttribute('content');
    if (key && content && !byKey.has(key)) byKey.set(key, content);
  }
  for (const key of DATE_META) {
    const v = byKey.get(key);
    const d = v === undefined ? null : dayOf(v);
    if (d) return { date: d, source: 'meta' };
  }
  for (const key of ['datePublished', 'dateCreated']) {
    for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
      let value: unknown;
      try {
        value = JSON.parse(s.textContent ?? '');
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        continue; // a broken JSON-LD block is common and harmless: the other sources still apply
      }
      const d = jsonLdDate(value, key);
      if (d) return { date: d, source: 'json-ld' };
    }
  }
  const times = Array.from(doc.querySelectorAll('time[datetime]'));
  const preferred = times.find((t) => t.hasAttribute('pubdate') || (t.getAttribute('itemprop') ?? '') === 'datePublished') ?? times[0];
  const dt = preferred?.getAttribute('datetime');
  const d = dt ? dayOf(dt) : null;
  return d ? { date: d, source: 'time' } : null;
}

function resolveUrl(href: string | null, base: string | undefined): string | null {
  if (!href || href.trim() === '') return null;
  try {
    return new URL(href.trim(), base).href;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return null; // relative link without a base, or not a URL at all
  }
}

/**
 * Builds an article from an HTML page. Throws IngestError E_INGEST_HTML when the page has no text and
 * E_INGEST_DATE when neither the page, nor meta.feedDate, meta.fetchedAt or meta.defaultDate gives a date.
 * `dateSource` records where the date came from ('meta' | 'json-ld' | 'time' | 'feed' | 'fetched' | 'default').
 *
 * @example articleFromHtml(html, { url: 'https://example.com/a', fetchedAt: '2024-03-05T10:00:00Z' })
 *   // { id: 'a_…', date: '2024-03-05', dateSource: 'meta', title: 'Blast kills 4', url: 'https://…', … }
 */
export function articleFromHtml(html: string, meta: HtmlMeta = {}): Article {
  const file = meta.file ?? meta.url ?? '-';
  const { document } = parseHTML(html);
  const doc = document as unknown as Document;

  // Metadata first: Readability changes the document as it parses.
  const found = pageDate(doc);
  const canonical = resolveUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null, meta.url)
    ?? resolveUrl(metaContent(doc, ['og:url']), meta.url);
  const siteName = fold(metaContent(doc, ['og:site_name', 'application-name']));
  const pageTitle = fold(metaContent(doc, ['og:title', 'twitter:title'])) ?? fold(doc.querySelector('title')?.textContent);
  const pageLang = doc.documentElement?.getAttribute('lang') ?? null;
  const fallbackBody = doc.body ? blockText(doc.body as unknown as DomNode) : '';

  let body = '';
  let title = pageTitle;
  const parsed = new Readability<DomNode>(doc, { serializer: (n) => n as unknown as DomNode, charThreshold: 200 }).parse();
  if (parsed?.content) body = blockText(parsed.content);
  if (body.length < 200 && fallbackBody.length > body.length) body = fallbackBody;
  title = fold(parsed?.title) ?? title;
  if (body.trim() === '') {
    throw new IngestError('E_INGEST_HTML', `${file}: the page has no article text; check that it is an article page, not an index or an error page.`, { file });
  }
  // The headline leads the text, as in the dated format, so the pipeline sees it as a headline segment.
  const rawText = title && !body.startsWith(title) ? `${title}\n\n${body}` : body;

  let date: string | null = found?.date ?? null;
  let dateSource: ArticleDateSource | null = found?.source ?? null;
  const fallbacks: [string | undefined, ArticleDateSource][] = [
    [meta.feedDate, 'feed'],
    [meta.fetchedAt, 'fetched'],
    [meta.defaultDate, 'default'],
  ];
  for (const [value, source] of fallbacks) {
    if (date !== null || value === undefined) continue;
    const d = isValidDay(value) ? value : dayOf(value);
    if (d) {
      date = d;
      dateSource = source;
    }
  }
  if (date === null || dateSource === null) {
    throw new IngestError(
      'E_INGEST_DATE',
      `${file}: the page gives no publication date (no article:published_time meta, JSON-LD datePublished or <time datetime>); pass a default date (--date YYYY-MM-DD) to ingest it.`,
      { file },
    );
  }
  const normalized = normalizeText(rawText).text;
  const langTag = pageLang ? languageFromTag(pageLang) : null;
  return {
    id: articleId(normalized, date),
    date,
    title,
    rawText,
    url: canonical ?? meta.url ?? null,
    source: meta.source ?? siteName ?? fold(parsed?.siteName),
    language: detectLanguage(normalized) ?? langTag,
    origin: { file, line: null },
    dateSource,
  };
}

const CHARSET = /<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})/i;

/** Decodes a page: UTF-8, else the charset its <meta> declares (windows-1252, iso-8859-1, …). */
function decodeHtml(bytes: Uint8Array, file: string): { ok: true; text: string } | { ok: false; item: IngestItem } {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const declared = CHARSET.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && bytes.indexOf(0) === -1) {
    try {
      return { ok: true, text: new TextDecoder(declared).decode(bytes) };
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return {
        ok: false,
        item: quarantine('E_INGEST_ENCODING', file, null, `${file}: the page declares the unknown charset "${declared}"; convert it to UTF-8.`, bytes),
      };
    }
  }
  const decoded = decodeText(bytes, file, null);
  return decoded.ok ? decoded : { ok: false, item: quarantine(decoded.code, file, null, decoded.message, bytes) };
}

/**
 * Reads one HTML file's bytes into an article or a quarantine item (size, encoding, text, date).
 *
 * @example readHtmlBytes(readFileSync('page.html'), 'page.html', { maxBytes: 5e6 }).kind // 'article'
 */
export function readHtmlBytes(bytes: Uint8Array, file: string, options: ReaderOptions): IngestItem {
  if (bytes.length > options.maxBytes) return tooLarge(file, bytes.length, options.maxBytes, bytes);
  const decoded = decodeHtml(bytes, file);
  if (!decoded.ok) return decoded.item;
  try {
    const meta: HtmlMeta = options.defaultDate === undefined ? { file } : { file, defaultDate: options.defaultDate };
    return { kind: 'article', article: articleFromHtml(decoded.text, meta) };
  } catch (err) {
    if (err instanceof IngestError) return quarantineError(err, file, null, decoded.text);
    // The DOM or Readability choked on this page: quarantine it, the batch goes on.
    if (err instanceof Error) {
      const why = err.message.slice(0, 160);
      return quarantine('E_INGEST_HTML', file, null, `${file}: the page could not be parsed (${why}); check that it is an HTML article page.`, decoded.text);
    }
    throw err;
  }
}
