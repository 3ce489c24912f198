// Ingest readers: every input format, each kind of bad input (quarantined with its code and line, the
// batch goes on), stable ids, language, folders, globs and stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PACKAGE_ROOT } from '../src/paths.js';
import { normalizeText } from '../src/text/normalize.js';
import type { Article, QuarantineItem } from '../src/types.js';
import {
  articleId,
  dayOf,
  globToRegExp,
  headlineOf,
  isValidDay,
  readInputs,
  readJsonl,
  type ReadOptions,
} from '../src/ingest/index.js';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'ingest');

interface Collected {
  articles: Article[];
  quarantine: QuarantineItem[];
  order: string[];
}

async function collect(inputs: string[], options: ReadOptions = {}): Promise<Collected> {
  const out: Collected = { articles: [], quarantine: [], order: [] };
  for await (const item of readInputs(inputs, options)) {
    if (item.kind === 'article') {
      out.articles.push(item.article);
      out.order.push(`${item.article.origin.file}:${item.article.origin.line ?? ''}`);
    } else {
      assert.equal(item.error.code, item.item.code);
      out.quarantine.push(item.item);
      out.order.push(`${item.item.file}:${item.item.line ?? ''}!`);
    }
  }
  return out;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'khabar-ingest-'));
}

function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const ARTICLE = 'Gunmen attack police post in Zamfara\nGunmen killed three police officers in an attack on a checkpoint in Zamfara state on Sunday, police said.\n';

test('dated line format: date, text after the prefix, headline as title, id from normalized text', async () => {
  const dir = tempDir();
  try {
    const cases: { name: string; content: string; date: string; title: string | null; rawText: string }[] = [
      { name: 'same-line.txt', content: `date 2024-03-05 ${ARTICLE}`, date: '2024-03-05', title: 'Gunmen attack police post in Zamfara', rawText: ARTICLE },
      { name: 'leading-ws', content: `\n  \tdate 2023-12-31\n${ARTICLE}`, date: '2023-12-31', title: 'Gunmen attack police post in Zamfara', rawText: ARTICLE },
      { name: 'colon.txt', content: `Date: 2024-02-29 ${ARTICLE}`, date: '2024-02-29', title: 'Gunmen attack police post in Zamfara', rawText: ARTICLE },
      {
        name: 'no-headline.txt',
        content: 'date 2024-01-10 Police said on Monday that two men were arrested.\nThey were charged on Tuesday.',
        date: '2024-01-10',
        title: null,
        rawText: 'Police said on Monday that two men were arrested.\nThey were charged on Tuesday.',
      },
      { name: 'one-line.txt', content: 'date 2024-01-10 Protest in Lagos over fuel prices', date: '2024-01-10', title: null, rawText: 'Protest in Lagos over fuel prices' },
    ];
    for (const c of cases) write(dir, c.name, c.content);
    const { articles, quarantine } = await collect(cases.map((c) => join(dir, c.name)));
    assert.deepEqual(quarantine, []);
    assert.equal(articles.length, cases.length);
    for (const [i, c] of cases.entries()) {
      const a = articles[i]!;
      assert.equal(a.date, c.date, c.name);
      assert.equal(a.title, c.title, c.name);
      assert.equal(a.rawText, c.rawText, c.name);
      assert.equal(a.dateSource, 'line');
      assert.deepEqual(a.origin, { file: join(dir, c.name), line: null });
      assert.equal(a.id, articleId(normalizeText(c.rawText).text, c.date), c.name);
      assert.match(a.id, /^a_[0-9a-f]{16}$/);
    }
    assert.equal(articles[0]!.language, 'en');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('headlineOf keeps only a short first line without closing punctuation and with text after it', () => {
  const table: [string, string | null][] = [
    ['Blast kills 4 in Quetta\nA bomb exploded.', 'Blast kills 4 in Quetta'],
    ['  Blast   kills 4\r\nA bomb exploded.', 'Blast kills 4'],
    ['A bomb exploded.\nMore text.', null],
    ['Officials said: \nMore text.', null],
    ['Blast kills 4 in Quetta', null],
    [`${'word '.repeat(30)}\nMore text.`, null],
  ];
  for (const [input, expected] of table) assert.equal(headlineOf(input), expected, JSON.stringify(input));
});

test('JSONL: one article per line with optional fields, line numbers, blank lines skipped', async () => {
  const dir = tempDir();
  try {
    const lines = [
      JSON.stringify({ id: 'dawn-1', date: '2024-04-01', text: 'Security forces killed five militants in North Waziristan, the army said.', title: 'Five militants killed', url: 'https://example.org/1', source: 'Dawn', language: 'en' }),
      '',
      JSON.stringify({ date: '2024-04-02T06:30:00+05:00', text: 'Des manifestants ont bloqué la route nationale près de Bamako, selon des témoins sur place.' }),
      '   ',
      JSON.stringify({ date: '2024-04-03', text: 'Troops clashed with rebels in North Kivu on Wednesday, local officials said.', id: 42, title: null, extra: { ignored: true } }),
    ];
    const file = write(dir, 'batch.jsonl', lines.join('\r\n') + '\n');
    const { articles, quarantine } = await collect([file]);
    assert.deepEqual(quarantine, []);
    assert.deepEqual(articles.map((a) => [a.id, a.date, a.origin.line, a.language, a.dateSource]), [
      ['dawn-1', '2024-04-01', 1, 'en', 'record'],
      [articleId(normalizeText(JSON.parse(lines[2]!).text).text, '2024-04-02'), '2024-04-02', 3, 'fr', 'record'],
      ['42', '2024-04-03', 5, 'en', 'record'],
    ]);
    assert.deepEqual([articles[0]!.title, articles[0]!.url, articles[0]!.source], ['Five militants killed', 'https://example.org/1', 'Dawn']);
    assert.deepEqual([articles[2]!.title, articles[2]!.url, articles[2]!.source], [null, null, null]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON array: each element is a record; a bad element is quarantined by position', async () => {
  const dir = tempDir();
  try {
    const file = write(dir, 'batch.json', JSON.stringify([
      { date: '2024-05-01', text: 'Rebels seized the town of Rubaya, residents said.' },
      { date: '2024-05-01' },
      { date: '2024-05-02', text: 'Police arrested twelve protesters in Dhaka.' },
    ]));
    const { articles, quarantine } = await collect([file]);
    assert.deepEqual(articles.map((a) => a.rawText), ['Rebels seized the town of Rubaya, residents said.', 'Police arrested twelve protesters in Dhaka.']);
    assert.equal(quarantine.length, 1);
    assert.equal(quarantine[0]!.code, 'E_INGEST_FIELD');
    assert.match(quarantine[0]!.reason, /element 2: missing required field "text"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HTML: main text, title, date with its origin, canonical URL, site name, language', async () => {
  const cases = [
    { file: 'page-meta.html', date: '2024-06-18', dateSource: 'meta', title: 'Protesters block highway near Mombasa', language: 'en', source: 'Coast Courier', must: 'eleven people were arrested', mustNot: ['Most read', 'Share on Facebook', 'Copyright'] },
    { file: 'page-jsonld.html', date: '2024-02-11', dateSource: 'json-ld', title: 'Two soldiers killed in ambush in Tillaberi region', language: 'en', source: null, must: 'near the village of Tera', mustNot: ['Subscribe'] },
    { file: 'page-time.html', date: '2023-11-30', dateSource: 'time', title: 'Manifestation à Dakar contre la vie chère', language: 'fr', source: null, must: 'Une vingtaine de personnes', mustNot: [] },
  ];
  const { articles, quarantine } = await collect(cases.map((c) => join(FIXTURES, c.file)));
  assert.deepEqual(quarantine, []);
  for (const [i, c] of cases.entries()) {
    const a = articles[i]!;
    assert.equal(a.date, c.date, c.file);
    assert.equal(a.dateSource, c.dateSource, c.file);
    assert.equal(a.title, c.title, c.file);
    assert.equal(a.language, c.language, c.file);
    assert.equal(a.source, c.source, c.file);
    assert.ok(a.rawText.startsWith(`${c.title}\n`), `${c.file}: headline leads the text`);
    assert.ok(a.rawText.replace(/\s+/g, ' ').includes(c.must), `${c.file}: main text kept`);
    for (const junk of c.mustNot) assert.ok(!a.rawText.includes(junk), `${c.file}: "${junk}" dropped`);
    assert.equal(a.id, articleId(normalizeText(a.rawText).text, a.date));
  }
});

test('articleFromHtml: canonical URL against the page URL; date falls back to feed, fetch time, default', async () => {
  const { articleFromHtml } = await import('../src/ingest/index.js');
  const { readFileSync } = await import('node:fs');
  const withMeta = readFileSync(join(FIXTURES, 'page-meta.html'), 'utf8');
  const a = articleFromHtml(withMeta, { url: 'https://courier.example/x?utm=1', fetchedAt: '2025-01-01T00:00:00Z' });
  assert.equal(a.url, 'https://courier.example/news/2024/06/18/protesters-block-highway');
  assert.equal(a.date, '2024-06-18');
  assert.equal(a.origin.file, 'https://courier.example/x?utm=1');

  const noDate = readFileSync(join(FIXTURES, 'page-nodate.html'), 'utf8');
  const table: [Parameters<typeof articleFromHtml>[1], string, string][] = [
    [{ feedDate: 'Tue, 05 Mar 2024 10:00:00 GMT', fetchedAt: '2024-03-07T00:00:00Z' }, '2024-03-05', 'feed'],
    [{ fetchedAt: '2024-03-07T09:15:00Z' }, '2024-03-07', 'fetched'],
    [{ defaultDate: '2024-03-09' }, '2024-03-09', 'default'],
  ];
  for (const [meta, date, source] of table) {
    const b = articleFromHtml(noDate, meta);
    assert.deepEqual([b.date, b.dateSource], [date, source]);
  }
  assert.throws(() => articleFromHtml(noDate, { file: 'x.html' }), (err: unknown) => err instanceof Error && 'code' in err && err.code === 'E_INGEST_DATE' && /x\.html/.test(err.message));
  const empty = readFileSync(join(FIXTURES, 'page-empty.html'), 'utf8');
  assert.throws(() => articleFromHtml(empty, {}), (err: unknown) => err instanceof Error && 'code' in err && err.code === 'E_INGEST_HTML');
});

test('HTML without a date is quarantined, unless the caller gives defaultDate', async () => {
  const file = join(FIXTURES, 'page-nodate.html');
  const without = await collect([file]);
  assert.deepEqual(without.quarantine.map((q) => q.code), ['E_INGEST_DATE']);
  assert.equal(without.articles.length, 0);
  const withDefault = await collect([file], { defaultDate: '2024-08-01' });
  assert.deepEqual(withDefault.articles.map((a) => [a.date, a.dateSource, a.title]), [['2024-08-01', 'default', 'Curfew extended in Manipur district']]);
});

test('folders: recursive, sorted, hidden and irrelevant files skipped; a file named twice is read once', async () => {
  const dir = tempDir();
  try {
    write(dir, 'b.txt', `date 2024-01-02 ${ARTICLE}`);
    write(dir, 'a/z.txt', `date 2024-01-03 ${ARTICLE}`);
    write(dir, 'a/y', `date 2024-01-04 ${ARTICLE}`);
    write(dir, 'a/deeper/x.jsonl', JSON.stringify({ date: '2024-01-05', text: 'Text one.' }) + '\n');
    write(dir, '.hidden.txt', `date 2024-01-06 ${ARTICLE}`);
    write(dir, '.git/HEAD', 'ref: refs/heads/main\n');
    write(dir, 'photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0x00]));
    write(dir, 'README.md', '# notes\n');
    const skipped: string[] = [];
    const { articles, quarantine, order } = await collect([dir, join(dir, 'b.txt')], { onSkip: (f) => skipped.push(f.slice(dir.length + 1)) });
    assert.deepEqual(quarantine, []);
    assert.deepEqual(order.map((o) => o.slice(dir.length + 1)), ['a/deeper/x.jsonl:1', 'a/y:', 'a/z.txt:', 'b.txt:']);
    assert.deepEqual(articles.map((a) => a.date), ['2024-01-05', '2024-01-04', '2024-01-03', '2024-01-02']);
    assert.deepEqual(skipped.sort(), ['.git', '.hidden.txt', 'README.md', 'photo.jpg']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('globs: *, ** and ? select files in sorted order; a pattern matching nothing is E_INPUT_NOT_FOUND', async () => {
  const dir = tempDir();
  try {
    for (const name of ['a1.txt', 'a2.txt', 'a10.txt', 'b.txt', 'sub/a3.txt', 'sub/deep/a4.txt', 'sub/c.jsonl', '.h/a5.txt']) {
      write(dir, name, `date 2024-02-0${name.length % 9 + 1} ${ARTICLE}`);
    }
    const rel = async (pattern: string): Promise<string[]> => [
      ...new Set((await collect([join(dir, pattern)])).order.map((o) => o.slice(dir.length + 1).replace(/:\d*!?$/, ''))),
    ];
    assert.deepEqual(await rel('a?.txt'), ['a1.txt', 'a2.txt']);
    assert.deepEqual(await rel('*.txt'), ['a1.txt', 'a10.txt', 'a2.txt', 'b.txt']);
    assert.deepEqual(await rel('**/a*.txt'), ['a1.txt', 'a10.txt', 'a2.txt', 'sub/a3.txt', 'sub/deep/a4.txt']);
    assert.deepEqual(await rel('sub/**'), ['sub/a3.txt', 'sub/c.jsonl', 'sub/deep/a4.txt']);
    const none = await collect([join(dir, '*.html')]);
    assert.deepEqual(none.quarantine.map((q) => q.code), ['E_INPUT_NOT_FOUND']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('globToRegExp matches segments, crosses folders only with **, and never matches a leading dot', () => {
  const table: [string, string, boolean][] = [
    ['*.txt', 'a.txt', true],
    ['*.txt', 'sub/a.txt', false],
    ['*.txt', '.a.txt', false],
    ['a?.txt', 'a1.txt', true],
    ['a?.txt', 'a10.txt', false],
    ['**/*.txt', 'a.txt', true],
    ['**/*.txt', 'x/y/a.txt', true],
    ['**/*.txt', 'x/.y/a.txt', false],
    ['x/**/a.txt', 'x/a.txt', true],
    ['x/**/a.txt', 'x/1/2/a.txt', true],
    ['a+(b).txt', 'a+(b).txt', true],
    ['a.txt', 'abtxt', false],
  ];
  for (const [pattern, path, expected] of table) assert.equal(globToRegExp(pattern).test(path), expected, `${pattern} ~ ${path}`);
});

test('stdin: "-" reads a dated article, JSONL or HTML from the stream', async () => {
  const jsonl = [
    JSON.stringify({ date: '2024-07-01', text: 'Police arrested nine people in Karachi, officials said.' }),
    '{broken',
    JSON.stringify({ date: '2024-07-02', text: 'Clashes erupted in Tripoli overnight, residents said.' }),
  ].join('\n');
  const table: [string, string[], (number | null)[]][] = [
    [`date 2024-07-01 ${ARTICLE}`, ['article'], [null]],
    // Lines count from the start of the input, blank lines included.
    [`\n\n${jsonl}`, ['article', 'E_INGEST_JSON', 'article'], [3, 4, 5]],
    ['', ['E_INGEST_EMPTY'], [null]],
    // A UTF-8 byte order mark does not hide the format.
    [`\ufeff${jsonl}`, ['article', 'E_INGEST_JSON', 'article'], [1, 2, 3]],
    [`\ufeffdate 2024-07-01 ${ARTICLE}`, ['article'], [null]],
  ];
  for (const [input, kinds, lines] of table) {
    const bytes = Buffer.from(input);
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 50), bytes.subarray(50)];
    const got = await collect(['-'], { stdin: Readable.from(chunks) });
    const all: { kind: string; line: number | null; file: string }[] = [];
    // Rebuild the order from both lists: the order field keeps it.
    for (const o of got.order) {
      const bad = o.endsWith('!');
      const m = /^(.*):(\d*)!?$/.exec(o)!;
      all.push({ kind: bad ? got.quarantine.find((q) => `${q.file}:${q.line ?? ''}!` === o)!.code : 'article', line: m[2] === '' ? null : Number(m[2]), file: m[1]! });
    }
    assert.deepEqual(all.map((x) => x.kind), kinds, JSON.stringify(input.slice(0, 30)));
    assert.deepEqual(all.map((x) => x.line), lines);
    assert.ok(all.every((x) => x.file === '-'));
  }
  const html = await collect(['-'], { stdin: Readable.from([Buffer.from('<!doctype html><html><head><meta property="article:published_time" content="2024-01-01"></head><body><p>Soldiers were deployed to the city after two days of riots, the governor said.</p></body></html>')]) });
  assert.deepEqual(html.articles.map((a) => [a.date, a.dateSource]), [['2024-01-01', 'meta']]);
});

test('bad input: each kind is quarantined with its code, file and line, and the batch goes on', async () => {
  const dir = tempDir();
  try {
    const good = `date 2024-03-05 ${ARTICLE}`;
    const files: { name: string; content: string | Uint8Array; code: string; line: number | null; reason: RegExp }[] = [
      { name: 'no-date.txt', content: ARTICLE, code: 'E_INGEST_DATE', line: 1, reason: /no date line/ },
      { name: 'feb30.txt', content: `date 2024-02-30 ${ARTICLE}`, code: 'E_INGEST_DATE', line: 1, reason: /invalid date "2024-02-30"/ },
      { name: 'month13.txt', content: `date 2024-13-01 ${ARTICLE}`, code: 'E_INGEST_DATE', line: 1, reason: /invalid date "2024-13-01"/ },
      { name: 'date-word.txt', content: 'date\nSome text.', code: 'E_INGEST_DATE', line: 1, reason: /has no date/ },
      { name: 'empty.txt', content: 'date 2024-03-05   \n\n  \n', code: 'E_INGEST_EMPTY', line: null, reason: /no text/ },
      { name: 'zero-bytes.txt', content: '', code: 'E_INGEST_DATE', line: 1, reason: /no date line/ },
      { name: 'nul.txt', content: Buffer.concat([Buffer.from(good), Buffer.from([0, 1, 2])]), code: 'E_INGEST_BINARY', line: null, reason: /binary/ },
      { name: 'latin1.txt', content: Buffer.from(`date 2024-03-05 Caf\xe9 attacked in Bamako.`, 'latin1'), code: 'E_INGEST_ENCODING', line: null, reason: /not valid UTF-8/ },
      { name: 'big.txt', content: good + 'x'.repeat(2000), code: 'E_INGEST_TOO_LARGE', line: null, reason: /limit of 1024 bytes/ },
    ];
    for (const f of files) write(dir, f.name, f.content);
    write(dir, 'good.txt', good);
    const jsonlLines = [
      JSON.stringify({ date: '2024-03-05', text: 'Good line one about an attack in Kabul.' }),
      '{"date": "2024-03-05", "text": ',
      JSON.stringify({ text: 'No date here.' }),
      JSON.stringify({ date: '2024-03-05', text: 17 }),
      JSON.stringify({ date: '2024-03-05', text: '   ' }),
      JSON.stringify({ date: '05/03/2024', text: 'Bad date format.' }),
      '[1, 2]',
      JSON.stringify({ date: '2024-03-05', text: 'y'.repeat(3000) }),
      JSON.stringify({ date: '2024-03-05', text: 'Good line nine.', language: 'not a language!' }),
      JSON.stringify({ date: '2024-03-06', text: 'Good line ten about a protest in Accra.' }),
    ];
    const jsonlBytes = Buffer.concat([Buffer.from(jsonlLines.join('\n') + '\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('{"a":1,\u0000}\n')]);
    const jsonl = write(dir, 'mixed.jsonl', jsonlBytes);
    const missing = join(dir, 'missing.txt');

    const inputs = [...files.map((f) => join(dir, f.name)), join(dir, 'good.txt'), jsonl, missing];
    const { articles, quarantine } = await collect(inputs, { maxBytes: 1024 });

    const expectedQuarantine = [
      ...files.map((f) => ({ file: join(dir, f.name), code: f.code, line: f.line })),
      { file: jsonl, code: 'E_INGEST_JSON', line: 2 },
      { file: jsonl, code: 'E_INGEST_FIELD', line: 3 },
      { file: jsonl, code: 'E_INGEST_FIELD', line: 4 },
      { file: jsonl, code: 'E_INGEST_EMPTY', line: 5 },
      { file: jsonl, code: 'E_INGEST_DATE', line: 6 },
      { file: jsonl, code: 'E_INGEST_JSON', line: 7 },
      { file: jsonl, code: 'E_INGEST_TOO_LARGE', line: 8 },
      { file: jsonl, code: 'E_INGEST_FIELD', line: 9 },
      { file: jsonl, code: 'E_INGEST_ENCODING', line: 11 },
      { file: jsonl, code: 'E_INGEST_BINARY', line: 12 },
      { file: missing, code: 'E_INPUT_NOT_FOUND', line: null },
    ];
    assert.deepEqual(quarantine.map((q) => ({ file: q.file, code: q.code, line: q.line })), expectedQuarantine);
    for (const [i, f] of files.entries()) assert.match(quarantine[i]!.reason, f.reason, f.name);
    for (const q of quarantine) {
      // Every reason names where the problem is and says what to do.
      assert.ok(q.reason.startsWith(q.line === null ? q.file : `${q.file}:${q.line}`), q.reason);
      assert.match(q.reason, /;/, q.reason);
      assert.ok(q.excerpt.length <= 200);
    }
    assert.deepEqual(articles.map((a) => `${a.origin.file.slice(dir.length + 1)}:${a.origin.line ?? ''}`), ['good.txt:', 'mixed.jsonl:1', 'mixed.jsonl:10']);
    // Counts add up: every JSONL line is one item; every file one item.
    const jsonlItems = articles.filter((a) => a.origin.file === jsonl).length + quarantine.filter((q) => q.file === jsonl).length;
    assert.equal(jsonlItems, jsonlLines.length + 2);
    assert.equal(articles.length + quarantine.length, files.length + 1 + jsonlItems + 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stable ids: same text and date give the same id whatever the white space; another date another id', async () => {
  const base = 'Troops retreat from Bakhmut\nUkrainian troops withdrew from the town, the army said on Saturday.';
  const variants = [
    base,
    base.replace(/ /g, '  '),
    base.replace('\n', '\r\n') + '\n\n',
    '  ' + base.replace('the army', 'the\u00a0army'),
    base.replace('\n', '\n\n'),
  ];
  const ids = variants.map((v) => articleId(normalizeText(v).text, '2023-05-20'));
  assert.equal(new Set(ids).size, 1, JSON.stringify(ids));
  assert.notEqual(articleId(normalizeText(base).text, '2023-05-21'), ids[0]);
  assert.notEqual(articleId(normalizeText(base + ' Later.').text, '2023-05-20'), ids[0]);

  // The same article through two readers gets the same id.
  const dir = tempDir();
  try {
    write(dir, 'a.txt', `date 2023-05-20 ${variants[1]}`);
    write(dir, 'b.jsonl', JSON.stringify({ date: '2023-05-20', text: variants[2] }) + '\n');
    const { articles } = await collect([join(dir, 'a.txt'), join(dir, 'b.jsonl'), join(dir, 'a.txt')]);
    assert.deepEqual(articles.map((a) => a.id), [ids[0], ids[0]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('language: the record\'s tag wins (as ISO 639-1), else detection, null when unsure', async () => {
  const lines = [
    { date: '2024-01-01', text: 'The army said twelve militants were killed near the border.', language: 'fr' },
    { date: '2024-01-01', text: 'The army said twelve militants were killed near the border.', language: 'en-GB' },
    { date: '2024-01-01', text: 'The army said twelve militants were killed near the border.', language: 'deu' },
    { date: '2024-01-01', text: 'L\'armée a annoncé que douze militants avaient été tués près de la frontière.' },
    { date: '2024-01-01', text: 'Ok 12.' },
  ];
  const items: (string | null)[] = [];
  for await (const item of readJsonl([lines.map((l) => JSON.stringify(l)).join('\n')], 'x.jsonl', { maxBytes: 1e6 })) {
    assert.equal(item.kind, 'article');
    if (item.kind === 'article') items.push(item.article.language);
  }
  assert.deepEqual(items, ['fr', 'en', 'de', 'fr', null]);
});

test('JSONL is streamed: the first article comes out before the rest of the input is read', async () => {
  let pulled = 0;
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 1000; i++) {
      pulled++;
      yield Buffer.from(JSON.stringify({ date: '2024-01-01', text: `Article number ${i} about an event.` }) + '\n');
    }
  }
  const gen = readJsonl(source(), 's.jsonl', { maxBytes: 1e6 });
  const first = await gen.next();
  assert.equal(first.done, false);
  assert.ok(pulled <= 2, `pulled ${pulled} chunks before the first article`);
  let n = 1;
  for await (const item of gen) if (item.kind === 'article') n++;
  assert.equal(n, 1000);
});

test('dates: real calendar days only; metadata dates keep the day as written', () => {
  const days: [string, boolean][] = [
    ['2024-02-29', true], ['2023-02-29', false], ['2024-02-30', false], ['2024-13-01', false], ['2024-00-10', false],
    ['2024-04-31', false], ['2024-12-31', true], ['24-01-01', false], ['2024-1-01', false], ['2024-01-01x', false],
  ];
  for (const [s, ok] of days) assert.equal(isValidDay(s), ok, s);
  const loose: [string, string | null][] = [
    ['2024-03-05T23:30:00-04:00', '2024-03-05'],
    ['2024-03-05 10:00', '2024-03-05'],
    ['Tue, 05 Mar 2024 10:00:00 GMT', '2024-03-05'],
    ['2024-02-30T00:00:00Z', null],
    ['yesterday', null],
    ['', null],
  ];
  for (const [s, d] of loose) assert.equal(dayOf(s), d, s);
});

test('HTML in a declared legacy charset is decoded with it; undeclared non-UTF-8 is an encoding error', async () => {
  const dir = tempDir();
  try {
    const page = (charset: string): Buffer => Buffer.from(
      `<html><head>${charset}<meta name="date" content="2024-09-09"></head><body><p>Des manifestants ont incendi\xe9 un caf\xe9 \xe0 Abidjan, selon la police, qui a interpell\xe9 douze personnes mardi soir.</p></body></html>`,
      'latin1',
    );
    write(dir, 'declared.html', page('<meta charset="windows-1252">'));
    write(dir, 'undeclared.html', page(''));
    const { articles, quarantine } = await collect([join(dir, 'declared.html'), join(dir, 'undeclared.html')]);
    assert.equal(articles.length, 1);
    assert.ok(articles[0]!.rawText.includes('incendié un café à Abidjan'), articles[0]!.rawText);
    assert.deepEqual([articles[0]!.date, articles[0]!.language], ['2024-09-09', 'fr']);
    assert.deepEqual(quarantine.map((q) => [q.file.slice(dir.length + 1), q.code]), [['undeclared.html', 'E_INGEST_ENCODING']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
