import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_PER_DAY, benchArticle, benchBatch, benchPlacement, loadBaseCorpus, parseDated, shiftDate, varyText, type BaseCorpus } from './corpus.js';
import { fittedGrowth, growth, headline, storeGrowthHalves, type SizeRun } from './report.js';

const TEXT = 'Troops entered the town. Police said five died. "We fled," a man said. Schools closed on Monday.';

for (const [k, expected] of [
  [0, TEXT],
  [1, 'Troops entered the town. "We fled," a man said. Schools closed on Monday. Police said five died.'],
  [2, 'Troops entered the town. Schools closed on Monday. Police said five died. "We fled," a man said.'],
  [3, TEXT],
] as const) {
  test(`varyText rotates the sentences after the first by ${k}`, () => assert.equal(varyText(TEXT, k), expected));
}

test('varyText leaves a text of two sentences or fewer as it is', () => {
  assert.equal(varyText('One sentence. Two.', 5), 'One sentence. Two.');
});

for (const [date, n, expected] of [
  ['2024-12-30', 3, '2025-01-02'],
  ['2024-02-28', 1, '2024-02-29'],
  ['2024-03-14', 0, '2024-03-14'],
] as const) {
  test(`shiftDate ${date} + ${n} is ${expected}`, () => assert.equal(shiftDate(date, n), expected));
}

test('parseDated reads the date line and keeps the headline as the first line of the text', () => {
  const t = parseDated('date 2024-03-14 Raid kills 12\nSecurity forces killed 12 militants.', 'a.txt');
  assert.deepEqual(t, { date: '2024-03-14', title: 'Raid kills 12', text: 'Raid kills 12\nSecurity forces killed 12 militants.' });
  assert.throws(() => parseDated('Security forces killed 12 militants.', 'b.txt'), /date YYYY-MM-DD/);
});

const BASE: BaseCorpus = {
  source: 'hand',
  texts: [
    { text: TEXT, date: '2024-01-01', title: null },
    { text: 'Rebels took the port. Ships left. Prices rose.', date: '2024-05-10', title: 'Port' },
  ],
};

test('benchArticle in rounds: base i mod B, varied by round, date moved by the round, ids unique', () => {
  const a0 = benchArticle(BASE, 0, 't', 'rounds');
  const a2 = benchArticle(BASE, 2, 't', 'rounds');
  const a3 = benchArticle(BASE, 3, 't', 'rounds');
  assert.equal(a0.rawText, TEXT);
  assert.equal(a2.rawText, varyText(TEXT, 1));
  assert.equal(a2.date, '2024-01-02');
  assert.equal(a3.date, '2024-05-11');
  const ids = new Set(benchBatch(BASE, 0, 50, 't', 'rounds').map((a) => a.id));
  assert.equal(ids.size, 50);
  assert.deepEqual(benchArticle(BASE, 7, 't', 'rounds'), benchArticle(BASE, 7, 't', 'rounds'));
});

test('benchArticle in a stream: STREAM_PER_DAY articles a day in arrival order, whatever the base dates', () => {
  const day = (i: number): string => benchArticle(BASE, i, 't').date;
  assert.equal(day(0), '2024-01-01');
  assert.equal(day(STREAM_PER_DAY - 1), '2024-01-01');
  assert.equal(day(STREAM_PER_DAY), '2024-01-02');
  assert.equal(day(366 * STREAM_PER_DAY), '2025-01-01');
  const perDay = new Map<string, number>();
  for (const a of benchBatch(BASE, 0, 10 * STREAM_PER_DAY, 't')) perDay.set(a.date, (perDay.get(a.date) ?? 0) + 1);
  assert.deepEqual([...perDay.values()], Array(10).fill(STREAM_PER_DAY));
  assert.equal(benchArticle(BASE, 3, 't').rawText, varyText('Rebels took the port. Ships left. Prices rose.', 1));
});

test('benchPlacement: how many days an article lies after its base text, for moving event dates with it', () => {
  assert.equal(benchPlacement(BASE, 1, 'stream').shiftDays, -130);
  assert.equal(benchPlacement(BASE, 5, 'rounds').shiftDays, 2);
  const p = benchPlacement(BASE, 3 * STREAM_PER_DAY + 1, 'stream');
  assert.equal(shiftDate(p.base.date, p.shiftDays), p.date);
});

test('loadBaseCorpus reads the geoparsing JSONL texts of a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'khabar-bench-test-'));
  try {
    writeFileSync(join(dir, 'geoparse_geowebnews.jsonl'), `${JSON.stringify({ id: 'x', text: 'Floods hit Sindh.', toponyms: [] })}\n\n${JSON.stringify({ id: 'y', text: 'Rain in Multan.' })}\n`);
    const c = loadBaseCorpus(dir);
    assert.deepEqual(c.texts.map((t) => t.text), ['Floods hit Sindh.', 'Rain in Multan.']);
    assert.deepEqual(c.texts.map((t) => t.date), ['2024-01-01', '2024-01-02']);
    writeFileSync(join(dir, 'geoparse_geowebnews.jsonl'), `${JSON.stringify({ id: 'z' })}\n`);
    assert.throws(() => loadBaseCorpus(dir), /no "text"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('growth compares time per article with the smallest size of the same mode', () => {
  const run = (mode: 'single' | 'pool', articles: number, usPerArticle: number): SizeRun =>
    ({ mode, workers: mode === 'single' ? 1 : 2, articles, usPerArticle }) as SizeRun;
  const g = growth([run('single', 1000, 400), run('single', 10_000, 500), run('pool', 1000, 200), run('pool', 10_000, 200)]);
  assert.deepEqual(
    g.map((x) => [x.mode, x.articles, x.vsSmallest]),
    [
      ['1 thread', 1000, 1],
      ['1 thread', 10_000, 1.25],
      ['2 workers', 1000, 1],
      ['2 workers', 10_000, 1],
    ],
  );
});

test('fittedGrowth: a least-squares line through the tenths, its last value over its first', () => {
  assert.equal(fittedGrowth([{ x: 0, y: 100 }, { x: 1, y: 120 }, { x: 2, y: 140 }]), 1.4);
  // One swinging tenth moves the line, not the answer's ends alone.
  const swing = fittedGrowth([{ x: 0, y: 300 }, { x: 1, y: 300 }, { x: 2, y: 390 }, { x: 3, y: 300 }, { x: 4, y: 300 }]);
  assert.ok(swing !== null && Math.abs(swing - 1) < 1e-9, `a swing in the middle leaves the line flat (${swing})`);
  assert.equal(fittedGrowth([{ x: 0, y: 1 }]), null);
});

test('storeGrowthHalves: the growth of linking over each half of the store-growth run', () => {
  const tenths = [200, 240, 280, 320, 360, 360, 360, 360, 360, 360].map((linkUsPerArticle, i) => ({
    storedBefore: i * 1000,
    articles: 1000,
    storeUsPerArticle: 100,
    linkUsPerArticle,
    candidatesPerReport: 10,
  }));
  const h = storeGrowthHalves({ articles: 10_000, layout: 'stream', tenths });
  assert.ok(h.first !== null && Math.abs(h.first - 1.8) < 1e-9, String(h.first));
  assert.equal(h.second, 1);
});

test('headline: the worker pool at the largest size, else the fastest run there', () => {
  const run = (mode: 'single' | 'pool', articles: number, articlesPerSec: number): SizeRun => ({ mode, workers: 2, articles, articlesPerSec }) as SizeRun;
  const pool = run('pool', 10_000, 400);
  assert.equal(headline([run('single', 1000, 900), run('single', 10_000, 500), pool]), pool);
  const fast = run('single', 1000, 900);
  assert.equal(headline([fast, run('single', 1000, 300)]), fast);
  assert.equal(headline([]), null);
});
