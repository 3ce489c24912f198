/**
 * Actor resolution for one document, in explicit steps: find hits with the matcher → combine them
 * into mentions (nationality + agent, titles + names, groups + member nouns) → choose among
 * candidates by the article's country and other mentions → find new organisations and persons the
 * base lacks → link anaphors and short forms to their antecedents → apply roles at the article's date.
 */
import type { ActorKind, ActorMention, Token } from '../types.js';
import type { ActorBase, Actor } from './load.js';
import { stateId } from './load.js';
import { PayloadType, scan, subtokensOf, type Hit, type Payload, type Subtokens } from './match.js';
import { roleAt } from './roles.js';
import type { StateAgent } from './schema.js';

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
}

function draft(s: number, e: number, partial: Partial<Draft>): Draft {
  return {
    s, e, actor: null, id: null, name: '', kind: 'unknown', country: null, inter: null, role: null, affiliation: null,
    score: 0.5, anaphor: null, definite: false, candidates: null, shortOf: null, ...partial,
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
}

function countryVotes(base: ActorBase, hits: readonly Hit[]): string | null {
  const votes = new Map<string, number>();
  const vote = (c: string | null, w: number): void => {
    if (c !== null) votes.set(c, (votes.get(c) ?? 0) + w);
  };
  for (const h of hits) {
    const cw = h.payloads.filter((p) => COUNTRY_WORDS.has(p.type));
    if (cw.length > 0 && cw.every((p) => p.ref === cw[0]!.ref)) vote(base.countries[cw[0]!.ref]!.iso2, 1);
    const acts = actorPayloads(h);
    if (acts.length === 1) {
      const a = base.actors[acts[0]!]!;
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
  const id = stateId(run.base, iso2, agent);
  return id === null ? null : (run.base.byId.get(id) ?? null);
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
      if (k > j && run.base.nameParticles.has(sub.keys[k]!) && k + 1 < sub.length && sub.sentence[k + 1] === sent && isCapPiece(sub.surfaces[k + 1]!)) { k++; continue; }
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
function personDraft(run: Run, prefixStart: number, ti: Hit, hitStarts: Map<number, Hit>, affCountry: string | null, affActor: number | null): Draft | null {
  const title = run.base.rules.titles[firstOf(ti, PayloadType.Title)!.ref]!;
  const nameEnd = nameAfter(run, ti.e, hitStarts);
  if (nameEnd === ti.e) return null;
  const { sub, text } = run;
  // A filler right before the title ("former", "new") is part of the role.
  let roleStart = ti.s;
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
    if (isCapPiece(sub.surfaces[k]!)) {
      if (base.orgHeads.has(sub.keys[k]!)) any = true;
      k++;
      continue;
    }
    if (base.nameConnectors.has(sub.surfaces[k]!) && k + 1 < sub.length && isCapPiece(sub.surfaces[k + 1]!)) { k++; continue; }
    break;
  }
  return any;
}

/** Step 2: combines hits into drafts. */
function combine(run: Run): void {
  const { base, sub, hits } = run;
  const hitStarts = new Map<number, Hit>();
  for (const h of hits) hitStarts.set(h.s, h);
  const genericCivilians = base.byId.get('generic.civilians') ?? null;

  for (let hi = 0; hi < hits.length; hi++) {
    const h = hits[hi]!;
    const next = hits[hi + 1];
    const cw = hitCountry(run, h);
    const acts = actorPayloads(h);

    if (acts.length === 0 && cw !== null) {
      // "Pakistani (paramilitary) troops", "Pakistan's army", "the Kabul government", "British Defence Secretary X".
      let j = h.e;
      if (j < sub.length && sub.keys[j] === "'s") j++;
      if (next !== undefined && next.s >= j) {
        const gapEnd = skipGap(run, j, next.s, base.modifiers);
        const fillEnd = skipGap(run, j, next.s, base.titleFillers);
        const gen = genericOf(run, next);
        if (gen !== null && gapEnd === next.s && sub.sentence[next.s] === sub.sentence[h.s]) {
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
            hi++;
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
        if (firstOf(next, PayloadType.Title) && fillEnd === next.s && cw.type !== PayloadType.Capital) {
          const p = personDraft(run, h.s, next, hitStarts, cw.iso2, null);
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
        if (!base.locatives.has(prev) && !base.locatives.has(prev2)) {
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
      if (an !== undefined) run.drafts.push(draft(h.s, h.e, { anaphor: base.rules.anaphors[an.ref]!.target, score: 0.5 }));
      continue;
    }

    // Actor hits.
    const named = acts.filter((i) => !base.actors[i]!.generic);
    if (named.length === 0) {
      const gen = base.actors[acts[0]!]!;
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
        const capBefore = h.s > 0 && sub.sentence[h.s - 1] === sub.sentence[h.s] && isCapPiece(sub.surfaces[h.s - 1]!) && !hitStarts.has(h.s - 1) && !(h.s > 1 && sub.sentence[h.s - 2] !== sub.sentence[h.s]);
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
        if (STATEISH.has(d.kind) === false && d.inter !== 7 && d.inter !== 6 && d.inter !== 5) d.country = run.country;
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

function isCapPiece(surface: string): boolean {
  const c = surface.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  const ch = surface[0]!;
  return ch !== ch.toLowerCase();
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
  const shortForms = new Map<string, number>();
  let k = 0;
  while (k < sub.length) {
    if (covered[k] || !isCapPiece(sub.surfaces[k]!)) { k++; continue; }
    // A run of capitalised pieces with lower-case connectors inside.
    const s = k;
    let e = k;
    let j = k;
    const sent = sub.sentence[k];
    while (j < sub.length && sub.sentence[j] === sent && !covered[j]) {
      if (isCapPiece(sub.surfaces[j]!)) { j++; e = j; continue; }
      if ((base.nameConnectors.has(sub.surfaces[j]!) || sub.keys[j] === "'s") && j + 1 < sub.length && !covered[j + 1] && isCapPiece(sub.surfaces[j + 1]!)) { j++; continue; }
      break;
    }
    // The head word is the last capitalised piece, or any piece followed by "of/for" ("Front for ...").
    let head: { kind: ActorKind; inter: number | null } | undefined;
    for (let m = e - 1; m >= s && head === undefined; m--) head = base.orgHeads.get(sub.keys[m]!);
    let s0 = s;
    if (head !== undefined && e - s >= 3 && (sub.keys[s] === 'the' || sub.keys[s] === 'a' || sub.keys[s] === 'an')) s0 = s + 1;
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
      const di = run.drafts.length;
      run.drafts.push(d);
      // "(PFX)" right after the name: an article-local short form.
      if (sub.keys[e] === '(' && e + 2 < sub.length && sub.keys[e + 2] === ')' && /^[A-Z][A-Z0-9-]{1,9}$/.test(sub.surfaces[e + 1]!)) {
        shortForms.set(sub.surfaces[e + 1]!, di);
      }
      for (let m = s; m < e; m++) covered[m] = 1;
      k = e;
      continue;
    }
    // "X Y, who leads the Z": a person with role and affiliation.
    if (e - s >= 2 && e - s <= 4 && sub.keys[e] === ',' && sub.keys[e + 1] === 'who') {
      const role = base.leadVerbs.get(sub.keys[e + 2] ?? '');
      if (role !== undefined) {
        const name = text.slice(sub.starts[s]!, sub.ends[e - 1]!);
        const d = draft(s, e, { name, kind: 'person', role, score: 0.6 });
        const org = run.drafts.find((o) => o.s > e + 2 && o.s <= e + 6 && o.kind !== 'person');
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
  if (shortForms.size > 0) {
    for (let m = 0; m < sub.length; m++) {
      if (covered[m]) continue;
      const long = shortForms.get(sub.surfaces[m]!);
      if (long === undefined) continue;
      const l = run.drafts[long]!;
      run.drafts.push(draft(m, m + 1, { name: l.name, kind: l.kind, inter: l.inter, country: l.country, score: 0.5, shortOf: long }));
      covered[m] = 1;
    }
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
    if (d.anaphor !== null) {
      let j: number | null = null;
      if (d.anaphor === 'armed') j = findBack((c) => isArmedMention(c, base) && isNamed(c, base), 4) ?? findBack((c) => isArmedMention(c, base), 2);
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
  const run: Run = { base, sub, hits, text, date, country: countryVotes(base, hits), drafts: [], covered: new Uint8Array(sub.length) };
  combine(run);
  disambiguate(run);
  findNew(run);
  // Order by position; short forms keep pointing at their long form through its draft object.
  const longOf = new Map<Draft, Draft>();
  for (const d of run.drafts) if (d.shortOf !== null) longOf.set(d, run.drafts[d.shortOf]!);
  const drafts = run.drafts.sort((a, b) => a.s - b.s || b.e - a.e);
  if (longOf.size > 0) for (const [d, l] of longOf) d.shortOf = drafts.indexOf(l);
  const mentions = drafts.map((d) => toMention(run, d));
  return corefer(run, mentions, drafts);
}
