/**
 * Event detection and typing: for each sentence of a document, the event mentions it reports, typed
 * in PLOVER (type, mode) and ACLED (event type, sub-event type) or a non-conflict category, with
 * modality (negated, threat, future...) and a confidence. Triggers are data (data/events/triggers.json).
 */
import { actorStage } from '../actors/index.js';
import { createDoc, type Knowledge } from '../pipeline.js';
import { normalizeText } from '../text/normalize.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type { ActorMention, EventCandidate, EventCategory, KhabarDoc, Token } from '../types.js';
import { CUE_BITS, detectInSentence, resolveCode, scanTokens, sentenceCueMask, type RawCandidate } from './typing/detect-sentence.js';
import { cueBit, loadTriggerLexicon, type EventLexicon } from './typing/lexicon.js';

export type { EventLexicon } from './typing/lexicon.js';

declare module '../pipeline.js' {
  interface Knowledge {
    eventLexicon?: EventLexicon;
  }
}

/**
 * Loads the event trigger lexicon (data/events/triggers.json), validated and indexed. Sync, ~20 ms.
 * @example const lexicon = loadEventLexicon(); detectEvents(doc, lexicon)
 */
export function loadEventLexicon(path?: string): EventLexicon {
  return loadTriggerLexicon(path);
}

function toCandidate(lex: EventLexicon, tokens: readonly Token[], text: string, c: RawCandidate): EventCandidate {
  const start = tokens[c.first]!.start;
  const end = tokens[c.last - 1]!.end;
  const pair = c.code !== null ? lex.acled.get(c.code) : undefined;
  return {
    sentence: c.sentence,
    trigger: { start, end, text: text.slice(start, end) },
    event_type: c.type,
    mode: c.mode,
    acled_event_type: pair ? pair[0] : null,
    acled_sub_event_type: pair ? pair[1] : null,
    category: c.category,
    modality: c.modality,
    confidence: c.confidence,
  };
}

/** Raw candidates of every sentence, in order (internal: keeps weights for the main-event choice). */
function detectRaw(doc: KhabarDoc, lexicon: EventLexicon): RawCandidate[] {
  const tokens = doc.tokens;
  // Each token's lexicon entry (forms, patterns, cues), looked up once for the whole document.
  const scan = scanTokens(lexicon, tokens, 0, tokens.length);
  const out: RawCandidate[] = [];
  let ti = 0;
  for (const s of doc.sentences) {
    while (ti < tokens.length && tokens[ti]!.sentence < s.index) ti++;
    const from = ti;
    while (ti < tokens.length && tokens[ti]!.sentence === s.index) ti++;
    if (ti === from) continue;
    for (const c of detectInSentence(lexicon, scan, actorsOf(doc.actors), { index: s.index, isHeadline: s.isHeadline, from, to: ti })) out.push(c);
  }
  return out;
}

function actorsOf(actors: readonly ActorMention[] | undefined): readonly ActorMention[] {
  return actors ?? [];
}

/**
 * The typed event mentions of every sentence, in order. Candidates whose modality is not 'asserted'
 * (negated, threat, future, hypothetical, demand) are returned too, flagged, for the caller to drop.
 * @example detectEvents(doc, lexicon)[0] // { event_type: 'ASSAULT', acled_sub_event_type: 'Suicide bomb', modality: 'asserted', ... }
 */
export function detectEvents(doc: KhabarDoc, lexicon: EventLexicon): EventCandidate[] {
  return detectRaw(doc, lexicon).map((c) => toCandidate(lexicon, doc.tokens, doc.text, c));
}

/** The main event of a text and all its event mentions, as `khabar classify` prints it. */
export interface ClassifyResult {
  event_type: string | null;
  mode: string | null;
  acled_event_type: string | null;
  acled_sub_event_type: string | null;
  category: EventCategory | null;
  confidence: number;
  trigger: { start: number; end: number; text: string } | null;
  events: EventCandidate[];
}

const MODALITY_FACTOR: Record<string, number> = { asserted: 1, future: 0.45, threat: 0.4, demand: 0.4, hypothetical: 0.35, negated: 0.2 };

/**
 * How much a candidate counts towards being the text's main event: its weight (ACLED precedence),
 * modality, the rank of its sentence, and how early in the sentence it comes (main clause first).
 */
function mainScore(c: RawCandidate, rank: number, within: number): number {
  const position = rank === 0 ? 1 : rank === 1 ? 0.8 : 0.65;
  return c.weight * (MODALITY_FACTOR[c.modality] ?? 0.3) * position * (1 - 0.25 * within);
}

/** Index of the PLOVER main event: the earliest asserted act of the given sentence. */
function ploverMain(raw: readonly RawCandidate[], doc: KhabarDoc, sentence: number): number | null {
  let best: number | null = null;
  let bestScore = -Infinity;
  raw.forEach((c, i) => {
    if (c.modality !== 'asserted' || c.sentence !== sentence) return;
    const s = doc.sentences[c.sentence]!;
    const words = Math.max(1, doc.tokens[c.last - 1]!.end - s.start);
    const within = (doc.tokens[c.first]!.start - s.start) / Math.max(words, s.end - s.start);
    const score = c.weight / 10 - 2 * within - (c.cls === 'harm' ? 0.3 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

/** Union of the cue masks of the whole text, for codes that depend on context beyond one sentence. */
function textCueMask(lexicon: EventLexicon, doc: KhabarDoc): number {
  let m = 0;
  for (const s of doc.sentences) m |= sentenceCueMask(lexicon, doc.tokens, s.index);
  return m;
}

/** Maps a trigger span from normalized offsets back to the text as given. */
function toRawEvidence(doc: KhabarDoc, raw: string, e: { start: number; end: number }): { start: number; end: number; text: string } {
  const start = doc.toRaw[e.start] ?? e.start;
  const end = e.end > e.start ? (doc.toRaw[e.end - 1] ?? e.end - 1) + 1 : start;
  return { start, end, text: raw.slice(start, end) };
}

const PROTEST_BITS = CUE_BITS.protestViolent | CUE_BITS.protestLethal | CUE_BITS.protestInter;

/**
 * Classifies a text: normalize → sentences → tokens (→ actors when knowledge.actors is loaded) →
 * detection; returns the main event (null fields when none) and every mention.
 * @example classifyText('Gunmen stormed a village and killed 11 villagers.', lexicon).acled_sub_event_type // 'Attack'
 */
export function classifyText(text: string, lexicon: EventLexicon, knowledge?: Knowledge): ClassifyResult {
  const norm = normalizeText(text);
  const doc = createDoc({ id: 'classify', date: '', title: null, rawText: text, url: null, source: null, language: 'en', origin: { file: '-', line: null } });
  doc.text = norm.text;
  doc.toRaw = norm.toRaw;
  doc.sentences = splitSentences(norm.text);
  doc.tokens = tokenizeSentences(norm.text, doc.sentences);
  if (knowledge?.actors !== undefined) actorStage.run(doc, { knowledge });
  const raw = detectRaw(doc, lexicon);
  const events = raw.map((c) => toCandidate(lexicon, doc.tokens, doc.text, c));
  const empty: ClassifyResult = { event_type: null, mode: null, acled_event_type: null, acled_sub_event_type: null, category: null, confidence: 0, trigger: null, events };
  if (raw.length === 0) return empty;
  // Sentences that hold candidates, ranked by order: the lead (or headline) speaks for the text.
  const sentenceRank = new Map<number, number>();
  for (const c of raw) if (!sentenceRank.has(c.sentence)) sentenceRank.set(c.sentence, sentenceRank.size);
  let best = 0;
  let bestScore = -1;
  raw.forEach((c, i) => {
    // Only an act reported as done is the text's event; "did not attack" or "could face arrest" is not.
    if (c.modality !== 'asserted') return;
    const s = doc.sentences[c.sentence]!;
    const within = s.end > s.start ? (doc.tokens[c.first]!.start - s.start) / (s.end - s.start) : 0;
    let sc = mainScore(c, sentenceRank.get(c.sentence) ?? 2, within);
    // A claim of responsibility speaks for the attack it claims, later in its sentence.
    if (c.category === 'ATTRIB') {
      for (const o of raw) if (o.sentence === c.sentence && o.first > c.first) sc = Math.max(sc, mainScore(o, sentenceRank.get(o.sentence) ?? 2, within) + 0.1);
    }
    if (sc > bestScore) {
      bestScore = sc;
      best = i;
    }
  });
  if (bestScore < 0) return empty;
  const main = { ...raw[best]! };
  // PLOVER codes the act of the main predicate of the main sentence: its first asserted act (weight
  // breaks ties within a few words); ACLED picks the event by precedence (above).
  const plover = ploverMain(raw, doc, main.sentence);
  // A protest's sub-type depends on what happens around it in the whole text (tear gas, stones).
  if (main.resolver === 'PROTEST' || (main.cls === 'protest' && main.code === 'PEACE_PROTEST')) {
    const mask = textCueMask(lexicon, doc);
    if (mask & PROTEST_BITS) main.code = resolveCode('PROTEST', mask | cueBit('protest'), 0, 0);
  }
  const cand = toCandidate(lexicon, doc.tokens, doc.text, main);
  for (const e of events) e.trigger = toRawEvidence(doc, text, e.trigger);
  cand.trigger = toRawEvidence(doc, text, cand.trigger);
  const pc = plover !== null ? raw[plover]! : main;
  return {
    event_type: pc.type,
    // Same PLOVER type: the ACLED main's mode is the more specific ("suicide-attack" over "explosives").
    mode: pc.type === main.type ? main.mode : pc.mode,
    acled_event_type: cand.acled_event_type,
    acled_sub_event_type: cand.acled_sub_event_type,
    category: cand.category,
    confidence: cand.confidence,
    trigger: { start: cand.trigger.start, end: cand.trigger.end, text: cand.trigger.text },
    events,
  };
}
