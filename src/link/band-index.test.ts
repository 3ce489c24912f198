import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BandIndex, articleKeyRange, dayDate, duplicateKeyRange, withinDuplicateWindow, type BandedArticle } from './band-index.js';
import { dayNumber } from './report.js';

/** A stand-in store: the articles filed so far, by day, which the index reads back when a day is not in memory. */
class DayStore {
  readonly byDay = new Map<number, BandedArticle[]>();
  loads = 0;

  file(day: number, rid: number, keys: number[]): void {
    const list = this.byDay.get(day) ?? [];
    list.push({ rid, day, keys });
    this.byDay.set(day, list);
  }

  load = (from: number, to: number): BandedArticle[] => {
    this.loads++;
    const out: BandedArticle[] = [];
    for (let d = from; d <= to; d++) out.push(...(this.byDay.get(d) ?? []));
    return out;
  };
}

/** Files an article as the linker does: in the index first, then in the store. */
function add(index: BandIndex, store: DayStore, day: number, rid: number, keys: number[]): void {
  index.add(day, rid, keys);
  store.file(day, rid, keys);
}

describe('band index', () => {
  const gaps = [
    { name: 'the same day', gap: 0, found: true },
    { name: 'a week later, at the window', gap: 7, found: true },
    { name: 'a week earlier, at the window', gap: -7, found: true },
    { name: 'eight days later, beyond the window', gap: 8, found: false },
    { name: 'eight days earlier, beyond the window', gap: -8, found: false },
  ];
  for (const { name, gap, found } of gaps) {
    test(`band index finds a copy dated ${name}: ${found}`, () => {
      const store = new DayStore();
      const index = new BandIndex(7, 1_000, store.load);
      add(index, store, 100, 1, [11, 12, 13]);
      add(index, store, 100, 2, [21, 22, 23]);
      assert.deepEqual(index.candidates(100 + gap, [99, 12, 98], 64), found ? [1] : []);
    });
  }

  test('band index returns each candidate once, and over the limit those of the nearest days', () => {
    const store = new DayStore();
    const index = new BandIndex(3, 1_000, store.load);
    add(index, store, 52, 5, [1, 2]);
    add(index, store, 50, 7, [1, 2]);
    add(index, store, 49, 9, [2]);
    add(index, store, 50, 8, [3]);
    assert.deepEqual(index.candidates(50, [1, 2], 64).sort((a, b) => a - b), [5, 7, 9]);
    assert.deepEqual(index.candidates(50, [1, 2], 2), [7, 9]);
  });

  test('band index gives the same candidates with days dropped and read back as with all kept, in any arrival order', () => {
    // Articles on 40 days, several sharing band keys; filed in a scrambled order.
    const articles: { day: number; rid: number; keys: number[] }[] = [];
    for (let rid = 1; rid <= 400; rid++) articles.push({ day: (rid * 7) % 40, rid, keys: [rid % 13, 100 + (rid % 29), 1000 + rid] });
    const scrambled = [...articles].sort((a, b) => ((a.rid * 37) % 101) - ((b.rid * 37) % 101) || a.rid - b.rid);
    const run = (order: typeof articles, budget: number): { answers: string[]; loads: number } => {
      const store = new DayStore();
      const index = new BandIndex(2, budget, store.load);
      for (const a of order) add(index, store, a.day, a.rid, a.keys);
      const answers = articles.map((a) => index.candidates(a.day, a.keys, 1_000).sort((x, y) => x - y).join(','));
      return { answers, loads: store.loads };
    };
    const kept = run(articles, 1_000_000);
    const dropped = run(scrambled, 40);
    assert.deepEqual(dropped.answers, kept.answers);
    assert.ok(dropped.loads > kept.loads, `${dropped.loads} day loads with a small budget, ${kept.loads} with a large one`);
    assert.ok(kept.answers.every((a, i) => a.split(',').includes(String(articles[i]!.rid))), 'each article finds itself');
  });

  test('band index finds every entry of a block after many compactions (entries filed in scrambled order)', () => {
    // 3,000 articles of one day, 4 keys each from 50 (so 12,000 entries: several merges of recent entries into the sorted arrays).
    const store = new DayStore();
    const index = new BandIndex(0, 1_000_000, store.load);
    const byKey = new Map<number, number[]>();
    for (let i = 0; i < 3_000; i++) {
      const rid = 1 + ((i * 7_919) % 3_000);
      const keys = [rid % 50, (rid * 3) % 50 + 50, (rid * 7) % 50 + 100, rid + 200];
      add(index, store, 5, rid, keys);
      for (const k of keys) byKey.set(k, [...(byKey.get(k) ?? []), rid]);
    }
    for (const key of [0, 17, 49, 50, 99, 123, 200 + 1_234]) {
      const expected = [...(byKey.get(key) ?? [])].sort((a, b) => a - b);
      assert.deepEqual(index.candidates(5, [key], 10_000).sort((a, b) => a - b), expected, `key ${key}`);
      assert.deepEqual(index.candidates(5, [key], 3), expected.slice(0, 3), `key ${key}, the lowest ids when limited`);
    }
  });

  test('band index forgets every day when cleared (the store is read again)', () => {
    const store = new DayStore();
    const index = new BandIndex(0, 1_000, store.load);
    add(index, store, 10, 1, [5]);
    index.clear();
    const before = store.loads;
    assert.deepEqual(index.candidates(10, [5], 64), [1]);
    assert.equal(store.loads, before + 1);
  });

  test('band index date helpers: the order-key range and window of a date', () => {
    assert.deepEqual(duplicateKeyRange('2024-05-06', 7), ['2024-04-29', '2024-05-13\u0002']);
    assert.equal(dayDate(dayNumber('2024-02-29')), '2024-02-29');
    assert.equal(withinDuplicateWindow('2024-05-06', '2024-05-13\u0000copy', 7), true);
    assert.equal(withinDuplicateWindow('2024-05-06', '2024-05-14\u0000copy', 7), false);
  });

  test('band index date helpers: the key range of days holds their articles in either store\'s key form, not the next day\'s', () => {
    const [lo, hi] = articleKeyRange(dayNumber('2024-05-06'), dayNumber('2024-05-07'));
    const inRange = (key: string): boolean => key >= lo && key < hi;
    for (const sep of ['\u0000', '\u0001']) {
      assert.equal(inRange(`2024-05-06${sep}a`), true);
      assert.equal(inRange(`2024-05-07${sep}zzz`), true);
      assert.equal(inRange(`2024-05-05${sep}zzz`), false);
      assert.equal(inRange(`2024-05-08${sep}a`), false);
    }
  });
});
