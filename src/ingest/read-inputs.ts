/**
 * The ingest entry point: turns input paths (files, folders, globs, "-" for stdin) into a stream of
 * articles and quarantine items, in a stable order, choosing the reader by extension and content.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { readDatedBytes, tooLarge } from './dated.js';
import { expandGlob, hasGlob } from './glob.js';
import { readHtmlBytes } from './html.js';
import { readJsonArrayBytes, readJsonl } from './jsonl.js';
import { quarantine } from './quarantine.js';
import { readerOptions, type IngestItem, type ReadOptions, type ReaderOptions } from './types.js';

/**
 * Extensions a folder walk or glob passes over: files that are obviously not articles. A file named
 * explicitly is always read.
 */
const IRRELEVANT = new Set([
  '.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg', '.ico', '.bmp', '.tif', '.tiff', '.heic',
  '.mp3', '.mp4', '.m4a', '.wav', '.ogg', '.webm', '.mov', '.avi', '.mkv',
  '.zip', '.gz', '.tgz', '.bz2', '.xz', '.7z', '.rar', '.tar', '.zst',
  '.pdf', '.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx', '.odt', '.ods', '.epub',
  '.exe', '.dll', '.so', '.dylib', '.o', '.a', '.class', '.jar', '.wasm', '.bin', '.node', '.pyc',
  '.db', '.sqlite', '.sqlite3', '.db-wal', '.db-shm', '.wal', '.shm', '.lock', '.log',
  '.js', '.mjs', '.cjs', '.ts', '.map', '.css', '.py', '.sh', '.woff', '.woff2', '.ttf', '.otf', '.eot',
  '.md', '.markdown', '.rst', '.yml', '.yaml', '.toml', '.ini', '.cfg', '.csv', '.tsv', '.xml', '.rss', '.atom',
]);
const JSONL_EXT = new Set(['.jsonl', '.ndjson']);
const HTML_EXT = new Set(['.html', '.htm', '.xhtml']);
const HTML_START = /^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<meta|<article)/i;
const JSON_ARRAY_START = /^\s*\[\s*(?:\{|\])/;
const JSONL_START = /^\s*\{/;
const SNIFF_BYTES = 512;
const READ_CHUNK = 64 * 1024;

type Format = 'dated' | 'jsonl' | 'json' | 'html';

/** True when the bytes hold something besides a byte order mark and white space. */
function hasContent(head: Uint8Array): boolean {
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return Buffer.from(head.subarray(bom)).toString('latin1').trim() !== '';
}

/** Guesses the format of a file without a telling extension from its first bytes. */
function sniff(head: Uint8Array): Format {
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const start = Buffer.from(head.subarray(bom, SNIFF_BYTES)).toString('latin1');
  if (HTML_START.test(start)) return 'html';
  if (JSON_ARRAY_START.test(start)) return 'json';
  if (JSONL_START.test(start)) return 'jsonl';
  return 'dated';
}

function formatOf(file: string): Format | null {
  const ext = extname(file).toLowerCase();
  if (JSONL_EXT.has(ext)) return 'jsonl';
  if (ext === '.json') return 'json';
  if (HTML_EXT.has(ext)) return 'html';
  return null;
}

function readBytes(format: Format, bytes: Uint8Array, file: string, options: ReaderOptions): IngestItem[] {
  if (format === 'json') return readJsonArrayBytes(bytes, file, options);
  if (format === 'html') return [readHtmlBytes(bytes, file, options)];
  return [readDatedBytes(bytes, file, options)];
}

async function* fromArray(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

function readFailed(file: string, err: unknown): IngestItem {
  const why = err instanceof Error ? err.message : String(err);
  return quarantine('E_INGEST_READ', file, null, `${file}: could not be read (${why}); check its permissions and that it still exists.`, '');
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Reads one file, choosing the reader by extension, else by content. */
async function* readOneFile(file: string, options: ReaderOptions): AsyncGenerator<IngestItem> {
  let format = formatOf(file);
  try {
    if (format === 'jsonl') {
      yield* readJsonl(createReadStream(file, { highWaterMark: READ_CHUNK }), file, options);
      return;
    }
    const info = await stat(file);
    if (info.size > options.maxBytes) {
      yield tooLarge(file, info.size, options.maxBytes, await readHead(file));
      return;
    }
    const bytes = await readFile(file);
    format ??= sniff(bytes);
    if (format === 'jsonl') {
      yield* readJsonl(fromArray([bytes]), file, options);
      return;
    }
    yield* readBytes(format, bytes, file, options);
  } catch (err) {
    if (errnoCode(err) === undefined) throw err;
    yield readFailed(file, err);
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const stream = createReadStream(file, { start: 0, end: SNIFF_BYTES - 1 });
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Reads stdin: JSONL is streamed; any other format is read whole, up to the size limit. */
async function* readStdin(stream: NodeJS.ReadableStream, options: ReaderOptions): AsyncGenerator<IngestItem> {
  const file = '-';
  const it = stream[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  // Read until the first non-blank byte tells the format (or the input ends).
  while (headSize < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    head.push(chunk);
    headSize += chunk.length;
    if (hasContent(Buffer.concat(head))) break;
  }
  const first = Buffer.concat(head);
  const format = sniff(first);
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield first;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    }
  }
  if (format === 'jsonl') {
    yield* readJsonl(rest(), file, options);
    return;
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of rest()) {
    size += chunk.length;
    if (size > options.maxBytes) {
      yield tooLarge(file, null, options.maxBytes, parts[0] ?? chunk);
      // Drain the rest so the writer is not left blocked.
      for (let next = await it.next(); !next.done; next = await it.next());
      return;
    }
    parts.push(chunk);
  }
  if (size === 0) {
    yield quarantine('E_INGEST_EMPTY', file, null, '-: standard input was empty; pipe an article or JSONL into it.', '');
    return;
  }
  yield* readBytes(format, Buffer.concat(parts), file, options);
}

/** Files under a folder, recursively, sorted by name; hidden and irrelevant files skipped. */
async function walkDir(dir: string, options: ReadOptions, visited: Set<string>): Promise<string[]> {
  const real = await realpath(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.name.startsWith('.')) {
      options.onSkip?.(full, 'hidden');
      continue;
    }
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = (await stat(full)).isDirectory();
      } catch (err) {
        if (errnoCode(err) === undefined) throw err;
        options.onSkip?.(full, 'broken link');
        continue;
      }
    }
    if (isDir) {
      out.push(...(await walkDir(full, options, visited)));
    } else if (IRRELEVANT.has(extname(e.name).toLowerCase())) {
      options.onSkip?.(full, `not an article file (${extname(e.name)})`);
    } else {
      out.push(full);
    }
  }
  return out;
}

function notFound(input: string, glob: boolean): IngestItem {
  const message = glob
    ? `${input}: the pattern matches no files; check the folder and the pattern (*, ** and ? are supported).`
    : `${input}: no such file or folder; check the path.`;
  return quarantine('E_INPUT_NOT_FOUND', input, null, message, '');
}

/**
 * Reads every input in order: a file, a folder (recursive, sorted, hidden and irrelevant files
 * skipped), a glob (`*`, `**`, `?`), or "-" for stdin. Never throws on bad input: each problem is a
 * quarantine item (E_INPUT_NOT_FOUND for a missing path), and the other inputs go on. A file named
 * twice is read once.
 *
 * @example
 * for await (const item of readInputs(['data/demo', 'more/*.jsonl', '-'])) {
 *   if (item.kind === 'article') store(item.article); else quarantineTable.push(item.item);
 * }
 */
export async function* readInputs(inputs: string[], options: ReadOptions = {}): AsyncGenerator<IngestItem> {
  const opts = readerOptions(options);
  const seen = new Set<string>();
  const visited = new Set<string>();
  for (const input of inputs) {
    if (input === '-') {
      if (seen.has('-')) continue;
      seen.add('-');
      yield* readStdin(options.stdin ?? process.stdin, opts);
      continue;
    }
    let files: string[];
    try {
      const info = await stat(input);
      files = info.isDirectory() ? await walkDir(input, options, visited) : [input];
    } catch (err) {
      const code = errnoCode(err);
      if (code === undefined) throw err;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        yield readFailed(input, err);
        continue;
      }
      const glob = hasGlob(input);
      files = glob ? (await expandGlob(input)).filter((f) => !IRRELEVANT.has(extname(f).toLowerCase())) : [];
      if (files.length === 0) {
        yield notFound(input, glob);
        continue;
      }
    }
    for (const file of files) {
      const key = resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);
      yield* readOneFile(file, opts);
    }
  }
}
