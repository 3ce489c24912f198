// Fuzz test of every ingest reader: random and mutated inputs (random bytes, mutated dated files and
// JSONL lines, truncated UTF-8, huge lines, NULs) never crash or hang a reader, and every input yields
// articles or quarantine items with a reason; in JSONL each non-blank line is exactly one item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  isValidDay,
  readDatedBytes,
  readHtmlBytes,
  readInputs,
  readJsonArrayBytes,
  readJsonl,
  type IngestItem,
} from '../src/ingest/index.js';

/** Generous bound per input: a reader that loops or backtracks badly blows far past it. */
const MAX_MS_PER_INPUT = 2000;
const OPTIONS = { maxBytes: 64 * 1024 };

function checkItem(item: IngestItem, file: string): void {
  if (item.kind === 'article') {
    const a = item.article;
    assert.match(a.id, /\S/);
    assert.ok(isValidDay(a.date), `bad date ${a.date}`);
    assert.ok(a.rawText.trim().length > 0, 'article with empty text');
    assert.equal(a.origin.file, file);
  } else {
    assert.match(item.item.code, /^E_[A-Z_]+$/);
    assert.ok(item.item.reason.includes(file), item.item.reason);
    assert.equal(item.item.file, file);
    assert.equal(item.error.code, item.item.code);
  }
}

function timed<T>(fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  assert.ok(ms < MAX_MS_PER_INPUT, `took ${ms.toFixed(0)} ms`);
  return out;
}

async function collectJsonl(chunks: Uint8Array[], file: string, maxBytes = OPTIONS.maxBytes): Promise<IngestItem[]> {
  const t0 = performance.now();
  const out: IngestItem[] = [];
  for await (const item of readJsonl(chunks, file, { maxBytes })) out.push(item);
  assert.ok(performance.now() - t0 < MAX_MS_PER_INPUT);
  return out;
}

/** Non-blank lines of a JSONL input as the spec defines them (a first-line BOM does not count). */
function nonBlankLines(bytes: Uint8Array): number[] {
  const lines: number[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      let s = start;
      if (line === 1 && bytes[s] === 0xef && bytes[s + 1] === 0xbb && bytes[s + 2] === 0xbf) s += 3;
      let blank = true;
      for (let k = s; k < i; k++) {
        const b = bytes[k]!;
        if (b !== 32 && b !== 9 && b !== 13 && b !== 12 && b !== 11) {
          blank = false;
          break;
        }
      }
      if (!blank) lines.push(line);
      start = i + 1;
      line++;
    }
  }
  return lines;
}

const day = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const word = fc.constantFrom('Gunmen', 'police', 'Kano', 'officials', 'قتل', 'трое');
const words = fc.tuple(word, fc.array(fc.constantFrom('Gunmen', 'attacked', 'a', 'police', 'post', 'in', 'Kano', 'on', 'Monday,', 'officials', 'said.', 'قتل', 'трое', '“quoted”', '—', '\n', '\n\n', '  ', '\t'), { maxLength: 60 }))
  .map(([w, ws]) => [w, ...ws].join(' '));
const validDated = fc.tuple(day, words).map(([d, t]) => `date ${d} ${t}`);
const validRecord = fc.record({ date: day, text: words, title: fc.option(fc.string(), { nil: undefined }), id: fc.option(fc.string({ minLength: 1 }), { nil: undefined }) })
  .map((r) => JSON.stringify(r));

/** Byte-level mutations: insert, delete, overwrite, truncate, NUL. */
type Mutation = { op: 'insert' | 'delete' | 'set' | 'truncate' | 'nul'; at: number; bytes: Uint8Array; len: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'set', 'truncate', 'nul'),
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  len: fc.integer({ min: 1, max: 16 }),
});

function mutate(input: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = Buffer.from(input);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else if (m.op === 'set') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at + m.bytes.length)]);
    else if (m.op === 'truncate') b = b.subarray(0, at);
    else b = Buffer.concat([b.subarray(0, at), Buffer.from([0]), b.subarray(at)]);
  }
  return b;
}

test('fuzz: random bytes to every byte reader give one well-formed item each (or per element)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
      checkItem(timed(() => readDatedBytes(bytes, 'r.txt', OPTIONS)), 'r.txt');
      checkItem(timed(() => readHtmlBytes(bytes, 'r.html', OPTIONS)), 'r.html');
      const arr = timed(() => readJsonArrayBytes(bytes, 'r.json', OPTIONS));
      assert.ok(arr.length >= 1);
      for (const item of arr) checkItem(item, 'r.json');
    }),
    { numRuns: 1500 },
  );
});

test('fuzz: mutated dated files give exactly one item; a NUL always means E_INGEST_BINARY', () => {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  fc.assert(
    fc.property(validDated, fc.array(mutation, { maxLength: 4 }), (text, muts) => {
      const bytes = mutate(Buffer.from(text), muts);
      const item = timed(() => readDatedBytes(bytes, 'm.txt', OPTIONS));
      checkItem(item, 'm.txt');
      if (bytes.includes(0)) {
        assert.equal(item.kind === 'quarantine' && item.item.code, 'E_INGEST_BINARY');
      } else if (muts.length === 0) {
        assert.equal(item.kind, 'article');
        assert.equal(item.kind === 'article' && item.article.date, text.slice(5, 15));
      } else {
        let valid = true;
        try {
          utf8.decode(bytes);
        } catch (err) {
          assert.ok(err instanceof TypeError);
          valid = false;
        }
        if (!valid) assert.ok(item.kind === 'quarantine' && ['E_INGEST_ENCODING', 'E_INGEST_BINARY'].includes(item.item.code));
      }
    }),
    { numRuns: 2000 },
  );
});

test('fuzz: truncated UTF-8 is either read or quarantined as an encoding error, never mangled', () => {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  fc.assert(
    fc.property(day, fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), fc.nat(), (d, text, cut) => {
      const full = Buffer.from(`date ${d} ${text}`);
      const bytes = full.subarray(0, 16 + (cut % (full.length - 15)));
      const item = timed(() => readDatedBytes(bytes, 't.txt', OPTIONS));
      checkItem(item, 't.txt');
      let valid = true;
      try {
        utf8.decode(bytes);
      } catch (err) {
        assert.ok(err instanceof TypeError);
        valid = false;
      }
      if (!valid) assert.ok(item.kind === 'quarantine' && ['E_INGEST_ENCODING', 'E_INGEST_BINARY'].includes(item.item.code));
      if (item.kind === 'article') assert.ok(bytes.toString('utf8').includes(item.article.rawText.trimEnd()));
    }),
    { numRuns: 1500 },
  );
});

const jsonlLine = fc.oneof(
  validRecord,
  fc.tuple(validRecord, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([r, m]) => Buffer.from(mutate(Buffer.from(r), m)).toString('latin1')),
  fc.constantFrom('', '   ', '\t', '{}', '[]', 'null', '{"date":"2024-02-30","text":"x"}', '{"date":"2024-01-01","text":""}', '{"date":"2024-01-01","text":5}'),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

test('fuzz: JSONL gives exactly one item per non-blank line, however the stream is chunked', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(jsonlLine, { maxLength: 25 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 6 }),
      async (lines, crlf, cuts) => {
        // Lines may hold raw bytes (mutations were kept as latin1 strings).
        const bytes = Buffer.from(lines.join(crlf ? '\r\n' : '\n'), 'latin1');
        const expectedLines = nonBlankLines(bytes);
        const whole = await collectJsonl([bytes], 'f.jsonl');
        const lineOf = (it: IngestItem): number | null => (it.kind === 'article' ? it.article.origin.line : it.item.line);
        assert.deepEqual(whole.map(lineOf), expectedLines);
        for (const it of whole) checkItem(it, 'f.jsonl');
        const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        const chunked = await collectJsonl(chunks, 'f.jsonl');
        const summary = (items: IngestItem[]): string[] => items.map((it) => (it.kind === 'article' ? `${it.article.id}@${it.article.origin.line}` : `${it.item.code}@${it.item.line}`));
        assert.deepEqual(summary(chunked), summary(whole));
      },
    ),
    { numRuns: 1500 },
  );
});

test('fuzz: huge JSONL lines are quarantined as too large at their line; the lines around them go on', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(validRecord, fc.integer({ min: 1025, max: 20000 })), { minLength: 1, maxLength: 12 }),
      async (spec) => {
        const lines = spec.map((s) => (typeof s === 'number' ? JSON.stringify({ date: '2024-01-01', text: 'x'.repeat(s) }) : s));
        const bytes = Buffer.from(lines.join('\n'));
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += 300) chunks.push(bytes.subarray(i, i + 300));
        const items = await collectJsonl(chunks, 'h.jsonl', 1024);
        assert.equal(items.length, lines.length);
        for (const [i, s] of spec.entries()) {
          const it = items[i]!;
          if (typeof s === 'number') assert.deepEqual(it.kind === 'quarantine' && [it.item.code, it.item.line], ['E_INGEST_TOO_LARGE', i + 1]);
          else assert.equal(it.kind, 'article');
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('fuzz: mutated HTML pages give one item each, articles only with a date and text', () => {
  const page = fc.tuple(day, words, words).map(([d, title, body]) =>
    `<!doctype html><html><head><title>${title}</title><meta property="article:published_time" content="${d}T10:00:00Z"></head><body><article><p>${body}</p><p>${body}</p></article></body></html>`);
  fc.assert(
    fc.property(page, fc.array(mutation, { maxLength: 4 }), (html, muts) => {
      const item = timed(() => readHtmlBytes(mutate(Buffer.from(html), muts), 'p.html', OPTIONS));
      checkItem(item, 'p.html');
      if (muts.length === 0) assert.equal(item.kind, 'article');
    }),
    { numRuns: 500 },
  );
});

test('fuzz: readInputs over folders of random files: every file yields items, single-article files exactly one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-ingest-fuzz-'));
  let round = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('.txt', '', '.json', '.html', '.jsonl'), fc.oneof(fc.uint8Array({ maxLength: 400 }), validDated.map((s) => Buffer.from(s)))), { minLength: 1, maxLength: 6 }),
        async (files) => {
          const sub = join(dir, String(round++));
          const { mkdirSync } = await import('node:fs');
          mkdirSync(sub);
          const names = files.map(([ext, bytes], i) => {
            const name = join(sub, `f${String(i).padStart(2, '0')}${ext}`);
            writeFileSync(name, bytes);
            return name;
          });
          const perFile = new Map<string, number>();
          for await (const item of readInputs([sub], OPTIONS)) {
            const file = item.kind === 'article' ? item.article.origin.file : item.item.file;
            checkItem(item, file);
            perFile.set(file, (perFile.get(file) ?? 0) + 1);
          }
          for (const [i, name] of names.entries()) {
            const [ext, bytes] = files[i]!;
            const n = perFile.get(name) ?? 0;
            if (ext === '.jsonl') assert.equal(n, nonBlankLines(bytes).length, name);
            else if (ext === '.txt' || ext === '.html') assert.equal(n, 1, name);
            // .json gives one item per element (at least one); no extension is sniffed, and a file that
            // sniffs as JSONL starts with "{", so it too has at least one non-blank line.
            else assert.ok(n >= 1, name);
          }
        },
      ),
      { numRuns: 150 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
