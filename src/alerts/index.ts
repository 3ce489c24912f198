/**
 * Watch rules (saved event filters) and their alerts: matching new events, and the sinks hits go to
 * (JSON lines, webhooks; the store keeps every hit for the web app's alert list).
 */
import type { AlertHit, Store } from '../store/store.js';
import { matchNewEvents } from './match.js';
import { deliver, type AlertSink, type DeliveryReport } from './sinks.js';

export { matchNewEvents } from './match.js';
export { alertMessage, deliver, jsonLinesSink, postWebhook, webhookSink, type AlertMessage, type AlertSink, type DeliveryReport, type WebhookOptions } from './sinks.js';

/**
 * After an ingest batch: matches the new articles' events against every rule, records the new hits,
 * and delivers them.
 * @example const { hits } = await checkAlerts(store, articleIds, [jsonLinesSink(write), webhookSink()]);
 */
export async function checkAlerts(
  store: Store,
  articleIds: readonly string[],
  sinks: readonly AlertSink[],
): Promise<{ hits: AlertHit[]; deliveries: DeliveryReport[] }> {
  const rules = await store.listAlertRules();
  const hits = await matchNewEvents(store, articleIds, rules);
  const deliveries = hits.length > 0 ? await deliver(hits, rules, sinks) : [];
  return { hits, deliveries };
}
