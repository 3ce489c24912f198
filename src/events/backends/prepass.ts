/**
 * Batch use of an optional backend with the synchronous pipeline: an async pre-pass over the articles
 * asks the backend about the sentences the policy selects, then a synchronous refiner, set as
 * `knowledge.eventRefiner`, swaps those sentences' rule candidates for the answers during the run.
 */
import { actorStage } from '../../actors/index.js';
import { Pipeline, type Knowledge, type Stage } from '../../pipeline.js';
import { normalizeStage } from '../../text/normalize.js';
import { sentenceStage } from '../../text/sentences.js';
import { tokenStage } from '../../text/tokens.js';
import type { Article, EventCandidate, KhabarDoc } from '../../types.js';
import { detectEvents } from '../detect.js';
import { sentenceCueMask } from '../typing/detect-sentence.js';
import type { EventLexicon } from '../typing/lexicon.js';
import type { TypingBackend, TypingRequest } from './backend.js';
import { candidateFromAnswer } from './classify-text.js';
import { answerHasEvent, type TypingAnswer } from './labels.js';
import { DEFAULT_POLICY, decideBackend, type BackendPolicy } from './policy.js';

/** Replaces rule candidates with backend answers; sync, so the pipeline stays synchronous. */
export type EventRefiner = (doc: KhabarDoc, candidates: EventCandidate[]) => EventCandidate[];

declare module '../../pipeline.js' {
  interface Knowledge {
    /** Set from a backend pre-pass (prepareEventBackend); absent by default, when the rules stand alone. */
    eventRefiner?: EventRefiner;
  }
}

/**
 * A refiner from answers keyed by the exact normalized sentence text. A sentence with an answer loses
 * its rule candidates and gains the answer's (if it reports an event); other sentences are untouched.
 * @example createEventRefiner(new Map([['Troops shelled the town.', answer]]))(doc, detectEvents(doc, lexicon))
 */
export function createEventRefiner(answers: ReadonlyMap<string, TypingAnswer>): EventRefiner {
  return (doc, candidates) => {
    if (answers.size === 0) return candidates;
    let replaced: Map<number, EventCandidate | null> | null = null;
    for (const s of doc.sentences) {
      const answer = answers.get(doc.text.slice(s.start, s.end));
      if (answer === undefined) continue;
      replaced ??= new Map();
      const rule = candidates.find((c) => c.sentence === s.index && c.event_type === answer.event_type);
      replaced.set(s.index, answerHasEvent(answer) ? candidateFromAnswer(answer, doc.text, s.index, s.start, s.end, rule?.trigger ?? null) : null);
    }
    if (replaced === null) return candidates;
    const out: EventCandidate[] = [];
    const placed = new Set<number>();
    const place = (upTo: number): void => {
      for (const [index, c] of replaced) if (index <= upTo && !placed.has(index)) {
        placed.add(index);
        if (c) out.push(c);
      }
    };
    for (const c of candidates) {
      place(c.sentence);
      if (!replaced.has(c.sentence)) out.push(c);
    }
    place(Number.MAX_SAFE_INTEGER);
    return out;
  };
}

export interface PrepassOptions {
  policy?: Partial<BackendPolicy>;
  /** Called after each article is scanned (progress), with the number of sentences queued so far. */
  onArticle?: (articleId: string, queued: number) => void;
}

export interface PrepassResult {
  refiner: EventRefiner;
  /** Sentences sent to the backend, answers used (the rest fell back: see backend.stats). */
  asked: number;
  answered: number;
}

/**
 * Scans the articles with the text stages (and actors, when loaded) and the rules, asks the backend
 * about the sentences the policy selects (each distinct sentence once, `maxConcurrency` at a time),
 * and returns the refiner to set as `knowledge.eventRefiner` before creating the pipeline.
 * @example
 * const knowledge = await loadKnowledge();
 * const { refiner } = await prepareEventBackend(articles, knowledge, createLlmTyper(opts, knowledge.eventLexicon!));
 * const pipeline = createPipeline({ ...knowledge, eventRefiner: refiner });
 */
export async function prepareEventBackend(
  articles: Iterable<Article> | AsyncIterable<Article>,
  knowledge: Knowledge & { eventLexicon?: EventLexicon },
  backend: TypingBackend,
  options: PrepassOptions = {},
): Promise<PrepassResult> {
  const lexicon = knowledge.eventLexicon;
  if (!lexicon) throw new Error('prepareEventBackend needs knowledge.eventLexicon (loadKnowledge() loads it)');
  const policy: BackendPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const stages: Stage[] = [normalizeStage, sentenceStage, tokenStage];
  if (knowledge.actors !== undefined) stages.push(actorStage);
  const scan = new Pipeline(stages, { knowledge });
  const queued = new Map<string, TypingRequest>();
  for await (const article of articles) {
    const doc = scan.run(article);
    const candidates = detectEvents(doc, lexicon);
    for (const s of doc.sentences) {
      const key = doc.text.slice(s.start, s.end);
      if (queued.has(key)) continue;
      const here = candidates.filter((c) => c.sentence === s.index);
      const asserted = here.filter((c) => c.modality === 'asserted');
      const main = asserted.length > 0 ? Math.max(...asserted.map((c) => c.confidence)) : null;
      const mask = here.length === 0 ? sentenceCueMask(lexicon, doc.tokens, s.index) : 0;
      if (!decideBackend(here, main, mask, policy).ask) continue;
      const best = here.reduce<EventCandidate | undefined>((b, c) => (b === undefined || c.confidence > b.confidence ? c : b), undefined);
      queued.set(key, {
        text: key,
        candidate: best ? { event_type: best.event_type, mode: best.mode, acled_event_type: best.acled_event_type, acled_sub_event_type: best.acled_sub_event_type, category: best.category, modality: best.modality, confidence: best.confidence, trigger: best.trigger.text } : null,
      });
    }
    options.onArticle?.(article.id, queued.size);
  }
  const answers = new Map<string, TypingAnswer>();
  await Promise.all([...queued].map(async ([key, req]) => {
    const answer = await backend.type(req);
    if (answer !== null) answers.set(key, answer);
  }));
  return { refiner: createEventRefiner(answers), asked: queued.size, answered: answers.size };
}
