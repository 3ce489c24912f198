/**
 * Actor resolution for one document, in explicit steps: find hits with the matcher → combine them
 * into mentions (nationality + agent, titles + names, groups + member nouns, "X-linked group" and
 * "X-led coalition" descriptions, weapons through their owner) → choose among candidates by the
 * article's country and other mentions → find new organisations and persons the base lacks → let
 * acronyms the article defines override base aliases → link anaphors, appositions, possessors and
 * short forms to their antecedents → apply roles at the article's date.
 */
import type { ActorKind, ActorMention, Token } from '../types.js';
import type { ActorBase, Actor } from './load.js';
import { stateId } from './load.js';
import { PayloadType, scan, subtokensOf, type Hit, type Payload, type Subtokens } from './match.js';
import { roleAt } from './roles.js';
import { STATE_AGENTS, type StateAgent } from './schema.js';

const ARMED: ReadonlySet<ActorKind> = new Set(['rebel', 'insurgent', 'militia', 'terrorist']);
const ORGANISED: ReadonlySet<ActorKind> = new Set(['rebel', 'insurgent', 'militia', 'terrorist', 'party', 'organisation', 'ngo', 'igo', 'company']);
const STATEISH: ReadonlySet<ActorKind> = new Set(['state', 'government', 'military', 'police', 'security', 'intelligence']);
const COUNTRY_WORDS: ReadonlySet<PayloadType> = new Set([PayloadType.Adjective, PayloadType.People, PayloadType.Country, PayloadType.Capital]);

/** A mention under construction, over sub-tokens [s, e). */
interface Draft {
  s: number;
  e: number;
  actor: number | null;
  id: string | null;
  name: string;
  kind: ActorKind;
  country: string | null;
  inter: number | null;
  role: string | null;
  affiliation: string | null;
  score: number;
  /** For anaphors: which earlier actors they can point to. */
  anaphor: 'armed' | 'organisation' | 'state' | 'any' | null;
  /** A definite generic ("the militants") that may point back to a named group. */
  definite: boolean;
  /** Actor candidates still to choose from (shared aliases). */
  candidates: number[] | null;
  /** Article-local short form of a new organisation: index of its long-form draft. */
  shortOf: number | null;
  /** A weapon or vehicle ("its aircraft", "the group's drones"): it stands for its owner, found in corefer. */
  possessor: boolean;
  /** "The al-Qaeda-linked group": the actor named as the affiliate, used when nothing earlier fits. */
  affiliate: number | null;
  /** "X, an ethnic armed group ...": index (after sorting) of the named draft this description is in apposition to. */
  apposOf: number | null;
}

function draft(s: number, e: number, partial: Partial<Draft>): Draft {
  return {
    s, e, actor: null, id: null, name: '', kind: 'unknown', country: null, inter: null, role: null, affiliation: null,
    score: 0.5, anaphor: null, definite: false, candidates: null, shortOf: null, possessor: false, affiliate: null, apposOf: null, ...partial,
  };
}

function firstOf(hit: Hit, type: PayloadType): Payload | undefined {
  return hit.payloads.find((p) => p.type === type);
}

function actorPayloads(hit: Hit): number[] {
  const out: number[] = [];
  for (const p of hit.payloads) if (p.type === PayloadType.Actor) out.push(p.ref);
  return out;
}

/** Context of one resolution run. */
interface Run {
  base: ActorBase;
  sub: Subtokens;
  hits: Hit[];
  text: string;
  date: string | null;
  /** The article's main country (ISO2), from its nationality words, country names and groups. */
  country: string | null;
  drafts: Draft[];
  covered: Uint8Array;
  /** Hits by their first piece (built in combine). */
  hitStarts: Map<number, Hit>;
}

function countryVotes(base: ActorBase, hits: readonly Hit[], sub: Subtokens): string | null {
  const votes = new Map<string, number>();
  const vote = (c: string | null, w: number): void => {
    if (c !== null) votes.set(c, (votes.get(c) ?? 0) + w);
  };
  for (const h of hits) {
    // "anti-Syria", "pro-Iranian": a modifier says nothing of where the article is.
    if (h.s > 0 && sub.token[h.s - 1] === sub.token[h.s] && base.modifierPrefixes.has(sub.keys[h.s - 1]!)) continue;
    // One pass over the payloads (no arrays per hit): the one country its country words name, the one actor.
    let country = -1;
    let oneCountry = true;
    let actor = -1;
    let actors = 0;
    for (const p of h.payloads) {
      if (p.type === PayloadType.Actor) {
        actor = p.ref;
        actors++;
      } else if (COUNTRY_WORDS.has(p.type)) {
        if (country < 0) country = p.ref;
        else if (p.ref !== country) oneCountry = false;
      }
    }
    if (country >= 0 && oneCountry) vote(base.countries[country]!.iso2, 1);
    if (actors === 1) {
      const a = base.actors[actor]!;
      if (!a.generic) vote(a.country, 1);
    }
  }
  let best: string | null = null;
  let bestN = 0;
  for (const [c, n] of votes) if (n > bestN) { best = c; bestN = n; }
  return best;
}

function setActor(run: Run, d: Draft, idx: number): void {
  const a = run.base.actors[idx]!;
  const at = roleAt(a, run.date);
  d.actor = idx;
  d.id = a.id;
  d.name = a.name;
  d.kind = at.kind;
  d.country = at.country;
  d.inter = at.inter;
  if (at.role !== null && d.role === null && a.kind !== 'person') d.role = at.role;
}

/** The state entry of a country for an agent, as an actor index. */
function stateActor(run: Run, iso2: string, agent: StateAgent): number | null {
  const ci = run.base.countryIndex.get(iso2);
  if (ci === undefined) return null;
  const idx = run.base.stateActors[ci * STATE_AGENTS.length + STATE_AGENTS.indexOf(agent)]!;
  return idx < 0 ? null : idx;
}

/** The country a hit names; a country name wins over the same word as an adjective ("U.S."). */
function hitCountry(run: Run, hit: Hit): { iso2: string; type: PayloadType } | null {
  let best: Payload | null = null;
  for (const p of hit.payloads) {
    if (!COUNTRY_WORDS.has(p.type)) continue;
    if (best === null || (p.type === PayloadType.Country && best.type !== PayloadType.Country)) best = p;
  }
  return best === null ? null : { iso2: run.base.countries[best.ref]!.iso2, type: best.type };
}

/** The generic actor of a hit (first actor payload that is generic), or null. */
function genericOf(run: Run, hit: Hit): Actor | null {
  for (const p of hit.payloads) {
    if (p.type === PayloadType.Actor && run.base.actors[p.ref]!.generic) return run.base.actors[p.ref]!;
  }
  return null;
}

const LOWER_WORD = /^[a-z]+$/;

/** LOWER_WORD.test without a regex, for the hot paths: only a-z. */
function isLowerWord(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * Length in pieces (1-3) of the longest phrase of `set` that starts at piece k in the sentence `sent`,
 * or 0. Phrases are keyed as pieces joined by one space ("splinter group").
 */
function phraseLen(run: Run, set: ReadonlySet<string> | ReadonlyMap<string, unknown>, k: number, sent: number): number {
  const sub = run.sub;
  const prefixes = run.base.phrasePrefixes;
  if (k >= sub.length || sub.sentence[k] !== sent) return 0;
  let key = sub.keys[k]!;
  let best = 0;
  for (let n = 1; ; n++) {
    if (set.has(key)) best = n;
    if (n === 3 || k + n >= sub.length || sub.sentence[k + n] !== sent || !prefixes.has(key)) return best;
    key = `${key} ${sub.keys[k + n]!}`;
  }
}

/**
 * "military aid", "army base": a lone lower-case agent word before a non-agent noun is an adjective.
 * So is a singular agent word of `adjectiveAgents` before a capitalised name ("the rebel Revolutionary
 * United Front") or before a plain lower-case noun that is no member noun ("terrorist activities").
 */
function isModifier(run: Run, h: Hit): boolean {
  const { sub, base } = run;
  if (h.e - h.s !== 1 || h.e >= sub.length) return false;
  // Only state agents ("military"), parties ("opposition") and the listed singular agents act as adjectives.
  const gen = genericOf(run, h);
  if (gen === null || (gen.agent === null && gen.kind !== 'party' && !base.adjectiveAgents.has(sub.keys[h.s]!))) return false;
  if (!isLowerWord(sub.surfaces[h.s]!)) return false;
  const sent = sub.sentence[h.s]!;
  if (phraseLen(run, base.nonAgentNouns, h.e, sent) > 0) return true;
  if (!base.adjectiveAgents.has(sub.keys[h.s]!) || sub.sentence[h.e] !== sent) return false;
  const nx = sub.surfaces[h.e]!;
  // Before an organisation's name it is an adjective; before a person's name ("militant Haroon X") a noun.
  if (sub.capital[h.e] === 1) {
    const at = run.hitStarts.get(h.e);
    return orgNameAhead(run, h.e) || (at !== undefined && actorPayloads(at).length > 0);
  }
  const key = sub.keys[h.e]!;
  // "terrorist groups", "rebel cells": a group noun keeps the agent.
  return isLowerWord(nx) && !base.gapStopwords.has(key) && !base.memberNouns.has(key) && !base.descriptionHeads.has(key) && !key.endsWith('ed') && !key.endsWith('ing');
}

/**
 * The end of the words between a nationality and an agent noun: listed modifiers ("paramilitary"),
 * or up to two plain lower-case words that are not function words ("French paper workers").
 */
function skipGap(run: Run, j: number, end: number, listed: ReadonlySet<string>): number {
  const { sub, base } = run;
  let k = j;
  let free = 0;
  while (k < end && k - j < 3) {
    const key = sub.keys[k]!;
    if (listed.has(key)) { k++; continue; }
    // Past forms and gerunds are verbs more often than modifiers ("Britain mobilized army").
    if (free < 2 && LOWER_WORD.test(sub.surfaces[k]!) && !base.gapStopwords.has(key) && !key.endsWith('ed') && !key.endsWith('ing')) { free++; k++; continue; }
    break;
  }
  return k;
}

/** Capitalised name pieces from j (a person's name after a title): up to 4, stopping at known hits. */
function nameAfter(run: Run, j: number, hitStarts: Map<number, Hit>): number {
  const { sub } = run;
  let k = j;
  const sent = sub.sentence[j];
  while (k < sub.length && k - j < 5 && sub.sentence[k] === sent) {
    const surf = sub.surfaces[k]!;
    const c = surf.charCodeAt(0);
    const isCap = surf !== surf.toLowerCase() && !(c >= 97 && c <= 122);
    if (!isCap) {
      // "Bashar al-Assad": a particle inside the name, followed by a capitalised piece.
      if (k > j && run.base.nameParticles.has(sub.keys[k]!) && k + 1 < sub.length && sub.sentence[k + 1] === sent && sub.capital[k + 1] === 1) { k++; continue; }
      break;
    }
    if (k === j && run.base.gapStopwords.has(sub.keys[k]!)) break; // "PM. A few ..."
    if (run.base.orgHeads.has(sub.keys[k]!)) return j; // "General Administration" is no person
    const h = hitStarts.get(k);
    if (h !== undefined && actorPayloads(h).some((a) => !run.base.actors[a]!.generic)) break;
    if (h !== undefined && h.payloads.some((p) => COUNTRY_WORDS.has(p.type))) break;
    if (h !== undefined && k === j && firstOf(h, PayloadType.Title)) break;
    k++;
  }
  return k;
}

/**
 * A titled person: `prefixStart` is where a nationality/group prefix begins (or the title), `ti` the
 * title hit. Returns the draft and the end, or null when no name follows the title.
 */
function personDraft(run: Run, prefixStart: number, ti: Hit, hitStarts: Map<number, Hit>, affCountry: string | null, affActor: number | null, capFrom = ti.s): Draft | null {
  const title = run.base.rules.titles[firstOf(ti, PayloadType.Title)!.ref]!;
  const nameEnd = nameAfter(run, ti.e, hitStarts);
  if (nameEnd === ti.e) return null;
  const { sub, text } = run;
  // A filler right before the title ("former", "new") is part of the role.
  let roleStart = ti.s;
  // Capitalised words from capFrom belong to the title too ("Serbian Labour Minister X").
  while (roleStart > capFrom && sub.capital[roleStart - 1] === 1) roleStart--;
  while (roleStart > prefixStart && run.base.titleFillers.has(sub.keys[roleStart - 1]!)) roleStart--;
  let start = prefixStart;
  while (start > 0 && run.base.titleFillers.has(sub.keys[start - 1]!) && sub.sentence[start - 1] === sub.sentence[start]) start--;
  // "former Interior Minister X": fillers before a bare title belong to the role; "the" does not.
  if (prefixStart === ti.s) {
    while (start < roleStart && (sub.keys[start] === 'the' || sub.keys[start] === 'a')) start++;
    roleStart = start;
  }
  const role = text.slice(sub.starts[roleStart]!, sub.ends[ti.e - 1]!);
  const name = text.slice(sub.starts[ti.e]!, sub.ends[nameEnd - 1]!);
  const d = draft(start, nameEnd, { name, kind: 'person', role, score: 0.8 });
  let aff: number | null = affActor;
  if (aff === null && title.affiliation !== 'none' && title.affiliation !== 'opposition' && title.affiliation !== 'organisation') {
    if (affCountry !== null) aff = stateActor(run, affCountry, title.affiliation);
  }
  if (aff !== null) {
    const a = run.base.actors[aff]!;
    const at = roleAt(a, run.date);
    d.affiliation = a.id;
    d.country = at.country;
    d.inter = at.inter;
  } else if (title.affiliation === 'opposition') {
    d.affiliation = 'opposition';
    d.country = affCountry;
  }
  return d;
}

/** A hit that opens its sentence and is followed by a lower-case word (a verb or adverb), not by a name or "-based". */
function isSubjectStart(run: Run, h: Hit): boolean {
  const { sub } = run;
  if (h.s > 0 && sub.sentence[h.s - 1] === sub.sentence[h.s]) return false;
  const nx = sub.surfaces[h.e];
  if (nx === undefined || sub.sentence[h.e] !== sub.sentence[h.s]) return false;
  return LOWER_WORD.test(nx) && !run.base.gapStopwords.has(sub.keys[h.e]!) && nx !== 'based' && !run.base.locatives.has(sub.keys[h.e]!);
}

const IDENTITY_ARMED: ReadonlySet<ActorKind> = new Set(['militia', 'rebel', 'insurgent', 'terrorist']);


/**
 * An ethnic or communal group word: with an armed noun an identity militia (ACLED inter 4:
 * "Fulani gunmen"), with rebels a rebel group, with civilians or alone in the plural ("Kurds")
 * civilians of that group. `country` comes from a nationality before it ("Iraqi Kurds").
 */
function groupDraft(run: Run, h: Hit, gi: number, next: Hit | undefined, country: string | null): Draft | null {
  const { base, sub, text } = run;
  const g = base.groups[gi]!;
  const c = country ?? (g.countries.length === 1 ? g.countries[0]! : run.country !== null && g.countries.includes(run.country) ? run.country : null);
  const surface = text.slice(sub.starts[h.s]!, sub.ends[h.e - 1]!);
  if (next !== undefined && sub.sentence[next.s] === sub.sentence[h.s] && skipGap(run, h.e, next.s, base.modifiers) === next.s) {
    const gen = genericOf(run, next);
    if (gen !== null && gen.agent === null) {
      const d = draft(h.s, next.e, { score: 0.75 });
      setActor(run, d, base.byId.get(gen.id)!);
      d.name = `${g.name} ${gen.name}`;
      d.country = c;
      if (IDENTITY_ARMED.has(gen.kind) && !base.groupKeepsType.has(gen.id)) {
        d.kind = 'militia';
        d.inter = 4;
      }
      return d;
    }
  }
  // A plural people form alone ("Kurds", "Hazaras"): civilians of the group.
  if (surface.length > 3 && surface.endsWith('s') && surface !== g.name) {
    const civ = base.byId.get('generic.civilians');
    if (civ === undefined) return null;
    const d = draft(h.s, h.e, { score: 0.6 });
    setActor(run, d, civ);
    d.name = surface;
    d.country = c;
    return d;
  }
  return null;
}

/** Whether capitalised words with an organisation head follow ("Ivory Coast's Supreme Court"). */
function orgNameAhead(run: Run, j: number): boolean {
  const { sub, base } = run;
  let k = j;
  if (sub.keys[k] === "'s") k++;
  const sent = sub.sentence[j - 1];
  let any = false;
  while (k < sub.length && sub.sentence[k] === sent && k - j < 8) {
    if (sub.capital[k] === 1) {
      if (base.orgHeads.has(sub.keys[k]!)) any = true;
      k++;
      continue;
    }
    if (base.nameConnectors.has(sub.surfaces[k]!) && k + 1 < sub.length && sub.capital[k + 1] === 1) { k++; continue; }
    break;
  }
  return any;
}

/** The actor an "X-linked" / "X-led" modifier names: a named actor, or a country's state. */
function modifierActor(run: Run, h: Hit): number | null {
  for (const i of actorPayloads(h)) if (!run.base.actors[i]!.generic) return i;
  const cw = hitCountry(run, h);
  return cw === null ? null : stateActor(run, cw.iso2, 'state');
}

/**
 * An actor name joined to a link word describes another actor: "the al-Qaeda-linked group" and "the
 * al-Qaeda affiliate" refer back to a group (anaphor, with al-Qaeda as its affiliate), "Iran-backed
 * militias" are not Iran, "the U.S.-led coalition" is a coalition the United States leads. Pushes the
 * draft, if any, and returns the index of the last hit used; -1 when the hit carries no link word.
 */
function linkedDescription(run: Run, hi: number): number {
  const { base, sub, hits } = run;
  const h = hits[hi]!;
  const e = h.e;
  if (e >= sub.length) return -1;
  const sent = sub.sentence[h.s]!;
  if (sub.sentence[e] !== sent) return -1;
  let kind: 'affiliate' | 'lead' | undefined;
  let end = -1;
  if (sub.token[e] === sub.token[e - 1]) {
    kind = base.linkWords.get(sub.keys[e]!);
  } else {
    const k = sub.keys[e] === "'s" ? e + 1 : e;
    const first = sub.keys[k];
    if (first === undefined || (!base.linkNouns.has(first) && !base.phrasePrefixes.has(first))) return -1;
    const n = phraseLen(run, base.linkNouns, k, sent);
    const before = h.s > 0 && sub.sentence[h.s - 1] === sent ? sub.keys[h.s - 1]! : '';
    if (n > 0 && (k > e || before === 'the' || before === 'a' || before === 'an')) {
      kind = 'affiliate';
      end = k + n;
    }
  }
  if (kind === undefined) return -1;
  const x = modifierActor(run, h);
  const skipTo = (to: number): number => {
    let j = hi;
    while (j + 1 < hits.length && hits[j + 1]!.s < to) j++;
    return j;
  };
  if (kind === 'lead') {
    const n = phraseLen(run, base.coalitionNouns, e + 1, sent);
    if (n === 0 || x === null) return -1; // "Hamas-led government": the name stays a mention
    end = e + 1 + n;
    for (let j = hi + 1; j < hits.length && hits[j]!.s < end; j++) end = Math.max(end, hits[j]!.e);
    const a = run.base.actors[x]!;
    const at = roleAt(a, run.date);
    const affiliation = a.agent === 'state' && at.country !== null ? stateId(base, at.country, 'military') : a.id;
    run.drafts.push(draft(h.s, end, {
      name: run.text.slice(sub.starts[h.s]!, sub.ends[end - 1]!), kind: 'military', inter: 8, country: at.country, affiliation, score: 0.7,
    }));
    return skipTo(end);
  }
  const det = h.s > 0 && sub.sentence[h.s - 1] === sent ? sub.keys[h.s - 1]! : '';
  if (end < 0) {
    const n = phraseLen(run, base.descriptionHeads, e + 1, sent);
    // "Iran-backed Houthis", "Russian-backed separatists": the modifier is no actor, the rest stands.
    if (n === 0 || (det !== 'the' && det !== 'a' && det !== 'an')) return hi;
    end = e + 1 + n;
  }
  // Definite ("the al-Qaeda-linked group", "al-Qaeda's affiliate") refers back; indefinite is a group of its own.
  const d = draft(h.s, end, { anaphor: 'armed', affiliate: x, score: 0.5 });
  if (det === 'a' || det === 'an') {
    if (x === null) return skipTo(end);
    const a = base.actors[x]!;
    const at = roleAt(a, run.date);
    const armed = ARMED.has(at.kind);
    Object.assign(d, {
      anaphor: null, affiliate: null, name: run.text.slice(sub.starts[h.s]!, sub.ends[end - 1]!), kind: armed ? at.kind : 'militia',
      inter: armed ? at.inter : 3, country: run.country ?? at.country, affiliation: a.id,
    });
  }
  run.drafts.push(d);
  return skipTo(end);
}

/**
 * Where a capitalised name begins that ends in the generic hit `hi` ("National Liberation Army",
 * "The Emergency Lawyers", "Afghan National Army"), or -1 when the hit is no such head: it needs at
 * least one capitalised piece before it that no hit covers, and no capitalised word after it (a
 * title-case headline).
 */
function capitalisedNameStart(run: Run, hi: number): number {
  const { sub, base, hits } = run;
  const h = hits[hi]!;
  const sent = sub.sentence[h.s];
  if (h.s === 0 || sub.capital[h.s] !== 1) return -1;
  if (h.e < sub.length && sub.sentence[h.e] === sent && sub.capital[h.e] === 1) return -1;
  const prev = hi > 0 ? hits[hi - 1]! : null;
  let k = h.s;
  let free = 0;
  while (k > 0 && sub.sentence[k - 1] === sent && sub.capital[k - 1] === 1 && !base.gapStopwords.has(sub.keys[k - 1]!)) {
    if (prev !== null && k - 1 < prev.e) {
      // A nationality or country word opens the name ("Afghan National Army").
      if (free > 0 && prev.e === k && hitCountry(run, prev) !== null && actorPayloads(prev).length === 0) k = prev.s;
      break;
    }
    k--;
    free++;
  }
  return free > 0 ? k : -1;
}

/**
 * A capitalised name with a state-agent head: a non-state group when a word of `rebelNameWords`
 * occurs in it ("National Liberation Army"), else that agent of the country it names or of the
 * article ("Punjab Police", "Afghan National Army").
 */
function namedAgentDraft(run: Run, s: number, h: Hit, gen: Actor): Draft {
  const { base, sub } = run;
  let rebel = false;
  for (let k = s; k < h.e; k++) if (base.rebelNameWords.has(sub.keys[k]!)) rebel = true;
  let country: string | null = null;
  for (const x of run.hits) {
    if (x.s >= s && x.e <= h.s) {
      const c = hitCountry(run, x);
      if (c !== null) { country = c.iso2; break; }
    }
  }
  const name = run.text.slice(sub.starts[s]!, sub.ends[h.e - 1]!);
  if (!rebel) {
    const c = country ?? run.country;
    const idx = c !== null && gen.agent !== null ? stateActor(run, c, gen.agent) : null;
    const d = draft(s, h.e, { score: idx !== null ? 0.7 : 0.5 });
    setActor(run, d, idx ?? base.byId.get(gen.id)!);
    return d;
  }
  const head = base.orgHeads.get(sub.keys[h.e - 1]!);
  const typed = head !== undefined && ARMED.has(head.kind) ? head : { kind: 'rebel' as ActorKind, inter: 2 };
  return draft(s, h.e, { name, kind: typed.kind, inter: typed.inter, country: country ?? run.country, score: 0.5 });
}

/**
 * "French and Egyptian warships", "Syrian, Russian and Iranian forces": a nationality adjective
 * followed by "and"/"or"/"," and more nationality adjectives that end in an agent noun gets that
 * agent too (its span is the adjective alone). Null when the chain ends otherwise.
 */
function coordinatedAgent(run: Run, hi: number, iso2: string): Draft | null {
  const { sub, hits } = run;
  const h = hits[hi]!;
  const sent = sub.sentence[h.s];
  let k = hi;
  for (let n = 0; n < 4; n++) {
    const cur = hits[k]!;
    let j = cur.e;
    if (sub.keys[j] === ',') j++;
    if (sub.keys[j] === 'and' || sub.keys[j] === 'or') j++;
    const nx = hits[k + 1];
    if (j === cur.e || nx === undefined || nx.s !== j || sub.sentence[j] !== sent) return null;
    const c = hitCountry(run, nx);
    if (c === null || c.type !== PayloadType.Adjective || actorPayloads(nx).length > 0) return null;
    const after = hits[k + 2];
    if (after !== undefined && sub.sentence[after.s] === sent && skipGap(run, nx.e, after.s, run.base.modifiers) === after.s && !isModifier(run, after)) {
      const gen = genericOf(run, after);
      if (gen !== null && gen.agent !== null) {
        const idx = stateActor(run, iso2, gen.agent);
        if (idx === null) return null;
        const d = draft(h.s, h.e, { score: 0.75 });
        setActor(run, d, idx);
        return d;
      }
      if (gen !== null) {
        const d = draft(h.s, h.e, { score: 0.7 });
        setActor(run, d, run.base.byId.get(gen.id)!);
        d.country = iso2;
        d.name = `${run.text.slice(sub.starts[h.s]!, sub.ends[h.e - 1]!)} ${gen.name}`;
        return d;
      }
    }
    k++;
  }
  return null;
}

/**
 * "Afghan rebel leaders", "Fulani militant commanders": a lower-case member noun right after a
 * non-state generic agent stays in its mention. Returns the index of the last hit the mention covers (from `hi`).
 */
function withMemberNoun(run: Run, d: Draft, hi: number): number {
  const { sub, hits } = run;
  if (d.e < sub.length && sub.sentence[d.e] === sub.sentence[d.s] && run.base.memberNouns.has(sub.keys[d.e]!) && LOWER_WORD.test(sub.surfaces[d.e]!)) {
    d.e++;
    while (hi + 1 < hits.length && hits[hi + 1]!.s < d.e) hi++;
  }
  return hi;
}

/** Step 2: combines hits into drafts. */
function combine(run: Run): void {
  const { base, sub, hits } = run;
  const hitStarts = run.hitStarts;
  for (const h of hits) hitStarts.set(h.s, h);
  const genericCivilians = base.byId.get('generic.civilians') ?? null;
  // End of the last country name read as a place ("in Mauritania"): a country coordinated with it is one too.
  let placeEnd = -1;

  for (let hi = 0; hi < hits.length; hi++) {
    const h = hits[hi]!;
    const next = hits[hi + 1];
    const cw = hitCountry(run, h);
    const acts = actorPayloads(h);

    // "anti-Taliban fighters", "pro-Iranian militia", "anti-Syria journalist": the name is no party here.
    if (h.s > 0 && sub.token[h.s - 1] === sub.token[h.s] && base.modifierPrefixes.has(sub.keys[h.s - 1]!)) continue;
    if (acts.length > 0 || cw !== null) {
      const used = linkedDescription(run, hi);
      if (used >= 0) { hi = used; continue; }
    }

    if (acts.length === 0 && cw !== null) {
      // "French and Egyptian warships": the first of coordinated nationality words takes the shared agent.
      if (cw.type === PayloadType.Adjective && next !== undefined) {
        const d = coordinatedAgent(run, hi, cw.iso2);
        if (d !== null) { run.drafts.push(d); continue; }
      }
      // "Pakistani (paramilitary) troops", "Pakistan's army", "the Kabul government", "British Defence Secretary X".
      let j = h.e;
      if (j < sub.length && sub.keys[j] === "'s") j++;
      if (next !== undefined && next.s >= j) {
        const gapEnd = skipGap(run, j, next.s, base.modifiers);
        const fillEnd = skipGap(run, j, next.s, base.titleFillers);
        const gen = genericOf(run, next);
        if (gen !== null && gapEnd === next.s && sub.sentence[next.s] === sub.sentence[h.s] && !isModifier(run, next)) {
          if (gen.agent !== null && (cw.type !== PayloadType.Capital || gen.agent === 'government')) {
            const idx = stateActor(run, cw.iso2, gen.agent);
            if (idx !== null) {
              const d = draft(h.s, next.e, { score: 0.9 });
              setActor(run, d, idx);
              run.drafts.push(d);
              hi++;
              continue;
            }
          } else if (gen.agent === null && cw.type !== PayloadType.Capital) {
            const d = draft(h.s, next.e, { score: 0.85 });
            setActor(run, d, base.byId.get(gen.id)!);
            d.country = cw.iso2;
            run.drafts.push(d);
            hi = withMemberNoun(run, d, hi + 1);
            continue;
          }
        }
        const ng = firstOf(next, PayloadType.Group);
        if (ng !== undefined && next.s === j && cw.type === PayloadType.Adjective && actorPayloads(next).length === 0) {
          const d = groupDraft(run, next, ng.ref, hits[hi + 2], cw.iso2);
          if (d !== null) {
            d.s = h.s;
            run.drafts.push(d);
            while (hi + 1 < hits.length && hits[hi + 1]!.s < d.e) hi++;
            continue;
          }
        }
        // Up to two capitalised words the title lists lack may come before the title ("Labour Minister").
        let titleEnd = fillEnd;
        while (titleEnd < next.s && titleEnd - fillEnd < 2 && sub.capital[titleEnd] === 1 && !hitStarts.has(titleEnd)) titleEnd++;
        if (firstOf(next, PayloadType.Title) && titleEnd === next.s && cw.type !== PayloadType.Capital) {
          const p = personDraft(run, h.s, next, hitStarts, cw.iso2, null, fillEnd);
          if (p !== null) {
            run.drafts.push(p);
            while (hi + 1 < hits.length && hits[hi + 1]!.s < p.e) hi++;
            continue;
          }
        }
      }
      if ((cw.type === PayloadType.Country || cw.type === PayloadType.Adjective) && orgNameAhead(run, h.e)) continue; // "Montenegro Assembly": findNew
      if (cw.type === PayloadType.Capital && isSubjectStart(run, h)) {
        // "Washington rejected the call": a seat of government opening its sentence stands for the government.
        const idx = stateActor(run, cw.iso2, 'government');
        if (idx !== null) {
          const d = draft(h.s, h.e, { score: 0.5 });
          setActor(run, d, idx);
          run.drafts.push(d);
        }
        continue;
      }
      if (cw.type === PayloadType.Country) {
        const prev = h.s > 0 && sub.sentence[h.s - 1] === sub.sentence[h.s] ? sub.keys[h.s - 1]! : '';
        const prev2 = h.s > 1 && prev === 'the' ? sub.keys[h.s - 2]! : '';
        const coordinated = (prev === 'and' || prev === 'or' || prev === ',') && h.s - 1 === placeEnd;
        if (base.locatives.has(prev) || base.locatives.has(prev2) || coordinated) {
          placeEnd = h.e;
        } else {
          const idx = stateActor(run, cw.iso2, 'state');
          if (idx !== null) {
            const d = draft(h.s, h.e, { score: 0.6 });
            setActor(run, d, idx);
            run.drafts.push(d);
          }
        }
      } else if (cw.type === PayloadType.People && genericCivilians !== null) {
        const d = draft(h.s, h.e, { score: 0.7 });
        setActor(run, d, genericCivilians);
        d.country = cw.iso2;
        d.name = run.text.slice(sub.starts[h.s]!, sub.ends[h.e - 1]!);
        run.drafts.push(d);
      }
      continue;
    }

    const grp = acts.length === 0 ? firstOf(h, PayloadType.Group) : undefined;
    if (grp !== undefined) {
      const d = groupDraft(run, h, grp.ref, next, null);
      if (d !== null) {
        run.drafts.push(d);
        while (hi + 1 < hits.length && hits[hi + 1]!.s < d.e) hi++;
      }
      continue;
    }

    if (acts.length === 0) {
      const title = firstOf(h, PayloadType.Title);
      if (title !== undefined) {
        const p = personDraft(run, h.s, h, hitStarts, null, null);
        if (p !== null) {
          run.drafts.push(p);
          while (hi + 1 < hits.length && hits[hi + 1]!.s < p.e) hi++;
        }
        continue;
      }
      const an = firstOf(h, PayloadType.Anaphor);
      // "the Movement for the Defence of ...": a capitalised noun opens a name, it is no anaphor.
      if (an !== undefined && h.e - h.s >= 2 && sub.capital[h.e - 1] === 1) continue;
      if (an !== undefined) run.drafts.push(draft(h.s, h.e, { anaphor: base.rules.anaphors[an.ref]!.target, score: 0.5 }));
      continue;
    }

    // Actor hits.
    const named = acts.filter((i) => !base.actors[i]!.generic);
    if (named.length === 0) {
      const gen = base.actors[acts[0]!]!;
      if (isModifier(run, h)) continue; // "military aid", "army base"
      // "Fighters of JNIM", "members of the Islamic State": the group named after "of".
      if (base.memberNouns.has(sub.keys[h.e - 1]!) && sub.keys[h.e] === 'of') {
        const ch = hitStarts.get(sub.keys[h.e + 1] === 'the' ? h.e + 2 : h.e + 1);
        const owner = ch === undefined ? [] : actorPayloads(ch).filter((i) => !base.actors[i]!.generic);
        if (ch !== undefined && owner.length > 0 && sub.sentence[ch.s] === sub.sentence[h.s]) {
          const d = draft(h.s, ch.e, { score: 0.85 });
          setActor(run, d, owner[0]!);
          if (owner.length > 1) d.candidates = owner;
          run.drafts.push(d);
          while (hi + 1 < hits.length && hits[hi + 1]!.s < ch.e) hi++;
          continue;
        }
      }
      // A head noun inside a longer capitalised name is no generic agent ("National Liberation Army").
      const nameStart = capitalisedNameStart(run, hi);
      if (nameStart >= 0) {
        if (gen.agent !== null) run.drafts.push(namedAgentDraft(run, nameStart, h, gen));
        continue; // other names ("The Emergency Lawyers") are read by findNew
      }
      if (gen.equipment) {
        // "its aircraft", "the group's drones" stand for their owner (found in corefer); unowned weapons are no actor.
        const before = h.s > 0 && sub.sentence[h.s - 1] === sub.sentence[h.s] ? sub.keys[h.s - 1]! : '';
        // "Russian aircraft including helicopter gunships": coordinated with the owner's mention.
        const coordinated = (before === 'and' || before === 'including' || before === ',') && run.drafts.length > 0 && run.drafts[run.drafts.length - 1]!.e === h.s - 1;
        if (before === 'its' || before === 'their' || before === "'s" || coordinated) run.drafts.push(draft(h.s, h.e, { possessor: true, kind: 'military', score: 0.6 }));
        continue;
      }
      const d = draft(h.s, h.e, { score: 0.6 });
      const prev = h.s > 0 && sub.sentence[h.s - 1] === sub.sentence[h.s] ? sub.keys[h.s - 1]! : '';
      let end = h.e;
      let country: string | null = null;
      if (gen.agent !== null) {
        // "the government of Pakistan", "the army of Nigeria".
        let j = h.e;
        if (sub.keys[j] === 'of') {
          j++;
          if (sub.keys[j] === 'the') j++;
          const ch = hitStarts.get(j);
          const c = ch !== undefined ? hitCountry(run, ch) : null;
          if (ch !== undefined && c !== null && c.type === PayloadType.Country) {
            country = c.iso2;
            end = ch.e;
            while (hi + 1 < hits.length && hits[hi + 1]!.s < end) hi++;
          }
        }
        // "Security forces in Guinea": the country after "in" is theirs (the place stays a place).
        if (country === null && (sub.keys[h.e] === 'in' || sub.keys[h.e] === 'from')) {
          const ch = hitStarts.get(sub.keys[h.e + 1] === 'the' ? h.e + 2 : h.e + 1);
          const c = ch !== undefined ? hitCountry(run, ch) : null;
          if (c !== null && c.type === PayloadType.Country) country = c.iso2;
        }
        // "Serb forces", "Moslem forces": an unknown capitalised word names whose they are; no guess.
        const capBefore = h.s > 0 && sub.sentence[h.s - 1] === sub.sentence[h.s] && sub.capital[h.s - 1] === 1 && !hitStarts.has(h.s - 1) && !(h.s > 1 && sub.sentence[h.s - 2] !== sub.sentence[h.s]);
        const c = country ?? (capBefore ? null : run.country);
        const idx = c !== null ? stateActor(run, c, gen.agent) : null;
        d.e = end;
        if (idx !== null) {
          setActor(run, d, idx);
          d.score = country !== null ? 0.85 : 0.55;
        } else {
          setActor(run, d, acts[0]!);
        }
      } else {
        setActor(run, d, acts[0]!);
        if (STATEISH.has(d.kind) === false) d.country = run.country;
        d.definite = prev === 'the';
      }
      run.drafts.push(d);
      continue;
    }

    // A named actor, possibly followed by a member noun ("Taliban fighters") or a title ("TTP commander X").
    const d = draft(h.s, h.e, { score: 0.9 });
    if (named.length === 1) setActor(run, d, named[0]!);
    else {
      d.candidates = named;
      setActor(run, d, named[0]!);
    }
    if (next !== undefined && next.s === h.e) {
      if (firstOf(next, PayloadType.Title) && named.length === 1) {
        const p = personDraft(run, h.s, next, hitStarts, null, named[0]!);
        if (p !== null) {
          run.drafts.push(p);
          while (hi + 1 < hits.length && hits[hi + 1]!.s < p.e) hi++;
          continue;
        }
      }
    }
    // "Taliban fighters", "Hamas gunmen": a member noun right after the name stays in the mention.
    if (d.e < sub.length && sub.sentence[d.e] === sub.sentence[d.s] && base.memberNouns.has(sub.keys[d.e]!)) {
      const nounEnd = d.e + 1;
      d.e = nounEnd;
      while (hi + 1 < hits.length && hits[hi + 1]!.s < nounEnd) hi++;
    }
    run.drafts.push(d);
  }
}

/** Step 3: chooses among the candidates of shared aliases by the article's country and other mentions. */
function disambiguate(run: Run): void {
  const present = new Set<string>();
  for (const d of run.drafts) if (d.id !== null && d.candidates === null) present.add(d.id);
  for (const d of run.drafts) {
    if (d.candidates === null) continue;
    let best = d.candidates[0]!;
    let bestScore = -1;
    for (const idx of d.candidates) {
      const a = run.base.actors[idx]!;
      let score = 0;
      if (a.country !== null && a.country === run.country) score += 2;
      if (a.parent !== null && present.has(a.parent)) score += 1;
      for (const f of a.affiliations) if (present.has(f)) score += 1;
      if (score > bestScore) { best = idx; bestScore = score; }
    }
    setActor(run, d, best);
    d.score = bestScore > 0 ? 0.8 : 0.5;
    d.candidates = null;
  }
}

/**
 * Step 4: capitalised names the base lacks: organisations by their head word ("... Brigade",
 * "Popular Front for ..."), with an acronym in brackets kept as an article-local short form; and
 * persons introduced by ", who leads the Y".
 */
function findNew(run: Run): void {
  const { base, sub, text } = run;
  const covered = run.covered;
  for (const d of run.drafts) for (let k = d.s; k < d.e; k++) covered[k] = 1;
  let k = 0;
  while (k < sub.length) {
    if (covered[k] || sub.capital[k] !== 1) { k++; continue; }
    // A run of capitalised pieces with lower-case connectors inside.
    const s = k;
    let e = k;
    let j = k;
    const sent = sub.sentence[k];
    while (j < sub.length && sub.sentence[j] === sent && !covered[j]) {
      if (sub.capital[j] === 1) { j++; e = j; continue; }
      if ((base.nameConnectors.has(sub.surfaces[j]!) || sub.keys[j] === "'s") && j + 1 < sub.length && !covered[j + 1] && sub.capital[j + 1] === 1) { j++; continue; }
      // Two connectors in a row: "Movement for the Actualization of the Sovereign State".
      if (base.nameConnectors.has(sub.surfaces[j]!) && j + 2 < sub.length && base.nameConnectors.has(sub.surfaces[j + 1]!) && !covered[j + 1] && !covered[j + 2] && sub.sentence[j + 2] === sent && sub.capital[j + 2] === 1) { j += 2; continue; }
      break;
    }
    // The head word is the last capitalised piece, or any piece followed by "of/for" ("Front for ...").
    let head: { kind: ActorKind; inter: number | null } | undefined;
    for (let m = e - 1; m >= s && head === undefined; m--) head = base.orgHeads.get(sub.keys[m]!);
    const article = sub.keys[s] === 'the' || sub.keys[s] === 'a' || sub.keys[s] === 'an';
    // "The Emergency Lawyers, a rights group": an appositive description types a name with no head word.
    if (head === undefined && e - s >= (article ? 3 : 2)) head = descriptorAfter(run, e);
    // "the opposition newspaper La Prensa": a description right before a name types it.
    if (head === undefined && e - s >= 2 && !article) head = descriptorBefore(run, s);
    let s0 = s;
    if (head !== undefined && e - s >= 3 && article) s0 = s + 1;
    if (head !== undefined && e - s0 >= 2) {
      const s = s0;
      const name = text.slice(sub.starts[s]!, sub.ends[e - 1]!);
      const d = draft(s, e, { name, kind: head.kind, inter: head.inter, score: 0.5 });
      for (const h of run.hits) {
        if (h.s >= s && h.e <= e) {
          const c = hitCountry(run, h);
          if (c !== null) { d.country = c.iso2; break; }
        }
      }
      if (d.country === null) d.country = run.country;
      run.drafts.push(d);
      for (let m = s; m < e; m++) covered[m] = 1;
      k = e;
      continue;
    }
    // "Kofi Annan, the UN secretary-general", "X Y, Pakistan's interior minister": a person with role and affiliation.
    if (e - s >= 2 && e - s <= 4 && sub.keys[e] === ',' && !article) {
      const p = appositivePerson(run, s, e);
      if (p !== null) {
        run.drafts.push(p);
        for (let m = s; m < e; m++) covered[m] = 1;
        k = e;
        continue;
      }
    }
    // "X Y, who leads the Z": a person with role and affiliation.
    if (e - s >= 2 && e - s <= 4 && sub.keys[e] === ',' && sub.keys[e + 1] === 'who') {
      const role = base.leadVerbs.get(sub.keys[e + 2] ?? '');
      if (role !== undefined) {
        const name = text.slice(sub.starts[s]!, sub.ends[e - 1]!);
        const d = draft(s, e, { name, kind: 'person', role, score: 0.6 });
        // A loop, not drafts.find(closure): a closure over `e` would make every pass of the scan allocate.
        let org: Draft | undefined;
        for (const o of run.drafts) if (o.s > e + 2 && o.s <= e + 6 && o.kind !== 'person') { org = o; break; }
        if (org !== undefined) {
          d.affiliation = org.id ?? org.name;
          d.country = org.country;
          d.inter = org.inter;
        } else {
          let stop = e + 3;
          while (stop < sub.length && sub.sentence[stop] === sent && !/^[,;:()]$/.test(sub.keys[stop]!)) stop++;
          if (stop > e + 3) d.affiliation = text.slice(sub.starts[e + 3]!, sub.ends[stop - 1]!).replace(/^(?:the|a|an) /i, '');
        }
        run.drafts.push(d);
        for (let m = s; m < e; m++) covered[m] = 1;
      }
    }
    k = Math.max(e, s + 1);
  }
}

/** The type a description right before the name starting at piece s gives it ("the newspaper La Prensa"), if any. */
function descriptorBefore(run: Run, s: number): { kind: ActorKind; inter: number | null } | undefined {
  const { sub, base } = run;
  if (s < 1 || sub.sentence[s - 1] !== sub.sentence[s] || run.covered[s - 1]) return undefined;
  const one = base.descriptors.get(sub.keys[s - 1]!);
  if (one !== undefined) return one;
  if (s < 2 || sub.sentence[s - 2] !== sub.sentence[s] || !base.phrasePrefixes.has(sub.keys[s - 2]!)) return undefined;
  return base.descriptors.get(`${sub.keys[s - 2]!} ${sub.keys[s - 1]!}`);
}

/**
 * "Kofi Annan, the UN secretary-general": a capitalised name [s, e) followed by a comma, an optional
 * organisation or country mention and a title is a person with that role and affiliation.
 */
function appositivePerson(run: Run, s: number, e: number): Draft | null {
  const { sub, base, text } = run;
  const sent = sub.sentence[s];
  let k = e + 1;
  if (sub.keys[k] === 'the' || sub.keys[k] === 'a' || sub.keys[k] === 'an') k++;
  const roleStart = k;
  let aff: Draft | undefined;
  for (const o of run.drafts) if ((o.s === k || o.s === e + 1) && o.kind !== 'person' && o.anaphor === null) { aff = o; break; }
  let titleHit: Hit | undefined;
  if (aff !== undefined) {
    // "the TTP commander": the member noun that ended the group's mention is the title.
    for (const h of run.hits) if (h.s > aff.s && h.e === aff.e && firstOf(h, PayloadType.Title) !== undefined) titleHit = h;
    k = aff.e;
    if (sub.keys[k] === "'s") k++;
  }
  for (let n = 0; n < 4 && k < sub.length && sub.sentence[k] === sent && titleHit === undefined; n++) {
    const h = run.hitStarts.get(k);
    if (h !== undefined && firstOf(h, PayloadType.Title) !== undefined) titleHit = h;
    if (titleHit === undefined) {
      if (!base.titleFillers.has(sub.keys[k]!) && sub.capital[k] !== 1) return null;
      k++;
    }
  }
  if (titleHit === undefined) return null;
  const title = base.rules.titles[firstOf(titleHit, PayloadType.Title)!.ref]!;
  const d = draft(s, e, { name: text.slice(sub.starts[s]!, sub.ends[e - 1]!), kind: 'person', role: text.slice(sub.starts[roleStart]!, sub.ends[titleHit.e - 1]!), score: 0.6 });
  if (aff !== undefined) {
    const agent = title.affiliation;
    const stateAff = aff.country !== null && aff.id !== null && aff.id.endsWith('.state') && agent !== 'none' && agent !== 'opposition' && agent !== 'organisation'
      ? stateActor(run, aff.country, agent) : null;
    d.affiliation = stateAff !== null ? base.actors[stateAff]!.id : (aff.id ?? aff.name);
    d.country = aff.country;
    d.inter = stateAff !== null ? 1 : aff.inter;
  }
  return d;
}

/** The type an appositive description gives the name ending at piece e (", a rights group"), if any. */
function descriptorAfter(run: Run, e: number): { kind: ActorKind; inter: number | null } | undefined {
  const { sub, base } = run;
  if (sub.keys[e] !== ',' || (sub.keys[e + 1] !== 'a' && sub.keys[e + 1] !== 'an')) return undefined;
  const sent = sub.sentence[e]!;
  for (let k = e + 2; k < e + 6 && k < sub.length && sub.sentence[k] === sent; k++) {
    const n = phraseLen(run, base.descriptors, k, sent);
    if (n > 0) {
      let key = sub.keys[k]!;
      for (let m = 1; m < n; m++) key += ` ${sub.keys[k + m]!}`;
      return base.descriptors.get(key);
    }
    if (!LOWER_WORD.test(sub.surfaces[k]!)) return undefined;
  }
  return undefined;
}

const ACRONYM = /^[A-Z][A-Za-z0-9]*[A-Z0-9]$/;

/** Initials of the capitalised words of a name: 'Pakistan Tehreek-e-Insaf' → 'PTI'. */
function initialsOf(name: string): string {
  let out = '';
  for (const w of name.split(/[\s-]+/)) {
    const c = w.charCodeAt(0);
    if (c >= 65 && c <= 90) out += w[0];
  }
  return out;
}

/**
 * Step 4b: an acronym the article defines ("Pakistan Tehreek-e-Insaf (PTI)", "the National
 * Liberation Army (ELN)") means that actor everywhere in the article, over any base alias of the same
 * letters. When the long form is a name the base lacks and the acronym a base alias, the base actor
 * wins unless only the long form spells the acronym; otherwise the long form wins and every occurrence
 * of the acronym becomes its short form.
 */
function defineShortForms(run: Run): void {
  const { sub, base } = run;
  const drafts = run.drafts;
  let defs: Map<string, number> | null = null;
  let startOf: Map<number, number> | null = null;
  for (let i = 0; i < drafts.length; i++) {
    const l = drafts[i]!;
    const e = l.e;
    if (sub.keys[e] !== '(' || sub.keys[e + 2] !== ')' || l.kind === 'person' || l.anaphor !== null || l.possessor) continue;
    const acr = sub.surfaces[e + 1]!;
    if (!ACRONYM.test(acr) || sub.token[e + 1] === sub.token[e + 2] || l.e - l.s < 2) continue;
    if (startOf === null) {
      startOf = new Map();
      for (let q = 0; q < drafts.length; q++) {
        const prev = startOf.get(drafts[q]!.s);
        if (prev === undefined || drafts[prev]!.e < drafts[q]!.e) startOf.set(drafts[q]!.s, q);
      }
    }
    const ai = startOf.get(e + 1);
    const a = ai !== undefined && drafts[ai]!.e === e + 2 ? drafts[ai]! : null;
    const lGeneric = l.actor !== null && base.actors[l.actor]!.generic;
    if ((l.actor === null || lGeneric) && a !== null && a.actor !== null && !base.actors[a.actor]!.generic) {
      const longText = run.text.slice(sub.starts[l.s]!, sub.ends[l.e - 1]!);
      const onlyLongSpells = initialsOf(longText) === acr && initialsOf(base.actors[a.actor]!.name) !== acr;
      if (!onlyLongSpells) {
        l.role = null;
        setActor(run, l, a.actor);
        l.score = 0.8;
      }
    }
    if (lGeneric && l.actor !== null && base.actors[l.actor]!.generic) continue;
    (defs ??= new Map()).set(acr, i);
  }
  if (defs === null) return;
  const n = drafts.length;
  for (let m = 0; m < sub.length; m++) {
    const c = sub.surfaces[m]!.charCodeAt(0);
    if (c < 65 || c > 90) continue; // acronyms open with a capital A-Z
    const li = defs.get(sub.surfaces[m]!);
    if (li === undefined) continue;
    const l = drafts[li]!;
    if (m >= l.s && m < l.e) continue;
    let d: Draft | undefined;
    if (run.covered[m]) {
      for (let q = 0; q < n && d === undefined; q++) if (drafts[q]!.s <= m && m < drafts[q]!.e) d = drafts[q]!;
      if (d === undefined || d.s !== m || d.kind === 'person' || d.anaphor !== null) continue; // inside another mention: leave it
    } else {
      d = draft(m, m + 1, { score: 0.5 });
      drafts.push(d);
    }
    d.candidates = null;
    d.role = null;
    if (l.actor !== null) {
      setActor(run, d, l.actor);
      d.shortOf = null;
    } else {
      Object.assign(d, { actor: null, id: null, name: l.name, kind: l.kind, inter: l.inter, country: l.country, shortOf: li });
    }
    d.score = Math.max(d.score, 0.7);
  }
}

function toMention(run: Run, d: Draft): ActorMention {
  const start = run.sub.starts[d.s]!;
  const end = run.sub.ends[d.e - 1]!;
  const m: ActorMention = {
    start, end, text: run.text.slice(start, end), id: d.id, name: d.name || run.text.slice(start, end),
    kind: d.kind, country: d.country, inter: d.inter, score: d.score,
  };
  if (d.role !== null) m.role = d.role;
  if (d.affiliation !== null) m.affiliation = d.affiliation;
  return m;
}

function isArmedMention(m: ActorMention, base: ActorBase): boolean {
  if (ARMED.has(m.kind)) return true;
  return m.kind === 'organisation' && m.inter !== null && m.inter >= 2 && m.inter <= 4 && (m.id === null || !base.actors[base.byId.get(m.id)!]?.generic);
}

function isNamed(m: ActorMention, base: ActorBase): boolean {
  if (m.id === null) return m.kind !== 'person';
  const idx = base.byId.get(m.id);
  return idx !== undefined && !base.actors[idx]!.generic;
}

/**
 * "The Arakan Army, an ethnic armed group fighting ...": a generic non-state agent after ", a/an" and
 * up to three lower-case modifiers, right after a named actor, describes that actor.
 */
function markAppositions(run: Run, drafts: Draft[]): void {
  const { sub, base } = run;
  for (let i = 1; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.actor === null || !base.actors[d.actor]!.generic || STATEISH.has(d.kind) || d.anaphor !== null) continue;
    let k = d.s - 1;
    let mods = 0;
    while (k > 0 && mods < 3 && isLowerWord(sub.surfaces[k]!) && !base.gapStopwords.has(sub.keys[k]!)) { k--; mods++; }
    if (k < 1 || (sub.keys[k] !== 'a' && sub.keys[k] !== 'an') || sub.keys[k - 1] !== ',' || sub.sentence[k - 1] !== sub.sentence[d.s]) continue;
    for (let j = i - 1; j >= 0; j--) {
      const c = drafts[j]!;
      if (c.e < k - 1) break;
      if (c.e !== k - 1 || c.kind === 'person' || c.anaphor !== null) continue;
      if (c.actor === null ? c.kind !== 'unknown' : !base.actors[c.actor]!.generic) d.apposOf = j;
      break;
    }
  }
}

/** Step 5: anaphors, definite generics and short forms point to their antecedents. */
function corefer(run: Run, mentions: ActorMention[], drafts: Draft[]): ActorMention[] {
  const { base, sub } = run;
  const out: ActorMention[] = [];
  const outIndexOfDraft = new Map<number, number>();
  const firstById = new Map<string, number>();
  const outSent: number[] = [];
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i]!;
    const d = drafts[i]!;
    const sent = sub.sentence[d.s]!;
    const findBack = (pred: (c: ActorMention) => boolean, maxBack: number): number | null => {
      for (let j = out.length - 1; j >= 0; j--) {
        const c = out[j]!;
        if (sent - outSent[j]! > maxBack) return null;
        if (c.antecedent !== undefined && c.antecedent !== null) continue;
        if (pred(c)) return j;
      }
      return null;
    };
    const link = (j: number): void => {
      const a = out[j]!;
      m.antecedent = j;
      m.id = a.id;
      m.name = a.name;
      m.kind = a.kind;
      m.country = a.country;
      m.inter = a.inter;
      if (a.affiliation !== undefined) m.affiliation = a.affiliation;
    };
    if (d.possessor) {
      // "its aircraft", "the group's drones": the owner's armed wing; a state's is its military.
      let j: number | null = null;
      const k0 = sub.keys[d.s - 1];
      if (k0 === "'s" || k0 === 'and' || k0 === 'including' || k0 === ',') {
        const pj = i > 0 && drafts[i - 1]!.e === d.s - 1 ? outIndexOfDraft.get(i - 1) : undefined;
        if (pj !== undefined) j = pj;
      } else {
        for (let q = out.length - 1; q >= 0 && outSent[q] === sent; q--) {
          const c = out[q]!;
          if (c.kind !== 'person' && c.kind !== 'media' && c.kind !== 'civilians' && c.kind !== 'unknown') { j = q; break; }
        }
      }
      if (j === null) continue; // no owner in reach: a weapon is no actor
      const owner = out[j]!;
      const mil = STATEISH.has(owner.kind) && owner.country !== null ? stateActor(run, owner.country, 'military') : null;
      if (mil !== null) {
        setActor(run, d, mil);
        Object.assign(m, { id: d.id, name: d.name, kind: d.kind, country: d.country, inter: d.inter });
      } else if (STATEISH.has(owner.kind)) {
        continue;
      } else {
        link(j);
      }
      m.score = 0.6;
    } else if (d.apposOf !== null) {
      const j = outIndexOfDraft.get(d.apposOf);
      if (j !== undefined) { link(j); m.score = 0.7; }
    } else if (d.anaphor !== null) {
      let j: number | null = null;
      const notAffiliate = d.affiliate === null ? null : base.actors[d.affiliate]!.id;
      if (notAffiliate !== null) j = findBack((c) => isArmedMention(c, base) && isNamed(c, base) && c.id !== notAffiliate, 4);
      else if (d.anaphor === 'armed') j = findBack((c) => isArmedMention(c, base) && isNamed(c, base), 4) ?? findBack((c) => isArmedMention(c, base), 2);
      else if (d.anaphor === 'organisation') j = findBack((c) => (ORGANISED.has(c.kind) || isArmedMention(c, base)) && isNamed(c, base), 4);
      else if (d.anaphor === 'state') j = findBack((c) => STATEISH.has(c.kind), 4);
      else j = findBack((c) => c.kind !== 'person' && c.kind !== 'media', 1);
      if (j === null && d.anaphor === 'state' && run.country !== null) {
        const g = stateActor(run, run.country, 'government');
        if (g !== null) {
          setActor(run, d, g);
          const mm = toMention(run, d);
          mm.score = 0.5;
          outIndexOfDraft.set(i, out.length);
          outSent.push(sent);
          out.push(mm);
        }
        continue;
      }
      if (j === null && d.affiliate !== null) {
        // "The al-Qaeda-linked group" with no group before it: a group of its own, affiliated to the named one.
        const a = base.actors[d.affiliate]!;
        const at = roleAt(a, run.date);
        const armed = ARMED.has(at.kind);
        Object.assign(m, { id: null, name: m.text, kind: armed ? at.kind : 'militia', inter: armed ? at.inter : 3, country: run.country ?? at.country, affiliation: a.id, score: 0.5 });
        outIndexOfDraft.set(i, out.length);
        outSent.push(sent);
        out.push(m);
        continue;
      }
      if (j === null) continue; // an anaphor with nothing to point to is not an actor mention
      link(j);
      m.score = 0.6;
    } else if (d.definite && ARMED.has(m.kind)) {
      const j = findBack((c) => isArmedMention(c, base) && isNamed(c, base), 3);
      if (j !== null) { link(j); m.score = 0.65; }
    } else if (d.shortOf !== null) {
      const j = outIndexOfDraft.get(d.shortOf);
      if (j !== undefined) m.antecedent = j;
    } else if (m.id !== null && isNamed(m, base)) {
      const j = firstById.get(m.id);
      if (j !== undefined && out[j]!.text !== m.text && m.text.length < out[j]!.text.length) m.antecedent = j;
    }
    if (m.id !== null && !firstById.has(m.id) && (m.antecedent === undefined || m.antecedent === null)) firstById.set(m.id, out.length);
    outIndexOfDraft.set(i, out.length);
    outSent.push(sent);
    out.push(m);
  }
  return out;
}

/**
 * Resolves every actor mention of a tokenized text.
 * @example resolveTokens(base, text, tokens, '2024-03-14')[0] // { text: 'Pakistani army', id: 'pak.military', kind: 'military', inter: 1, ... }
 */
export function resolveTokens(base: ActorBase, text: string, tokens: readonly Token[], date: string | null): ActorMention[] {
  const sub = subtokensOf(tokens);
  const hits = scan(sub, base.trie, base.contexts);
  const run: Run = { base, sub, hits, text, date, country: countryVotes(base, hits, sub), drafts: [], covered: new Uint8Array(sub.length), hitStarts: new Map() };
  combine(run);
  disambiguate(run);
  findNew(run);
  defineShortForms(run);
  // Order by position; short forms keep pointing at their long form through its draft object.
  const longOf = new Map<Draft, Draft>();
  for (const d of run.drafts) if (d.shortOf !== null) longOf.set(d, run.drafts[d.shortOf]!);
  const drafts = run.drafts.sort((a, b) => a.s - b.s || b.e - a.e);
  if (longOf.size > 0) for (const [d, l] of longOf) d.shortOf = drafts.indexOf(l);
  markAppositions(run, drafts);
  const mentions = drafts.map((d) => toMention(run, d));
  return corefer(run, mentions, drafts);
}
