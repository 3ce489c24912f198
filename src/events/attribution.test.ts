import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSources, loadAttributionLexicon, readClaim, sentenceTokenRanges } from './attribution.js';
import { makeTestDoc, type ActorSpec } from './test-doc.js';

const lex = loadAttributionLexicon();

interface SourceCase {
  text: string;
  actors?: ActorSpec[];
  /** [sentence, depth, name, kind] in output order. */
  want: [number, number, string, string][];
}

const CASES: SourceCase[] = [
  {
    text: 'Troops killed 12 militants near Bannu, the provincial police chief said on Thursday, citing intelligence reports.',
    want: [
      [0, 0, 'provincial police chief', 'official'],
      [0, 1, 'intelligence reports', 'anonymous'],
    ],
  },
  { text: 'Five people died, according to the interior ministry.', want: [[0, 0, 'interior ministry', 'official']] },
  { text: 'Five people died, according to media reports.', want: [[0, 0, 'media reports', 'news']] },
  { text: 'A local commander told Reuters that the town had fallen.', want: [[0, -1, 'Reuters', 'agency'], [0, 0, 'local commander', 'official']] },
  { text: 'Witnesses told AFP they heard blasts.', want: [[0, -1, 'AFP', 'agency'], [0, 0, 'Witnesses', 'witness']] },
  {
    text: 'Citing a report by the UN mission, the foreign ministry stated that the strike killed 12.',
    actors: [{ text: 'UN mission', kind: 'igo' }],
    want: [
      [0, 0, 'foreign ministry', 'official'],
      [0, 1, 'UN mission', 'official'],
    ],
  },
  { text: 'Security sources said the convoy was hit.', want: [[0, 0, 'Security sources', 'anonymous']] },
  { text: 'Officials said five soldiers died.', want: [[0, 0, 'Officials', 'official']] },
  { text: 'An official, who spoke on condition of anonymity, said the base was hit. Officials said so.', want: [[0, 0, 'official', 'anonymous'], [1, 0, 'Officials', 'official']] },
  { text: 'A statement from the army said two soldiers died.', actors: [{ text: 'the army', kind: 'military' }], want: [[0, 0, 'army', 'official']] },
  { text: 'The group said in a statement that it had carried out the attack.', actors: [{ text: 'The group', kind: 'rebel' }], want: [[0, 0, 'group', 'actor']] },
  {
    text: '"We will not stop," said Zabihullah Mujahid, a Taliban spokesman.',
    actors: [{ text: 'Taliban', kind: 'rebel' }],
    want: [[0, 0, 'Zabihullah Mujahid', 'actor']],
  },
  { text: 'Dawn reported that the road was closed.', want: [[0, 0, 'Dawn', 'news']] },
  { text: 'Residents said the shelling lasted all night. Two houses burned, they added.', want: [[0, 0, 'Residents', 'witness'], [1, 0, 'Residents', 'witness']] },
  { text: 'The army killed five rebels in the north.', want: [] },
];

for (const c of CASES) {
  test(`findSources ${c.text}`, () => {
    const doc = makeTestDoc(c.text, { actors: c.actors ?? [] });
    const got = findSources(doc, lex).map((s) => [s.sentence, s.depth, s.name, s.kind]);
    assert.deepEqual(got, c.want);
    for (const s of findSources(doc, lex)) assert.equal(doc.text.slice(s.start, s.end), s.text);
  });
}

test('readClaim: claim, denial and allegation, with the claimant', () => {
  const cases: [string, ActorSpec[], string, string | null][] = [
    ['The TTP claimed responsibility for the attack.', [{ text: 'The TTP', name: 'Tehrik-i-Taliban Pakistan', kind: 'rebel' }], 'claimed', 'Tehrik-i-Taliban Pakistan'],
    ['Taliban claim capture of Dand district', [{ text: 'Taliban', kind: 'rebel' }], 'claimed', 'Taliban'],
    ['The army denied the claims of rebels.', [{ text: 'The army', kind: 'military' }], 'denied', null],
    ['Activists accused police of beating protesters.', [], 'alleged', null],
    ['Police arrested five protesters.', [], 'reported', null],
  ];
  for (const [text, actors, claim, by] of cases) {
    const doc = makeTestDoc(text, { actors });
    const ranges = sentenceTokenRanges(doc);
    const got = readClaim(doc, lex, ranges[0]!, ranges[1]!);
    assert.deepEqual([got.claim, got.claimedBy], [claim, by], text);
  }
});

test('loadAttributionLexicon: a broken file is a knowledge error that names the file', () => {
  assert.throws(() => loadAttributionLexicon('/nonexistent/attribution.json'), (err: unknown) => {
    return err instanceof Error && 'code' in err && (err as { code: string }).code === 'E_KNOWLEDGE' && err.message.includes('/nonexistent/attribution.json');
  });
});
