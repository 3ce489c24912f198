import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, tokenAt } from './tokens.js';

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
