import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bandKeys, minhashSignature, shingleHashes, signatureFromBytes, signatureSimilarity, signatureToBytes, textSignature } from './minhash.js';

const BASE =
  'Fighters of an armed group overran a border post near the river town before dawn on Tuesday, killing seven guards and taking four others captive, ' +
  'a district administrator said by telephone. The raiders arrived on motorbikes, burned two trucks loaded with grain and left with rifles taken ' +
  'from the post, he said. Traders in the market said the road to the capital was closed for most of the day while soldiers searched nearby villages.';

/** A light rewrite: a dateline, and four words swapped for synonyms. */
const LIGHT = `RIVER TOWN: ${BASE.replace('overran', 'stormed').replace('captive', 'hostage').replace('burned', 'torched').replace('most of', 'much of')}`;

const SAME_TOPIC =
  'An armed group attacked a border post in the north on Tuesday and killed seven guards, the defence ministry said in a statement. ' +
  'The ministry said soldiers had been sent to the area and that the attackers had fled across the river with weapons and vehicles.';

const UNRELATED = 'The central bank left its main interest rate unchanged on Thursday, saying inflation had eased for a third month while growth stayed weak.';

const K = 3;

/** Murmur3's 32-bit finalizer, as the signature's hash functions use it. */
function murmurFinalizer(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const SIZE = 60;
const sim = (a: string, b: string): number => signatureSimilarity(minhashSignature(a, K, SIZE), minhashSignature(b, K, SIZE));

describe('minhash', () => {
  test('minhash similarity: identical texts are 1, case and punctuation do not matter', () => {
    assert.equal(sim(BASE, BASE), 1);
    assert.equal(sim(BASE, BASE.toUpperCase().replaceAll(',', ' ;')), 1);
  });

  const cases: [string, string, string, number, number][] = [
    ['a light rewrite (dateline, four synonyms)', BASE, LIGHT, 0.5, 1],
    ['an article on the same event in other words', BASE, SAME_TOPIC, 0, 0.3],
    ['an unrelated article', BASE, UNRELATED, 0, 0.1],
  ];
  for (const [name, a, b, lo, hi] of cases) {
    test(`minhash similarity: ${name} is within [${lo}, ${hi}]`, () => {
      const s = sim(a, b);
      assert.ok(s >= lo && s <= hi, `similarity ${s}`);
      assert.equal(sim(b, a), s, 'symmetric');
    });
  }

  // Signatures are stored and compared across runs: their values may never change. Pinned from the
  // JavaScript-only implementation; with 13 seeds the first 12 come from the SIMD module, the 13th from JavaScript.
  const pinned: [string, number[]][] = [
    ['Gunmen killed five villagers in Gao on Monday', [192452392, 150972523, 646229858, 793924665, 1198197285, 427196448, 702226469, 1353541513, 1846490198, 1241728399, 1187383703, 993921832, 36033985]],
    ['Ἀθῆναι: Ünïcode 𝐀𝐁 words, 1,200 — Zürich’s mayor said', [205970776, 38539155, 670243424, 1004366635, 122466288, 914010513, 907198887, 757219629, 1346419095, 1450729986, 83237418, 92120530, 300345659]],
    ['one', [2465445229, 669133092, 278804351, 4058353047, 270772347, 381042049, 950883767, 2371379340, 1424304321, 4256686664, 50184349, 4049933715, 2171982996]],
    ['', Array.from({ length: 13 }, () => 0xffffffff)],
  ];
  for (const [text, values] of pinned) {
    test(`minhash signature of ${JSON.stringify(text)} keeps its pinned values`, () => {
      assert.deepEqual(Array.from(minhashSignature(text, K, 13)), values);
    });
  }

  test('minhash signature of a text longer than the SIMD memory first held is its shingles\' least hashes', () => {
    const long = Array.from({ length: 40000 }, (_, i) => `w${i}`).join(' ');
    const sh = shingleHashes(long, K);
    const sig = minhashSignature(long, K, 8);
    // The first seed is Murmur3's finalizer of 0x9e3779b9: 0x92ca2f0e.
    let least = 0xffffffff;
    for (const x of sh) least = Math.min(least, murmurFinalizer((x ^ 0x92ca2f0e) >>> 0));
    assert.equal(sig.length, 8);
    assert.equal(sig[0], least);
  });

  test('minhash estimate follows the true shingle Jaccard within sampling error', () => {
    const setA = new Set(shingleHashes(BASE, K));
    const setB = new Set(shingleHashes(LIGHT, K));
    const inter = [...setA].filter((x) => setB.has(x)).length;
    const jaccard = inter / (setA.size + setB.size - inter);
    assert.ok(Math.abs(sim(BASE, LIGHT) - jaccard) < 0.2, `estimate ${sim(BASE, LIGHT)} vs jaccard ${jaccard}`);
  });

  test('minhash band keys: copies share every band, a light rewrite shares some, an unrelated text none', () => {
    const keys = (t: string): number[] => bandKeys(minhashSignature(t, K, SIZE), 20, 3);
    const base = keys(BASE);
    const shared = (t: string): number => keys(t).filter((k, i) => k === base[i]).length;
    assert.equal(base.length, 20);
    assert.equal(new Set(base).size, 20, 'bands never collide with each other');
    assert.equal(shared(BASE), 20);
    assert.ok(shared(LIGHT) >= 1, `light rewrite shares ${shared(LIGHT)} bands`);
    assert.equal(shared(UNRELATED), 0);
  });

  test('minhash signatures round-trip through bytes', () => {
    const sig = minhashSignature(BASE, K, SIZE);
    assert.deepEqual(signatureFromBytes(signatureToBytes(sig)), sig);
  });

  test('minhash of a text shorter than a shingle is one shingle; an empty text has none', () => {
    assert.equal(shingleHashes('two words', 3).length, 1);
    assert.equal(shingleHashes('  ', 3).length, 0);
    assert.equal(sim('two words', 'two words'), 1);
  });
});

test('textSignature is the MinHash signature with bands × rows hash functions', () => {
  for (const [bands, rows, k] of [[20, 3, 3], [4, 2, 1]] as const) {
    const sig = textSignature(BASE, { shingleWords: k, bands, rowsPerBand: rows });
    assert.deepEqual([...sig], [...minhashSignature(BASE, k, bands * rows)]);
  }
});
