/**
 * The PostgreSQL side of followed sources and watch rules (issue 10): sources and their polling
 * state, the poll record, seen feed items, alert rules and their hits (tables of migration 3).
 */
import type { PoolClient, QueryResultRow } from 'pg';
import { KhabarError } from '../../errors.js';
import type { EventFilter } from '../filter.js';
import { ruleFilter } from '../sqlite/sources.js';
import type {
  AlertHit,
  AlertHitInput,
  AlertHitQuery,
  AlertRule,
  AlertRuleInput,
  PollRecord,
  SourceInput,
  SourceRecord,
  SourceState,
  StoredPoll,
} from '../store.js';

type Run = <R extends QueryResultRow>(sql: string, values?: unknown[]) => Promise<R[]>;
type Tx = <T>(fn: (tx: PoolClient) => Promise<T>) => Promise<T>;

const SOURCE_COLUMNS = 'id, name, location, every_s, added_at, etag, last_modified, next_poll_at, failures, last_polled_at, last_error';
const HIT_COLUMNS = 'h.id, h.rule_id, r.name AS rule_name, h.event_id, h.cluster_id, h.article_id, h.at, h.record AS event';

function isUnique(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === '23505';
}

interface RuleRow {
  id: number;
  name: string;
  filter: EventFilter;
  webhook: string | null;
  created_at: string;
}

const toRule = (r: RuleRow): AlertRule => ({ id: r.id, name: r.name, filter: r.filter, webhook: r.webhook, created_at: r.created_at });

/** Sources, polls, seen items, rules and hits over a store's pool. */
export class PgSourceState {
  constructor(
    private readonly run: Run,
    private readonly tx: Tx,
  ) {}

  async addSource(input: SourceInput): Promise<SourceRecord> {
    const now = new Date().toISOString();
    try {
      const rows = await this.run<SourceRecord>(
        `INSERT INTO sources (name, location, every_s, added_at, next_poll_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${SOURCE_COLUMNS}`,
        [input.name, input.location, input.every_s, now, now],
      );
      return rows[0] as SourceRecord;
    } catch (err) {
      if (isUnique(err)) throw new KhabarError('E_VALIDATION', `a source named "${input.name}" already exists: pick another --name, or remove it first`, { field: 'name' });
      throw err;
    }
  }

  listSources(): Promise<SourceRecord[]> {
    return this.run<SourceRecord>(`SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY name`);
  }

  async removeSource(name: string): Promise<boolean> {
    return (await this.run('DELETE FROM sources WHERE name = $1 RETURNING id', [name])).length > 0;
  }

  async updateSourceState(id: number, s: SourceState): Promise<void> {
    await this.run('UPDATE sources SET etag = $1, last_modified = $2, next_poll_at = $3, failures = $4, last_polled_at = $5, last_error = $6 WHERE id = $7', [
      s.etag,
      s.last_modified,
      s.next_poll_at,
      s.failures,
      s.last_polled_at,
      s.last_error,
      id,
    ]);
  }

  async recordPoll(p: PollRecord): Promise<number> {
    const rows = await this.run<{ id: number }>(
      `INSERT INTO source_polls (source_id, started_at, finished_at, status, http_status, items, new, duplicates, failed, error_code, error, item_errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [p.source_id, p.started_at, p.finished_at, p.status, p.http_status, p.items, p.new, p.duplicates, p.failed, p.error_code, p.error, JSON.stringify(p.item_errors)],
    );
    return rows[0]?.id ?? 0;
  }

  listPolls(options: { source?: string; limit?: number } = {}): Promise<StoredPoll[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 10_000);
    const cols = `p.id, p.source_id, p.started_at, p.finished_at, p.status, p.http_status, p.items, p.new, p.duplicates, p.failed, p.error_code, p.error,
      p.item_errors, s.name AS source_name`;
    return options.source === undefined
      ? this.run<StoredPoll>(`SELECT ${cols} FROM source_polls p JOIN sources s ON s.id = p.source_id ORDER BY p.id DESC LIMIT $1`, [limit])
      : this.run<StoredPoll>(`SELECT ${cols} FROM source_polls p JOIN sources s ON s.id = p.source_id WHERE s.name = $1 ORDER BY p.id DESC LIMIT $2`, [
          options.source,
          limit,
        ]);
  }

  async unseenItems(sourceId: number, keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const seen = new Set(
      (await this.run<{ item_key: string }>('SELECT item_key FROM source_items WHERE source_id = $1 AND item_key = ANY($2::text[])', [sourceId, keys])).map(
        (r) => r.item_key,
      ),
    );
    return keys.filter((k) => !seen.has(k));
  }

  async markItemsSeen(sourceId: number, items: { key: string; article_id: string | null }[]): Promise<void> {
    if (items.length === 0) return;
    await this.run(
      `INSERT INTO source_items (source_id, item_key, article_id, seen_at)
       SELECT $1, k, a, $4 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(k, a, o) ORDER BY o ON CONFLICT DO NOTHING`,
      [sourceId, items.map((i) => i.key), items.map((i) => i.article_id), new Date().toISOString()],
    );
  }

  async addAlertRule(input: AlertRuleInput): Promise<AlertRule> {
    const filter = ruleFilter(input.filter);
    try {
      const rows = await this.run<RuleRow>(
        'INSERT INTO alert_rules (name, filter, webhook, created_at) VALUES ($1, $2, $3, $4) RETURNING id, name, filter, webhook, created_at',
        [input.name, JSON.stringify(filter), input.webhook, new Date().toISOString()],
      );
      return toRule(rows[0] as RuleRow);
    } catch (err) {
      if (isUnique(err)) throw new KhabarError('E_VALIDATION', `a watch rule named "${input.name}" already exists: pick another --name, or remove it first`, { field: 'name' });
      throw err;
    }
  }

  async listAlertRules(): Promise<AlertRule[]> {
    return (await this.run<RuleRow>('SELECT id, name, filter, webhook, created_at FROM alert_rules ORDER BY name')).map(toRule);
  }

  async removeAlertRule(name: string): Promise<boolean> {
    return (await this.run('DELETE FROM alert_rules WHERE name = $1 RETURNING id', [name])).length > 0;
  }

  /** Records hits once per (rule, event) and per (rule, merged event); returns the new ones. */
  recordAlertHits(hits: AlertHitInput[]): Promise<AlertHit[]> {
    const now = new Date().toISOString();
    return this.tx(async (tx) => {
      const added: AlertHit[] = [];
      for (const h of hits) {
        const cluster = h.event.cluster_id ?? null;
        const r = await tx.query<{ id: number }>(
          `INSERT INTO alert_hits (rule_id, event_id, cluster_id, article_id, at, record) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
          [h.rule_id, h.event.event_id, cluster, h.event.article_id, now, JSON.stringify(h.event)],
        );
        const id = r.rows[0]?.id;
        if (id === undefined) continue;
        const hit = await tx.query<AlertHit>(`SELECT ${HIT_COLUMNS} FROM alert_hits h JOIN alert_rules r ON r.id = h.rule_id WHERE h.id = $1`, [id]);
        if (hit.rows[0]) added.push(hit.rows[0]);
      }
      return added;
    });
  }

  listAlertHits(q: AlertHitQuery = {}): Promise<AlertHit[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (q.rule !== undefined) {
      values.push(q.rule);
      where.push(`r.name = $${values.length}`);
    }
    if (q.after_id !== undefined) {
      values.push(q.after_id);
      where.push(`h.id > $${values.length}`);
    }
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 10_000);
    const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
    values.push(limit, offset);
    return this.run<AlertHit>(
      `SELECT ${HIT_COLUMNS} FROM alert_hits h JOIN alert_rules r ON r.id = h.rule_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY h.id DESC LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
  }
}

