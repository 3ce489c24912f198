/**
 * A fixture HTTP server on 127.0.0.1 (port 0) for the sources and alerts tests: serves the feeds and
 * pages of test/fixtures/feeds with {{BASE}} replaced by its own address, plus routes a test adds.
 * It never contacts anything; tests only ever fetch from it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export const FEED_FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'feeds');

export type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

export interface FixtureServer {
  base: string;
  /** Requests seen, as "METHOD /path". */
  log: string[];
  /** Adds or replaces the handler of a path. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** A fixture file's text with {{BASE}} replaced. */
export function fixtureText(name: string, base: string): string {
  return readFileSync(join(FEED_FIXTURES, name), 'utf8').replaceAll('{{BASE}}', base);
}

/** Serves a fixture with a content type, an ETag, and 304 when If-None-Match matches. */
export function serveFixture(name: string, contentType: string, options: { etag?: string } = {}): Handler {
  return (req, res, base) => {
    if (options.etag && req.headers['if-none-match'] === options.etag) {
      res.writeHead(304, { etag: options.etag });
      res.end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': contentType };
    if (options.etag) headers.etag = options.etag;
    res.writeHead(200, headers);
    res.end(fixtureText(name, base));
  };
}

const PAGES: Record<string, string> = {
  '/rss.xml': 'rss.xml',
  '/atom.xml': 'atom.xml',
  '/feed.json': 'feed.json',
  '/broken.xml': 'broken.xml',
  '/pages/jalalabad.html': 'pages/jalalabad.html',
  '/pages/baidoa.html': 'pages/baidoa.html',
  '/pages/gao.html': 'pages/gao.html',
  '/pages/kaboul-fr.html': 'pages/kaboul-fr.html',
};

function typeOf(name: string): string {
  if (name.endsWith('.json')) return 'application/feed+json';
  if (name.endsWith('.xml')) return name.includes('atom') ? 'application/atom+xml' : 'application/rss+xml; charset=utf-8';
  return 'text/html; charset=utf-8';
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Handler>();
  for (const [path, name] of Object.entries(PAGES)) routes.set(path, serveFixture(name, typeOf(name), { etag: `"${name}-v1"` }));
  const log: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    log.push(`${req.method} ${path}`);
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    handler(req, res, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    log,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
