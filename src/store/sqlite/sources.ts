/**
 * The SQLite side of followed sources and watch rules (issue 10): sources and their polling state,
 * the poll record, seen feed items, alert rules and their hits (tables of migration 4).
 */
import type Database from 'better-sqlite3';
import { KhabarError } from '../../errors.js';
import type { EventRecord } from '../../types.js';
import { normalizeFilter, type EventFilter } from '../filter.js';
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

type DB = Database.Database;

interface PollRow extends Omit<StoredPoll, 'item_errors' | 'status'> {
  status: string;
  item_errors: string;
}
interface RuleRow {
  id: number;
  name: string;
  filter: string;
  webhook: string | null;
  created_at: string;
}
interface HitRow {
  id: number;
  rule_id: number;
  rule_name: string;
  event_id: string;
  cluster_id: string | null;
  article_id: string;
  at: string;
  record: string;
}

const SOURCE_COLUMNS = 'id, name, location, every_s, added_at, etag, last_modified, next_poll_at, failures, last_polled_at, last_error';
const HIT_COLUMNS = 'h.id, h.rule_id, r.name AS rule_name, h.event_id, h.cluster_id, h.article_id, h.at, h.record';
/** Paging keys of a filter do not belong in a saved rule: a rule matches every new event. */
const PAGING_KEYS = ['limit', 'offset', 'cursor', 'sort'] as const;

function isUnique(err: unknown): boolean {
  return err instanceof Error && String((err as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');
}

/** The rule's filter without paging keys, validated (E_VALIDATION when bad). */
export function ruleFilter(filter: EventFilter): EventFilter {
  const clean: EventFilter = { ...filter };
  for (const k of PAGING_KEYS) delete clean[k];
  normalizeFilter(clean);
  return clean;
}

function toRule(r: RuleRow): AlertRule {
  return { id: r.id, name: r.name, filter: JSON.parse(r.filter) as EventFilter, webhook: r.webhook, created_at: r.created_at };
}

function toHit(r: HitRow): AlertHit {
  return {
    id: r.id,
    rule_id: r.rule_id,
    rule_name: r.rule_name,
    event_id: r.event_id,
    cluster_id: r.cluster_id,
    article_id: r.article_id,
    at: r.at,
    event: JSON.parse(r.record) as EventRecord,
  };
}

/** Prepared statements over one connection; every method is synchronous (better-sqlite3). */
export class SqliteSourceState {
  private readonly st;

  constructor(private readonly db: DB) {
    this.st = {
      insertSource: db.prepare(
        `INSERT INTO sources (name, location, every_s, added_at, next_poll_at) VALUES (?, ?, ?, ?, ?) RETURNING ${SOURCE_COLUMNS}`,
      ),
      listSources: db.prepare(`SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY name`),
      removeSource: db.prepare('DELETE FROM sources WHERE name = ?'),
      updateState: db.prepare(
        `UPDATE sources SET etag = ?, last_modified = ?, next_poll_at = ?, failures = ?, last_polled_at = ?, last_error = ? WHERE id = ?`,
      ),
      insertPoll: db.prepare(
        `INSERT INTO source_polls (source_id, started_at, finished_at, status, http_status, items, new, duplicates, failed, error_code, error, item_errors)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      polls: db.prepare(
        `SELECT p.*, s.name AS source_name FROM source_polls p JOIN sources s ON s.id = p.source_id ORDER BY p.id DESC LIMIT ?`,
      ),
      pollsOf: db.prepare(
        `SELECT p.*, s.name AS source_name FROM source_polls p JOIN sources s ON s.id = p.source_id WHERE s.name = ? ORDER BY p.id DESC LIMIT ?`,
      ),
      seen: db.prepare('SELECT 1 FROM source_items WHERE source_id = ? AND item_key = ?'),
      markSeen: db.prepare('INSERT INTO source_items (source_id, item_key, article_id, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      insertRule: db.prepare('INSERT INTO alert_rules (name, filter, webhook, created_at) VALUES (?, ?, ?, ?) RETURNING id, name, filter, webhook, created_at'),
      listRules: db.prepare('SELECT id, name, filter, webhook, created_at FROM alert_rules ORDER BY name'),
      removeRule: db.prepare('DELETE FROM alert_rules WHERE name = ?'),
      clusterHit: db.prepare('SELECT 1 FROM alert_hits WHERE rule_id = ? AND cluster_id = ?'),
      insertHit: db.prepare(
        `INSERT INTO alert_hits (rule_id, event_id, cluster_id, article_id, at, record) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (rule_id, event_id) DO NOTHING`,
      ),
      hitById: db.prepare(`SELECT ${HIT_COLUMNS} FROM alert_hits h JOIN alert_rules r ON r.id = h.rule_id WHERE h.id = ?`),
    };
  }

  addSource(input: SourceInput): SourceRecord {
    const now = new Date().toISOString();
    try {
      return this.st.insertSource.get(input.name, input.location, input.every_s, now, now) as SourceRecord;
    } catch (err) {
      if (isUnique(err)) throw new KhabarError('E_VALIDATION', `a source named "${input.name}" already exists: pick another --name, or remove it first`, { field: 'name' });
      throw err;
    }
  }

  listSources(): SourceRecord[] {
    return this.st.listSources.all() as SourceRecord[];
  }

  removeSource(name: string): boolean {
    return this.st.removeSource.run(name).changes > 0;
  }

  updateSourceState(id: number, s: SourceState): void {
    this.st.updateState.run(s.etag, s.last_modified, s.next_poll_at, s.failures, s.last_polled_at, s.last_error, id);
  }

  recordPoll(p: PollRecord): number {
    const info = this.st.insertPoll.run(
      p.source_id, p.started_at, p.finished_at, p.status, p.http_status, p.items, p.new, p.duplicates, p.failed,
      p.error_code, p.error, JSON.stringify(p.item_errors),
    );
    return Number(info.lastInsertRowid);
  }

  listPolls(options: { source?: string; limit?: number } = {}): StoredPoll[] {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 10_000);
    const rows = (options.source === undefined ? this.st.polls.all(limit) : this.st.pollsOf.all(options.source, limit)) as PollRow[];
    return rows.map((r) => ({ ...r, status: r.status as PollRecord['status'], item_errors: JSON.parse(r.item_errors) as PollRecord['item_errors'] }));
  }

  unseenItems(sourceId: number, keys: string[]): string[] {
    return keys.filter((k) => this.st.seen.get(sourceId, k) === undefined);
  }

  markItemsSeen(sourceId: number, items: { key: string; article_id: string | null }[]): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const it of items) this.st.markSeen.run(sourceId, it.key, it.article_id, now);
    })();
  }

  addAlertRule(input: AlertRuleInput): AlertRule {
    const filter = ruleFilter(input.filter);
    try {
      return toRule(this.st.insertRule.get(input.name, JSON.stringify(filter), input.webhook, new Date().toISOString()) as RuleRow);
    } catch (err) {
      if (isUnique(err)) throw new KhabarError('E_VALIDATION', `a watch rule named "${input.name}" already exists: pick another --name, or remove it first`, { field: 'name' });
      throw err;
    }
  }

  listAlertRules(): AlertRule[] {
    return (this.st.listRules.all() as RuleRow[]).map(toRule);
  }

  removeAlertRule(name: string): boolean {
    return this.st.removeRule.run(name).changes > 0;
  }

  recordAlertHits(hits: AlertHitInput[]): AlertHit[] {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const added: AlertHit[] = [];
      for (const h of hits) {
        const cluster = h.event.cluster_id ?? null;
        if (cluster !== null && this.st.clusterHit.get(h.rule_id, cluster) !== undefined) continue;
        const info = this.st.insertHit.run(h.rule_id, h.event.event_id, cluster, h.event.article_id, now, JSON.stringify(h.event));
        if (info.changes > 0) added.push(toHit(this.st.hitById.get(Number(info.lastInsertRowid)) as HitRow));
      }
      return added;
    }).immediate();
  }

  listAlertHits(q: AlertHitQuery = {}): AlertHit[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.rule !== undefined) {
      where.push('r.name = ?');
      params.push(q.rule);
    }
    if (q.after_id !== undefined) {
      where.push('h.id > ?');
      params.push(q.after_id);
    }
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 10_000);
    const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
    const sql = `SELECT ${HIT_COLUMNS} FROM alert_hits h JOIN alert_rules r ON r.id = h.rule_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY h.id DESC LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...params, limit, offset) as HitRow[]).map(toHit);
  }
}
