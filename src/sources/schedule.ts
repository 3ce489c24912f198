/**
 * When sources are polled: intervals written as "15m", the per-host rate limit shared by every
 * request of a watch, and the exponential back-off after failed polls.
 */
import { UsageError } from '../errors.js';

const EVERY = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Shortest interval accepted: polling a source more often than this is rude to its host. */
export const MIN_EVERY_S = 60;
/** Back-off never waits longer than this. */
export const MAX_BACKOFF_S = 24 * 3600;

/**
 * Parses an interval ("90s", "15m", "2h", "1d") into seconds.
 * @example parseEvery('15m') // 900
 */
export function parseEvery(value: string, minSeconds = MIN_EVERY_S): number {
  const m = EVERY.exec(value.trim());
  const seconds = m ? Math.round(Number(m[1]) * UNIT_S[m[2]!.toLowerCase()]!) : NaN;
  if (!Number.isFinite(seconds)) throw new UsageError(`--every takes an interval such as 30m, 2h or 1d, got "${value}".`);
  if (seconds < minSeconds) throw new UsageError(`--every must be at least ${minSeconds}s (got "${value}"): poll less often.`);
  return seconds;
}

/** "900" → "15m", for listings. */
export function formatEvery(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

/**
 * Seconds to wait after the n-th failed poll in a row (n ≥ 1): the interval doubled per failure,
 * capped at a day (and never below the interval itself); a server's Retry-After wins when longer.
 * @example backoffSeconds(900, 1) // 1800
 */
export function backoffSeconds(everyS: number, failures: number, retryAfterS: number | null = null): number {
  const doubled = everyS * 2 ** Math.min(Math.max(failures, 0), 20);
  const capped = Math.max(everyS, Math.min(doubled, MAX_BACKOFF_S));
  return retryAfterS !== null && retryAfterS > capped ? Math.min(retryAfterS, MAX_BACKOFF_S * 7) : capped;
}

/** A Retry-After header (seconds or an HTTP date) as seconds from now, null when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined | null, nowMs: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - nowMs) / 1000));
}

/**
 * At most one request per host every `intervalMs`: callers await `wait(url)` before each request;
 * requests to different hosts do not wait for each other.
 * @example const limit = new HostLimiter(1000); await limit.wait(new URL('https://a.example/x'));
 */
export class HostLimiter {
  private readonly next = new Map<string, number>();

  constructor(
    readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async wait(url: URL): Promise<void> {
    const host = url.host.toLowerCase();
    const now = Date.now();
    const at = Math.max(now, this.next.get(host) ?? 0);
    // Reserve the slot before sleeping, so concurrent callers queue behind each other.
    this.next.set(host, at + this.intervalMs);
    if (at > now) await this.sleep(at - now);
  }
}
