/**
 * One stored event is a *report*: its blocking keys (type family, date window, country), the
 * features the pairwise decision weighs, and the key of the origin it rests on (for counting
 * independent sources). Pure functions of the report and its article.
 */
import type { DatePrecision, EventRecord } from '../types.js';
import type { LinkConfig } from './config.js';

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The flat fields of a report that linking reads: built from an EventRecord or from a stored row. */
export interface ReportFields {
  event_id: string;
  article_id: string;
  article_date: string;
  event_type: string;
  mode: string | null;
  acled_sub_event_type: string | null;
  date: string | null;
  date_precision: DatePrecision;
  actor1_id: string | null;
  actor1_name: string | null;
  actor1_kind: string | null;
  actor2_id: string | null;
  actor2_name: string | null;
  actor2_kind: string | null;
  geonames_id: number | null;
  country: string | null;
  admin1: string | null;
  lat: number | null;
  lon: number | null;
  geo_precision: number | null;
  fatalities: number | null;
}

/** What the decision compares, derived once per report. */
export interface ReportFeatures extends ReportFields {
  family: string;
  /** 'day': a single day; 'coarse': a window up to maxWindowDays; 'none': too vague to cluster. */
  pclass: 'day' | 'coarse' | 'none';
  dayLo: number;
  dayHi: number;
  /** Upper-case country code, '' when unplaced (the blocking key). */
  blockCountry: string;
  /** Sort key of the report: the earliest report of a cluster names it. */
  orderKey: string;
  /** The actors' names and the province as compared (trimmed, lower case; null when absent), once a report rather than once a pair. */
  actor1Key: string | null;
  actor2Key: string | null;
  admin1Key: string | null;
}

/** The fields of an EventRecord that linking reads. */
export function fieldsOfRecord(ev: EventRecord, articleDate: string): ReportFields {
  const loc = ev.location;
  return {
    event_id: ev.event_id,
    article_id: ev.article_id,
    article_date: articleDate,
    event_type: ev.event_type,
    mode: ev.mode,
    acled_sub_event_type: ev.acled_sub_event_type,
    date: ev.date,
    date_precision: ev.date_precision,
    actor1_id: ev.actor1?.id ?? null,
    actor1_name: ev.actor1?.name ?? null,
    actor1_kind: ev.actor1?.kind ?? null,
    actor2_id: ev.actor2?.id ?? null,
    actor2_name: ev.actor2?.name ?? null,
    actor2_kind: ev.actor2?.kind ?? null,
    geonames_id: loc?.geonames_id ?? null,
    country: loc?.country_code?.toUpperCase() ?? null,
    admin1: loc?.admin1 ?? null,
    lat: loc?.lat ?? null,
    lon: loc?.lon ?? null,
    geo_precision: loc?.geo_precision ?? null,
    fatalities: ev.fatalities,
  };
}

/** The order of ReportFields in their stored form (encodeFields): never reorder, only append. */
const FIELD_ORDER = [
  'event_id',
  'article_id',
  'article_date',
  'event_type',
  'mode',
  'acled_sub_event_type',
  'date',
  'date_precision',
  'actor1_id',
  'actor1_name',
  'actor1_kind',
  'actor2_id',
  'actor2_name',
  'actor2_kind',
  'geonames_id',
  'country',
  'admin1',
  'lat',
  'lon',
  'geo_precision',
  'fatalities',
] as const satisfies readonly (keyof ReportFields)[];

/**
 * A report's fields as a compact JSON array (values in FIELD_ORDER, no keys): about a third of the
 * object's size in the link tables. The array is written out field by field (not mapped over
 * FIELD_ORDER): a third of the cost, for every report stored.
 * @example encodeFields(fields).startsWith('["a1:e1","a1","2024-05-06"') // true
 */
export function encodeFields(f: ReportFields): string {
  return JSON.stringify([
    f.event_id,
    f.article_id,
    f.article_date,
    f.event_type,
    f.mode,
    f.acled_sub_event_type,
    f.date,
    f.date_precision,
    f.actor1_id,
    f.actor1_name,
    f.actor1_kind,
    f.actor2_id,
    f.actor2_name,
    f.actor2_kind,
    f.geonames_id,
    f.country,
    f.admin1,
    f.lat,
    f.lon,
    f.geo_precision,
    f.fatalities,
  ]);
}

/** The fields stored by encodeFields (or, in stores written before it, as a JSON object of them). */
export function decodeFields(json: string): ReportFields {
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) return parsed as ReportFields;
  // One object literal in FIELD_ORDER (read for every stored candidate missing from the feature cache).
  const v = parsed as unknown[];
  const at = <T>(i: number): T => (v[i] ?? null) as T;
  return {
    event_id: at(0),
    article_id: at(1),
    article_date: at(2),
    event_type: at(3),
    mode: at(4),
    acled_sub_event_type: at(5),
    date: at(6),
    date_precision: at(7),
    actor1_id: at(8),
    actor1_name: at(9),
    actor1_kind: at(10),
    actor2_id: at(11),
    actor2_name: at(12),
    actor2_kind: at(13),
    geonames_id: at(14),
    country: at(15),
    admin1: at(16),
    lat: at(17),
    lon: at(18),
    geo_precision: at(19),
    fatalities: at(20),
  };
}

/**
 * A name as the decision compares it: trimmed, lower case (null stays null).
 * @example nameKey(' Taliban ') // 'taliban'
 */
export function nameKey(s: string | null): string | null {
  return s === null ? null : s.trim().toLowerCase();
}

const SPAN: Record<DatePrecision, number> = { day: 0, week: 6, month: 30, year: 365 };

/**
 * Blocking keys and features of a report.
 * @example featuresOf(fields, config).pclass // 'day' for "on Monday", 'coarse' for "last month"
 */
export function featuresOf(f: ReportFields, config: LinkConfig): ReportFeatures {
  const type = f.event_type.toUpperCase();
  const family = config.familyOf.get(type) ?? type;
  let dayLo: number;
  let dayHi: number;
  let pclass: ReportFeatures['pclass'];
  if (f.date === null) {
    // Undated: the event happened shortly before the article.
    dayHi = dayNumber(f.article_date);
    dayLo = dayHi - config.cluster.undatedWindowDays;
    pclass = 'coarse';
  } else {
    dayLo = dayNumber(f.date);
    dayHi = dayLo + SPAN[f.date_precision];
    pclass = f.date_precision === 'day' ? 'day' : dayHi - dayLo <= config.cluster.maxWindowDays ? 'coarse' : 'none';
  }
  const eventDate = f.date ?? f.article_date;
  // Fields copied one by one (not spread): a fixed shape, built for every report and every cache miss.
  return {
    event_id: f.event_id,
    article_id: f.article_id,
    article_date: f.article_date,
    event_type: f.event_type,
    mode: f.mode,
    acled_sub_event_type: f.acled_sub_event_type,
    date: f.date,
    date_precision: f.date_precision,
    actor1_id: f.actor1_id,
    actor1_name: f.actor1_name,
    actor1_kind: f.actor1_kind,
    actor2_id: f.actor2_id,
    actor2_name: f.actor2_name,
    actor2_kind: f.actor2_kind,
    geonames_id: f.geonames_id,
    country: f.country,
    admin1: f.admin1,
    lat: f.lat,
    lon: f.lon,
    geo_precision: f.geo_precision,
    fatalities: f.fatalities,
    family,
    pclass,
    dayLo,
    dayHi,
    blockCountry: f.country?.toUpperCase() ?? '',
    orderKey: `${eventDate}\u0000${f.article_id}\u0000${f.event_id}`,
    actor1Key: nameKey(f.actor1_name),
    actor2Key: nameKey(f.actor2_name),
    admin1Key: nameKey(f.admin1),
  };
}

const EARTH_KM = 6371;
/** Kilometres along a meridian per degree of latitude (on the sphere km() uses). */
const KM_PER_DEGREE = (EARTH_KM * Math.PI) / 180;

/** Great-circle distance in km. */
function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const LEADING_THE = /^the\s+/u;
const NON_WORD = /[^\p{L}\p{N}]+/gu;


/** Score of one actor role: ids, then names (as given, or as compared: `keyA`, `keyB`), then kinds. */
function actorScore(
  idA: string | null,
  nameA: string | null,
  keyA: string | null,
  kindA: string | null,
  idB: string | null,
  nameB: string | null,
  keyB: string | null,
  kindB: string | null,
  w: LinkConfig['cluster']['weights'],
): number {
  if (idA !== null && idA === idB) return w.actorId;
  if (nameA !== null && nameB !== null && (nameA === nameB || keyA === keyB)) return w.actorName;
  if (idA !== null && idB !== null) return w.actorConflict;
  if (kindA !== null && kindB !== null && kindA !== kindB && kindA !== 'unknown' && kindB !== 'unknown') return w.actorKindConflict;
  return 0;
}

export interface Decision {
  match: boolean;
  score: number;
  /** Why the pair was ruled out regardless of score, when it was. */
  veto: string | null;
}

/** A decision ruled out by a veto: one shared object per reason (most pairs a report meets are vetoed). */
const vetoes = new Map<string, Decision>();
function vetoed(veto: string): Decision {
  let d = vetoes.get(veto);
  if (!d) {
    d = Object.freeze({ match: false, score: 0, veto });
    vetoes.set(veto, d);
  }
  return d;
}

/**
 * Whether two reports describe the same real-world event. Symmetric in (a, b), and a function of the
 * pair alone, so clusters (connected components of matching pairs) do not depend on arrival order.
 * `nearDuplicate` says whether their articles are near-duplicates of each other.
 * @example decide(wireReport, rewriteReport, false, config) // { match: true, score: 7, veto: null }
 */
export function decide(a: ReportFeatures, b: ReportFeatures, nearDuplicate: boolean, config: LinkConfig): Decision {
  const c = config.cluster;
  const w = c.weights;
  const no = vetoed;
  if (a.article_id === b.article_id) return no('same article: its events were already told apart by the pipeline');
  if (a.family !== b.family) return no('different type families');
  if (a.pclass === 'none' || b.pclass === 'none') return no('a date too vague to link');
  if (a.blockCountry !== b.blockCountry) return no('different countries');
  let score = 0;
  // Date: windows must overlap within the tolerance; two exact days may differ by the tolerance.
  if (a.dayLo > b.dayHi + c.dayTolerance || b.dayLo > a.dayHi + c.dayTolerance) return no('dates too far apart');
  if (a.pclass === 'day' && b.pclass === 'day' && a.dayLo === b.dayLo) score += w.sameDay;
  // Place.
  if (a.geonames_id !== null && a.geonames_id === b.geonames_id) score += w.samePlace;
  else if (a.lat !== null && a.lon !== null && b.lat !== null && b.lon !== null && (a.geo_precision ?? 3) < 3 && (b.geo_precision ?? 3) < 3) {
    // The great-circle distance is at least the latitude difference along a meridian: a pair far
    // apart by that alone is vetoed without the trigonometry (the margin covers rounding).
    if (Math.abs(a.lat - b.lat) * KM_PER_DEGREE > c.farKm * (1 + 1e-9)) return no('places too far apart');
    const d = km(a.lat, a.lon, b.lat, b.lon);
    if (d > c.farKm) return no('places too far apart');
    if (d <= c.nearKm) score += w.nearPlace;
  } else if (a.admin1 !== null && b.admin1 !== null && a.admin1 !== b.admin1 && a.admin1Key !== b.admin1Key) return no('different provinces');
  // Type within the family.
  if (a.event_type === b.event_type && a.acled_sub_event_type === b.acled_sub_event_type) score += w.sameType;
  else if (a.acled_sub_event_type !== null && b.acled_sub_event_type !== null && a.acled_sub_event_type !== b.acled_sub_event_type) score += w.otherSubType;
  // Actors, role by role.
  score += actorScore(a.actor1_id, a.actor1_name, a.actor1Key, a.actor1_kind, b.actor1_id, b.actor1_name, b.actor1Key, b.actor1_kind, w);
  score += actorScore(a.actor2_id, a.actor2_name, a.actor2Key, a.actor2_kind, b.actor2_id, b.actor2_name, b.actor2Key, b.actor2_kind, w);
  // Counts: equal figures support, figures far apart (beyond a factor 2 and 3 people) count against.
  if (a.fatalities !== null && b.fatalities !== null) {
    const lo = Math.min(a.fatalities, b.fatalities);
    const hi = Math.max(a.fatalities, b.fatalities);
    if (lo === hi) score += w.sameCount;
    else if (hi > 2 * lo && hi - lo > 3) score += w.farCount;
  }
  if (nearDuplicate) score += w.nearDuplicate;
  return { match: score >= c.threshold, score, veto: null };
}

/**
 * What decide() says of a pair before their articles are compared: a match, no match, or it turns on
 * whether they are near-duplicates (a match only if they are; with a negative weight, only if not).
 */
export type PairAnswer = 'match' | 'different' | 'if-near-duplicates' | 'unless-near-duplicates';

/**
 * decide()'s answer for a pair whatever their articles, or the near-duplicate test it turns on (only
 * then are their signatures compared).
 * @example pairAnswer(wireReport, rewriteReport, config) // 'if-near-duplicates'
 */
export function pairAnswer(a: ReportFeatures, b: ReportFeatures, config: LinkConfig): PairAnswer {
  const without = decide(a, b, false, config);
  if (without.veto !== null) return 'different';
  const withScore = without.score + config.cluster.weights.nearDuplicate;
  if (without.match === withScore >= config.cluster.threshold) return without.match ? 'match' : 'different';
  return without.match ? 'unless-near-duplicates' : 'if-near-duplicates';
}

/**
 * Whether two reports describe the same event, as decide() says, asking `nearDuplicate` (whether
 * their articles are near-duplicates, which costs their signatures) only when the answer turns on it.
 * @example matches(wireReport, rewriteReport, () => similarity(a, b) >= 0.5, config) // true
 */
export function matches(a: ReportFeatures, b: ReportFeatures, nearDuplicate: () => boolean, config: LinkConfig): boolean {
  const answer = pairAnswer(a, b, config);
  return answerMatches(answer, (answer === 'if-near-duplicates' || answer === 'unless-near-duplicates') && nearDuplicate());
}

/**
 * Whether a pair that pairAnswer answered `answer` matches, their articles being near-duplicates or not
 * (`nearDuplicates`, read only when the answer turns on it).
 * @example answerMatches('if-near-duplicates', true) // true
 */
export function answerMatches(answer: PairAnswer, nearDuplicates: boolean): boolean {
  if (answer === 'if-near-duplicates') return nearDuplicates;
  if (answer === 'unless-near-duplicates') return !nearDuplicates;
  return answer === 'match';
}

/** An outlet or agency name as a key: lower case, no leading "the", no punctuation. */
export function outletKey(name: string): string {
  return name
    .toLowerCase()
    .replace(LEADING_THE, '')
    .replace(NON_WORD, ' ')
    .trim();
}

/**
 * The origin a report rests on when it is not its article's own: an actor's own claim
 * ("actor:…"), or an agency or outlet the article relays ("outlet:…"); null when the article is the
 * origin (then the origin is its near-duplicate group's earliest article, see articleOrigin).
 * @example fixedOrigin({ ...ev, sources: [{ name: 'Reuters', kind: 'agency' }] }, config) // 'outlet:reuters'
 */
export function fixedOrigin(ev: EventRecord, config: LinkConfig): string | null {
  if (ev.claim === 'claimed' && ev.claimed_by) return `actor:${outletKey(ev.claimed_by)}`;
  const outlet = ev.sources.find((s) => config.outletKindSet.has(s.kind));
  return outlet ? `outlet:${outletKey(outlet.name)}` : null;
}

/** An article's own origin: its publisher when known, else the article itself. */
export function articleOrigin(articleId: string, source: string | null): string {
  return source && outletKey(source) !== '' ? `outlet:${outletKey(source)}` : `article:${articleId}`;
}

/** What one report rests on, for counting independent sources. */
export interface ReportOrigin {
  /** An actor's claim or a relayed outlet (fixedOrigin), else null. */
  fixed: string | null;
  /** Store id of the earliest article of the report's near-duplicate group. */
  dupRoot: number;
  /** The report's own article's origin (articleOrigin). */
  article: string;
}

/**
 * The number of independent sources behind a set of reports: reports are joined when they share an
 * origin token, and each group of joined reports counts once. A report's tokens are its article's
 * near-duplicate group, plus the agency or outlet it relays or the actor whose claim it carries (or,
 * when neither, its own publisher). So copies of one text count once whatever their publishers, and an
 * outlet relaying Reuters counts with Reuters.
 * @example independentSources([{ fixed: 'outlet:reuters', dupRoot: 2, article: 'outlet:dawn' }, { fixed: null, dupRoot: 1, article: 'outlet:reuters' }]) // 1
 */
export function independentSources(origins: readonly ReportOrigin[]): number {
  const sources = new IndependentSources();
  for (const o of origins) sources.add(o);
  return sources.count;
}

/**
 * independentSources kept up to date as reports are added one at a time (a cluster's count is then read,
 * not recomputed over all its reports): a union-find over origin tokens and near-duplicate groups.
 * @example const s = new IndependentSources(); s.add({ fixed: null, dupRoot: 1, article: 'outlet:dawn' }); s.count // 1
 */
export class IndependentSources {
  /** Each token's parent; a token that is its own parent names its group. */
  private readonly parent = new Map<string, string>();
  /** The number of groups of joined tokens: the independent sources. */
  count = 0;

  /** Adds one report's origin. */
  add(o: ReportOrigin): void {
    this.join(`group:${o.dupRoot}`, o.fixed ?? o.article);
  }

  /** Near-duplicate group `from` joined group `to`: reports that rest on either now rest on one origin (nothing when none rests on `from`). */
  joinGroups(from: number, to: number): void {
    if (this.parent.has(`group:${from}`)) this.join(`group:${from}`, `group:${to}`);
  }

  /** Adds every origin of another set (the reports of a cluster merged into this one's). */
  absorb(other: IndependentSources): void {
    for (const [token, parent] of other.parent) this.join(token, parent);
  }

  private token(x: string): void {
    if (this.parent.has(x)) return;
    this.parent.set(x, x);
    this.count++;
  }

  private find(x: string): string {
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r) as string;
    let y = x;
    while (y !== r) {
      const next = this.parent.get(y) as string;
      this.parent.set(y, r);
      y = next;
    }
    return r;
  }

  private join(a: string, b: string): void {
    this.token(a);
    this.token(b);
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
    this.count--;
  }
}
