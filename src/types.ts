/**
 * The shared records of Khabar: the article as ingested, the document that pipeline stages annotate
 * in place (spans point into one normalized text by character offsets), and the output schema.
 */

/** A half-open character range [start, end) into the article's normalized text. */
export interface Span {
  start: number;
  end: number;
}

/** An article as it comes out of a reader, before the pipeline runs. */
export interface Article {
  /** Stable id: given by the input, else a content hash of normalized text + date. */
  id: string;
  /** Publication date, `YYYY-MM-DD`. */
  date: string;
  title: string | null;
  /** The text exactly as read (after decoding), before normalization. */
  rawText: string;
  url: string | null;
  /** The publisher or feed the article came from (free text, e.g. "Dawn"). */
  source: string | null;
  /** ISO 639-1 code when known (given or detected). */
  language: string | null;
  /** Where the article was read from, for error messages and provenance. */
  origin: { file: string; line: number | null };
  /** Where `date` came from (dated line, record field, page metadata, feed item, fetch time, caller default). */
  dateSource?: ArticleDateSource;
}

export type ArticleDateSource = 'line' | 'record' | 'meta' | 'json-ld' | 'time' | 'feed' | 'fetched' | 'default';

/** A sentence or headline segment of the normalized text. */
export interface Sentence extends Span {
  index: number;
  /** Paragraph number (0-based); a blank line or a lone headline line starts a new one. */
  paragraph: number;
  /** True for a headline: a short line standing alone without closing punctuation. */
  isHeadline: boolean;
}

/** A word or punctuation token. `lower` is the lower-cased surface form. */
export interface Token extends Span {
  text: string;
  lower: string;
  sentence: number;
  /** First character is an upper-case letter. */
  cap: boolean;
}

export type ActorKind =
  | 'state'
  | 'government'
  | 'military'
  | 'police'
  | 'intelligence'
  | 'security'
  | 'rebel'
  | 'insurgent'
  | 'militia'
  | 'terrorist'
  | 'party'
  | 'igo'
  | 'ngo'
  | 'media'
  | 'company'
  | 'civilians'
  | 'protesters'
  | 'rioters'
  | 'person'
  | 'organisation'
  | 'unknown';

/** A resolved (or unresolved, id null) place mention. ACLED geo precision 1 | 2 | 3. */
export interface PlaceMention extends Span {
  text: string;
  name: string;
  geonames_id: number | null;
  feature_code: string | null;
  country_code: string | null;
  admin1: string | null;
  admin2: string | null;
  lat: number | null;
  lon: number | null;
  geo_precision: 1 | 2 | 3;
  score: number;
  /** The mention is a demonym/adjective ("Afghan") standing for its country. */
  demonym?: boolean;
  /** Metonymy: the place stands for its government ("Washington said"). */
  metonymy?: boolean;
  /**
   * For a place the gazetteer lacks (lat null) but whose admin unit or country is known: the point
   * of that unit, where an event there is mapped (ACLED places such events at the unit's centre).
   */
  fallback?: { name: string; geonames_id: number | null; lat: number; lon: number } | null;
}

/** An actor mention resolved against the actor base (id null when unknown). */
export interface ActorMention extends Span {
  text: string;
  id: string | null;
  name: string;
  kind: ActorKind;
  country: string | null;
  /** ACLED actor category 1..8 at the article's date, when known. */
  inter: number | null;
  /** For persons: title or role ("Interior Minister") and the organisation they belong to. */
  role?: string | null;
  affiliation?: string | null;
  /** Index into doc.actors of the antecedent, for coreferent mentions ("the group"). */
  antecedent?: number | null;
  score: number;
}

export type DatePrecision = 'day' | 'week' | 'month' | 'year';

/** A date expression resolved against the article's date. */
export interface DateMention extends Span {
  text: string;
  /** Resolved day (`YYYY-MM-DD`), the first day of the range when a range. */
  value: string;
  /** Last day of the range, when the expression is a range ("last week"). */
  end_value?: string | null;
  precision: DatePrecision;
}

export type QuantityRole = 'killed' | 'injured' | 'involved' | 'other';

/** A number of people ("at least 12", "dozens") and what happened to them. */
export interface QuantityMention extends Span {
  text: string;
  value: number;
  /** True when the figure is a lower bound ("at least", "more than", "dozens"). */
  lowerBound: boolean;
  role: QuantityRole;
  /** The noun the number counts ("militants", "soldiers"), when found. */
  noun: string | null;
}

export type SourceKind = 'news' | 'agency' | 'official' | 'actor' | 'anonymous' | 'witness' | 'document' | 'other';

/** A source the article cites ("the provincial police chief said"). */
export interface SourceMention extends Span {
  text: string;
  name: string;
  kind: SourceKind;
  sentence: number;
  /**
   * Place in the sentence's chain of attribution: 0 the sentence's main source ("X said"), 1 a source
   * it cites ("citing Y"), -1 an outlet that relays the main source ("X told Reuters").
   */
  depth?: number;
}

export type ClaimStatus = 'reported' | 'claimed' | 'denied' | 'alleged';

/** An actor as it appears in an event record. */
export interface EventActor {
  name: string;
  id: string | null;
  text: string;
  kind: string;
  country: string | null;
}

/** A place as it appears in an event record. */
export interface EventLocation {
  name: string;
  text: string;
  geonames_id: number | null;
  country_code: string | null;
  admin1: string | null;
  admin2: string | null;
  lat: number | null;
  lon: number | null;
  geo_precision: 1 | 2 | 3;
}

export interface Evidence extends Span {
  text: string;
}

/** Non-conflict categories a sentence may fall into instead of a conflict code. */
export type EventCategory =
  | 'NATURAL_DISASTER'
  | 'MAN_MADE_DISASTER'
  | 'DIPLO'
  | 'ORG_CRIME'
  | 'ATTRIB';

/** One event record: the output schema (field names binding). */
export interface EventRecord {
  event_id: string;
  article_id: string;
  event_type: string;
  mode: string | null;
  acled_event_type: string | null;
  acled_sub_event_type: string | null;
  category?: EventCategory | null;
  actor1: EventActor | null;
  actor2: EventActor | null;
  location: EventLocation | null;
  date: string | null;
  date_precision: DatePrecision;
  fatalities: number | null;
  injured: number | null;
  count: number | null;
  sources: { name: string; kind: SourceKind }[];
  claim: ClaimStatus | null;
  claimed_by: string | null;
  /** The first (main) sentence that reports the event. */
  evidence: Evidence;
  /** Every sentence that reports this event in the article (headline, lead, later mentions). */
  evidence_all?: Evidence[];
  /** The trigger words that signalled the event. */
  trigger?: Evidence | null;
  confidence: number;
  /** Filled by cross-article linking: how many reports and independent sources support it. */
  reports?: number;
  independent_sources?: number;
  /** Filled by cross-article linking on a merged event whose reports disagree: the values reported, the best supported listed, the rest counted. */
  alternatives?: ReportedAlternative[];
  /** Filled by cross-article linking when reports give different fatality figures (`fatalities` is the lowest). */
  fatalities_range?: { min: number; max: number };
  /** Filled by cross-article linking on a report: the id of the merged event it belongs to. */
  cluster_id?: string;
}

/** The values the reports of one merged event gave for a field, each with how many reports gave it. */
export interface ReportedAlternative {
  field: 'event_type' | 'actor1' | 'actor2' | 'location' | 'date' | 'fatalities' | 'injured' | 'count' | 'claim';
  /** Most reported first; at most the LISTED_ALTERNATIVES best supported (src/link/merge.ts). */
  values: { value: string | number | EventActor | EventLocation; reports: number }[];
  /** The values not listed, when there are more: how many, and how many reports gave them (the event's reports list them all). */
  others?: { values: number; reports: number };
}

/** An entity in the article result, for highlighting and indexing. */
export interface Entity extends Span {
  text: string;
  kind: 'actor' | 'place' | 'date' | 'source' | 'quantity';
  id: string | null;
  name?: string;
  value?: string | number;
}

/** The result of running the pipeline on one article: the output schema. */
export interface ArticleResult {
  article_id: string;
  date: string;
  title: string | null;
  text: string;
  entities: Entity[];
  events: EventRecord[];
}

/** Where an event of the article is placed when no sentence names a place: the article's focus. */
export interface ArticleFocus {
  country_code: string | null;
  admin1: string | null;
  place: PlaceMention | null;
}

/**
 * The document that pipeline stages annotate in place. Stages never copy text: every annotation is a
 * span into `text`, the one normalized text; `toRaw` maps a normalized offset back to `article.rawText`.
 */
export interface KhabarDoc {
  article: Article;
  /** The normalized text every span points into. */
  text: string;
  /** toRaw[i] is the offset in article.rawText of normalized offset i (length text.length + 1). */
  toRaw: Int32Array;
  sentences: Sentence[];
  tokens: Token[];
  places: PlaceMention[];
  actors: ActorMention[];
  dates: DateMention[];
  quantities: QuantityMention[];
  sources: SourceMention[];
  events: EventRecord[];
  focus: ArticleFocus | null;
  /** Names of the stages that have run, in order. */
  stagesRun: string[];
}

/** The annotation layers of a document that a stage can require or assign. */
export type DocLayer =
  | 'text'
  | 'sentences'
  | 'tokens'
  | 'places'
  | 'actors'
  | 'dates'
  | 'quantities'
  | 'sources'
  | 'events'
  | 'focus';

/** Modality of an event mention: only 'asserted' past/present events become plain event records. */
export type Modality = 'asserted' | 'negated' | 'future' | 'threat' | 'hypothetical' | 'demand';

/**
 * A typed event mention found in one sentence by the detector (src/events/detect.ts), before its
 * arguments (actors, place, date, numbers, sources) are attached by the event stage.
 */
export interface EventCandidate {
  sentence: number;
  trigger: Evidence;
  event_type: string;
  mode: string | null;
  acled_event_type: string | null;
  acled_sub_event_type: string | null;
  category: EventCategory | null;
  modality: Modality;
  confidence: number;
}

/** Input that could not be ingested or processed, kept with its reason so nothing is lost. */
export interface QuarantineItem {
  /** The file (or "-" for stdin, or a URL) the input came from. */
  file: string;
  /** 1-based line in that file, when the input is line-based (JSONL) or the error has a line. */
  line: number | null;
  /** Stable error code, e.g. E_INGEST_DATE. */
  code: string;
  /** What is wrong and what to do about it. */
  reason: string;
  /** The start of the offending input (at most a few hundred characters), for inspection. */
  excerpt: string;
  /** The article id, when the input got far enough to have one. */
  article_id?: string | null;
}
