/**
 * Event detection in one sentence, in numbered steps: (1) match trigger patterns on word forms,
 * (2) keep the longest of overlapping matches, (3) read the sentence's cues, (4) resolve each match's
 * ACLED code from context (targets, agents, protest and mob cues), (5) modality from the words that
 * govern the trigger, (6) merge mentions of one event (a weapon absorbs "killed" in its sentence).
 * Harm words whose clause names a non-violent cause ("died of cholera", "hit by the storm"), a violent
 * verb written as such a cause ("the storm") and an acronym that spells a trigger word ("AIDS") are no event.
 */
import type { ActorMention, EventCategory, Modality, Token } from '../../types.js';
import { CODE_END, CODE_GAP, HINT, cueBit, isCategory, type EventLexicon, type Pattern, type TriggerClass, type WordEntry } from './lexicon.js';

/** A candidate with the internals the text-level choice needs (weight, class, position). */
export interface RawCandidate {
  sentence: number;
  /** Token range [first, last) of the trigger, absolute indexes into doc.tokens. */
  first: number;
  last: number;
  type: string;
  mode: string | null;
  code: string | null;
  /** The resolver the trigger used (VIOLENCE, PROTEST...), re-run on the whole text by classifyText. */
  resolver: string | null;
  category: EventCategory | null;
  modality: Modality;
  weight: number;
  cls: TriggerClass;
  confidence: number;
}

export interface SentenceInput {
  index: number;
  isHeadline: boolean;
  /** Absolute token range of the sentence. */
  from: number;
  to: number;
}

const B = {
  negation: cueBit('negation'),
  future: cueBit('future'),
  threat: cueBit('threat'),
  hypothetical: cueBit('hypothetical'),
  demand: cueBit('demand'),
  assertedGov: cueBit('asserted_governors'),
  clauseBreak: cueBit('clause_breaks'),
  passive: cueBit('passive'),
  state: cueBit('state'),
  nonstate: cueBit('nonstate'),
  civilian: cueBit('civilian'),
  clash: cueBit('clash'),
  mob: cueBit('mob'),
  protest: cueBit('protest'),
  protestViolent: cueBit('protest_violent'),
  protestLethal: cueBit('protest_lethal'),
  protestInter: cueBit('protest_intervention'),
  industrial: cueBit('industrial'),
  attackContext: cueBit('attack_context'),
  withdrawTransfer: cueBit('withdraw_transfer'),
  conflict: cueBit('conflict_context'),
  disrupt: cueBit('disrupt'),
  weapon: cueBit('weapon'),
  crime: cueBit('crime'),
  strikeVerbs: cueBit('strike_verbs'),
  allegation: cueBit('allegation'),
  transfer: cueBit('transfer'),
};
export const CUE_BITS = B;

/** Modal cue words that turn a future cooperative or hostile act into PLOVER's promise/threat types. */
const ANNOUNCE_FUTURE = new Set([
  'will', "'ll", 'shall', 'plan', 'plans', 'planned', 'planning', 'intend', 'intends', 'going', 'set', 'prepare',
  'prepares', 'preparing', 'decide', 'decided', 'announce', 'announced', 'pledge', 'pledged', 'promise', 'promised',
  'vow', 'vowed', 'ready', 'willing', 'prepared',
]);
/** Positive acts that, when refused or denied ("will not accept"), are PLOVER's REJECT. */
const REFUSABLE_TYPES = new Set(['AGREE', 'CONSULT', 'SUPPORT', 'COOPERATE', 'AID', 'CONCEDE']);
const PROMISE_TYPES = new Set(['AID', 'COOPERATE', 'SUPPORT', 'CONSULT']);
const HOSTILE_TYPES = new Set(['ASSAULT', 'COERCE', 'SANCTION']);
/** Modality a governing trigger gives the act it governs ("threatened to attack" → threat). */
const GOVERNOR_MODALITY: Record<string, Modality> = {
  THREATEN: 'threat',
  REQUEST: 'demand',
  REJECT: 'negated',
  AGREE: 'future',
  CONCEDE: 'future',
};

interface Match {
  first: number;
  last: number;
  pattern: Pattern;
}

/**
 * Tries a pattern's slots from `at` in `code` (see Pattern) at token `i`; returns the end token
 * (exclusive) or -1.
 */
function matchAt(code: Int32Array, at: number, scan: ScannedTokens, i: number, to: number): number {
  const op = code[at]!;
  if (op === CODE_END) return i;
  if (op === CODE_GAP) {
    for (let skip = 0; skip <= 4 && i + skip < to; skip++) {
      if (skip > 0) {
        const c = scan.tokens[i + skip - 1]!.lower;
        if (c === '.' || c === ',' || c === ';' || c === ':') break;
      }
      const end = matchAt(code, at + 1, scan, i + skip, to);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (i >= to) return -1;
  // op words follow: does the slot accept one of the token's forms?
  for (const id of entryAt(scan, i).formIds) {
    for (let k = at + 1; k <= at + op; k++) if (code[k] === id) return matchAt(code, at + 1 + op, scan, i + 1, to);
  }
  return -1;
}

const TOPIC_BEFORE = new Set(['the', 'against', 'over', 'of', 'about', 'decry', 'condemn', 'condemning', 'denounce']);

/**
 * Step 3: the cue bit mask of each token of the sentence [from, to) into `masks` (indexed like the
 * tokens, zero there before); multi-word cues mark every word they cover.
 */
function cueMasks(scan: ScannedTokens, from: number, to: number): void {
  const { tokens, hints, cueBits, masks } = scan;
  for (let i = from; i < to; i++) {
    let m = cueBits[i]!;
    // "against the arrests", "over the detention": the protest's topic, not an intervention in it.
    if (m & (B.protestInter | B.protestLethal) && i > from && TOPIC_BEFORE.has(tokens[i - 1]!.lower)) m &= ~(B.protestInter | B.protestLethal);
    masks[i]! |= m;
    if ((hints[i]! & HINT.startsPhrase) === 0) continue;
    const phrases = entryAt(scan, i).phrases!;
    for (const ph of phrases) {
      let ok = i + ph.rest.length < to;
      // An entry's forms start with the word itself, so this also accepts the exact word.
      for (let k = 0; ok && k < ph.rest.length; k++) if (!entryAt(scan, i + 1 + k).formIds.includes(ph.rest[k]!)) ok = false;
      if (ok) for (let k = 0; k <= ph.rest.length; k++) masks[i + k]! |= ph.bit;
    }
  }
}

/** Armed/civilian bits that doc.actors gives each token (kind and ACLED inter code). */
function actorMasks(actors: readonly ActorMention[], tokens: readonly Token[], from: number, to: number, masks: Int32Array): void {
  if (actors.length === 0 || to <= from) return;
  const s = tokens[from]!.start;
  const e = tokens[to - 1]!.end;
  for (const a of actors) {
    if (a.end <= s || a.start >= e) continue;
    let bit = 0;
    const inter = a.inter;
    if (inter === 1 || a.kind === 'military' || a.kind === 'police' || a.kind === 'security' || a.kind === 'state') bit = B.state;
    else if (inter === 2 || inter === 3 || inter === 4 || inter === 8 || a.kind === 'rebel' || a.kind === 'insurgent' || a.kind === 'militia' || a.kind === 'terrorist') bit = B.nonstate;
    else if (inter === 7 || a.kind === 'civilians') bit = B.civilian;
    else if (inter === 6 || a.kind === 'protesters') bit = B.protest;
    if (bit === 0) continue;
    for (let i = from; i < to; i++) {
      const t = tokens[i]!;
      if (t.start >= a.start && t.end <= a.end) masks[i]! |= bit;
    }
  }
}

/** The union of masks [a, b). */
function orRange(masks: Int32Array, a: number, b: number): number {
  let m = 0;
  for (let i = a; i < b; i++) m |= masks[i]!;
  return m;
}

/** Past participles, regular and the irregular ones of harm verbs ("shot", "hit", "struck", "slain"). */
const PARTICIPLE = /(?:ed|en|wn|shot|hit|struck|hurt|slain|fought|caught|held|seized|kept)$/;

/** Is the trigger a passive participle ("were killed", "was attacked by")? */
function isPassive(tokens: readonly Token[], masks: Int32Array, from: number, first: number): boolean {
  if (!PARTICIPLE.test(tokens[first]!.lower)) return false;
  for (let j = first - 1; j >= Math.max(from, first - 3); j--) {
    const m = masks[j]!;
    if (m & B.passive) return true;
    if (m & B.clauseBreak) return false;
  }
  const next = tokens[first + 1];
  return next !== undefined && next.lower === 'by' && /ed$|en$/.test(tokens[first]!.lower);
}

/** Words on the target side of a trigger and on the agent side, as cue masks. */
function sides(tokens: readonly Token[], masks: Int32Array, from: number, to: number, first: number, last: number, next: number): { target: number; agent: number } {
  const passive = isPassive(tokens, masks, from, first);
  // The agent or (passive) target is in the same clause: scan back to a comma or a clause word.
  let before = 0;
  for (let i = first - 1; i >= Math.max(from, first - 8); i--) {
    const t = tokens[i]!.lower;
    if (t === ',' || t === ';' || t === ':' || t === '(' || t === 'while' || t === 'but') break;
    before |= masks[i]!;
  }
  // The agent of a passive is after "by"; without "by" the words after the trigger are circumstances.
  let byAgent = 0;
  let after = 0;
  for (let i = last; i < Math.min(to, last + 8, next); i++) {
    const m = masks[i]!;
    const w = tokens[i]!.lower;
    if (w === '.' || w === ';') break;
    // "killed two farmers and police later arrested...": the next act's subject is no target.
    if ((w === 'and' || w === 'while' || w === 'but' || w === 'as' || w === ',') && next - i <= 4) break;
    if (passive && tokens[i]!.lower === 'by') {
      byAgent = orRange(masks, i + 1, Math.min(to, i + 5));
      break;
    }
    after |= m;
  }
  return passive ? { target: before, agent: byAgent } : { target: after, agent: before };
}

/** Step 4: the ACLED code (or category) of a match from its resolver and the sentence's cues. */
export function resolveCode(resolver: string, sentenceMask: number, target: number, agent: number): string | null {
  switch (resolver) {
    case 'EXPLOSION':
      return sentenceMask & B.industrial && !(sentenceMask & B.attackContext) ? 'MAN_MADE_DISASTER' : 'REM_EXPLOS';
    case 'VIOLENCE':
      if (sentenceMask & B.protest) return resolveCode('PROTEST', sentenceMask, target, agent);
      if (target & (B.state | B.nonstate) && !(target & B.civilian && !(agent & (B.state | B.nonstate)))) return 'ARMED_CLASH';
      if (sentenceMask & B.clash && sentenceMask & (B.state | B.nonstate)) return 'ARMED_CLASH';
      if (sentenceMask & B.mob && !(sentenceMask & (B.state | B.nonstate))) return 'MOB_VIOL';
      return 'ATTACK';
    case 'CLASH':
      if (sentenceMask & B.protest) return 'VIOL_DEMONSTR';
      if (sentenceMask & B.mob && !(sentenceMask & (B.state | B.nonstate))) return 'MOB_VIOL';
      return 'ARMED_CLASH';
    case 'TERRITORY':
      // "12 rifles were seized": a seizure of weapons, not of ground.
      if (sentenceMask & B.weapon && sentenceMask & B.disrupt) return 'DISR_WEAP';
      // "seized 40 kilograms of heroin": contraband, not ground.
      if (sentenceMask & B.crime) return 'ORG_CRIME';
      if (sentenceMask & B.withdrawTransfer) return 'NON_VIOL_TERRIT_TRANSFER';
      if (agent & B.state) return 'GOV_REGAINS_TERIT';
      return 'NON_STATE_ACTOR_OVERTAKES_TER';
    case 'RETAKE':
      return agent & B.nonstate && !(agent & B.state) ? 'NON_STATE_ACTOR_OVERTAKES_TER' : 'GOV_REGAINS_TERIT';
    case 'CHEM':
      // Toxic gas leaking from a plant is an accident; dropped on a town it is a chemical weapon.
      return sentenceMask & B.industrial && !(sentenceMask & B.attackContext) ? 'MAN_MADE_DISASTER' : 'CHEM_WEAP';
    case 'ARTY':
      // A bare weapon noun ("rockets", "missiles") is an attack only when something is fired or hit.
      return sentenceMask & B.strikeVerbs ? 'ART_MISS_ATTACK' : null;
    case 'INCENDIARY':
      // Petrol bombs thrown at a demonstration are rioting; planted or thrown at a target, an explosive attack.
      return sentenceMask & B.protest ? 'VIOL_DEMONSTR' : 'REM_EXPLOS';
    case 'AIR':
      return sentenceMask & B.strikeVerbs ? 'AIR_STRIKE' : null;
    case 'PROTEST':
      if (sentenceMask & B.protestViolent) return 'VIOL_DEMONSTR';
      if (sentenceMask & B.protestLethal) return 'FORCE_AGAINST_PROTEST';
      if (sentenceMask & B.protestInter) return 'PROTEST_WITH_INTER';
      return 'PEACE_PROTEST';
    case 'AGREE':
      return sentenceMask & (B.conflict | B.nonstate) ? 'AGREEMENT' : 'DIPLO';
    case 'WITHDRAW':
      if (sentenceMask & B.transfer) return 'NON_VIOL_TERRIT_TRANSFER';
      return sentenceMask & (B.conflict | B.state | B.nonstate) ? 'CHANGE_TO_GROUP_ACT' : null;
    default:
      return resolver;
  }
}

/** Words that link a governing act to the act it governs: "threatened TO attack", "demanded THAT...". */
const LINKS = new Set(['to', 'that', 'for', 'of', 'the', 'a', 'an', 'its', 'their', 'his', 'her']);
/** Modal words that govern the next verb without "to" ("will attack", "could face"). */
const BARE_MODALS = new Set(['will', "'ll", 'shall', 'would', 'could', 'might', 'may', 'must', 'should', 'cannot']);

/** Step 5: the modality of a trigger from the words before it in its clause. */
function modalityOf(
  tokens: readonly Token[],
  masks: Int32Array,
  from: number,
  first: number,
  governorAt: Map<number, string>,
): { modality: Modality; cue: string | null; governed: boolean } {
  let linked = false;
  for (let j = first - 1, n = 0; j >= from && n < 7; j--, n++) {
    const t = tokens[j]!;
    const m = masks[j]!;
    const gov = governorAt.get(j);
    if (gov !== undefined) {
      const gm = GOVERNOR_MODALITY[gov];
      if (gm !== undefined && (linked || n === 0)) return { modality: gm, cue: t.lower, governed: true };
      if (gm !== undefined) break;
    }
    if (LINKS.has(t.lower)) linked = true;
    // "accused of smuggling", "suspected of planning": the act is alleged, not reported.
    if (m & B.allegation && n === 1 && tokens[j + 1]!.lower === 'of') return { modality: 'hypothetical', cue: t.lower, governed: false };
    if (m & B.negation) {
      // "no", "without" negate only the word right after them ("no attack"), not a later verb.
      if ((t.lower === 'no' || t.lower === 'without' || t.lower === 'none') && n > 1) continue;
      if (m & B.threat) return { modality: 'threat', cue: t.lower, governed: false };
      return { modality: 'negated', cue: t.lower, governed: false };
    }
    if (m & B.threat) return { modality: 'threat', cue: t.lower, governed: false };
    if (m & B.demand && n <= 3 && (linked || BARE_MODALS.has(t.lower))) return { modality: 'demand', cue: t.lower, governed: false };
    if (m & B.hypothetical) return { modality: 'hypothetical', cue: t.lower, governed: false };
    if (m & B.assertedGov && linked) return { modality: 'asserted', cue: null, governed: false };
    // "plans to withdraw", "aimed at driving out": a future cue governs through "to"/"at"; modals directly.
    if (m & B.future && (BARE_MODALS.has(t.lower) || tokens[j + 1]!.lower === 'to' || tokens[j + 1]!.lower === 'at')) {
      return { modality: 'future', cue: t.lower, governed: false };
    }
    if (m & B.clauseBreak && t.lower !== 'and') break;
  }
  return { modality: 'asserted', cue: null, governed: false };
}

/**
 * A document's tokens as detection reads them: beside each token the number of its lexicon entry, its
 * hint and cue bits (copied from the lexicon's word table, so that passes over all tokens read numbers,
 * and follow the entry only for the few tokens that start a pattern or a phrase) and its cue mask.
 */
export interface ScannedTokens {
  tokens: readonly Token[];
  /** The word table's entries; `ids` index them. */
  words: readonly WordEntry[];
  /** The number of each token's entry in `words` (`lex.words.get(token.lower)`). */
  ids: Int32Array;
  /** Each entry's hint: cue and phrase bits plus HINT bits. */
  hints: Int32Array;
  /** Each entry's own cue bits. */
  cueBits: Int32Array;
  /** Each token's cue mask: zero at first, filled sentence by sentence by detectInSentence. */
  masks: Int32Array;
}

/**
 * Looks up each token of [from, to) in the lexicon once and makes room for the cue masks.
 * @example detectInSentence(lex, scanTokens(lex, tokens, 0, tokens.length), [], { index: 0, isHeadline: true, from: 0, to: tokens.length })
 */
export function scanTokens(lex: EventLexicon, tokens: readonly Token[], from: number, to: number): ScannedTokens {
  const table = lex.words;
  table.forgetIfFull();
  const ids = new Int32Array(to);
  const hints = new Int32Array(to);
  const cueBits = new Int32Array(to);
  for (let i = from; i < to; i++) {
    const slot = table.lookup(tokens[i]!.lower);
    ids[i] = table.idAt(slot);
    hints[i] = table.hintAt(slot);
    cueBits[i] = table.cueBitsAt(slot);
  }
  return { tokens, words: table.entries, ids, hints, cueBits, masks: new Int32Array(to) };
}

/** The lexicon entry of token i. */
function entryAt(scan: ScannedTokens, i: number): WordEntry {
  return scan.words[scan.ids[i]!]!;
}

/**
 * Detects the event mentions of one sentence (steps 1–6 above).
 * @example detectInSentence(lex, scanTokens(lex, tokens), [], { index: 0, isHeadline: true, from: 0, to: 5 }) // Blast kills 5 in Kabul → [REM_EXPLOS]
 */
export function detectInSentence(lex: EventLexicon, scan: ScannedTokens, actors: readonly ActorMention[], s: SentenceInput): RawCandidate[] {
  const { tokens, masks, hints } = scan;
  const { from, to } = s;
  // Step 1: matches. Title case is read only when a capitalised word inside the sentence could match.
  const matches: Match[] = [];
  let headline: boolean | null = s.isHeadline ? true : null;
  // The most cue bits the sentence can have: a sentence with no match and no chance of a disrupted
  // weapons use ("caches of weapons were discovered") has no event, and its cues need no reading.
  let possibleCues = 0;
  for (let i = from; i < to; i++) {
    const hint = hints[i]!;
    possibleCues |= hint;
    if ((hint & HINT.startsPattern) === 0) continue;
    const tok = tokens[i]!;
    let inName = false;
    if (tok.cap && i > from) {
      headline ??= isTitleCase(tokens, hints, from, to);
      if (!headline) {
        if (lex.capStop.has(tok.lower)) continue;
        // Inside a name ("Storm Corps", "Air Defence Zone") a word is no single-word trigger.
        inName = (tokens[i - 1]!.cap && i - 1 > from) || (i + 1 < to && tokens[i + 1]!.cap);
      }
    }
    // "AIDS", "HIT" inside an ordinary sentence: an acronym, not the word it spells.
    const acronym = tok.cap && !s.isHeadline && isAcronym(tok.text) && !(headline ??= isTitleCase(tokens, hints, from, to));
    for (const pi of entryAt(scan, i).patterns) {
      const p = lex.patterns[pi]!;
      if ((inName || acronym) && p.size === 1) continue;
      // The first slot accepts token i (that is how `entry.patterns` found the pattern): match from the second.
      const end = matchAt(lex.patternCode, p.code, scan, i + 1, to);
      if (end > i) matches.push({ first: i, last: end, pattern: p });
    }
  }
  if (matches.length === 0 && !((possibleCues & B.disrupt) !== 0 && (possibleCues & B.weapon) !== 0)) return [];
  cueMasks(scan, from, to);
  actorMasks(actors, tokens, from, to, masks);
  const sentenceMask = orRange(masks, from, to);
  const mayHoldDisruption = (sentenceMask & B.disrupt) !== 0 && (sentenceMask & B.weapon) !== 0;
  if (matches.length === 0 && !mayHoldDisruption) return [];
  // Step 2: longest match wins an overlap; then the heavier group.
  matches.sort((a, b) => b.pattern.size - a.pattern.size || (b.last - b.first) - (a.last - a.first) ||
    lex.groups[b.pattern.group]!.weight - lex.groups[a.pattern.group]!.weight || a.first - b.first);
  const taken = new Uint8Array(to - from);
  const kept: Match[] = [];
  for (const m of matches) {
    let free = true;
    for (let i = m.first; i < m.last && free; i++) if (taken[i - from]) free = false;
    if (!free) continue;
    for (let i = m.first; i < m.last; i++) taken[i - from] = 1;
    kept.push(m);
  }
  kept.sort((a, b) => a.first - b.first);
  // Blocking patterns ("riot police", "according to") only take their words away from triggers (and
  // from the violent causes: the "attack" of "heart attack" is none).
  const ignored = new Uint8Array(to - from);
  for (let k = kept.length - 1; k >= 0; k--) {
    const m = kept[k]!;
    if (lex.groups[m.pattern.group]!.type !== 'IGNORE') continue;
    for (let i = m.first; i < m.last; i++) ignored[i - from] = 1;
    kept.splice(k, 1);
  }
  if (kept.length === 0 && !mayHoldDisruption) return [];

  const out: RawCandidate[] = [];
  const governorAt = new Map<number, string>();
  for (let k = 0; k < kept.length; k++) {
    const m = kept[k]!;
    // The next act that is not a bare harm word ("killed and wounded scores of fighters" is one act).
    let next = to;
    for (let q = k + 1; q < kept.length; q++) {
      if (lex.groups[kept[q]!.pattern.group]!.cls !== 'harm') {
        next = kept[q]!.first;
        break;
      }
    }
    const g = lex.groups[m.pattern.group]!;
    // "died of cholera", "killed in a car crash", "hit by the storm": no act of violence.
    if (g.causeDependent && nonviolentCause(lex, scan, kept, k, from, to, ignored)) continue;
    // "the storm": a violent verb's word that is itself a non-violent cause, as written, is that cause.
    if (g.type === 'ASSAULT' && m.last - m.first === 1 && lex.nonviolentCauses.get(tokens[m.first]!.lower)?.some((rest) => rest.length === 0)) continue;
    // Step 4: code.
    const resolver = g.code !== null && !lex.acled.has(g.code) && !isCategory(g.code) ? g.code : null;
    let code = g.code;
    if (resolver !== null) {
      const { target, agent } = sides(tokens, masks, from, to, m.first, m.last, next);
      code = resolveCode(resolver, sentenceMask, target, agent);
    }
    let type = g.type;
    let mode = g.mode;
    let category: EventCategory | null = isCategory(code) ? code : null;
    if (resolver === 'TERRITORY' && (code === 'DISR_WEAP' || code === 'ORG_CRIME')) {
      type = 'COERCE';
      mode = 'seize';
    }
    if (code === 'MAN_MADE_DISASTER' && g.type === 'ASSAULT') {
      type = 'MAN_MADE_DISASTER';
      mode = null;
    }
    if (code === 'DISR_WEAP' && sentenceMask & B.crime && !(sentenceMask & B.weapon)) code = 'ORG_CRIME';
    if (isCategory(code)) category = code;
    if (category !== null) code = null;
    if (g.cls === 'protest' && code === 'VIOL_DEMONSTR') mode = 'riot';
    // Step 5: modality.
    const mod = modalityOf(tokens, masks, from, m.first, governorAt);
    // A claim of responsibility is a claim whether made or denied.
    let modality = category === 'ATTRIB' ? 'asserted' : mod.modality;
    if (modality === 'future' && !mod.governed && mod.cue !== null && ANNOUNCE_FUTURE.has(mod.cue)) {
      // PLOVER: an announced future retreat is CONCEDE, a promise of help AGREE, of harm THREATEN.
      const to2 = type === 'RETREAT' ? 'CONCEDE' : PROMISE_TYPES.has(type) || type === 'CONCEDE' ? 'AGREE' : HOSTILE_TYPES.has(type) ? 'THREATEN' : null;
      if (to2 !== null) {
        type = to2;
        mode = null;
        code = null;
        category = to2 === 'THREATEN' || to2 === 'AGREE' ? 'DIPLO' : category;
        modality = 'asserted';
      }
    }
    if (modality === 'negated' && !mod.governed && REFUSABLE_TYPES.has(type)) {
      // PLOVER: refusing to agree, meet or help is itself an act, REJECT ("will not accept refugees").
      type = 'REJECT';
      mode = null;
      modality = 'asserted';
    }
    if (g.cls === 'verbal' || g.type === 'RETREAT' || g.type === 'CONCEDE') governorAt.set(m.last - 1, type);
    const base = Math.min(0.95, 0.45 + g.weight * 0.05);
    const confidence = Math.round((modality === 'asserted' ? base : base * 0.7) * (resolver !== null ? 0.9 : 1) * 100) / 100;
    out.push({ sentence: s.index, first: m.first, last: m.last, type, mode, code, resolver, category, modality, weight: g.weight, cls: g.cls, confidence });
  }
  return mergeMentions(lex, out, masks, s, sentenceMask);
}

/** An all-capital word of two letters or more ("AIDS"). */
function isAcronym(text: string): boolean {
  return text.length >= 2 && /^[A-Z][A-Z0-9/-]+$/.test(text);
}

/**
 * Does one of the cause phrases that start with token i's word (its entry's violentCauses or
 * nonviolentCauses: first word any form) go on with the next tokens (the rest: surface)?
 */
function causeAt(rests: readonly (readonly string[])[] | undefined, scan: ScannedTokens, i: number, to: number): boolean {
  if (rests === undefined) return false;
  for (const rest of rests) {
    let ok = i + rest.length < to;
    for (let k = 0; ok && k < rest.length; k++) if (scan.tokens[i + 1 + k]!.lower !== rest[k]) ok = false;
    if (ok) return true;
  }
  return false;
}

/** Words that end the clause of a harm word, looking back from it or on past it. */
const CLAUSE_END = new Set(['.', ';', ':', 'but', 'while', 'whereas', 'although', 'though']);
/** Relative pronouns that point back to the clause's subject ("the outbreak, which has killed 300"). */
const RELATIVE = new Set(['which', 'that', 'who']);
/** Cues that name violence beside a harm word: a weapon, a clash, an armed non-state actor. */
const VIOLENT_CUES = B.weapon | B.clash | B.nonstate;
/** How far from the harm word its cause is looked for, each way. */
const CAUSE_REACH = 10;

/**
 * Does the clause of the cause-dependent harm match kept[k] name a non-violent cause (disease,
 * accident, natural hazard, or a disaster trigger such as "tsunami") and no violent one
 * (causes.violent, a weapon, a clash)? The clause runs back to a clause break (across ", which" /
 * ", that" to the antecedent) and on to a comma or the next act that is not a harm word or a disaster.
 * Past an "and" that does not join another harm word ("dead and 3,000 infected in the cholera
 * outbreak"), the cause is still looked for but violent words belong to another clause. A clause that
 * names no cause either way takes the sentence's: a non-violent cause and nothing violent anywhere in it
 * ("12 have been killed across the region, as waterborne diseases spread").
 */
function nonviolentCause(lex: EventLexicon, scan: ScannedTokens, kept: readonly Match[], k: number, from: number, to: number, ignored: Uint8Array): boolean {
  const { tokens, masks } = scan;
  const m = kept[k]!;
  let nonviolent = false;
  let otherClause = false;
  const look = (i: number): boolean => {
    // The "attack" of "heart attack" (an IGNORE pattern) is no violence; its "heart" is still a cause.
    const entry = entryAt(scan, i);
    if (!ignored[i - from] && !otherClause && (masks[i]! & VIOLENT_CUES || causeAt(entry.violentCauses, scan, i, to))) return true;
    if (causeAt(entry.nonviolentCauses, scan, i, to)) nonviolent = true;
    return false;
  };
  for (let i = m.first - 1; i >= Math.max(from, m.first - CAUSE_REACH); i--) {
    const w = tokens[i]!.lower;
    if (CLAUSE_END.has(w)) break;
    if (w === ',' && !(i + 1 < to && RELATIVE.has(tokens[i + 1]!.lower))) break;
    if (look(i)) return false;
  }
  // Where the next kept act that is not a harm word starts ("killed and injured" is one act).
  let nextAct = to;
  const starts = new Set<number>();
  for (let q = k + 1; q < kept.length; q++) {
    const g = lex.groups[kept[q]!.pattern.group]!;
    starts.add(kept[q]!.first);
    if (g.type === 'NATURAL_DISASTER' || g.type === 'MAN_MADE_DISASTER') {
      if (kept[q]!.first < m.last + CAUSE_REACH) nonviolent = true;
      continue;
    }
    if (nextAct === to && g.cls !== 'harm') nextAct = kept[q]!.first;
  }
  for (let i = m.last; i < Math.min(nextAct, m.last + CAUSE_REACH); i++) {
    const w = tokens[i]!.lower;
    if (CLAUSE_END.has(w) || w === ',') break;
    if (w === 'and' && !starts.has(i + 1)) otherClause = true;
    if (look(i)) return false;
  }
  if (nonviolent || otherClause) return nonviolent;
  return sentenceNonviolent(lex, scan, kept, k, from, to, ignored);
}

/** Does the sentence name a non-violent cause and no violent one, and hold no other violent or weapon trigger? */
function sentenceNonviolent(lex: EventLexicon, scan: ScannedTokens, kept: readonly Match[], k: number, from: number, to: number, ignored: Uint8Array): boolean {
  for (let q = 0; q < kept.length; q++) {
    const cls = lex.groups[kept[q]!.pattern.group]!.cls;
    if (q !== k && (cls === 'weapon' || cls === 'violent')) return false;
  }
  let nonviolent = false;
  for (let i = from; i < to; i++) {
    const entry = entryAt(scan, i);
    if (!ignored[i - from] && (scan.masks[i]! & VIOLENT_CUES || causeAt(entry.violentCauses, scan, i, to))) return false;
    if (causeAt(entry.nonviolentCauses, scan, i, to)) nonviolent = true;
  }
  return nonviolent;
}

/** A sentence written in title case ("Gunmen Attack Hotel In Capital") reads like a headline. */
function isTitleCase(tokens: readonly Token[], hints: Int32Array, from: number, to: number): boolean {
  let words = 0;
  let caps = 0;
  for (let i = from; i < to; i++) {
    if ((hints[i]! & HINT.titleWord) === 0) continue;
    words++;
    if (tokens[i]!.cap) caps++;
  }
  return words >= 4 && caps / words > 0.7;
}

/**
 * Step 6: one event per weapon/violent trigger; bare harm words ("killed") join them. Weapons found,
 * seized or defused with nobody hurt are a disrupted weapons use, not an explosion.
 */
function mergeMentions(lex: EventLexicon, cands: RawCandidate[], masks: Int32Array, s: SentenceInput, sentenceMask: number): RawCandidate[] {
  const harmed = cands.some((c) => c.cls === 'harm' && c.modality === 'asserted');
  if (sentenceMask & B.disrupt && sentenceMask & B.weapon && !harmed) {
    let converted = false;
    for (const c of cands) {
      if ((c.cls !== 'weapon' || c.code === 'AIR_STRIKE' || c.code === 'CHEM_WEAP') && c.code !== 'DISR_WEAP') continue;
      const g = lex.disruptGroup;
      c.type = g.type;
      c.mode = g.mode;
      c.code = 'DISR_WEAP';
      c.category = null;
      c.weight = g.weight;
      converted = true;
    }
    const violent = cands.some((c) => c.modality === 'asserted' && (c.cls === 'weapon' || c.cls === 'violent' || c.cls === 'protest'));
    if (!converted && !violent && !cands.some((c) => c.code === 'DISR_WEAP' || c.code === 'ORG_CRIME' || c.category === 'ORG_CRIME')) {
      // No trigger matched ("caches of weapons were discovered"): the disrupting verb is the trigger.
      for (let i = s.from; i < s.to; i++) {
        if (!(masks[i]! & B.disrupt)) continue;
        const g = lex.disruptGroup;
        cands.push({ sentence: s.index, first: i, last: i + 1, type: g.type, mode: g.mode, code: 'DISR_WEAP', resolver: null, category: null, modality: 'asserted', weight: g.weight, cls: 'other', confidence: 0.6 });
        cands.sort((a, b) => a.first - b.first);
        break;
      }
    }
  }
  const disrupted = cands.some((c) => c.code === 'DISR_WEAP' && c.modality === 'asserted');
  const specific = cands.some((c) => c.modality === 'asserted' && (c.cls === 'weapon' || c.cls === 'violent' || c.cls === 'protest') && (c.code !== null || c.category !== null));
  const specificWeapon = cands.some((c) => c.modality === 'asserted' && c.cls === 'weapon' && c.resolver !== 'EXPLOSION' && c.code !== null);
  let harmKept = false;
  const out: RawCandidate[] = [];
  for (const c of cands) {
    // "a grenade exploded": the generic "exploded" is the same event as the grenade.
    if (c.resolver === 'EXPLOSION' && specificWeapon && c.modality === 'asserted') continue;
    if (disrupted && c.cls === 'weapon' && c.code !== 'DISR_WEAP') continue;
    if (c.cls === 'harm' && c.modality === 'asserted') {
      if (specific || harmKept) continue;
      harmKept = true;
    }
    // A bare weapon noun with nothing fired or hit is no event.
    if (c.cls === 'weapon' && c.code === null && c.category === null) continue;
    out.push(c);
  }
  return out;
}

/** The union of the cue bits of one sentence (by index), for text-level decisions. */
export function sentenceCueMask(lex: EventLexicon, tokens: readonly Token[], sentence: number): number {
  let from = -1;
  let to = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.sentence !== sentence) continue;
    if (from < 0) from = i;
    to = i + 1;
  }
  if (from < 0) return 0;
  const scan = scanTokens(lex, tokens, from, to);
  cueMasks(scan, from, to);
  return orRange(scan.masks, from, to);
}
