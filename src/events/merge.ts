/**
 * One event once: mentions of the same event inside an article (headline, lead, later sentences) are
 * merged into one draft with every evidence span and the best-supported value of each field; mentions
 * of different events (other family, other actors, other town, other day, "in a separate attack") stay apart.
 *
 * @example mergeDrafts([headline, lead, other], lex).length // 2 when headline and lead report one event
 */
import { familyOf, Strength, type ArgumentLexicon, type EventArguments } from './arguments.js';
import type { DatePrecision, EventActor, EventCandidate, Evidence, Sentence } from '../types.js';

/** One event mention with its arguments, or a merged group of mentions. */
export interface EventDraft extends EventArguments {
  family: string;
  /** The mentions, in text order: candidate, sentence and evidence of each. */
  mentions: { cand: EventCandidate; sentence: Sentence; evidence: Evidence; claim: EventArguments['claim'] }[];
  /** Keys of actor1 and actor2 for matching, computed on first use and dropped when the actors change. */
  actorKeys?: [string[], string[]] | undefined;
}

/** Creates a one-mention draft. */
export function draftOf(lex: ArgumentLexicon, cand: EventCandidate, sentence: Sentence, text: string, args: EventArguments): EventDraft {
  const mention = { cand, sentence, evidence: { start: sentence.start, end: sentence.end, text: text.slice(sentence.start, sentence.end) }, claim: args.claim };
  return withMentions(args, familyOf(lex, cand), [mention], args.sources, undefined);
}

/**
 * A draft of the given arguments, family, mentions and sources. Fields are listed one by one rather
 * than spread: spreading an object into a literal with more fields is V8's slow path, many µs a draft.
 */
function withMentions(
  a: EventArguments,
  family: string,
  mentions: EventDraft['mentions'],
  sources: EventArguments['sources'],
  actorKeys: EventDraft['actorKeys'],
): EventDraft {
  return {
    actor1: a.actor1,
    actor2: a.actor2,
    actor1Strength: a.actor1Strength,
    actor2Strength: a.actor2Strength,
    location: a.location,
    locationStrength: a.locationStrength,
    date: a.date,
    date_precision: a.date_precision,
    dateStrength: a.dateStrength,
    fatalities: a.fatalities,
    injured: a.injured,
    count: a.count,
    sources,
    claim: a.claim,
    claimed_by: a.claimed_by,
    hedged: a.hedged,
    separate: a.separate,
    anaphoric: a.anaphoric,
    family,
    mentions,
    actorKeys,
  };
}

/** Keys an actor can be matched by: its id or name, and its side ("state", "nonstate"); empty when weak. */
function actorKeys(lex: ArgumentLexicon, a: EventActor | null, strength: Strength): string[] {
  if (!a || strength < Strength.Sentence) return NO_KEYS;
  const key = a.id ?? `name:${a.name.toLowerCase()}`;
  const side = lex.sideOf.get(a.kind);
  return side ? [key, `side:${side}`] : [key];
}

const NO_KEYS: string[] = [];

function keysOf(lex: ArgumentLexicon, d: EventDraft): [string[], string[]] {
  d.actorKeys ??= [actorKeys(lex, d.actor1, d.actor1Strength), actorKeys(lex, d.actor2, d.actor2Strength)];
  return d.actorKeys;
}

function meets(x: readonly string[], y: readonly string[]): boolean {
  for (const k of x) if (y.includes(k)) return true;
  return false;
}

/**
 * The actors of two mentions conflict when a role both name holds different actors (and not the other
 * side of a two-sided event): "Russia struck" + "killing civilians" agree, "police killed" + "gunmen killed" do not.
 */
function actorsConflict(lex: ArgumentLexicon, a: EventDraft, b: EventDraft): boolean {
  const [a1, a2] = keysOf(lex, a);
  const [b1, b2] = keysOf(lex, b);
  const roleConflict = (x: string[], y: string[], other: string[]): boolean => x.length > 0 && y.length > 0 && !meets(x, y) && !meets(y, other);
  return roleConflict(a1, b1, a2) || roleConflict(a2, b2, a1);
}

const DAY_MS = 86_400_000;
const PRECISION_RANK: Record<DatePrecision, number> = { day: 0, week: 1, month: 2, year: 3 };

/**
 * Whether draft `b` (later in the text) may report the same event as `a`.
 * @example compatible(lex, headlineDraft, leadDraft) // true
 */
export function compatible(lex: ArgumentLexicon, a: EventDraft, b: EventDraft): boolean {
  if (a.family !== b.family) return false;
  const sameSentence = a.mentions.some((m) => m.sentence.index === b.mentions[0]!.sentence.index);
  if (b.separate && !sameSentence) return false;
  // "The attack took place near ...", "Sunday's bombing": a definite mention of the family refers back
  // to an event already reported, whatever place or day it adds.
  if (b.anaphoric) return true;
  if (actorsConflict(lex, a, b)) return false;
  // Only places tied to the event ("in", "near") can tell two events apart; "passengers to Kabul" cannot.
  if (a.location && b.location && a.locationStrength >= Strength.Tied && b.locationStrength >= Strength.Tied) {
    const la = a.location;
    const lb = b.location;
    const same =
      la.geonames_id !== null && lb.geonames_id !== null
        ? la.geonames_id === lb.geonames_id
        : la.name.toLowerCase() === lb.name.toLowerCase();
    // A region and a town in it are compatible ("in Khyber Pakhtunkhwa" / "near Bannu").
    const nested =
      (la.geo_precision === 3 || lb.geo_precision === 3) &&
      (la.country_code === null || lb.country_code === null || la.country_code === lb.country_code) &&
      (la.admin1 === null || lb.admin1 === null || la.admin1 === lb.admin1);
    if (!same && !nested) return false;
  }
  if (a.date && b.date && a.dateStrength >= Strength.Near && b.dateStrength >= Strength.Near) {
    const gap = Math.abs(Date.parse(a.date) - Date.parse(b.date));
    if (gap > DAY_MS) return false;
  }
  return true;
}

function sameActor(x: EventActor | null, y: EventActor | null): boolean {
  if (!x || !y) return false;
  return x.id !== null && y.id !== null ? x.id === y.id : x.name.toLowerCase() === y.name.toLowerCase();
}

const NON_ACTOR_SOURCES = new Set(['official', 'news', 'agency', 'witness', 'document']);

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Folds draft `b` into `a` (mutates a). */
function absorb(a: EventDraft, b: EventDraft): void {
  a.actorKeys = undefined;
  const headlineOnly = a.mentions.every((m) => m.sentence.isHeadline);
  // Roles flip between event types of one family ("police fired tear gas at protesters" / "protesters
  // threw stones at police"): actors come only from mentions of the same type.
  for (const m of b.mentions) a.mentions.push(m);
  a.mentions.sort((x, y) => x.evidence.start - y.evidence.start);
  // One side never takes both roles: "police fired tear gas at protesters" + "protesters threw stones
  // at police" keeps police as actor1, not also as actor2.
  // The lead, read in full, corrects the headline's terse roles ("Dozens killed as al-Shabaab storms ...").
  const lead = headlineOnly && !b.mentions[0]!.sentence.isHeadline;
  if (lead ? b.actor1Strength >= Strength.Sentence || b.actor1Strength > a.actor1Strength : b.actor1Strength > a.actor1Strength && !sameActor(b.actor1, a.actor2)) {
    a.actor1 = b.actor1;
    a.actor1Strength = b.actor1Strength;
  }
  if (lead ? b.actor2Strength >= Strength.Sentence || b.actor2Strength > a.actor2Strength : b.actor2Strength > a.actor2Strength && !sameActor(b.actor2, a.actor1)) {
    a.actor2 = b.actor2;
    a.actor2Strength = b.actor2Strength;
  }
  // A town said for the event beats a whole country said elsewhere ("in the Somali capital" / "Mogadishu beach").
  const countryOnly = a.location !== null && a.location.admin1 === null && a.location.geo_precision === 3;
  const finerInCountry =
    countryOnly && b.location !== null && b.locationStrength >= Strength.Sentence && b.location.geo_precision < 3 && b.location.country_code === a.location!.country_code;
  if (
    b.location &&
    (finerInCountry ||
      b.locationStrength > a.locationStrength ||
      (b.locationStrength === a.locationStrength &&
        a.location !== null &&
        b.location.geo_precision < a.location.geo_precision &&
        (a.location.country_code === null || b.location.country_code === null || a.location.country_code === b.location.country_code)))
  ) {
    a.location = b.location;
    a.locationStrength = b.locationStrength;
  }
  // A stronger date wins unless it is vaguer than a date said for the event ("this year" after "on Sunday").
  if (b.dateStrength > a.dateStrength && (a.dateStrength <= Strength.Fallback || PRECISION_RANK[b.date_precision] <= PRECISION_RANK[a.date_precision])) {
    a.date = b.date;
    a.date_precision = b.date_precision;
    a.dateStrength = b.dateStrength;
  }
  // Several reports of one figure are not summed; a rising toll keeps the latest, larger figure. A
  // party's own claim of how many it killed does not override a reported toll.
  const claimedFigures = b.claim === 'claimed' && a.claim !== 'claimed' && (a.fatalities !== null || a.injured !== null);
  if (!claimedFigures) {
    a.fatalities = maxOf(a.fatalities, b.fatalities);
    a.injured = maxOf(a.injured, b.injured);
  }
  a.count = maxOf(a.count, b.count);
  for (const s of b.sources) if (!a.sources.some((x) => x.name === s.name && x.kind === s.kind)) a.sources.push(s);
  a.claimed_by ??= b.claimed_by;
  a.hedged = a.hedged && b.hedged;
}

/**
 * One source once: "officials" (headline) and "provincial officials" (lead) are one source, kept in
 * its most specific form at the place of the first mention.
 */
function mostSpecificSources(sources: EventDraft['sources']): EventDraft['sources'] {
  const out: EventDraft['sources'] = [];
  for (const s of sources) {
    const name = s.name.toLowerCase();
    const wider = sources.find((o) => o !== s && o.kind === s.kind && o.name.length > s.name.length && o.name.toLowerCase().endsWith(` ${name}`));
    const pick = wider ?? s;
    if (!out.includes(pick)) out.push(pick);
  }
  return out;
}

/** The claim of a merged event: a denial wins; else the main sentence's; else an actor's own claim. */
function finalClaim(d: EventDraft): EventArguments['claim'] {
  if (d.mentions.some((m) => m.claim === 'denied')) return 'denied';
  const main = d.mentions.find((m) => !m.sentence.isHeadline) ?? d.mentions[0]!;
  if (main.claim !== 'reported') return main.claim;
  const claimed = d.mentions.some((m) => m.claim === 'claimed');
  if (claimed && !d.sources.some((s) => NON_ACTOR_SOURCES.has(s.kind))) return 'claimed';
  return 'reported';
}

/**
 * Merges drafts in text order: each joins the first earlier event it is compatible with.
 * @example mergeDrafts(drafts, lex).map(d => d.mentions.length) // [2, 1]
 */
export function mergeDrafts(lex: ArgumentLexicon, drafts: readonly EventDraft[]): EventDraft[] {
  const out: EventDraft[] = [];
  for (const d of drafts) {
    const into = out.find((e) => compatible(lex, e, d));
    if (into) absorb(into, d);
    else out.push(withMentions(d, d.family, [...d.mentions], [...d.sources], d.actorKeys));
  }
  for (const d of out) {
    d.claim = finalClaim(d);
    d.sources = mostSpecificSources(d.sources);
  }
  return out;
}
