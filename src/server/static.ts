/**
 * The web app's files: the page, its esbuild bundle and style (dist/web, made by scripts/build-web.mjs)
 * and the base map (Natural Earth country shapes from the installed world-atlas package).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KhabarError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

/** Where the built app lives. */
export const WEB_DIST = join(PACKAGE_ROOT, 'dist', 'web');

const require = createRequire(import.meta.url);

/** Only these names are served: no path from the URL ever reaches the file system. */
const FILES: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => join(WEB_DIST, 'index.html'), type: 'text/html; charset=utf-8' },
  '/index.html': { file: () => join(WEB_DIST, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: () => join(WEB_DIST, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: () => join(WEB_DIST, 'app.css'), type: 'text/css; charset=utf-8' },
  '/world.json': { file: () => require.resolve('world-atlas/countries-50m.json'), type: 'application/json; charset=utf-8' },
};

/** Scripts and styles from this origin only; nothing inline, nothing remote. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Sends one of the app's files, or E_NOT_FOUND. */
export async function serveStatic(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const entry = FILES[path];
  if (!entry) throw new KhabarError('E_NOT_FOUND', `no page ${path}: the app is at /`);
  const file = entry.file();
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw new KhabarError('E_STORE', `the web app is not built (${file} is missing): run "npm run build"`, { file }, { cause: err });
  }
  res.writeHead(200, {
    'content-type': entry.type,
    'content-length': size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(entry.type.startsWith('text/html') ? { 'content-security-policy': CSP, 'x-frame-options': 'DENY' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    res.on('close', () => resolve());
    stream.pipe(res);
  });
}
