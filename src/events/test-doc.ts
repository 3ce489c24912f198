/**
 * Builds a KhabarDoc by hand for tests: the text is split into sentences and tokens by the real text
 * stages, and the other layers (actors, places, dates, quantities, sources) are given as mentions whose
 * spans are found by string search, so a test can state a whole document in a few lines.
 */
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type {
  ActorMention,
  ArticleFocus,
  DateMention,
  EventCandidate,
  KhabarDoc,
  PlaceMention,
  QuantityMention,
  SourceMention,
  Span,
} from '../types.js';

/** Which occurrence of `text` a mention points to (1-based, default 1). */
interface Locate {
  text: string;
  nth?: number;
}

export type ActorSpec = Locate & Partial<Omit<ActorMention, 'start' | 'end' | 'text'>>;
export type PlaceSpec = Locate & Partial<Omit<PlaceMention, 'start' | 'end' | 'text'>>;
export type DateSpec = Locate & Pick<DateMention, 'value'> & Partial<Omit<DateMention, 'start' | 'end' | 'text'>>;
export type QuantitySpec = Locate & Pick<QuantityMention, 'value' | 'role'> & Partial<Omit<QuantityMention, 'start' | 'end' | 'text'>>;
export type SourceSpec = Locate & Partial<Omit<SourceMention, 'start' | 'end' | 'text'>>;

export interface TestDocSpec {
  id?: string;
  date?: string;
  title?: string | null;
  actors?: ActorSpec[];
  places?: PlaceSpec[];
  dates?: DateSpec[];
  quantities?: QuantitySpec[];
  sources?: SourceSpec[];
  focus?: ArticleFocus | null;
}

/** The span of the nth occurrence of `needle` in `text`; throws when there is none (a test typo). */
export function findSpan(text: string, needle: string, nth = 1): Span {
  let from = 0;
  for (let k = 1; ; k++) {
    const at = text.indexOf(needle, from);
    if (at < 0) throw new Error(`test-doc: "${needle}" (occurrence ${nth}) is not in the text`);
    if (k === nth) return { start: at, end: at + needle.length };
    from = at + 1;
  }
}

/**
 * A document with the given layers; text is used as normalized text (write it normalized).
 * @example
 * const doc = makeTestDoc('Police killed two militants in Bannu.', {
 *   actors: [{ text: 'Police', kind: 'police', country: 'PK' }, { text: 'militants', kind: 'rebel' }],
 *   places: [{ text: 'Bannu', geonames_id: 1183880, country_code: 'PK' }],
 * });
 */
export function makeTestDoc(text: string, spec: TestDocSpec = {}): KhabarDoc {
  const sentences = splitSentences(text);
  const tokens = tokenizeSentences(text, sentences);
  const sentenceOf = (start: number): number => {
    const s = sentences.find((x) => x.start <= start && start < x.end);
    return s ? s.index : 0;
  };
  const actors: ActorMention[] = (spec.actors ?? []).map((a) => {
    const { text: t, nth, ...rest } = a;
    return {
      ...findSpan(text, t, nth),
      text: t,
      id: null,
      name: t.replace(/^(?:the|a|an) /i, ''),
      kind: 'unknown',
      country: null,
      inter: null,
      score: 1,
      ...rest,
    };
  });
  const places: PlaceMention[] = (spec.places ?? []).map((p) => {
    const { text: t, nth, ...rest } = p;
    return {
      ...findSpan(text, t, nth),
      text: t,
      name: t,
      geonames_id: null,
      feature_code: 'PPL',
      country_code: null,
      admin1: null,
      admin2: null,
      lat: null,
      lon: null,
      geo_precision: 1,
      score: 1,
      ...rest,
    };
  });
  const dates: DateMention[] = (spec.dates ?? []).map((d) => {
    const { text: t, nth, ...rest } = d;
    return { ...findSpan(text, t, nth), text: t, precision: 'day', ...rest };
  });
  const quantities: QuantityMention[] = (spec.quantities ?? []).map((q) => {
    const { text: t, nth, ...rest } = q;
    return { ...findSpan(text, t, nth), text: t, lowerBound: false, noun: null, ...rest };
  });
  const sources: SourceMention[] = (spec.sources ?? []).map((s) => {
    const { text: t, nth, ...rest } = s;
    const span = findSpan(text, t, nth);
    return { ...span, text: t, name: t, kind: 'other', sentence: sentenceOf(span.start), ...rest };
  });
  const byStart = <T extends Span>(xs: T[]): T[] => xs.sort((a, b) => a.start - b.start);
  return {
    article: {
      id: spec.id ?? 'a1',
      date: spec.date ?? '2024-03-14',
      title: spec.title ?? null,
      rawText: text,
      url: null,
      source: null,
      language: 'en',
      origin: { file: 'test', line: null },
    },
    text,
    toRaw: Int32Array.from({ length: text.length + 1 }, (_, i) => i),
    sentences,
    tokens,
    places: byStart(places),
    // Actors keep the given order: `antecedent` indexes into it.
    actors,
    dates: byStart(dates),
    quantities: byStart(quantities),
    sources: byStart(sources),
    events: [],
    focus: spec.focus ?? null,
    stagesRun: ['normalize', 'sentences', 'tokens'],
  };
}

/**
 * A detector candidate for the sentence holding the trigger text (defaults: ASSAULT, asserted).
 * @example makeCandidate(doc, 'killed', { acled_event_type: 'Battles' })
 */
export function makeCandidate(doc: KhabarDoc, trigger: string, fields: Partial<EventCandidate> & { nth?: number } = {}): EventCandidate {
  const { nth, ...rest } = fields;
  const span = findSpan(doc.text, trigger, nth);
  const sentence = doc.sentences.find((s) => s.start <= span.start && span.start < s.end);
  if (!sentence) throw new Error(`test-doc: trigger "${trigger}" is outside every sentence`);
  return {
    sentence: sentence.index,
    trigger: { ...span, text: trigger },
    event_type: 'ASSAULT',
    mode: null,
    acled_event_type: 'Battles',
    acled_sub_event_type: 'Armed clash',
    category: null,
    modality: 'asserted',
    confidence: 0.8,
    ...rest,
  };
}
