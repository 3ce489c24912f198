import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, tokenAt, tokenizeSentences } from './tokens.js';

test('tokens keep acronyms, numbers with separators, hyphens and apostrophes whole', () => {
  const text = "U.S.-led forces killed 1,200 of al-Qaeda's fighters (3.5%).";
  const tokens = tokenize(text, 10, 0);
  assert.deepEqual(tokens.map((t) => t.text), ['U.S.-led', 'forces', 'killed', '1,200', 'of', "al-Qaeda's", 'fighters', '(', '3.5', '%', ')', '.']);
  for (const t of tokens) assert.equal(text.slice(t.start - 10, t.end - 10), t.text);
  assert.equal(tokens[0]!.cap, true);
  assert.equal(tokens[1]!.cap, false);
});

test('tokens tokenAt finds the first token at or after an offset', () => {
  const tokens = tokenize('one two three', 0, 0);
  assert.equal(tokenAt(tokens, 0), 0);
  assert.equal(tokenAt(tokens, 4), 1);
  assert.equal(tokenAt(tokens, 5), 2);
  assert.equal(tokenAt(tokens, 100), 3);
});

const cases: [string, string, string[]][] = [
  ['acronyms need two letter-dot pairs', 'U.N.-backed A.B U.S.A.', ['U.N.-backed', 'A', '.', 'B', 'U.S.A.']],
  ['numbers keep separators, not a trailing one', '1,200.5 3. 4-day 5,', ['1,200.5', '3', '.', '4-day', '5', ',']],
  ['words keep inner apostrophes and hyphens', "rock’n’roll al-Qaeda's -x y-", ['rock’n’roll', "al-Qaeda's", '-', 'x', 'y', '-']],
  ['letters and digits beyond ASCII', 'Ñandú ٣٤ Δelta 中文', ['Ñandú', '٣٤', 'Δelta', '中文']],
  ['any white space separates', 'a\u00a0b\u2003c\u3000d', ['a', 'b', 'c', 'd']],
  ['a surrogate pair is one character or one letter', '😀x 𝐀𝐁', ['😀', 'x', '𝐀𝐁']],
];
for (const [name, text, expected] of cases) {
  test(`tokens ${name}`, () => {
    assert.deepEqual(tokenize(text, 0, 0).map((t) => t.text), expected);
  });
}

test('tokens of a sentence stop at its end and keep text offsets', () => {
  const text = 'A.B. C. D';
  const tokens = tokenizeSentences(text, [{ start: 0, end: 3, index: 0, paragraph: 0, isHeadline: false }, { start: 5, end: 9, index: 1, paragraph: 0, isHeadline: false }]);
  assert.deepEqual(tokens.map((t) => [t.text, t.start, t.sentence]), [['A', 0, 0], ['.', 1, 0], ['B', 2, 0], ['C', 5, 1], ['.', 6, 1], ['D', 8, 1]]);
  assert.deepEqual(tokens.map((t) => t.cap), [true, false, true, true, false, true]);
});
