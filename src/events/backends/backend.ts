/**
 * What every optional typing backend (OpenAI-compatible endpoint, local ONNX model) offers, and the
 * bookkeeping they share: fallback counters, a debug log line per fallback, a concurrency limit.
 */
import type { EventCandidate } from '../../types.js';
import type { TypingAnswer } from './labels.js';

/** What a backend is asked about: one sentence (or short text) and the rules' candidate, if any. */
export interface TypingRequest {
  text: string;
  /** The rules' main candidate for this text, shown to the backend as a hint; null when none. */
  candidate: Pick<EventCandidate, 'event_type' | 'mode' | 'acled_event_type' | 'acled_sub_event_type' | 'category' | 'modality' | 'confidence'> & { trigger: string } | null;
}

/** Why a backend gave no usable answer; each kind is counted. */
export type FallbackReason = 'timeout' | 'http' | 'network' | 'malformed' | 'invalid' | 'low_score' | 'error';

export interface BackendStats {
  /** Requests made to the backend. */
  asked: number;
  /** Answers that passed validation and were used. */
  used: number;
  /** Requests that fell back to the rules, by reason. */
  fallbacks: Record<FallbackReason, number>;
}

/** An optional typing backend. `type` never throws: null means "use the rules" (counted, logged). */
export interface TypingBackend {
  readonly name: 'llm' | 'onnx';
  readonly stats: BackendStats;
  type(request: TypingRequest): Promise<TypingAnswer | null>;
}

export function createStats(): BackendStats {
  return { asked: 0, used: 0, fallbacks: { timeout: 0, http: 0, network: 0, malformed: 0, invalid: 0, low_score: 0, error: 0 } };
}

/** Total fallbacks over every reason. */
export function fallbackCount(stats: BackendStats): number {
  let n = 0;
  for (const v of Object.values(stats.fallbacks)) n += v;
  return n;
}

/**
 * One line for the user at the end of a run, e.g.
 * "llm backend: 12 asked, 10 used, 2 fell back to the rules (timeout 1, invalid 1)".
 */
export function statsLine(name: string, stats: BackendStats): string {
  const reasons = Object.entries(stats.fallbacks).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`);
  return `${name} backend: ${stats.asked} asked, ${stats.used} used, ${fallbackCount(stats)} fell back to the rules${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
}

/** Where debug lines go: stderr when KHABAR_DEBUG is set, nowhere otherwise (the counters always count). */
export type DebugLog = (line: string) => void;

export const defaultDebugLog: DebugLog = (line) => {
  if (process.env.KHABAR_DEBUG) process.stderr.write(`${line}\n`);
};

/** Counts a fallback and writes its debug line; returns null so callers can `return fallback(...)`. */
export function recordFallback(name: string, stats: BackendStats, log: DebugLog, reason: FallbackReason, detail: string, text: string): null {
  stats.fallbacks[reason]++;
  const excerpt = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  log(`khabar ${name} backend: fell back to the rules (${reason}): ${detail} — "${excerpt}"`);
  return null;
}

/**
 * A counting semaphore: at most `max` tasks run at once, the rest wait in order.
 * @example const limit = createLimiter(2); await Promise.all(urls.map((u) => limit(() => fetch(u))));
 */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so no new caller can slip in between.
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
