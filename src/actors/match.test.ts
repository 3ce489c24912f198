/** Unit tests of the actor matcher's sub-tokens: pieces, keys, surfaces, offsets and capital flags. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../text/tokens.js';
import { PayloadType, insertPattern, newNode, scan, startsWithCapital, subtokensOf } from './match.js';

const cases: [string, string, [string, string, number, number, boolean][]][] = [
  ['drops a lone dot and keeps plain words as they are', 'Gen. Ali', [['gen', 'Gen', 0, 3, true], ['ali', 'Ali', 5, 8, true]]],
  ['splits hyphenated words into their parts', 'al-Shabaab fighters', [['al', 'al', 0, 2, false], ['shabaab', 'Shabaab', 3, 10, true], ['fighters', 'fighters', 11, 19, false]]],
  ["splits a possessive 's off", "Pakistan's army", [['pakistan', 'Pakistan', 0, 8, true], ["'s", "'s", 8, 10, false], ['army', 'army', 11, 15, false]]],
  ['folds dots and accents in keys, not in surfaces', 'U.S. Burkinabè', [['us', 'US', 0, 4, true], ['burkinabe', 'Burkinabè', 5, 14, true]]],
  ['keeps a leading-hyphen word whole', "ISIS-K's", [['isis', 'ISIS', 0, 4, true], ['k', 'K', 5, 6, true], ["'s", "'s", 6, 8, false]]],
];
for (const [name, text, expected] of cases) {
  test(`subtokensOf ${name}`, () => {
    const sub = subtokensOf(tokenize(text, 0, 0));
    const got = [];
    for (let i = 0; i < sub.length; i++) got.push([sub.keys[i], sub.surfaces[i], sub.starts[i], sub.ends[i], sub.capital[i] === 1]);
    assert.deepEqual(got, expected);
    assert.equal(sub.keys.length, sub.length);
  });
}

test('subtokensOf grows past its first guess of the piece count', () => {
  const text = Array.from({ length: 40 }, () => 'a-b-c-d').join(' ');
  const sub = subtokensOf(tokenize(text, 0, 0));
  assert.equal(sub.length, 160);
  assert.equal(sub.keys[159], 'd');
  assert.equal(sub.starts[159], text.length - 1);
  assert.equal(sub.token[159], 39);
});

test('startsWithCapital reads the first character, beyond ASCII too', () => {
  assert.deepEqual(['Ali', 'ali', 'Émile', 'été', '3rd', '中国', ''].map(startsWithCapital), [true, false, true, false, false, false, false]);
});

test('scan finds every pattern of a trie whose nodes outgrew their first child filters', () => {
  // 300 two-word patterns under one first word, and 300 one-word patterns: each filter is rebuilt
  // several times as children are added, and no child may be lost from it.
  const root = newNode();
  const words = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}x`);
  words.forEach((w, i) => {
    insertPattern(root, `the ${w}`, PayloadType.Actor, i);
    insertPattern(root, `${w}q`, PayloadType.Title, i);
  });
  const text = words.map((w) => `the ${w} and ${w}q`).join(' ');
  const hits = scan(subtokensOf(tokenize(text, 0, 0)), root, new Map());
  assert.equal(hits.length, 600);
  hits.forEach((h, k) => {
    const p = h.payloads[0]!;
    assert.deepEqual([p.type, p.ref, h.e - h.s], k % 2 === 0 ? [PayloadType.Actor, k >> 1, 2] : [PayloadType.Title, k >> 1, 1]);
  });
  // Words that start or continue no pattern are no hits.
  assert.equal(scan(subtokensOf(tokenize('the cat and wzzq', 0, 0)), root, new Map()).length, 0);
});
