/**
 * The trigger lexicon's word table: each distinct word gets one entry, found again by its slot after
 * the table has grown many times over, and words that share a prefix, a length or only differ in one
 * unit stay apart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WordTable, type WordEntry } from './lexicon.js';

/** An entry that records the word it was made for (in `forms`) and numbers hints in order of making. */
function recordingTable(): { table: WordTable; made: string[] } {
  const made: string[] = [];
  const table = new WordTable((lower): WordEntry => {
    made.push(lower);
    return { hint: made.length, cueBits: made.length * 2, forms: [lower], patterns: [], phrases: undefined, formIds: new Int32Array(0), violentCauses: undefined, nonviolentCauses: undefined };
  });
  return { table, made };
}

test('word table finds each of 20,000 words again after growing, making each entry once', () => {
  const { table, made } = recordingTable();
  const words = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);
  for (const w of words) table.lookup(w);
  assert.equal(made.length, words.length);
  for (const [i, w] of words.entries()) {
    const slot = table.lookup(w);
    assert.equal(table.idAt(slot), i);
    assert.equal(table.entries[table.idAt(slot)]!.forms[0], w);
    assert.equal(table.hintAt(slot), i + 1);
    assert.equal(table.cueBitsAt(slot), 2 * (i + 1));
  }
  assert.equal(made.length, words.length, 'no word was made twice');
});

test('word table keeps apart words that differ in one unit (also past the twentieth), in length, or outside Latin-1', () => {
  const { table } = recordingTable();
  // Past twenty units a word's end is compared in the character pool, not in its slot.
  const long = 'counterinsurgency-led';
  const words = ['', 'a', 'ab', 'abc', 'abd', 'bac', 'kill', 'killed', 'kille', 'élan', 'elan', '𝐀x', '\ud800', 'عمان', long, `${long.slice(0, -1)}x`, `${long}s`, long.slice(0, 20)];
  for (const w of words) table.lookup(w);
  for (const w of words) assert.equal(table.get(w).forms[0], w);
  assert.equal(table.entries.length, words.length);
});
