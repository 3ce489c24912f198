import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KhabarError } from '../errors.js';
import type { PlaceMention } from '../types.js';
import { FIXTURE_PLACES, actorIn, fixtureGazetteer, placeStageDoc } from './fixture.test-helper.js';
import { Gazetteer, buildGazetteerData, type PlaceInput } from './gazetteer.js';
import { articleFocus, geoparseText, oneSensePerName, placeStage } from './index.js';
import { blank } from './01-detect.js';
import { loadExonyms } from './knowledge.js';

const gaz = fixtureGazetteer();

function placeOf(places: PlaceMention[], text: string, nth = 0): PlaceMention {
  const found = places.filter((p) => p.text === text);
  const p = found[nth];
  assert.ok(p, `no place "${text}" in ${JSON.stringify(places.map((x) => x.text))}`);
  return p;
}

const ambiguous: { name: string; text: string; mention: string; nth?: number; country: string }[] = [
  { name: 'Paris with ", Texas" is the Texan town', text: 'A storm hit Paris, Texas, on Monday.', mention: 'Paris', country: 'US' },
  { name: 'Paris with ", France" is the capital', text: 'A storm hit Paris, France, on Monday.', mention: 'Paris', country: 'FR' },
  { name: 'Paris alone is the capital (population prior)', text: 'Talks were held in Paris on Monday.', mention: 'Paris', country: 'FR' },
  { name: 'Paris in an article about Dallas is the Texan town', text: 'Police in Dallas said a man drove to Paris later.', mention: 'Paris', country: 'US' },
  { name: 'Hyderabad in an article about Sindh is in Pakistan', text: 'Floods hit Sindh. In Karachi and Hyderabad, roads closed.', mention: 'Hyderabad', country: 'PK' },
  { name: 'Hyderabad alone is the larger Indian city', text: 'Protests spread in Hyderabad on Friday.', mention: 'Hyderabad', country: 'IN' },
  { name: 'Tripoli with Beirut is in Lebanon', text: 'Clashes erupted in Tripoli, north of Beirut.', mention: 'Tripoli', country: 'LB' },
  { name: 'Tripoli with Benghazi is in Libya', text: 'Fighting between Tripoli and Benghazi forces went on.', mention: 'Tripoli', country: 'LY' },
  { name: 'Tripoli with ", Lebanon" is in Lebanon', text: 'A bomb went off in Tripoli, Lebanon.', mention: 'Tripoli', country: 'LB' },
  { name: 'Jalalabad with ", Nangarhar" is the Afghan city (containment)', text: 'Gunmen attacked Jalalabad, Nangarhar.', mention: 'Jalalabad', country: 'AF' },
  { name: 'Jalalabad alone goes to the larger namesake', text: 'Gunmen attacked a market in Jalalabad.', mention: 'Jalalabad', country: 'IN' },
];

for (const c of ambiguous) {
  test(`geoparse ${c.name}`, () => {
    const p = placeOf(geoparseText(gaz, c.text), c.mention, c.nth);
    assert.equal(p.country_code, c.country);
  });
}

test('geoparse "Nangarhar province" is the admin-1 unit, not the namesake village', () => {
  const p = placeOf(geoparseText(gaz, 'Clashes broke out in Nangarhar province on Sunday.'), 'Nangarhar');
  assert.equal(p.feature_code, 'ADM1');
  assert.equal(p.admin1, 'Nangarhar');
  assert.equal(p.geo_precision, 3);
  const q = placeOf(geoparseText(gaz, 'Clashes broke out in the province of Nangarhar.'), 'Nangarhar');
  assert.equal(q.feature_code, 'ADM1');
  // A settlement word asks for the town of that name instead: the words, not the name, decide.
  const r = placeOf(geoparseText(gaz, 'Clashes broke out in Nangarhar city on Sunday.'), 'Nangarhar');
  assert.equal(r.feature_code, 'PPL');
});

const adminNames: { text: string; mention: string; admin1: string | null; admin2: string | null }[] = [
  { text: 'A blast in Dera Ismail Khan killed two.', mention: 'Dera Ismail Khan', admin1: 'Khyber Pakhtunkhwa', admin2: 'Dera Ismail Khan District' },
  { text: 'Clashes broke out in Nangarhar province.', mention: 'Nangarhar', admin1: 'Nangarhar', admin2: null },
  { text: 'Gunmen attacked Jalalabad, Nangarhar.', mention: 'Jalalabad', admin1: 'Nangarhar', admin2: null },
  { text: 'A blast in Quetta killed two.', mention: 'Quetta', admin1: null, admin2: null },
];

for (const c of adminNames) {
  test(`geoparse outputs admin unit names, not codes: ${c.mention}`, () => {
    const p = placeOf(geoparseText(gaz, c.text), c.mention);
    assert.equal(p.admin1, c.admin1);
    assert.equal(p.admin2, c.admin2);
  });
}

test('geoparse precision: a town is 1, "near" a town is 2, a country is 3', () => {
  const places = geoparseText(gaz, 'A bomb exploded in Kabul and another near Jalalabad, Nangarhar, in Afghanistan.');
  assert.equal(placeOf(places, 'Kabul').geo_precision, 1);
  assert.equal(placeOf(places, 'Jalalabad').geo_precision, 2);
  assert.equal(placeOf(places, 'Afghanistan').geo_precision, 3);
});

test('geoparse demonyms map to their country and are flagged', () => {
  const places = geoparseText(gaz, 'Afghan and Pakistani officials met in Kabul.');
  const afghan = placeOf(places, 'Afghan');
  assert.equal(afghan.country_code, 'AF');
  assert.equal(afghan.feature_code, 'PCLI');
  assert.equal(afghan.demonym, true);
  assert.equal(placeOf(places, 'Pakistani').country_code, 'PK');
  assert.equal(placeOf(places, 'Kabul').demonym, undefined);
});

test('geoparse a nationality word used as a language is not a place', () => {
  assert.deepEqual(geoparseText(gaz, 'He spoke in Pakistani to Afghan reporters.').map((p) => p.text), ['Afghan']);
  assert.deepEqual(geoparseText(gaz, 'An Afghan-language paper in Kabul.').map((p) => p.text), ['Kabul']);
});

test('geoparse demonyms: false leaves nationality words out', () => {
  const places = geoparseText(gaz, 'Afghan officials met in Kabul.', { demonyms: false });
  assert.deepEqual(places.map((p) => p.text), ['Kabul']);
});

test('geoparse a name with diacritics matches its plain spelling and back', () => {
  const plain = placeOf(geoparseText(gaz, 'They reached Jalalabad, Nangarhar.'), 'Jalalabad');
  assert.equal(plain.geonames_id, 1139715);
  assert.equal(plain.name, 'Jalālābād');
  const marked = placeOf(geoparseText(gaz, 'They reached Jalālābād, Nangarhar.'), 'Jalālābād');
  assert.equal(marked.geonames_id, 1139715);
  const other = placeOf(geoparseText(gaz, 'Rallies in Île-de-France and Paris.'), 'Île-de-France');
  assert.equal(other.feature_code, 'ADM1');
});

test('geoparse the "none" case: a surname named like a village is not a place', () => {
  const places = geoparseText(gaz, 'Kelly said the talks in Kabul went well. Kelly added more.');
  assert.deepEqual(places.map((p) => p.text), ['Kabul']);
});

test('geoparse given spans: one result per span, in order, null coordinates for "none"', () => {
  const text = 'From Zzyzx Road to Kabul and Paris.';
  const spans = [
    { start: 29, end: 34 },
    { start: 5, end: 15 },
    { start: 19, end: 24 },
  ];
  const out = geoparseText(gaz, text, { givenSpans: spans });
  assert.deepEqual(out.map((p) => text.slice(p.start, p.end)), ['Paris', 'Zzyzx Road', 'Kabul']);
  assert.equal(out[0]!.country_code, 'FR');
  assert.equal(out[2]!.geonames_id, 1138958);
  // An unknown street lies in the article's local focus (here Kabul, a whole name it resolved).
  assert.equal(out[1]!.country_code, 'AF');
  const alone = geoparseText(gaz, 'Zzyzx Road was closed.', { givenSpans: [{ start: 0, end: 10 }] });
  assert.equal(alone[0]!.lat, null);
  assert.equal(alone[0]!.geonames_id, null);
});

test('geoparse given spans: a street lies at the nearest settlement of the article\'s main admin-1 unit, not at a passing one', () => {
  const text = 'Dallas police closed Elm Street. Officials in Dallas and across Texas met on Monday. The senator then flew to Washington for a vote on the budget, while crews in the city repaired Main Street.';
  const names = ['Dallas', 'Elm Street', 'Officials in Dallas', 'Texas', 'Washington', 'Main Street'];
  const spans = names.map((n) => ({ start: text.indexOf(n), end: text.indexOf(n) + n.length }));
  spans[2] = { start: spans[2]!.end - 'Dallas'.length, end: spans[2]!.end };
  const out = geoparseText(gaz, text, { givenSpans: spans });
  assert.deepEqual(out.map((p) => text.slice(p.start, p.end)), ['Dallas', 'Elm Street', 'Dallas', 'Texas', 'Washington', 'Main Street']);
  assert.equal(out[4]!.geonames_id, 4140963);
  // Washington is the nearest settlement to Main Street, but the story's places lie in Texas.
  assert.equal(out[5]!.name, 'Dallas');
});

test('geoparse given spans: a street far from every named settlement lies at the main admin-1 unit\'s settlement, not at one named more often elsewhere', () => {
  const filler = ' The council then spent the evening on the budget, the schools and the roads.'.repeat(10);
  const text = `Washington sent aid. Washington promised more. Storms hit Texas, and Texas asked for help in Dallas.${filler} Crews repaired Main Street.`;
  const spans = [...text.matchAll(/Washington|Texas|Dallas|Main Street/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const out = geoparseText(gaz, text, { givenSpans: spans });
  assert.equal(out.length, 6);
  assert.equal(out[5]!.text, 'Main Street');
  assert.equal(out[5]!.name, 'Dallas');
});

test('geoparse given spans: a facility head inside a span ("Bank" of "Bank of France") is no place, though a village bears its name', () => {
  const withBank = fixtureGazetteer([{ id: 9000010, name: 'Bank', lat: 39.4, lon: 49.2, fcode: 'PPL', country: 'AZ', admin1: '09', admin2: null, population: 3000, names: [] }]);
  const text = 'The Bank of France raised its rates.';
  const [p] = geoparseText(withBank, text, { givenSpans: [{ start: 4, end: 18 }] });
  assert.equal(p!.text, 'Bank of France');
  assert.equal(p!.country_code, 'FR');
});

test('geoparse given spans: a feature head inside a span ("Lake" of "Lake Erie") is no place, though a county is called so for short', () => {
  const withLake = fixtureGazetteer([{ id: null, name: 'Lake County', lat: 42.3, lon: -87.8, fcode: 'ADM2', country: 'US', admin1: 'IL', admin2: '097', population: 700000, names: ['Lake'] }]);
  const text = 'Boats sank on Lake Dallas last week.';
  const [p] = geoparseText(withLake, text, { givenSpans: [{ start: 14, end: 25 }] });
  assert.equal(p!.text, 'Lake Dallas');
  assert.notEqual(p!.name, 'Lake County');
  assert.notEqual(p!.feature_code, 'ADM2');
});

const givenCases: { name: string; text: string; span: string; country: string | null; fcode: string | null }[] = [
  // The span cuts a hyphenated token: it is keyed on its own characters, not the token's head.
  { name: 'a span inside a hyphenated token', text: 'The Lebanon-Libya committee met in Beirut.', span: 'Libya', country: 'LY', fcode: 'PCLI' },
  { name: 'the head of a hyphenated token', text: 'The Lebanon-Libya committee met in Beirut.', span: 'Lebanon', country: 'LB', fcode: 'PCLI' },
  // A compass word before a whole name leaves that name's place.
  { name: 'a compass word before a unit', text: 'Storms hit Western Texas and Dallas.', span: 'Western Texas', country: 'US', fcode: 'ADM1' },
  { name: 'a compass word before a country', text: 'Rains in North Afghanistan and Kabul.', span: 'North Afghanistan', country: 'AF', fcode: 'PCLI' },
  // A country inside the span places it, rather than the nearest town (here Beirut).
  { name: 'a country inside an institution name', text: 'Envoys of the Embassy of the Republic of Libya met in Beirut.', span: 'Embassy of the Republic of Libya', country: 'LY', fcode: 'PCLI' },
];

for (const c of givenCases) {
  test(`geoparse given spans: ${c.name}`, () => {
    const start = c.text.indexOf(c.span);
    const [p] = geoparseText(gaz, c.text, { givenSpans: [{ start, end: start + c.span.length }] });
    assert.equal(p?.country_code, c.country);
    assert.equal(p?.feature_code, c.fcode);
  });
}

test('geoparse plural people nouns are not place mentions; adjectives are', () => {
  const places = geoparseText(gaz, 'Afghans fled to Pakistan after Afghan forces attacked.');
  assert.deepEqual(places.map((p) => p.text), ['Pakistan', 'Afghan']);
  assert.equal(placeOf(places, 'Afghan').country_code, 'AF');
});

test('geoparse an ocean beats a small town of its name in a story about that town\'s state', () => {
  const places = geoparseText(gaz, 'Storms over the Atlantic reached Dallas and Paris, Texas.');
  assert.equal(placeOf(places, 'Atlantic').feature_code, 'OCN');
});

const facilityCases: { text: string; name: string; span: string; off: string; country: string }[] = [
  { text: 'Hundreds of students at Kabul University protested on Sunday in the city of Jalalabad.', name: 'forward to a facility head', span: 'Kabul University', off: 'Kabul', country: 'AF' },
  { text: 'Rates rose, the Bank of Pakistan said in Karachi.', name: 'back over "<Facility> of"', span: 'Bank of Pakistan', off: 'Pakistan', country: 'PK' },
  { text: 'Hundreds of students from Kabul protested on Sunday in the city of Jalalabad.', name: 'no facility head: the name alone', span: 'Kabul', off: 'Kabul', country: 'AF' },
  { text: 'Hundreds of envoys of the Republic of Libya met officials on Sunday in the city of Kabul.', name: 'a country\'s formal name', span: 'Republic of Libya', off: 'Libya', country: 'LY' },
  { text: 'Hundreds of visitors waited outside the Afghan Embassy on Sunday in the city of Karachi.', name: 'a nationality word before a facility head', span: 'Afghan Embassy', off: 'Afghan', country: 'AF' },
  { text: 'Hundreds of officials of the Afghan Ministry of Defence met on Sunday in the city of Karachi.', name: 'a head followed by "of" and a name does not end the name', span: 'Afghan', off: 'Afghan', country: 'AF' },
  { text: 'A man injured in the crash was taken to Kabul Hospital for treatment on Sunday.', name: 'a head followed by "for" and a common word ends the name', span: 'Kabul Hospital', off: 'Kabul', country: 'AF' },
  { text: 'Hundreds of students said the Kabul University’s gates were closed on Sunday.', name: 'the head\'s possessive is no part of the name', span: 'Kabul University', off: 'Kabul', country: 'AF' },
];

for (const c of facilityCases) {
  test(`geoparse facility spans: ${c.name}`, () => {
    const on = geoparseText(gaz, c.text).find((p) => p.country_code === c.country && p.text.includes(c.off));
    assert.equal(on?.text, c.span);
    const off = geoparseText(gaz, c.text, { facilitySpans: false }).find((p) => p.country_code === c.country && p.text.includes(c.off));
    assert.equal(off?.text, c.off);
  });
}

const nameSpanCases: { text: string; name: string; span: string; core: string; country: string }[] = [
  { text: 'Floods reached Southern Texas on Monday.', name: 'a capitalised compass word before a name belongs to it', span: 'Southern Texas', core: 'Texas', country: 'US' },
  { text: 'Floods reached southern Texas on Monday.', name: 'a lower-case compass word does not', span: 'Texas', core: 'Texas', country: 'US' },
  { text: 'Gunmen attacked a crowded passenger bus in Nangarhar Province early on Monday.', name: 'a capitalised admin word after a name belongs to it', span: 'Nangarhar Province', core: 'Nangarhar', country: 'AF' },
  { text: 'Gunmen attacked a crowded passenger bus in Nangarhar province early on Monday.', name: 'a lower-case admin word does not', span: 'Nangarhar', core: 'Nangarhar', country: 'AF' },
  { text: 'Floods along the Kabul River reached many villages early on Monday.', name: 'a capitalised natural-feature word after a name belongs to it', span: 'Kabul River', core: 'Kabul', country: 'AF' },
  { text: 'Officials of the Texas Department of Health met in Dallas.', name: 'an admin word that opens an institution\'s name ("Department of") does not', span: 'Texas', core: 'Texas', country: 'US' },
  { text: 'Officials said the Texas State Police closed roads near Dallas.', name: 'nor one followed by more capitalised words', span: 'Texas', core: 'Texas', country: 'US' },
];

for (const c of nameSpanCases) {
  test(`geoparse name spans: ${c.name}`, () => {
    for (const facilitySpans of [true, false]) {
      const p = geoparseText(gaz, c.text, { facilitySpans }).find((x) => x.country_code === c.country && x.text.includes(c.core));
      assert.equal(p?.text, c.span, `facilitySpans ${facilitySpans}`);
    }
  });
}

test('geoparse facility spans: an event named after a place is the span, where embedded names are kept', () => {
  const text = 'Thousands of fans watched the Karachi Cup final on Sunday in the city of Lahore.';
  const p = geoparseText(gaz, text, { embeddedNames: true }).find((x) => x.country_code === 'PK' && x.text.startsWith('Karachi'));
  assert.equal(p?.text, 'Karachi Cup');
});

test('geoparse facility spans: a grown span that takes in another mention leaves one mention, the longer', () => {
  const text = 'Hundreds of students of the Kabul University of Pakistan protested on Sunday in the city of Karachi.';
  const places = geoparseText(gaz, text, { embeddedNames: true }).filter((x) => x.text.includes('Kabul') || x.text.includes('Pakistan'));
  assert.deepEqual(places.map((x) => x.text), ['Kabul University of Pakistan']);
});

test('geoparse facility spans: a possessive ends the name', () => {
  const text = 'Hundreds of people said that Pakistan’s Foreign Ministry was closed on Sunday in Karachi.';
  const p = geoparseText(gaz, text, { embeddedNames: true }).find((x) => x.country_code === 'PK' && x.text.startsWith('Pakistan'));
  assert.equal(p?.text, 'Pakistan');
});

test('geoparse an abbreviated unit name takes its dot; a full name does not', () => {
  const places = geoparseText(gaz, 'Floods hit the city of Dallas, Tex. on Monday, and later reached Texas.');
  assert.deepEqual(places.map((p) => p.text), ['Dallas', 'Tex.', 'Texas']);
  // Without its dot the abbreviation is another word.
  assert.deepEqual(geoparseText(gaz, 'A singer known as Tex sang on Sunday in the city of Dallas with friends.').map((p) => p.text), ['Dallas']);
});

test('geoparse siteNames outputs street and building names placed at the nearest named town, only when asked', () => {
  const text = 'Hundreds of people gathered on Zzyzx Street in the city of Jalalabad, officials said on Sunday.';
  assert.deepEqual(geoparseText(gaz, text).map((p) => p.text), ['Jalalabad']);
  const on = geoparseText(gaz, text, { siteNames: true });
  assert.deepEqual(on.map((p) => p.text), ['Zzyzx Street', 'Jalalabad']);
  assert.equal(on[0]!.geo_precision, 2);
  assert.equal(on[0]!.name, on[1]!.name);
  // An institution is not a site; a lone sentence-initial word before a site word is no name.
  assert.deepEqual(geoparseText(gaz, 'The Zzyzx Council met in the city of Jalalabad on Sunday with many officials.', { siteNames: true }).map((p) => p.text), ['Jalalabad']);
  assert.deepEqual(geoparseText(gaz, 'Street vendors met in the city of Jalalabad on Sunday with many officials.', { siteNames: true }).map((p) => p.text), ['Jalalabad']);
});

test('geoparse hyphenated compounds: every capitalised part that is a name', () => {
  const text = 'Tension grew along the Lebanon-Libya route and among anti-Pakistan groups near Kabul-based officials.';
  assert.deepEqual(geoparseText(gaz, text).map((p) => text.slice(p.start, p.end)), ['Lebanon', 'Libya', 'Pakistan', 'Kabul']);
});

test('geoparse embeddedNames keeps a major place inside a longer name, only when asked', () => {
  const text = 'Hundreds of fans of the Karachi Kings cheered loudly as the team arrived in the city of Kabul on a warm evening.';
  assert.deepEqual(geoparseText(gaz, text).map((p) => p.text), ['Kabul']);
  const on = geoparseText(gaz, text, { embeddedNames: true });
  assert.deepEqual(on.map((p) => p.text), ['Karachi', 'Kabul']);
  // A small place inside a longer name stays out even then.
  assert.deepEqual(geoparseText(gaz, 'Hundreds of fans of the Kelly Kings cheered loudly as the team arrived in the city of Kabul on a warm evening.', { embeddedNames: true }).map((p) => p.text), ['Kabul']);
});

test('geoparse coherence: repeats of one name do not outvote the article\'s other names', () => {
  const text = 'Protests in Tripoli grew on Monday. Shops in Tripoli shut early. Roads to Tripoli were closed. Officials in Beirut met late.';
  assert.deepEqual(geoparseText(gaz, text).map((p) => `${p.text}:${p.country_code}`), ['Tripoli:LB', 'Tripoli:LB', 'Tripoli:LB', 'Beirut:LB']);
});

test('geoparse a comma list of countries is an enumeration, not containment', () => {
  const P = (p: Partial<PlaceInput> & Pick<PlaceInput, 'name' | 'lat' | 'lon' | 'fcode'>): PlaceInput => ({ id: null, country: null, admin1: null, admin2: null, population: 0, names: [], ...p });
  // Niger State (in Nigeria) is also called "Niger": "Niger, Nigeria" must not read as "Niger in Nigeria".
  const g = new Gazetteer(buildGazetteerData([
    P({ name: 'Niger', lat: 16, lon: 8, fcode: 'PCLI', country: 'NE', population: 2e6 }),
    P({ name: 'Nigeria', lat: 10, lon: 8, fcode: 'PCLI', country: 'NG', population: 6e7 }),
    P({ name: 'Ghana', lat: 8, lon: -1.2, fcode: 'PCLI', country: 'GH', population: 1.5e7 }),
    P({ name: 'Niger State', lat: 9.9, lon: 5.5, fcode: 'ADM1', country: 'NG', admin1: '31', population: 978266, names: ['Niger'] }),
  ]));
  const text = 'Cases were confirmed in Ghana, Niger, Nigeria and elsewhere.';
  const spans = ['Ghana', 'Niger', 'Nigeria'].map((w) => {
    const start = text.indexOf(`${w}${w === 'Nigeria' ? ' ' : ','}`);
    return { start, end: start + w.length };
  });
  for (const out of [geoparseText(g, text, { givenSpans: spans }), geoparseText(g, text)]) {
    assert.deepEqual(out.map((p) => `${p.text}:${p.country_code}:${p.feature_code}`), ['Ghana:GH:PCLI', 'Niger:NE:PCLI', 'Nigeria:NG:PCLI']);
  }
});

test('geoparse demonyms: false drops nationality words but keeps short country names used as adjectives', () => {
  const text = 'Officials in Kabul said U.S. troops and Afghan police met on Sunday.';
  const all = geoparseText(gaz, text);
  assert.ok(all.some((p) => p.text === 'U.S.' && p.demonym === true), 'U.S. is read as a nationality word here');
  const out = geoparseText(gaz, text, { demonyms: false });
  assert.deepEqual(out.map((p) => p.text), ['Kabul', 'U.S.']);
});

const personCases: { text: string; want: string[] }[] = [
  // A first name at the start of a sentence makes the next word a surname.
  { text: 'Ben Dallas met with several reporters and local officials in Kabul on a warm day.', want: ['Kabul'] },
  { text: 'Several reporters met with local officials from Dallas in Kabul on a warm day.', want: ['Dallas', 'Kabul'] },
  // A country or admin-1 unit after a first name is a surname too ("Andrew Jordan") unless a cue asks for a place.
  { text: 'Ben Pakistan met with several reporters and local officials in Kabul on a warm day.', want: ['Kabul'] },
  { text: 'Ben met with several reporters and local officials in Pakistan on a warm day.', want: ['Pakistan'] },
];

for (const c of personCases) {
  test(`geoparse person names with first names: ${c.text}`, () => {
    assert.deepEqual(geoparseText(gaz, c.text).map((p) => p.text), c.want);
  });
}

test('geoparse level coherence: names in one enumeration are of one level', () => {
  const P = (p: Partial<PlaceInput> & Pick<PlaceInput, 'name' | 'lat' | 'lon' | 'fcode'>): PlaceInput => ({ id: null, country: null, admin1: null, admin2: null, population: 0, names: [], ...p });
  // Two states whose namesake towns lie in one third state and so vote for each other.
  const g = new Gazetteer(buildGazetteerData([
    P({ name: 'United States', lat: 39.8, lon: -98.5, fcode: 'PCLI', country: 'US', population: 3e8 }),
    P({ name: 'Oregon', lat: 44, lon: -120.5, fcode: 'ADM1', country: 'US', admin1: 'OR', population: 2e4 }),
    P({ name: 'Nevada', lat: 39, lon: -117, fcode: 'ADM1', country: 'US', admin1: 'NV', population: 2e4 }),
    P({ name: 'Ohio', lat: 40.4, lon: -82.5, fcode: 'ADM1', country: 'US', admin1: 'OH', population: 1e7 }),
    P({ id: 1, name: 'Oregon', lat: 39.98, lon: -95.14, fcode: 'PPLA2', country: 'US', admin1: 'MO', population: 1e5 }),
    P({ id: 2, name: 'Nevada', lat: 37.84, lon: -94.35, fcode: 'PPLA2', country: 'US', admin1: 'MO', population: 1e5 }),
  ]));
  const listed = 'Cases were confirmed in Ohio, Oregon and Nevada on Monday, officials said.';
  assert.deepEqual(geoparseText(g, listed).map((p) => `${p.text}:${p.feature_code}`), ['Ohio:ADM1', 'Oregon:ADM1', 'Nevada:ADM1']);
  // Outside an enumeration the rule says nothing: the towns' mutual support stands.
  const apart = 'Cases were confirmed in Oregon on Monday. Later, Nevada reported more; Ohio did too.';
  assert.deepEqual(geoparseText(g, apart).filter((p) => p.text !== 'Ohio').map((p) => `${p.text}:${p.feature_code}`), ['Oregon:PPLA2', 'Nevada:PPLA2']);
});

const senseCases: { name: string; mentions: { key: string; place: number; prob: number; cue?: 'level' | 'container' }[]; want: number[] }[] = [
  { name: 'bare repeats take the most confident choice', mentions: [{ key: 'paris', place: 1, prob: 0.99 }, { key: 'paris', place: 2, prob: 0.6 }, { key: 'paris', place: 2, prob: 0.55 }], want: [1, 1, 1] },
  { name: 'a mention whose words ask for a level keeps its own', mentions: [{ key: 'nangarhar', place: 1, prob: 0.9 }, { key: 'nangarhar', place: 3, prob: 0.5, cue: 'level' }], want: [1, 3] },
  { name: 'a contained mention keeps its own', mentions: [{ key: 'paris', place: 1, prob: 0.9 }, { key: 'paris', place: 2, prob: 0.5, cue: 'container' }], want: [1, 2] },
  { name: 'different names do not mix', mentions: [{ key: 'paris', place: 1, prob: 0.9 }, { key: 'kabul', place: 4, prob: 0.5 }], want: [1, 4] },
];

for (const c of senseCases) {
  test(`oneSensePerName: ${c.name}`, () => {
    const toponyms = c.mentions.map((m, i) => {
      const tp = blank(i * 10, i * 10 + 5, i, i + 1, m.key);
      if (m.cue === 'level') tp.adminLevel = 1;
      if (m.cue === 'container') tp.container = 99;
      return tp;
    });
    const chosen = c.mentions.map((m) => ({ place: m.place, prob: m.prob }));
    oneSensePerName(toponyms, chosen);
    assert.deepEqual(chosen.map((x) => x.place), c.want);
  });
}

test('geoparse metonymy: a capital that speaks is flagged', () => {
  const places = geoparseText(gaz, 'Washington said it would respond. Troops moved to Kabul.');
  assert.equal(placeOf(places, 'Washington').metonymy, true);
  assert.equal(placeOf(places, 'Kabul').metonymy, undefined);
});



test('placeStage skips names inside a named organisation but keeps them inside generic actors', () => {
  const text = 'Kabul University students and Afghan forces met in Jalalabad, Nangarhar.';
  const doc = placeStage.run(placeStageDoc(text, [actorIn('Kabul University', text, 'organisation'), actorIn('Afghan forces', text, 'military')]), { knowledge: { gazetteer: gaz } });
  assert.deepEqual(doc.places.map((p) => p.text), ['Afghan', 'Jalalabad', 'Nangarhar']);
  assert.equal(doc.focus?.country_code, 'AF');
  assert.equal(doc.focus?.admin1, 'Nangarhar');
});

test('placeStage works with no actors and sets the focus', () => {
  const doc = placeStage.run(placeStageDoc('Floods hit Sindh. In Karachi and Hyderabad, roads closed.'), { knowledge: { gazetteer: gaz } });
  assert.equal(doc.focus?.country_code, 'PK');
  assert.equal(doc.focus?.admin1, 'Sindh');
  assert.equal(doc.focus?.place?.name, 'Sindh');
});

test('placeStage without a gazetteer throws a KnowledgeError that says what to do', () => {
  assert.throws(
    () => placeStage.run(placeStageDoc('In Kabul.'), { knowledge: {} }),
    (err: unknown) => err instanceof KhabarError && err.code === 'E_KNOWLEDGE' && /loadGazetteer/.test(err.message),
  );
});

test('articleFocus is null when no place has a country', () => {
  assert.equal(articleFocus(gaz, []), null);
});

test('geoparse "X, in Y" and "X located in Y" put X inside Y, as "X in Y" does', () => {
  // The Indian Jalalabad is the larger, and Hyderabad, Telangana pulls towards India: only the words put it in Nangarhar.
  for (const text of ['Men from Hyderabad, Telangana, attacked Jalalabad, in Nangarhar.', 'Men from Hyderabad, Telangana, attacked Jalalabad in Nangarhar.', 'Men from Hyderabad, Telangana, attacked Jalalabad, located in Nangarhar.']) {
    assert.equal(placeOf(geoparseText(gaz, text), 'Jalalabad').country_code, 'AF', text);
  }
});

test('geoparse given spans: a seat of government named for its government ("the White House said") is its city, not a namesake town', () => {
  const alias = loadExonyms().places.find((x) => x.alias === 'White House');
  assert.deepEqual([alias?.name, alias?.country], ['Washington', 'US']);
  // The build gives the alias to the city it names; a Tennessee town bears the name itself.
  const g = new Gazetteer(buildGazetteerData([
    ...FIXTURE_PLACES.map((p) => (p.name === alias!.name && p.country === alias!.country ? { ...p, names: [...p.names, alias!.alias] } : p)),
    { id: 4667282, name: 'White House', lat: 36.47, lon: -86.65, fcode: 'PPL', country: 'US', admin1: 'TN', admin2: null, population: 10000, names: [] },
  ]));
  const text = 'The White House said talks with Texas officials went well.';
  const start = text.indexOf('White House');
  const [p] = geoparseText(g, text, { givenSpans: [{ start, end: start + 'White House'.length }] });
  assert.equal(p!.name, 'Washington');
});

test('geoparse two names joined by "or"/"and" are of one level, as longer lists are', () => {
  const g = fixtureGazetteer([{ id: null, name: 'Washington', lat: 47.5, lon: -120.5, fcode: 'ADM1', country: 'US', admin1: 'WA', admin2: null, population: 7.6e6, names: [] }]);
  // Beside a state, Washington is the state; beside a city, the capital.
  assert.equal(placeOf(geoparseText(g, 'Jobs moved out of Texas or Washington last year.'), 'Washington').feature_code, 'ADM1');
  assert.equal(placeOf(geoparseText(g, 'Jobs moved out of Dallas or Washington last year.'), 'Washington').feature_code, 'PPLC');
});

test('geoparse a governor asks for the unit of the name beside it, a mayor for the town', () => {
  for (const text of ['The Nangarhar governor said two men died.', 'The governor of Nangarhar said two men died.']) {
    assert.equal(placeOf(geoparseText(gaz, text), 'Nangarhar').feature_code, 'ADM1', text);
  }
  assert.equal(placeOf(geoparseText(gaz, 'The Nangarhar mayor said two men died.'), 'Nangarhar').feature_code, 'PPL');
  // After "X, " the title is the next person's: Nangarhar stays the province that holds Jalalabad.
  assert.equal(placeOf(geoparseText(gaz, 'JALALABAD, Nangarhar Mayor Ahmad Khan said two men died.'), 'Nangarhar').feature_code, 'ADM1');
});
