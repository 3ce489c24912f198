/**
 * Where alert hits go besides the store (which the web app lists): JSON lines on a stream, and a
 * webhook POST per hit with retries and exponential back-off. A sink never throws for delivery
 * failures: it reports them, and the watch goes on.
 */
import { errorMessage } from '../errors.js';
import type { AlertHit, AlertRule } from '../store/store.js';

/** The JSON document every sink sends for a hit. */
export interface AlertMessage {
  rule: string;
  rule_id: number;
  hit_id: number;
  event_id: string;
  cluster_id: string | null;
  article_id: string;
  at: string;
  event: AlertHit['event'];
}

export function alertMessage(hit: AlertHit): AlertMessage {
  return {
    rule: hit.rule_name,
    rule_id: hit.rule_id,
    hit_id: hit.id,
    event_id: hit.event_id,
    cluster_id: hit.cluster_id,
    article_id: hit.article_id,
    at: hit.at,
    event: hit.event,
  };
}

export interface DeliveryReport {
  sink: string;
  hit_id: number;
  ok: boolean;
  attempts: number;
  /** Why the last attempt failed, when it did. */
  error: string | null;
}

export interface AlertSink {
  readonly name: string;
  send(hit: AlertHit, rule: AlertRule | undefined): Promise<DeliveryReport | null>;
}

/**
 * One JSON line per hit.
 * @example const sink = jsonLinesSink((line) => process.stdout.write(line));
 */
export function jsonLinesSink(write: (line: string) => void): AlertSink {
  return {
    name: 'jsonl',
    async send(hit) {
      write(`${JSON.stringify(alertMessage(hit))}\n`);
      return { sink: 'jsonl', hit_id: hit.id, ok: true, attempts: 1, error: null };
    },
  };
}

export interface WebhookOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** First retry delay, ms, doubled each retry (default 1000). */
  baseDelayMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Server answers worth retrying: overload, time-outs and server errors. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs the hit as JSON to `url`, retrying on network errors, 408, 429 and 5xx.
 * @example await postWebhook('http://127.0.0.1:9000/hook', message, { attempts: 3 }) // { ok: true, attempts: 2, … }
 */
export async function postWebhook(url: string, message: AlertMessage, options: WebhookOptions = {}): Promise<Omit<DeliveryReport, 'sink' | 'hit_id'>> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const base = options.baseDelayMs ?? 1000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify(message);
  let error: string | null = null;
  for (let i = 1; i <= attempts; i++) {
    let again = true;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'khabar/0.1 (alerts)' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.ok) return { ok: true, attempts: i, error: null };
      error = `HTTP ${res.status}`;
      again = retryable(res.status);
    } catch (err) {
      error = errorMessage(err);
    }
    if (!again) return { ok: false, attempts: i, error };
    if (i < attempts) await sleep(base * 2 ** (i - 1));
  }
  return { ok: false, attempts, error };
}

/** Sends each hit to its rule's webhook (rules without one are skipped). */
export function webhookSink(options: WebhookOptions = {}): AlertSink {
  return {
    name: 'webhook',
    async send(hit, rule) {
      if (!rule?.webhook) return null;
      const r = await postWebhook(rule.webhook, alertMessage(hit), options);
      return { sink: 'webhook', hit_id: hit.id, ...r };
    },
  };
}

/**
 * Delivers hits to every sink; returns one report per delivery tried.
 * @example await deliver(hits, rules, [jsonLinesSink(write), webhookSink()])
 */
export async function deliver(hits: readonly AlertHit[], rules: readonly AlertRule[], sinks: readonly AlertSink[]): Promise<DeliveryReport[]> {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const reports: DeliveryReport[] = [];
  for (const hit of hits) {
    for (const sink of sinks) {
      const r = await sink.send(hit, byId.get(hit.rule_id));
      if (r) reports.push(r);
    }
  }
  return reports;
}
