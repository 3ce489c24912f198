/**
 * Unit tests of step 4 (choice and the filters that need no candidates), through geoparseText on
 * the small hand-built fixture gazetteer and the shipped cue words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureGazetteer } from './fixture.test-helper.js';
import { geoparseText } from './index.js';

const gaz = fixtureGazetteer();

const nounCases: { text: string; places: string[] }[] = [
  // A verb right after a nationality word makes it a noun (a language or a people), not a place.
  { text: 'In Kabul, Pakistani is taught in few schools.', places: ['Kabul'] },
  { text: 'Officials said Afghan will be the second language in Kabul schools.', places: ['Kabul'] },
  { text: 'In Kabul the French are welcome.', places: ['Kabul'] },
  // Before a noun it modifies, the same word is a place adjective; "and" joins two of them.
  { text: 'Pakistani troops and French officials met in Kabul.', places: ['Pakistani', 'French', 'Kabul'] },
  { text: 'Afghan and Pakistani officials met in Kabul.', places: ['Afghan', 'Pakistani', 'Kabul'] },
];

for (const c of nounCases) {
  test(`choose a nationality word followed by a verb is no place: ${c.text}`, () => {
    assert.deepEqual(geoparseText(gaz, c.text).map((p) => p.text), c.places);
  });
}
