/**
 * The geoparser's word knowledge in lookup form, built once from data/geo (cues, non-places,
 * demonyms): every set is keyed by folded word so the matcher only does map look-ups.
 */
import { buildDemonyms, loadDemonyms, type DemonymEntry, type DemonymFile } from './demonyms.js';
import { nameKey } from './fold.js';
import { loadCues, loadNonPlaces, loadSharedRegions, type Cues, type NonPlaces, type SharedRegions } from './knowledge.js';

export interface GeoLexicon {
  /** "province" → 1, "district" → 2. */
  adminWords: Map<string, 1 | 2>;
  settlementWords: Set<string>;
  before: Set<string>;
  metonymyVerbs: Set<string>;
  /** Keys of words/phrases before a place that make it approximate ("near", "outside"). */
  nearWords: Set<string>;
  /**
   * The last words (and last word runs) of the phrases of nearWords ("of" of "north of"): a
   * two-word key is built and looked up only after a word that can end one.
   */
  nearPhraseEnds: Set<string>;
  joiners: Set<string>;
  languageBefore: Set<string>;
  languageAfter: Set<string>;
  nonPlaceWords: Set<string>;
  /** Common first names ("ben", "vladimir"). */
  givenNames: Set<string>;
  /** "west", "northern": modifiers of a name, not names. */
  directionWords: Set<string>;
  /** "university", "embassy": heads of facility names that take a place name in. */
  facilityWords: Set<string>;
  /** "street", "hospital": heads of site names that are places by themselves. */
  siteWords: Set<string>;
  /** "valley", "bay": heads of natural-feature names that take a place name in ("Swat Valley"). */
  featureWords: Set<string>;
  /** Titles that ask for the admin-1 unit ("Governor") or the town ("Mayor") of the name beside them. */
  unitOffices: Set<string>;
  townOffices: Set<string>;
  nonPlacePhrases: Set<string>;
  /** "abu", "bin": a capitalised word after one makes a personal name. */
  nameParticles: Set<string>;
  /** Keys of organisation names that are never places ("taliban"). */
  organisations: Set<string>;
  /** Folded name of a region lying in several countries → those countries ("kashmir" → IN, PK, CN). */
  sharedRegions: Map<string, readonly string[]>;
  /**
   * Plural people nouns ("afghans", "europeans"): they name people, not a place, so detection
   * does not output them as toponyms (adjectives such as "Afghan forces" stay places).
   */
  peopleNouns: Set<string>;
  /** Folded demonym form → entry ("afghans" → AF). */
  demonyms: Map<string, DemonymEntry>;
  /** Longest non-place phrase or demonym, in words. */
  maxExtraWords: number;
}

/** Builds the lexicon from parsed files (tests pass small hand-made ones). */
export function buildLexicon(cues: Cues, nonPlaces: NonPlaces, demonymFile?: DemonymFile, shared: SharedRegions = { regions: [] }): GeoLexicon {
  const demonyms = new Map<string, DemonymEntry>();
  const d = demonymFile ? buildDemonyms(demonymFile) : loadDemonyms();
  for (const entry of d.byForm.values()) {
    const key = nameKey(entry.form);
    if (key && !demonyms.has(key)) demonyms.set(key, entry);
  }
  const peopleNouns = new Set<string>();
  for (const [key, entry] of demonyms) {
    if (entry.kind === 'people') peopleNouns.add(key);
    // A group's plural form: the form less its "s" is the group's adjective ("Europeans").
    else if (entry.kind === 'group' && key.endsWith('s') && demonyms.get(key.slice(0, -1))?.group === entry.group) peopleNouns.add(key);
  }
  const nonPlacePhrases = new Set(nonPlaces.phrases.map(nameKey));
  const organisations = new Set(nonPlaces.organisations.map(nameKey));
  const nearWords = new Set(cues.nearWords.map(nameKey));
  const nearPhraseEnds = new Set<string>();
  for (const phrase of nearWords) for (let at = phrase.indexOf(' '); at >= 0; at = phrase.indexOf(' ', at + 1)) nearPhraseEnds.add(phrase.slice(at + 1));
  let maxExtraWords = 1;
  for (const k of [...nonPlacePhrases, ...organisations, ...demonyms.keys()]) maxExtraWords = Math.max(maxExtraWords, k.split(' ').length);
  return {
    adminWords: new Map(Object.entries(cues.adminWords).map(([k, v]) => [nameKey(k), v])),
    settlementWords: new Set(cues.settlementWords.map(nameKey)),
    before: new Set(cues.before.map(nameKey)),
    metonymyVerbs: new Set(cues.metonymyVerbs.map(nameKey)),
    nearWords,
    nearPhraseEnds,
    joiners: new Set(cues.joiners.map(nameKey)),
    languageBefore: new Set(cues.languageBefore.map(nameKey)),
    languageAfter: new Set(cues.languageAfter.map(nameKey)),
    nonPlaceWords: new Set(nonPlaces.words.map(nameKey)),
    givenNames: new Set(nonPlaces.givenNames.map(nameKey)),
    directionWords: new Set(cues.directionWords.map(nameKey)),
    facilityWords: new Set(cues.facilityWords.map(nameKey)),
    siteWords: new Set(cues.siteWords.map(nameKey)),
    featureWords: new Set(cues.featureWords.map(nameKey)),
    unitOffices: new Set(cues.officeWords.unit.map(nameKey)),
    townOffices: new Set(cues.officeWords.settlement.map(nameKey)),
    nonPlacePhrases,
    nameParticles: new Set(nonPlaces.nameParticles.map(nameKey)),
    organisations,
    sharedRegions: new Map(shared.regions.map((r) => [nameKey(r.name), r.countries])),
    demonyms,
    peopleNouns,
    maxExtraWords,
  };
}

let cached: GeoLexicon | null = null;

/** The lexicon from data/geo, loaded once. @example loadLexicon().adminWords.get('province') // 1 */
export function loadLexicon(): GeoLexicon {
  cached ??= buildLexicon(loadCues(), loadNonPlaces(), undefined, loadSharedRegions());
  return cached;
}
