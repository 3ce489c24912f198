/**
 * The event stage: turns the detector's asserted event mentions into complete event records (actors,
 * place, date, numbers, sources, claim, evidence, confidence), one record per event of the article.
 *
 * @example
 * const stage = createEventStage((doc) => detectEvents(doc, lexicon));
 * new Pipeline([...textStages, actorStage, placeStage, dateStage, quantityStage, sourceStage, stage], ctx);
 */
import { PLOVER_TYPES } from './typing/lexicon.js';
import type { Stage } from '../pipeline.js';
import { tokenAt } from '../text/tokens.js';
import type { EventCandidate, EventRecord, KhabarDoc, Modality } from '../types.js';
import { eventArguments, fillGenericActors, indexDoc, loadArgumentLexicon, sentenceClaim, Strength, type ArgumentContext, type ArgumentLexicon } from './arguments.js';
import { defaultAttributionLexicon, resolveActor, type AttributionLexicon } from './attribution.js';
import { eventConfidence } from './confidence.js';
import { draftOf, mergeDrafts, type EventDraft } from './merge.js';

/** Modalities that never become event records. */
const DROPPED: ReadonlySet<Modality> = new Set(['negated', 'hypothetical']);
/**
 * Only PLOVER-typed mentions become event records. Sentences the detector puts in a non-conflict
 * category only (disasters, crime, claims of responsibility) are not political events: claims are read
 * into the claimed event's `claim`/`claimed_by`, the rest stay visible through `khabar classify`.
 */
const RECORDED_TYPES: ReadonlySet<string> = new Set(PLOVER_TYPES);

export interface EventStageOptions {
  /** Sentence-structure knowledge (default: data/events/arguments.json). */
  argumentLexicon?: ArgumentLexicon;
  /** Attribution knowledge (default: data/events/attribution.json). */
  attributionLexicon?: AttributionLexicon;
}

/**
 * Sentences without an event mention of their own still carry facts about the event before them in
 * the paragraph: "Two soldiers were wounded, he added" (numbers), "The TTP claimed responsibility" (claim).
 */
function attachFollowUps(ctx: ArgumentContext, drafts: EventDraft[], withEvents: ReadonlySet<number>): void {
  const { doc } = ctx.index;
  let d = 0;
  let last: EventDraft | null = null;
  for (let s = 0; s < doc.sentences.length; s++) {
    while (d < drafts.length && drafts[d]!.mentions[0]!.sentence.index <= s) last = drafts[d++]!;
    if (withEvents.has(s) || !last) continue;
    const sentence = doc.sentences[s]!;
    const lastSentence = last.mentions[0]!.sentence;
    // Responsibility words are rare: look for them before reading the sentence's claim.
    const claim = hasResponsibility(ctx, s) ? sentenceClaim(ctx, s) : null;
    if (claim !== null && claim.claim === 'claimed' && claim.actor >= 0) {
      last.claimed_by ??= claim.claimedBy;
      if (last.actor1Strength <= Strength.Fallback) {
        const root = resolveActor(doc.actors, claim.actor);
        last.actor1 = { name: root.name, id: root.id, text: doc.actors[claim.actor]!.text, kind: root.kind, country: root.country ?? last.location?.country_code ?? null };
        last.actor1Strength = Strength.Near;
      }
    }
    if (sentence.paragraph !== lastSentence.paragraph) continue;
    for (const qi of ctx.index.quantities[s]!) {
      const q = doc.quantities[qi]!;
      if (q.role === 'killed') last.fatalities = Math.max(last.fatalities ?? 0, q.value);
      else if (q.role === 'injured') last.injured = Math.max(last.injured ?? 0, q.value);
    }
  }
}

function hasResponsibility(ctx: ArgumentContext, s: number): boolean {
  const to = ctx.index.tokenRanges[2 * s + 1]!;
  for (let k = ctx.index.tokenRanges[2 * s]!; k < to; k++) {
    if (ctx.attribution.responsibilityWords.has(ctx.index.doc.tokens[k]!.lower)) return true;
  }
  return false;
}

/**
 * "supporters of jailed former prime minister X", "the wounded soldier": a one-word participle after a
 * determiner or preposition and before a noun describes someone, it reports no event.
 */
function attributiveParticiple(doc: KhabarDoc, lex: ArgumentLexicon, c: EventCandidate): boolean {
  const t = c.trigger.text.toLowerCase();
  if (!/^[a-z]+ed$/.test(t)) return false;
  const i = tokenAt(doc.tokens, c.trigger.start);
  const prev = doc.tokens[i - 1];
  const next = doc.tokens[i + 1];
  if (!prev || !next || prev.sentence !== c.sentence || next.sentence !== c.sentence) return false;
  const before = lex.determiners.has(prev.lower) || lex.prepositions.has(prev.lower);
  return before && /^\p{L}/u.test(next.text) && !lex.prepositions.has(next.lower) && !lex.determiners.has(next.lower) && next.lower !== 'and';
}

/**
 * Event records of a document from its candidates (pure given the lexicons).
 * @example buildEventRecords(doc, candidates, argLex, attrLex)[0].event_id // 'a1:e1'
 */
export function buildEventRecords(
  doc: KhabarDoc,
  candidates: readonly EventCandidate[],
  argumentLexicon: ArgumentLexicon,
  attributionLexicon: AttributionLexicon,
): EventRecord[] {
  const kept = candidates
    .filter(
      (c) =>
        !DROPPED.has(c.modality) &&
        RECORDED_TYPES.has(c.event_type) &&
        doc.sentences[c.sentence] !== undefined &&
        !attributiveParticiple(doc, argumentLexicon, c),
    )
    .slice()
    .sort((a, b) => a.trigger.start - b.trigger.start);
  if (kept.length === 0) return [];
  const ctx: ArgumentContext = { index: indexDoc(doc), lex: argumentLexicon, attribution: attributionLexicon };
  const bySentence = new Map<number, EventCandidate[]>();
  for (const c of kept) {
    const list = bySentence.get(c.sentence) ?? [];
    list.push(c);
    bySentence.set(c.sentence, list);
  }
  const drafts = kept.map((c) => {
    const others = bySentence.get(c.sentence)!.filter((o) => o !== c);
    return draftOf(argumentLexicon, c, doc.sentences[c.sentence]!, doc.text, eventArguments(ctx, c, others));
  });
  attachFollowUps(ctx, drafts, new Set(bySentence.keys()));
  const merged = mergeDrafts(argumentLexicon, drafts);
  return merged.map((d, i): EventRecord => {
    const main = d.mentions.find((m) => !m.sentence.isHeadline) ?? d.mentions[0]!;
    fillGenericActors(argumentLexicon, d, main.cand, d.location?.country_code ?? doc.focus?.country_code ?? null);
    const evidenceAll = [];
    const seen = new Set<number>();
    for (const m of d.mentions) {
      if (seen.has(m.sentence.index)) continue;
      seen.add(m.sentence.index);
      evidenceAll.push(m.evidence);
    }
    return {
      event_id: `${doc.article.id}:e${i + 1}`,
      article_id: doc.article.id,
      event_type: main.cand.event_type,
      mode: main.cand.mode,
      acled_event_type: main.cand.acled_event_type,
      acled_sub_event_type: main.cand.acled_sub_event_type,
      category: main.cand.category,
      actor1: d.actor1,
      actor2: d.actor2,
      location: d.location,
      date: d.date,
      date_precision: d.date_precision,
      fatalities: d.fatalities,
      injured: d.injured,
      count: d.count,
      sources: d.sources,
      claim: d.claim,
      claimed_by: d.claimed_by,
      evidence: main.evidence,
      evidence_all: evidenceAll,
      trigger: main.cand.trigger,
      confidence: eventConfidence(d),
    };
  });
}

/**
 * The event stage around a detector. Lexicons load once, when the stage is created.
 * @example createEventStage((doc) => detectEvents(doc, lexicon))
 */
export function createEventStage(detect: (doc: KhabarDoc) => EventCandidate[], options: EventStageOptions = {}): Stage {
  const argumentLexicon = options.argumentLexicon ?? loadArgumentLexicon();
  const attributionLexicon = options.attributionLexicon ?? defaultAttributionLexicon();
  return {
    name: 'events',
    requires: ['actors', 'places', 'dates', 'quantities', 'sources'],
    assigns: ['events'],
    run(doc: KhabarDoc): KhabarDoc {
      doc.events = buildEventRecords(doc, detect(doc), argumentLexicon, attributionLexicon);
      return doc;
    },
  };
}
