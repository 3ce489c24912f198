/**
 * `classifyText` with an optional backend: the rules first, then, where the policy says so, the
 * backend's answer replaces theirs; any backend failure keeps the rules' result (counted by the backend).
 */
import type { Knowledge } from '../../pipeline.js';
import { normalizeText } from '../../text/normalize.js';
import { splitSentences } from '../../text/sentences.js';
import { tokenizeSentences } from '../../text/tokens.js';
import type { EventCandidate, Evidence } from '../../types.js';
import { classifyText, type ClassifyResult } from '../detect.js';
import { sentenceCueMask } from '../typing/detect-sentence.js';
import type { EventLexicon } from '../typing/lexicon.js';
import type { TypingBackend, TypingRequest } from './backend.js';
import { answerHasEvent, type TypingAnswer } from './labels.js';
import { DEFAULT_POLICY, decideBackend, type BackendPolicy, type DecisionReason } from './policy.js';

/** What the backend did for one text, printed as `backend` by `khabar classify --backend ...`. */
export interface BackendTrace {
  name: 'llm' | 'onnx';
  /** Whether the text was sent to the backend, and why (see policy.ts). */
  asked: boolean;
  reason: DecisionReason;
  /** True when the backend's answer replaced the rules'; false when the rules' result stands. */
  used: boolean;
}

export type BackendClassifyResult = ClassifyResult & { backend: BackendTrace };

export interface BackendClassifyOptions {
  knowledge?: Knowledge;
  policy?: Partial<BackendPolicy>;
  /** Longer texts send only the sentence of the rules' main event (or first cue sentence). Default 2000. */
  maxChars?: number;
}

/**
 * Finds the backend's trigger words in `text` (case-insensitive, first occurrence at or after `from`).
 * @example locateTrigger('Troops shelled Idlib.', 'shelled', 0) // { start: 7, end: 14, text: 'shelled' }
 */
export function locateTrigger(text: string, words: string | null, from = 0, to = text.length): Evidence | null {
  if (words === null) return null;
  const needle = words.trim().toLowerCase();
  if (needle === '') return null;
  const hay = text.slice(from, to).toLowerCase();
  // toLowerCase keeps lengths for the scripts we handle; check, and give up rather than misplace offsets.
  if (hay.length !== to - from) return null;
  const at = hay.indexOf(needle);
  if (at < 0) return null;
  const start = from + at;
  return { start, end: start + needle.length, text: text.slice(start, start + needle.length) };
}

/** The event candidate a backend answer stands for, in `sentence`, its trigger within [from, to). */
export function candidateFromAnswer(answer: TypingAnswer, text: string, sentence: number, from: number, to: number, fallbackTrigger: Evidence | null): EventCandidate {
  const trigger = locateTrigger(text, answer.trigger, from, to) ?? fallbackTrigger ?? { start: from, end: to, text: text.slice(from, to) };
  return {
    sentence,
    trigger,
    event_type: answer.event_type ?? answer.category ?? 'OTHER',
    mode: answer.mode,
    acled_event_type: answer.acled_event_type,
    acled_sub_event_type: answer.acled_sub_event_type,
    category: answer.category,
    modality: answer.modality,
    confidence: answer.confidence,
  };
}

function ruleHint(c: EventCandidate | undefined, result: ClassifyResult): TypingRequest['candidate'] {
  if (result.event_type !== null || result.acled_sub_event_type !== null || result.category !== null) {
    return {
      event_type: result.event_type ?? '', mode: result.mode, acled_event_type: result.acled_event_type, acled_sub_event_type: result.acled_sub_event_type,
      category: result.category, modality: 'asserted', confidence: result.confidence, trigger: result.trigger?.text ?? '',
    };
  }
  if (!c) return null;
  return { event_type: c.event_type, mode: c.mode, acled_event_type: c.acled_event_type, acled_sub_event_type: c.acled_sub_event_type, category: c.category, modality: c.modality, confidence: c.confidence, trigger: c.trigger.text };
}

/**
 * Classifies a text with the rules and, where the policy says the rules are unsure or found nothing
 * despite a conflict cue, with the backend. Never throws for backend trouble: the rules' result stands.
 * @example
 * const llm = createLlmTyper({ url: 'http://127.0.0.1:8080', model: 'm' }, lexicon);
 * const r = await classifyTextWithBackend('Unknown assailants torched the police post.', lexicon, llm);
 * r.backend // { name: 'llm', asked: true, reason: 'unsure', used: true }
 */
export async function classifyTextWithBackend(text: string, lexicon: EventLexicon, backend: TypingBackend, options: BackendClassifyOptions = {}): Promise<BackendClassifyResult> {
  const policy: BackendPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const rules = classifyText(text, lexicon, options.knowledge);
  const hasMain = rules.event_type !== null || rules.acled_sub_event_type !== null || rules.category !== null;
  let cueMask = 0;
  let sentences: { start: number; end: number }[] = [];
  if (rules.events.length === 0 || text.length > (options.maxChars ?? 2000)) {
    // Cues are read on the normalized text; spans map back to the given text through toRaw.
    const norm = normalizeText(text);
    const ss = splitSentences(norm.text);
    const tokens = tokenizeSentences(norm.text, ss);
    const masks = ss.map((s) => sentenceCueMask(lexicon, tokens, s.index));
    for (const m of masks) cueMask |= m;
    sentences = ss.map((s) => ({ start: norm.toRaw[s.start] ?? s.start, end: norm.toRaw[s.end] ?? s.end }));
    if (rules.events.length === 0 && text.length > (options.maxChars ?? 2000)) {
      const firstCue = masks.findIndex((m) => decideBackend([], null, m, policy).ask);
      sentences = firstCue >= 0 ? [sentences[firstCue]!] : sentences;
    }
  }
  const decision = decideBackend(rules.events, hasMain ? rules.confidence : null, cueMask, policy);
  const trace: BackendTrace = { name: backend.name, asked: decision.ask, reason: decision.reason, used: false };
  if (!decision.ask) return { ...rules, backend: trace };

  // The span sent: the whole text, or for a long text the sentence of the rules' main event / first cue.
  let from = 0;
  let to = text.length;
  if (text.length > (options.maxChars ?? 2000)) {
    const at = rules.trigger?.start ?? rules.events[0]?.trigger.start;
    const s = at !== undefined ? sentences.find((x) => x.start <= at && at < x.end) : sentences[0];
    if (s) {
      from = s.start;
      to = s.end;
    }
  }
  const best = rules.events.reduce<EventCandidate | undefined>((b, c) => (b === undefined || c.confidence > b.confidence ? c : b), undefined);
  const answer = await backend.type({ text: text.slice(from, to), candidate: ruleHint(best, rules) });
  if (answer === null) return { ...rules, backend: trace };
  trace.used = true;
  const sameAsRules = rules.trigger !== null && answer.event_type === rules.event_type ? rules.trigger : null;
  const sentenceIndex = rules.events.find((e) => e.trigger.start >= from && e.trigger.end <= to)?.sentence ?? 0;
  const events = answerHasEvent(answer) ? [candidateFromAnswer(answer, text, sentenceIndex, from, to, sameAsRules)] : [];
  const main = events[0];
  if (main === undefined || main.modality !== 'asserted') {
    return { event_type: null, mode: null, acled_event_type: null, acled_sub_event_type: null, category: null, confidence: 0, trigger: null, events, backend: trace };
  }
  return {
    event_type: answer.event_type,
    mode: answer.mode,
    acled_event_type: answer.acled_event_type,
    acled_sub_event_type: answer.acled_sub_event_type,
    category: answer.category,
    confidence: answer.confidence,
    trigger: locateTrigger(text, answer.trigger, from, to) ?? sameAsRules,
    events,
    backend: trace,
  };
}
