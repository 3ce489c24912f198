/**
 * The app's calls to the API (same origin), typed with the server's own record types.
 */
import type { ActorActivity, PlaceSummary, StoreStats, TimeSeries } from '../store/store.js';
import type { Entity, EventRecord, Evidence } from '../types.js';

export type { ActorActivity, EventRecord, Entity, Evidence, StoreStats, TimeSeries, PlaceSummary };

export interface EventsReply {
  total: number;
  events: EventRecord[];
  next_cursor: string | null;
}

export interface ArticleMeta {
  id: string;
  date: string;
  title: string | null;
  source: string | null;
  url: string | null;
}

export interface EventDetail {
  event: EventRecord;
  article: ArticleMeta | null;
  /** Every article reporting the (merged) event, earliest first. */
  reports: (ArticleMeta & { event_id: string; evidence: Evidence[]; sources: EventRecord['sources']; claim: string | null; origin: string; duplicate_of: string | null })[];
  attribution: { publisher: string | null; sources: EventRecord['sources']; claim: string | null; claimed_by: string | null };
}

export interface ArticleDetail {
  article: ArticleMeta & { language: string | null; ingested_at: string };
  text: string;
  entities: Entity[];
  events: { event_id: string; event_type: string; acled_sub_event_type: string | null; evidence: Evidence; evidence_all: Evidence[]; trigger: Evidence | null }[];
}

export interface ActorProfile {
  actor: {
    id: string;
    name: string;
    kind: string;
    country: string | null;
    parent: string | null;
    parent_name: string | null;
    aliases: string[];
    inter: number | null;
    role_now: { role: string | null; kind: string; inter: number | null; country: string | null };
  } | null;
  activity: ActorActivity;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** GET a JSON endpoint; an error reply becomes an ApiError with the server's code and message. */
export async function getJson<T>(path: string, params?: URLSearchParams): Promise<T> {
  const url = params && [...params.keys()].length ? `${path}?${params.toString()}` : path;
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await res.json()) as T | { error: { code: string; message: string } };
  if (!res.ok) {
    const err = (body as { error?: { code: string; message: string } }).error;
    throw new ApiError(res.status, err?.code ?? 'E_HTTP', err?.message ?? `request failed with status ${res.status}`);
  }
  return body as T;
}
