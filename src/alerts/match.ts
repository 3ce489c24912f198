/**
 * Watch rules checked against new events: each rule is a saved EventFilter, run over the events of
 * the articles just ingested; the store records each (rule, event) once, so a match fires once.
 */
import type { AlertHit, AlertRule, Store } from '../store/store.js';
import type { EventRecord } from '../types.js';

/**
 * The report with its merged event's id (from the linker), so that a second outlet's report of an
 * event a rule already fired on stays quiet.
 */
async function withCluster(store: Store, event: EventRecord, cache: Map<string, string | null>): Promise<EventRecord> {
  if (event.cluster_id) return event;
  let cluster = cache.get(event.event_id);
  if (cluster === undefined) {
    cluster = (await store.listReports(event.event_id))?.event.event_id ?? null;
    cache.set(event.event_id, cluster);
  }
  return cluster ? { ...event, cluster_id: cluster } : event;
}

/**
 * Records and returns the new hits of every rule among the events of the given articles (each
 * article's own reports; another report of an already-hit merged event does not fire again).
 * @example const hits = await matchNewEvents(store, ['a_12ab']); // [{ rule_name: 'ISKP in Nangarhar', event_id: 'a_12ab-e1', … }]
 */
export async function matchNewEvents(store: Store, articleIds: readonly string[], rules?: readonly AlertRule[]): Promise<AlertHit[]> {
  const active = rules ?? (await store.listAlertRules());
  if (active.length === 0 || articleIds.length === 0) return [];
  const unique = [...new Set(articleIds)];
  const found: { rule_id: number; event: EventRecord }[] = [];
  const clusters = new Map<string, string | null>();
  for (const rule of active) {
    for (const article_id of unique) {
      const events = await store.queryEvents({ ...rule.filter, article_id, raw_reports: true, sort: 'date_asc', limit: 10_000 });
      for (const event of events) found.push({ rule_id: rule.id, event: await withCluster(store, event, clusters) });
    }
  }
  return found.length > 0 ? store.recordAlertHits(found) : [];
}
