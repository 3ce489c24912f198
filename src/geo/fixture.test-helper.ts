/**
 * A small hand-built gazetteer for the geoparser's unit tests (the full gazetteer is never loaded
 * in unit tests): a few ambiguous names with invented populations that make the priors pull the
 * wrong way, so that only context can resolve them.
 */
import { createDoc } from '../pipeline.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type { ActorMention, Article, KhabarDoc } from '../types.js';
import { Gazetteer, buildGazetteerData, type PlaceInput } from './gazetteer.js';

function place(p: Partial<PlaceInput> & Pick<PlaceInput, 'name' | 'lat' | 'lon' | 'fcode'>): PlaceInput {
  return { id: null, country: null, admin1: null, admin2: null, population: 0, names: [], ...p };
}

export const FIXTURE_PLACES: PlaceInput[] = [
  // Countries
  place({ id: 1149361, name: 'Afghanistan', lat: 33, lon: 66, fcode: 'PCLI', country: 'AF', population: 37e6 }),
  place({ id: 1168579, name: 'Pakistan', lat: 30, lon: 70, fcode: 'PCLI', country: 'PK', population: 220e6 }),
  place({ id: 1269750, name: 'India', lat: 22, lon: 79, fcode: 'PCLI', country: 'IN', population: 1.3e9 }),
  place({ id: 3017382, name: 'France', lat: 46, lon: 2, fcode: 'PCLI', country: 'FR', population: 67e6 }),
  place({ id: 6252001, name: 'United States', lat: 39.76, lon: -98.5, fcode: 'PCLI', country: 'US', population: 327e6, names: ['U.S.', 'America'] }),
  place({ id: 272103, name: 'Lebanon', lat: 33.83, lon: 35.83, fcode: 'PCLI', country: 'LB', population: 6e6 }),
  place({ id: 2215636, name: 'Libya', lat: 28, lon: 17, fcode: 'PCLI', country: 'LY', population: 6.7e6 }),
  // Admin-1 units
  place({ name: 'Nangarhar', lat: 34.3, lon: 70.5, fcode: 'ADM1', country: 'AF', admin1: '18', population: 1.5e6 }),
  place({ name: 'Sindh', lat: 26, lon: 68.5, fcode: 'ADM1', country: 'PK', admin1: '05', population: 47e6 }),
  place({ name: 'Telangana', lat: 17.8, lon: 79.1, fcode: 'ADM1', country: 'IN', admin1: '40', population: 35e6 }),
  place({ name: 'Texas', lat: 31, lon: -99.3, fcode: 'ADM1', country: 'US', admin1: 'TX', population: 28e6, names: ['Tex.'] }),
  place({ name: 'Île-de-France', lat: 48.7, lon: 2.5, fcode: 'ADM1', country: 'FR', admin1: '11', population: 12e6 }),
  // Settlements
  place({ id: 1139715, name: 'Jalālābād', lat: 34.43, lon: 70.45, fcode: 'PPLA', country: 'AF', admin1: '18', population: 270000, names: ['Jalalabad'] }),
  // A larger namesake elsewhere, so that only containment picks the Afghan one.
  place({ id: 9000001, name: 'Jalalabad', lat: 30.61, lon: 74.26, fcode: 'PPLA', country: 'IN', admin1: '23', population: 900000 }),
  // A village named like the province: "Nangarhar province" must still be the province.
  place({ id: 9000002, name: 'Nangarhar', lat: 34.1, lon: 70.9, fcode: 'PPL', country: 'AF', admin1: '18', population: 5e6 }),
  place({ id: 1138958, name: 'Kabul', lat: 34.53, lon: 69.17, fcode: 'PPLC', country: 'AF', admin1: '13', population: 4.4e6 }),
  place({ id: 1176734, name: 'Hyderabad', lat: 25.39, lon: 68.37, fcode: 'PPLA2', country: 'PK', admin1: '05', population: 1.4e6 }),
  place({ id: 1269843, name: 'Hyderābād', lat: 17.38, lon: 78.46, fcode: 'PPLA', country: 'IN', admin1: '40', population: 6.8e6, names: ['Hyderabad'] }),
  // An admin-2 unit and its seat, for the admin names in the output (codes stay internal).
  place({ name: 'Khyber Pakhtunkhwa', lat: 34.5, lon: 72, fcode: 'ADM1', country: 'PK', admin1: '03', population: 35e6 }),
  place({ name: 'Dera Ismail Khan District', lat: 31.9, lon: 70.6, fcode: 'ADM2', country: 'PK', admin1: '03', admin2: '1180282', population: 1.6e6 }),
  place({ id: 1180281, name: 'Dera Ismail Khan', lat: 31.83, lon: 70.9, fcode: 'PPLA2', country: 'PK', admin1: '03', admin2: '1180282', population: 217000 }),
  // An ocean and a small town named like it: features of no one country agree with any article.
  place({ name: 'Atlantic', lat: 10, lon: -30, fcode: 'OCN', names: ['Atlantic Ocean'] }),
  place({ id: 9000005, name: 'Atlantic', lat: 32.9, lon: -97.1, fcode: 'PPLA2', country: 'US', admin1: 'TX', population: 7000 }),
  // A town whose admin-1 unit the gazetteer lacks: no name is known, so none is output.
  place({ id: 9000004, name: 'Quetta', lat: 30.19, lon: 67.01, fcode: 'PPLA', country: 'PK', admin1: '02', population: 1e6 }),
  place({ id: 1174872, name: 'Karachi', lat: 24.86, lon: 67.01, fcode: 'PPLA', country: 'PK', admin1: '05', population: 11.6e6 }),
  place({ id: 2988507, name: 'Paris', lat: 48.85, lon: 2.35, fcode: 'PPLC', country: 'FR', admin1: '11', population: 2.1e6 }),
  place({ id: 4717560, name: 'Paris', lat: 33.66, lon: -95.56, fcode: 'PPLA2', country: 'US', admin1: 'TX', population: 25000 }),
  place({ id: 4736286, name: 'Dallas', lat: 32.78, lon: -96.8, fcode: 'PPLA2', country: 'US', admin1: 'TX', population: 1.3e6 }),
  place({ id: 2210247, name: 'Tripoli', lat: 32.89, lon: 13.19, fcode: 'PPLC', country: 'LY', admin1: '77', population: 1.15e6 }),
  place({ id: 266826, name: 'Tripoli', lat: 34.43, lon: 35.84, fcode: 'PPLA', country: 'LB', admin1: '09', population: 230000 }),
  place({ id: 276781, name: 'Beirut', lat: 33.89, lon: 35.5, fcode: 'PPLC', country: 'LB', admin1: '04', population: 1.9e6 }),
  place({ id: 88319, name: 'Benghazi', lat: 32.12, lon: 20.07, fcode: 'PPLA', country: 'LY', admin1: '54', population: 650000 }),
  place({ id: 4140963, name: 'Washington', lat: 38.9, lon: -77.04, fcode: 'PPLC', country: 'US', admin1: 'DC', population: 700000 }),
  // A tiny village named like a common surname.
  place({ id: 9000003, name: 'Kelly', lat: 52.0, lon: -1.0, fcode: 'PPL', country: 'GB', admin1: 'ENG', population: 300 }),
];

/** A fresh fixture gazetteer (optionally with more places). */
export function fixtureGazetteer(more: PlaceInput[] = []): Gazetteer {
  return new Gazetteer(buildGazetteerData([...FIXTURE_PLACES, ...more]));
}

/** A document ready for the place stage: the text split and tokenized, with the given actor mentions. */
export function placeStageDoc(text: string, actors: ActorMention[] = []): KhabarDoc {
  const article: Article = { id: 'a1', date: '2024-01-01', title: null, rawText: text, url: null, source: null, language: 'en', origin: { file: '-', line: 1 } };
  const doc = createDoc(article);
  doc.text = text;
  doc.sentences = splitSentences(text);
  doc.tokens = tokenizeSentences(text, doc.sentences);
  doc.actors = actors;
  return doc;
}

/** An actor mention of `text` at its first occurrence in `whole`. */
export function actorIn(text: string, whole: string, kind: ActorMention['kind']): ActorMention {
  const start = whole.indexOf(text);
  return { start, end: start + text.length, text, id: null, name: text, kind, country: null, inter: null, score: 1 };
}
