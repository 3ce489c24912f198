/**
 * Feed parsing: RSS 2.0 (and RSS 1.0/RDF), Atom and JSON Feed into one item shape. XML is checked for
 * well-formedness first, so a broken feed is a clear E_FEED error with its line, never half-read.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { KhabarError } from '../errors.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedItem {
  /** Stable identity within the feed: guid / id, else the link, else a hash of title and date. */
  key: string;
  title: string | null;
  /** Absolute URL of the article page, when the item links to one. */
  link: string | null;
  /** The item's date as the feed wrote it (RFC 822, ISO 8601, ...), null when it gives none. */
  date: string | null;
  /** Short description (HTML or text). */
  summary: string | null;
  /** Full content (HTML or text) when the feed carries it. */
  content: string | null;
  /** The item's or the feed's language tag ("en-GB"), when declared. */
  language: string | null;
}

export interface Feed {
  format: FeedFormat;
  title: string | null;
  items: FeedItem[];
}

const ARRAY_TAGS = new Set(['item', 'entry', 'link', 'category']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  isArray: (name) => ARRAY_TAGS.has(name),
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  trimValues: true,
});

const jsonFeedSchema = z.object({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\//),
  title: z.string().optional(),
  language: z.string().optional(),
  items: z.array(
    z
      .object({
        id: z.union([z.string(), z.number()]),
        url: z.string().optional(),
        external_url: z.string().optional(),
        title: z.string().optional(),
        content_html: z.string().optional(),
        content_text: z.string().optional(),
        summary: z.string().optional(),
        date_published: z.string().optional(),
        date_modified: z.string().optional(),
        language: z.string().optional(),
      })
      .passthrough(),
  ),
});

type XmlNode = Record<string, unknown>;

/** The text of an XML value: a string, or an element with text and attributes. */
function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v).trim();
    return s === '' ? null : s;
  }
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as XmlNode)['#text']);
  return null;
}

function absolute(href: string | null, base: string | undefined): string | null {
  if (!href) return null;
  try {
    return new URL(href, base).href;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return null;
  }
}

function hashKey(title: string | null, date: string | null, body: string | null): string {
  return `h:${createHash('sha1').update(`${title ?? ''}\u0000${date ?? ''}\u0000${(body ?? '').slice(0, 500)}`).digest('hex').slice(0, 20)}`;
}

function asNodes(v: unknown): XmlNode[] {
  if (Array.isArray(v)) return v.filter((x): x is XmlNode => typeof x === 'object' && x !== null);
  return typeof v === 'object' && v !== null ? [v as XmlNode] : [];
}

function rssItems(items: XmlNode[], base: string | undefined, language: string | null): FeedItem[] {
  return items.map((it) => {
    const title = text(it.title);
    const link = absolute(text(it.link), base);
    const guidNode = it.guid;
    const guid = text(guidNode);
    const date = text(it.pubDate) ?? text(it['dc:date']) ?? text(it.published) ?? text(it.updated);
    const summary = text(it.description);
    const content = text(it['content:encoded']);
    // A guid that is a permalink is also the page when there is no <link>.
    const permalink = guid && typeof guidNode === 'object' && guidNode !== null && (guidNode as XmlNode)['@_isPermaLink'] === 'false' ? null : absolute(guid, base);
    return {
      key: guid ?? link ?? hashKey(title, date, summary ?? content),
      title,
      link: link ?? (guid && permalink && /^https?:/i.test(permalink) ? permalink : null),
      date,
      summary,
      content,
      language: text(it['dc:language']) ?? language,
    };
  });
}

function atomLink(links: unknown, base: string | undefined): string | null {
  const nodes = asNodes(links);
  const alt = nodes.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate') ?? nodes[0];
  return absolute(typeof alt?.['@_href'] === 'string' ? alt['@_href'] : null, base);
}

function atomItems(entries: XmlNode[], base: string | undefined, language: string | null): FeedItem[] {
  return entries.map((e) => {
    const title = text(e.title);
    const link = atomLink(e.link, base);
    const date = text(e.published) ?? text(e.updated);
    const summary = text(e.summary);
    const content = text(e.content);
    return {
      key: text(e.id) ?? link ?? hashKey(title, date, summary ?? content),
      title,
      link,
      date,
      summary,
      content,
      language: (typeof e['@_xml:lang'] === 'string' ? e['@_xml:lang'] : null) ?? language,
    };
  });
}

function parseJsonFeed(raw: string, url: string | undefined): Feed {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new KhabarError('E_FEED', `${url ?? 'feed'}: not valid JSON (${err.message}); the JSON Feed is broken at the source.`, { url });
  }
  const parsed = jsonFeedSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KhabarError('E_FEED', `${url ?? 'feed'}: not a JSON Feed (${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'bad shape'}).`, { url });
  }
  const f = parsed.data;
  return {
    format: 'json',
    title: f.title ?? null,
    items: f.items.map((it) => {
      const link = absolute(it.url ?? it.external_url ?? null, url);
      return {
        key: String(it.id),
        title: it.title ?? null,
        link,
        date: it.date_published ?? it.date_modified ?? null,
        summary: it.summary ?? null,
        content: it.content_html ?? it.content_text ?? null,
        language: it.language ?? f.language ?? null,
      };
    }),
  };
}

/** True when a body looks like a feed (XML with an rss/feed/RDF root, or a JSON Feed), not a page. */
export function looksLikeFeed(body: string): boolean {
  const head = body.slice(0, 1024).trimStart();
  if (head.startsWith('{')) return head.includes('jsonfeed.org/version');
  return /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)[\s>]/i.test(head);
}

/**
 * Parses a feed. Throws E_FEED (with line and column for XML) when it is malformed or not a feed.
 * @example parseFeed('<rss version="2.0"><channel><item><title>A</title><link>https://x.org/a</link></item></channel></rss>').items[0].link
 *   // 'https://x.org/a'
 */
export function parseFeed(body: string, url?: string): Feed {
  const where = url ?? 'feed';
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed, url);
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    const e = valid.err;
    throw new KhabarError('E_FEED', `${where}: malformed XML at line ${e.line}, column ${e.col}: ${e.msg} The feed is broken at the source; nothing was read from it.`, {
      url,
      line: e.line,
    });
  }
  const doc = parser.parse(trimmed) as XmlNode;
  const rss = doc.rss as XmlNode | undefined;
  if (rss && typeof rss === 'object') {
    const channel = (asNodes(rss.channel)[0] ?? {}) as XmlNode;
    return { format: 'rss', title: text(channel.title), items: rssItems(asNodes(channel.item), url, text(channel.language)) };
  }
  const rdf = doc['rdf:RDF'] as XmlNode | undefined;
  if (rdf && typeof rdf === 'object') {
    const channel = (asNodes(rdf.channel)[0] ?? {}) as XmlNode;
    return { format: 'rss', title: text(channel.title), items: rssItems(asNodes(rdf.item), url, text(channel['dc:language'])) };
  }
  const atom = doc.feed as XmlNode | undefined;
  if (atom && typeof atom === 'object') {
    const lang = typeof atom['@_xml:lang'] === 'string' ? atom['@_xml:lang'] : null;
    return { format: 'atom', title: text(atom.title), items: atomItems(asNodes(atom.entry), url, lang) };
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'nothing';
  throw new KhabarError('E_FEED', `${where}: the XML root is <${root}>, not an RSS, RDF or Atom feed; point the source at the feed's address.`, { url });
}
