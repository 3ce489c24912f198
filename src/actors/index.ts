/**
 * The actor stage and its public API: load the knowledge base once, resolve every actor mention of
 * a document, and look entries up for the CLI and the web API.
 */
import { KnowledgeError } from '../errors.js';
import type { Stage } from '../pipeline.js';
import { normalizeText } from '../text/normalize.js';
import { splitSentences } from '../text/sentences.js';
import { tokenizeSentences } from '../text/tokens.js';
import type { ActorMention, KhabarDoc } from '../types.js';
import { loadActorBase, type Actor, type ActorBase, type CountryInfo, type LoadOptions } from './load.js';
import { keyOf } from './match.js';
import { resolveTokens } from './resolve.js';
import { roleAt, type ActorAt } from './roles.js';

export { loadActorBase, roleAt, resolveTokens };
export type { Actor, ActorAt, ActorBase, CountryInfo, LoadOptions };

declare module '../pipeline.js' {
  interface Knowledge {
    actors?: ActorBase;
  }
}

/** Pipeline stage: fills `doc.actors` from `ctx.knowledge.actors`. */
export const actorStage: Stage = {
  name: 'actors',
  requires: ['tokens'],
  assigns: ['actors'],
  run(doc: KhabarDoc, ctx): KhabarDoc {
    const base = ctx.knowledge.actors;
    if (base === undefined) {
      throw new KnowledgeError('the actor stage needs the actor knowledge base: load it with loadActorBase() into knowledge.actors');
    }
    doc.actors = resolveTokens(base, doc.text, doc.tokens, doc.article.date || null);
    return doc;
  },
};

/**
 * Normalizes, splits and tokenizes a text, then resolves its actors (for the CLI and evaluation).
 * @example resolveActorsInText(base, 'Pakistani troops killed five TTP militants.', '2024-03-14').map(m => m.id) // ['pak.military', 'ttp']
 */
export function resolveActorsInText(base: ActorBase, text: string, date: string | null = null): ActorMention[] {
  const norm = normalizeText(text);
  const tokens = tokenizeSentences(norm.text, splitSentences(norm.text));
  return resolveTokens(base, norm.text, tokens, date);
}

/**
 * An actor by id, or null. @example getActor(base, 'iskp')?.parent // 'islamic_state'
 */
export function getActor(base: ActorBase, id: string): Actor | null {
  const idx = base.byId.get(id);
  return idx === undefined ? null : base.actors[idx]!;
}

/**
 * Actors whose id, name or an alias matches the query: exact names first, then prefixes, then
 * substrings. @example searchActors(base, 'isis-k')[0]?.id // 'iskp'
 */
export function searchActors(base: ActorBase, query: string, limit = 20): Actor[] {
  const q = keyOf(query.trim()).replace(/[\s-]+/g, ' ');
  if (q === '') return [];
  const scored: { a: Actor; score: number }[] = [];
  for (const a of base.actors) {
    let best = 0;
    for (const n of [a.id, a.name, ...a.aliases]) {
      const k = keyOf(n).replace(/[\s-]+/g, ' ');
      const s = k === q ? 3 : k.startsWith(q) ? 2 : k.includes(q) ? 1 : 0;
      if (s > best) best = s;
      if (best === 3) break;
    }
    if (best > 0) scored.push({ a, score: best + (a.file === 'generated' ? 0 : 0.5) });
  }
  scored.sort((x, y) => y.score - x.score || x.a.name.length - y.a.name.length);
  return scored.slice(0, limit).map((s) => s.a);
}
