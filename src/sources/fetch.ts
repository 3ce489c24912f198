/**
 * Fetching one feed or page over HTTP(S) for the watcher: conditional requests, bounded redirects, a
 * time-out, a size cap enforced while streaming, text content types only, and decoding by the
 * declared charset. Every failure is a KhabarError (E_FETCH, E_INGEST_TOO_LARGE, E_INGEST_ENCODING).
 */
import { KhabarError } from '../errors.js';

export interface FetchOptions {
  /** Validators of the last answer: sent as If-None-Match / If-Modified-Since. */
  etag?: string | null;
  lastModified?: string | null;
  /** Whole-request time-out, ms (default 20000). */
  timeoutMs?: number;
  /** Largest body accepted, bytes (default 5 MB). */
  maxBytes?: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  /** Called before each request (the first and every redirect): the per-host rate limit. */
  beforeRequest?: (url: URL) => Promise<void>;
  /** The fetch to use (tests); default the global fetch. */
  fetch?: typeof fetch;
  userAgent?: string;
}

export type FetchResult =
  | { status: 'not_modified'; httpStatus: number; url: string }
  | {
      status: 'ok';
      httpStatus: number;
      /** The final URL after redirects. */
      url: string;
      text: string;
      /** The media type, lower-cased, without parameters ("" when the server sent none). */
      contentType: string;
      etag: string | null;
      lastModified: string | null;
      bytes: number;
    };

export const DEFAULT_FETCH_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_USER_AGENT = 'khabar/0.1 (+feed watcher)';

/** Media types read as text: feeds, pages, JSON. Anything else (images, PDF, octet-stream) is refused. */
const TEXT_TYPE = /^(text\/[a-z0-9.+-]+|application\/(?:[a-z0-9.-]+\+)?(?:xml|json)|application\/xhtml\+xml|application\/(?:rss|atom|feed)\+(?:xml|json))$/;
const CHARSET_PARAM = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
/** Encoding declared in an XML declaration or an HTML meta tag, looked for in the first 2 KB. */
const XML_ENCODING = /^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']/;
const META_CHARSET = /<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})/i;

/** Splits "text/html; charset=ISO-8859-1" into its media type and charset. */
export function parseContentType(header: string | null): { type: string; charset: string | null } {
  if (!header) return { type: '', charset: null };
  const type = (header.split(';')[0] ?? '').trim().toLowerCase();
  const charset = CHARSET_PARAM.exec(header)?.[1]?.toLowerCase() ?? null;
  return { type, charset };
}

/** True for media types the watcher reads (feeds, HTML, plain text, JSON); "" (none sent) counts as text. */
export function isTextType(type: string): boolean {
  return type === '' || TEXT_TYPE.test(type);
}

/**
 * Bytes to text by the charset the header declares, else the document's own declaration (XML
 * declaration, HTML meta), else UTF-8 (strict: invalid UTF-8 is E_INGEST_ENCODING, never guessed).
 * @example decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'windows-1252', 'x') // 'café'
 */
export function decodeBody(bytes: Uint8Array, headerCharset: string | null, url: string): string {
  let charset = headerCharset;
  if (!charset) {
    const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
    charset = XML_ENCODING.exec(head)?.[1]?.toLowerCase() ?? META_CHARSET.exec(head)?.[1]?.toLowerCase() ?? null;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal: true });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new KhabarError('E_INGEST_ENCODING', `${url}: the charset "${charset}" is not one Khabar can decode; ask the publisher for UTF-8 or save and convert the page.`, { url });
  }
  try {
    return decoder.decode(bytes);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const name = decoder.encoding;
    throw new KhabarError(
      'E_INGEST_ENCODING',
      `${url}: the body is not valid ${name}${headerCharset ? ' as its Content-Type declares' : charset ? ' as the document declares' : ' (no charset was declared)'}; the publisher's encoding is wrong, nothing was read from it.`,
      { url, charset: name },
    );
  }
}

/** Reads a body stream, failing as soon as it passes maxBytes (the rest is never downloaded). */
async function readCapped(res: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new KhabarError('E_INGEST_TOO_LARGE', `${url}: the body is ${declared} bytes, over the ${maxBytes}-byte cap; raise --max-bytes if the source is right.`, { url });
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new KhabarError('E_INGEST_TOO_LARGE', `${url}: the body passed the ${maxBytes}-byte cap while downloading; raise --max-bytes if the source is right.`, { url });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function fetchFailure(url: string, err: unknown, timeoutMs: number): KhabarError {
  if (err instanceof KhabarError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new KhabarError('E_FETCH', `${url}: no complete answer within ${timeoutMs} ms (time-out); the host is slow or down, it will be retried with back-off.`, { url, reason: 'timeout' });
  }
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  const why = err instanceof Error ? err.message : String(err);
  return new KhabarError('E_FETCH', `${url}: the request failed: ${why}${cause}; check the address and the network.`, { url, reason: 'network' }, { cause: err });
}

/**
 * Fetches a feed or page as text.
 * @example
 * const r = await fetchText('https://example.org/feed.xml', { etag: '"abc"' });
 * if (r.status === 'ok') parseFeed(r.text, r.url);
 */
export async function fetchText(address: string, options: FetchOptions = {}): Promise<FetchResult> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const signal = AbortSignal.timeout(timeoutMs);
  let url: URL;
  try {
    url = new URL(address);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new KhabarError('E_FETCH', `"${address}" is not a URL; give an http(s) address.`, { url: address });
  }
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new KhabarError('E_FETCH', `${url.href}: only http and https addresses are fetched.`, { url: url.href });
      }
      await options.beforeRequest?.(url);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, text/html, application/json;q=0.9, text/*;q=0.8',
      };
      // Validators only on the first request: they belong to the source's own URL.
      if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
      if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;
      const res = await doFetch(url, { headers, redirect: 'manual', signal });
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const location = res.headers.get('location');
        await res.body?.cancel();
        if (!location) throw new KhabarError('E_FETCH', `${url.href}: HTTP ${res.status} redirect without a Location header.`, { url: url.href, status: res.status });
        if (hop >= maxRedirects) throw new KhabarError('E_FETCH', `${address}: more than ${maxRedirects} redirects; the source's address loops or moved too often, update it.`, { url: address, status: res.status });
        url = new URL(location, url);
        continue;
      }
      if (res.status === 304) {
        await res.body?.cancel();
        return { status: 'not_modified', httpStatus: 304, url: url.href };
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel();
        throw new KhabarError('E_FETCH', `${url.href}: HTTP ${res.status} ${res.statusText}; it will be retried with back-off.`, {
          url: url.href,
          status: res.status,
          retryAfter: res.headers.get('retry-after') ?? undefined,
        });
      }
      const { type, charset } = parseContentType(res.headers.get('content-type'));
      if (!isTextType(type)) {
        await res.body?.cancel();
        throw new KhabarError('E_FETCH', `${url.href}: the content type is ${type}, not a feed or a page; point the source at an RSS, Atom, JSON Feed or HTML address.`, {
          url: url.href,
          reason: 'content-type',
        });
      }
      const bytes = await readCapped(res, maxBytes, url.href);
      const text = decodeBody(bytes, charset, url.href);
      return {
        status: 'ok',
        httpStatus: res.status,
        url: url.href,
        text,
        contentType: type,
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        bytes: bytes.byteLength,
      };
    }
  } catch (err) {
    throw fetchFailure(url.href, err, timeoutMs);
  }
}
