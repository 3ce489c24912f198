import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText } from './normalize.js';

test('normalize folds quotes, dashes and white space', () => {
  const { text } = normalizeText('He said  \u201cno\u201d \u2014 twice\u2019s\u00a0over');
  assert.equal(text, 'He said "no" - twice\'s over');
});

test('normalize drops image and photo credit lines', () => {
  const { text } = normalizeText('Blast in Quetta\n(IMAGE: Reuters)\nPhoto: AFP/File\nA bomb exploded.');
  assert.equal(text, 'Blast in Quetta\nA bomb exploded.');
});

test('normalize keeps every normalized character mapped to the same raw character', () => {
  const raw = '  Kabul \u2013 Taliban\u00a0forces\t\u201cseized\u201d  the   district.\n\nNext paragraph\u2026 ok';
  const { text, toRaw } = normalizeText(raw);
  assert.equal(toRaw.length, text.length + 1);
  const folds: Record<string, string> = { '\u2013': '-', '\u00a0': ' ', '\t': ' ', '\u201c': '"', '\u201d': '"', '\u2026': '.' };
  for (let i = 0; i < text.length; i++) {
    const r = raw[toRaw[i]!]!;
    const expected = folds[r] ?? r;
    if (text[i] === ' ' || text[i] === '\n') assert.match(raw[toRaw[i]!] ?? '', /\s|\u00a0/u, `space at ${i}`);
    else assert.equal(text[i], expected, `char ${i}`);
  }
});

test('normalize joins hard-wrapped lines of one paragraph but keeps the headline apart', () => {
  const raw = [
    'Militants storm checkpoint in Bannu',
    'Militants attacked a police checkpoint in the',
    'Bannu district of Khyber Pakhtunkhwa late on',
    'Tuesday, killing two policemen, officials',
    'said on Wednesday.',
  ].join('\n');
  const { text } = normalizeText(raw);
  assert.equal(
    text,
    'Militants storm checkpoint in Bannu\nMilitants attacked a police checkpoint in the Bannu district of Khyber Pakhtunkhwa late on Tuesday, killing two policemen, officials said on Wednesday.',
  );
});

test('normalize removes zero-width characters and soft hyphens', () => {
  assert.equal(normalizeText('Jalal\u00adabad\u200b city').text, 'Jalalabad city');
});
