/**
 * The HTTP API and the web app's files on node's http module: a small method+path router, JSON
 * replies, one error mapping (errors.ts), a body size limit, time-outs, and a bearer token that turns
 * on ingest (without one the server only reads).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getActor, roleAt, searchActors, type Actor, type ActorBase } from '../actors/index.js';
import { KhabarError } from '../errors.js';
import { writeEvents, type Sink } from '../export/index.js';
import type { Extractor } from '../ingest/process.js';
import { eachEvent, normalizeFilter } from '../store/index.js';
import type { Store } from '../store/store.js';
import type { EventRecord, Evidence } from '../types.js';
import { HttpError, toErrorReply } from './errors.js';
import { bodyToItems, INGEST_TYPES, ingestItems } from './ingest.js';
import { openApiDocument } from './openapi.js';
import {
  parseEventQuery,
  parseExportQuery,
  parseNoQuery,
  parsePlacesQuery,
  parseProfileQuery,
  parseSearchQuery,
  parseSeriesQuery,
} from './params.js';
import { serveStatic } from './static.js';

export interface AppOptions {
  store: Store;
  /** Bearer token that allows POST /api/articles; null or undefined: the server is read-only. */
  token?: string | null;
  /** The actor base for /api/actors (loaded on first use when not given). */
  actors?: ActorBase | (() => ActorBase | Promise<ActorBase>);
  /** The pipeline for POST /api/articles (made on first use when not given: loads the knowledge). */
  extractor?: Extractor | (() => Extractor | Promise<Extractor>);
  /** Largest request body accepted, bytes (default 5 MB). */
  maxBodyBytes?: number;
  /** Time to receive a whole request, ms (default 30000). */
  requestTimeoutMs?: number;
  /** Where server errors are written (default stderr). */
  log?: (message: string) => void;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

/** What a handler returns: a JSON body (status 200 unless given), or nothing when it wrote the response. */
type Reply = { status?: number; json: unknown; headers?: Record<string, string> } | void;
type Handler = (ctx: Ctx) => Promise<Reply>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Compiles "/api/events/:id" into a pattern with named segments. */
function compile(path: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        keys.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), keys };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': JSON_TYPE, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Reads the body up to a limit; 413 past it (the rest is not read). */
async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    throw new HttpError(413, 'E_INGEST_TOO_LARGE', `the request body is ${declared} bytes, over the limit of ${max}: send fewer or smaller articles per request`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) throw new HttpError(413, 'E_INGEST_TOO_LARGE', `the request body is over the limit of ${max} bytes: send fewer or smaller articles per request`);
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\ufffd') && !bytes.includes(Buffer.from('\ufffd'))) {
    throw new KhabarError('E_INGEST_ENCODING', 'the request body is not valid UTF-8: send UTF-8 text');
  }
  return text;
}

/** The sink of an HTTP response, with backpressure. */
function responseSink(res: ServerResponse): Sink {
  return {
    async write(chunk) {
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
    },
    async close() {
      await new Promise<void>((resolve) => res.end(() => resolve()));
    },
  };
}

function actorSummary(a: Actor): Record<string, unknown> {
  return { id: a.id, name: a.name, kind: a.kind, country: a.country, parent: a.parent, aliases: a.aliases.slice(0, 8), inter: a.inter, generic: a.generic };
}

function lazy<T>(value: T | (() => T | Promise<T>) | undefined, make: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | null = null;
  return () => {
    cached ??= value === undefined ? make() : typeof value === 'function' ? Promise.resolve((value as () => T | Promise<T>)()) : Promise.resolve(value);
    cached.catch(() => {
      cached = null;
    });
    return cached;
  };
}

/**
 * The request handler and its routes; `createApp(...).handle` fits http.createServer.
 * @example const { handle } = createApp({ store }); http.createServer(handle).listen(8080);
 */
export function createApp(options: AppOptions): { handle: (req: IncomingMessage, res: ServerResponse) => void; routes: readonly { method: string; path: string }[] } {
  const { store } = options;
  const token = options.token ? digest(options.token) : null;
  const maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const log = options.log ?? ((m: string) => process.stderr.write(`khabar serve: ${m}\n`));
  const actorBase = lazy(options.actors, async () => (await import('../actors/index.js')).loadActorBase());
  const extractor = lazy(options.extractor, async () => {
    const { createPipeline, loadKnowledge } = await import('../extract.js');
    const { inProcessExtractor } = await import('../ingest/process.js');
    return inProcessExtractor(createPipeline(await loadKnowledge()));
  });

  const routes: Route[] = [];
  const listing: { method: string; path: string }[] = [];
  const add = (method: Route['method'], path: string, handler: Handler): void => {
    routes.push({ method, ...compile(path), handler });
    listing.push({ method, path });
  };

  const health: Handler = async ({ url }) => {
    parseNoQuery(url.searchParams);
    const s = await store.stats();
    return { json: { status: 'ok', dialect: store.dialect, writable: token !== null, articles: s.articles, events: s.events } };
  };
  add('GET', '/api/health', health);
  add('GET', '/health', health);

  add('GET', '/openapi.json', async () => ({ json: openApiDocument() }));

  add('GET', '/api/stats', async ({ url }) => {
    parseNoQuery(url.searchParams);
    return { json: await store.stats() };
  });

  add('GET', '/api/events', async ({ url }) => {
    const filter = parseEventQuery(url.searchParams);
    const [page, total] = await Promise.all([store.queryEventPage(filter), store.countEvents(filter)]);
    return { json: { total, events: page.events, next_cursor: page.next_cursor } };
  });

  add('GET', '/api/events/:id', async ({ url, params }) => {
    parseNoQuery(url.searchParams);
    const id = params.id!;
    const event = await store.getEvent(id);
    if (!event) throw new KhabarError('E_NOT_FOUND', `no event with id "${id}": list events with GET /api/events`);
    const stored = await store.getArticle(event.article_id);
    const article = stored
      ? { id: stored.article.id, date: stored.article.date, title: stored.article.title, source: stored.article.source, url: stored.article.url }
      : null;
    const evidenceOf = (e: EventRecord): Evidence[] => (e.evidence_all?.length ? e.evidence_all : [e.evidence]);
    // Every article that reports the merged event (cross-article linking), earliest first.
    const linked = await store.listReports(id);
    const reports = linked?.reports.length
      ? linked.reports.map((r) => ({
          ...r.article,
          event_id: r.record.event_id,
          evidence: evidenceOf(r.record),
          sources: r.record.sources,
          claim: r.record.claim,
          origin: r.origin,
          duplicate_of: r.duplicate_of,
        }))
      : article
        ? [{ ...article, event_id: event.event_id, evidence: evidenceOf(event), sources: event.sources, claim: event.claim, origin: `article:${article.id}`, duplicate_of: null }]
        : [];
    return {
      json: {
        event,
        article,
        reports,
        attribution: {
          publisher: article?.source ?? null,
          sources: event.sources,
          claim: event.claim,
          claimed_by: event.claimed_by,
        },
      },
    };
  });

  add('GET', '/api/articles', async ({ url }) => {
    const { q, limit, offset } = parseSearchQuery(url.searchParams);
    if (q === undefined) throw new KhabarError('E_VALIDATION', 'invalid query: give q, the words to search for (GET /api/articles?q=bomb)');
    return { json: { hits: await store.searchArticles(q, { limit, offset }) } };
  });

  add('GET', '/api/articles/:id', async ({ url, params }) => {
    parseNoQuery(url.searchParams);
    const id = params.id!;
    const stored = await store.getArticle(id);
    if (!stored) throw new KhabarError('E_NOT_FOUND', `no article with id "${id}"`);
    const { article, result } = stored;
    return {
      json: {
        article: { id: article.id, date: article.date, title: article.title, source: article.source, url: article.url, language: article.language, ingested_at: stored.ingested_at },
        // Every span below is [start, end) in this text.
        text: result.text,
        entities: result.entities,
        events: result.events.map((e) => ({ event_id: e.event_id, event_type: e.event_type, acled_sub_event_type: e.acled_sub_event_type, evidence: e.evidence, evidence_all: e.evidence_all ?? [e.evidence], trigger: e.trigger ?? null })),
      },
    };
  });

  add('POST', '/api/articles', async ({ req }) => {
    if (token === null) {
      throw new HttpError(403, 'E_AUTH', 'this server is read-only: start it with --token T (or KHABAR_TOKEN) to accept articles over HTTP');
    }
    const auth = req.headers.authorization ?? '';
    const given = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (!given || !timingSafeEqual(digest(given), token)) {
      throw new HttpError(401, 'E_AUTH', 'missing or wrong token: send "Authorization: Bearer <token>"', { 'www-authenticate': 'Bearer' });
    }
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(INGEST_TYPES as readonly string[]).includes(mediaType)) {
      throw new HttpError(415, 'E_VALIDATION', `unsupported Content-Type "${mediaType}": send ${INGEST_TYPES.join(', ')}`);
    }
    const body = await readBody(req, maxBody);
    const items = bodyToItems(mediaType, body);
    const reply = await ingestItems(items, store, await extractor());
    return { status: reply.inserted > 0 ? 201 : 200, json: reply };
  });

  add('GET', '/api/actors', async ({ url }) => {
    const { q, limit } = parseSearchQuery(url.searchParams);
    if (q === undefined) throw new KhabarError('E_VALIDATION', 'invalid query: give q, a name, alias or id (GET /api/actors?q=taliban)');
    if (limit < 1 || limit > 200) throw new KhabarError('E_VALIDATION', 'invalid query: limit must be from 1 to 200');
    return { json: { actors: searchActors(await actorBase(), q, limit).map(actorSummary) } };
  });

  add('GET', '/api/actors/:id', async ({ url, params }) => {
    const { filter, counterparts } = parseProfileQuery(url.searchParams);
    const id = params.id!;
    const base = await actorBase();
    const entry = getActor(base, id);
    const activity = await store.actorActivity(id, filter, { counterparts });
    if (!entry && activity.events === 0) throw new KhabarError('E_NOT_FOUND', `no actor "${id}" in the knowledge base or in the stored events: search with GET /api/actors?q=NAME`);
    const parent = entry?.parent ? getActor(base, entry.parent) : null;
    return {
      json: {
        actor: entry ? { ...actorSummary(entry), parent_name: parent?.name ?? null, role_now: roleAt(entry, activity.last_date) } : null,
        activity,
      },
    };
  });

  add('GET', '/api/places', async ({ url }) => {
    const { filter, limit } = parsePlacesQuery(url.searchParams);
    return { json: { places: await store.listPlaces(filter, { limit }) } };
  });

  add('GET', '/api/timeseries', async ({ url }) => {
    const { filter, interval, by, top } = parseSeriesQuery(url.searchParams);
    return { json: await store.timeSeries(filter, { interval, by, top }) };
  });

  add('GET', '/api/export', async ({ url, res }) => {
    const { filter, format } = parseExportQuery(url.searchParams);
    normalizeFilter({ ...filter, limit: undefined }); // validate before the headers go out
    await store.countEvents(filter); // a bad text query fails here, before streaming
    const types: Record<string, string> = {
      csv: 'text/csv; charset=utf-8',
      json: JSON_TYPE,
      jsonl: 'application/x-ndjson; charset=utf-8',
      geojson: 'application/geo+json; charset=utf-8',
    };
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': types[format]!,
      'content-disposition': `attachment; filename="khabar-events.${format}"`,
      'cache-control': 'no-store',
    });
    const sink = responseSink(res);
    try {
      await writeEvents(eachEvent(store, filter), format, sink);
    } finally {
      await sink.close();
    }
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    void dispatch(req, res);
  };

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new KhabarError('E_VALIDATION', 'the request URL cannot be parsed');
      }
      let path: string;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        throw new KhabarError('E_VALIDATION', 'the request path has a bad %-escape');
      }
      const allowed: string[] = [];
      for (const route of routes) {
        const m = route.pattern.exec(url.pathname);
        if (!m) continue;
        if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) {
          allowed.push(route.method);
          continue;
        }
        const params: Record<string, string> = {};
        route.keys.forEach((k, i) => {
          params[k] = decodeURIComponent(m[i + 1]!);
        });
        const reply = await route.handler({ req, res, url, params });
        if (reply) sendJson(res, reply.status ?? 200, reply.json, reply.headers);
        return;
      }
      if (allowed.length) {
        const readOnly = allowed.includes('POST') && token === null;
        throw new HttpError(
          405,
          'E_USAGE',
          `${req.method} is not allowed on ${url.pathname}: use ${allowed.join(' or ')}${readOnly ? ' (and POST needs a server started with --token)' : ''}`,
          { allow: [...new Set(allowed)].join(', ') },
        );
      }
      if (path.startsWith('/api/')) throw new KhabarError('E_NOT_FOUND', `no endpoint ${url.pathname}: see GET /openapi.json for the API`);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new HttpError(405, 'E_USAGE', `${req.method} is not allowed on ${url.pathname}: the app's files are read with GET`, { allow: 'GET, HEAD' });
      }
      await serveStatic(path, req, res);
    } catch (err) {
      const reply = toErrorReply(err, log);
      if (res.headersSent) {
        log(`error after the response started: ${reply.body.error.message}`);
        res.destroy();
        return;
      }
      // An unread body (413, 401) must not be drained for the client to see the answer.
      sendJson(res, reply.status, reply.body, { ...reply.headers, ...(reply.status === 413 ? { connection: 'close' } : {}) });
    }
  }

  return { handle, routes: listing };
}

export interface StartOptions extends AppOptions {
  port?: number;
  host?: string;
}

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:8080/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the API and the app. Port 0 picks a free port.
 * @example const s = await startServer({ store, port: 0 }); console.log(s.url); await s.close();
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { handle } = createApp(options);
  const server = createServer(handle);
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 20_000);
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new KhabarError('E_USAGE', `port ${options.port} on ${host} is in use: pick another with --port N`)
          : new KhabarError('E_USAGE', `cannot listen on ${host}:${options.port}: ${err.message}`),
      ),
    );
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
