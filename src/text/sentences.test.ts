import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from './sentences.js';

function texts(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}

const cases: { name: string; input: string; expected: string[] }[] = [
  { name: 'plain sentences', input: 'Troops advanced. Rebels fled!', expected: ['Troops advanced.', 'Rebels fled!'] },
  { name: 'U.S. before a noun does not split', input: 'U.S. forces left Kabul. They flew home.', expected: ['U.S. forces left Kabul.', 'They flew home.'] },
  { name: 'U.S. at the end of a sentence splits before "The"', input: 'Aid came from the U.S. The convoy arrived.', expected: ['Aid came from the U.S.', 'The convoy arrived.'] },
  { name: 'title abbreviation', input: 'Gen. Asim Munir visited. Lt. Col. Khan said so.', expected: ['Gen. Asim Munir visited.', 'Lt. Col. Khan said so.'] },
  { name: 'month abbreviation before a number', input: 'It happened on Jan. 5 in Herat. Police said.', expected: ['It happened on Jan. 5 in Herat.', 'Police said.'] },
  { name: 'decimal number', input: 'A 5.6 magnitude quake struck. No one died.', expected: ['A 5.6 magnitude quake struck.', 'No one died.'] },
  { name: 'quote after the period', input: '"We will fight." The commander left.', expected: ['"We will fight."', 'The commander left.'] },
  { name: 'initial of a name', input: 'J. Smith reported it. Others agreed.', expected: ['J. Smith reported it.', 'Others agreed.'] },
  { name: 'lower-case continuation is not a split', input: 'The cost was 5 mln. dollars in total.', expected: ['The cost was 5 mln. dollars in total.'] },
];

for (const c of cases) {
  test(`sentences ${c.name}`, () => {
    assert.deepEqual(texts(c.input), c.expected);
  });
}

test('sentences mark a lone line without closing punctuation as a headline', () => {
  const text = 'Gunmen kill 5 in Zamfara\nGunmen killed five villagers. Police said.';
  const s = splitSentences(text);
  assert.deepEqual(s.map((x) => x.isHeadline), [true, false, false]);
  assert.deepEqual(s.map((x) => x.paragraph), [0, 1, 1]);
});

test('sentences indexes are consecutive and spans never include edge spaces', () => {
  const text = '  One.   Two?\n\nThree  ';
  const s = splitSentences(text);
  assert.deepEqual(s.map((x) => x.index), [0, 1, 2]);
  for (const x of s) assert.equal(text.slice(x.start, x.end).trim(), text.slice(x.start, x.end));
});
