/**
 * Confidence of an event record from the strength of its evidence, documented term by term so a
 * reader can see why a record scores what it does.
 *
 *   0.45 × the detector's confidence in the trigger (how unambiguous the event word is)
 * + 0.15 actor1 found in the sentence's structure (0.08 when only by word order, 0 for a generic agent)
 * + 0.05 actor2 found (structure or word order)
 * + 0.10 place tied to the event in the sentence (0.07 untied in the sentence, 0.04 from the paragraph)
 * + 0.05 date said in the text (sentence or paragraph)
 * + 0.05 a number of killed, injured or involved people
 * + 0.05 a cited source
 * + 0.05 reported in more than one sentence of the article
 * + 0.05 baseline
 * − 0.15 hedged ("reportedly", "allegedly", "may have")
 * − 0.10 only claimed or alleged by a party; − 0.20 denied
 * − 0.10 only in the headline
 * clamped to [0.05, 0.99], two decimals.
 *
 * @example eventConfidence(draft) // 0.9 for the Dera Ismail Khan example
 */
import { Strength } from './arguments.js';
import type { EventDraft } from './merge.js';

export function eventConfidence(d: EventDraft): number {
  const trigger = Math.max(...d.mentions.map((m) => m.cand.confidence));
  let score = 0.05 + 0.45 * Math.min(1, Math.max(0, trigger));
  score += d.actor1Strength >= Strength.Tied ? 0.15 : d.actor1Strength >= Strength.Sentence ? 0.08 : 0;
  score += d.actor2Strength >= Strength.Sentence ? 0.05 : 0;
  score += d.locationStrength >= Strength.Tied ? 0.1 : d.locationStrength >= Strength.Sentence ? 0.07 : d.locationStrength >= Strength.Near ? 0.04 : 0;
  score += d.dateStrength >= Strength.Near ? 0.05 : 0;
  score += d.fatalities !== null || d.injured !== null || d.count !== null ? 0.05 : 0;
  score += d.sources.length > 0 ? 0.05 : 0;
  score += new Set(d.mentions.map((m) => m.sentence.index)).size > 1 ? 0.05 : 0;
  if (d.hedged) score -= 0.15;
  if (d.claim === 'claimed' || d.claim === 'alleged') score -= 0.1;
  if (d.claim === 'denied') score -= 0.2;
  if (d.mentions.every((m) => m.sentence.isHeadline)) score -= 0.1;
  return Math.round(Math.min(0.99, Math.max(0.05, score)) * 100) / 100;
}
