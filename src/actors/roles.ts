/**
 * Time-bounded roles: what an actor is at a given date (the Taliban are an insurgency before
 * 2021-08-15 and the governing authority of Afghanistan from that day).
 */
import type { ActorKind } from '../types.js';
import type { Actor } from './load.js';

export interface ActorAt {
  /** The role in force at the date, or null when none of the actor's roles covers it. */
  role: string | null;
  kind: ActorKind;
  inter: number | null;
  country: string | null;
}

/**
 * The actor's kind, ACLED category and country at `date` (YYYY-MM-DD). A role covers [from, to):
 * `from` inclusive, `to` exclusive; a missing bound is open. The latest-starting covering role wins.
 * @example roleAt(taliban, '2020-01-01').inter // 2
 * @example roleAt(taliban, '2022-01-01').inter // 1
 */
export function roleAt(actor: Actor, date: string | null): ActorAt {
  let best: Actor['roles'][number] | null = null;
  if (date !== null) {
    for (const r of actor.roles) {
      if (r.from !== undefined && date < r.from) continue;
      if (r.to !== undefined && date >= r.to) continue;
      if (best === null || (r.from ?? '') > (best.from ?? '')) best = r;
    }
  }
  if (best === null) return { role: null, kind: actor.kind, inter: actor.inter, country: actor.country };
  return {
    role: best.role,
    kind: best.kind ?? actor.kind,
    inter: best.inter ?? actor.inter,
    country: best.country ?? actor.country,
  };
}
