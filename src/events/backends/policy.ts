/**
 * When an optional backend is asked at all: only where the rules are unsure (their best candidate's
 * confidence is below `minConfidence`) or found nothing although the sentence holds a conflict cue
 * (a weapon, an armed group, a clash or protest word...). Confident rule results never leave the machine.
 */
import type { EventCandidate } from '../../types.js';
import { cueBit, type CueName } from '../typing/lexicon.js';

export interface BackendPolicy {
  /** Rule results at or above this confidence are kept without asking. Default 0.6. */
  minConfidence: number;
  /** 'unsure' (default): the rule above; 'all': every sentence with a candidate or a conflict cue. */
  scope: 'unsure' | 'all';
  /** The lexicon cue groups that count as a conflict cue when the rules found nothing. */
  conflictCues: readonly CueName[];
}

export const DEFAULT_CONFLICT_CUES: readonly CueName[] = [
  'state', 'nonstate', 'clash', 'protest', 'protest_violent', 'protest_lethal', 'protest_intervention',
  'attack_context', 'conflict_context', 'weapon', 'strike_verbs', 'transfer',
];

export const DEFAULT_POLICY: BackendPolicy = { minConfidence: 0.6, scope: 'unsure', conflictCues: DEFAULT_CONFLICT_CUES };

/** Why a sentence was (not) sent to the backend; printed in `backend.reason`. */
export type DecisionReason = 'unsure' | 'cue_only' | 'all' | 'confident' | 'no_cue';

export interface BackendDecision {
  ask: boolean;
  reason: DecisionReason;
}

/** The bit mask of a policy's conflict cues, to test against a sentence's cue mask. */
export function conflictCueMask(policy: BackendPolicy): number {
  let m = 0;
  for (const name of policy.conflictCues) m |= cueBit(name);
  return m;
}

/**
 * Decides for one sentence (or short text) from the rules' candidates there and its cue mask.
 * The rules' confidence is that of their main candidate when there is one, else their best candidate.
 * @example decideBackend([], cueBit('weapon'), DEFAULT_POLICY) // { ask: true, reason: 'cue_only' }
 */
export function decideBackend(candidates: readonly Pick<EventCandidate, 'confidence'>[], mainConfidence: number | null, cueMask: number, policy: BackendPolicy): BackendDecision {
  if (candidates.length === 0) {
    return cueMask & conflictCueMask(policy) ? { ask: true, reason: 'cue_only' } : { ask: false, reason: 'no_cue' };
  }
  if (policy.scope === 'all') return { ask: true, reason: 'all' };
  let confidence = mainConfidence ?? 0;
  if (mainConfidence === null) for (const c of candidates) confidence = Math.max(confidence, c.confidence);
  return confidence < policy.minConfidence ? { ask: true, reason: 'unsure' } : { ask: false, reason: 'confident' };
}
