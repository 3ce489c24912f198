/**
 * The closed label set an optional typing backend must answer in (PLOVER type + mode, ACLED event type
 * + sub-event type, category, modality), read from the loaded trigger lexicon, and the zod check of one
 * answer against it, so that no backend can put a label into the output that the rules could not.
 */
import { z } from 'zod';
import type { EventCategory, Modality } from '../../types.js';
import { CATEGORIES, PLOVER_TYPES, type EventLexicon } from '../typing/lexicon.js';

export const MODALITIES = ['asserted', 'negated', 'future', 'threat', 'hypothetical', 'demand'] as const satisfies readonly Modality[];

/** Every label a backend may use; built once per lexicon. */
export interface LabelSet {
  ploverTypes: readonly string[];
  /** PLOVER type → the modes the lexicon uses with it (may be empty). */
  modes: ReadonlyMap<string, readonly string[]>;
  acledEventTypes: readonly string[];
  /** ACLED sub-event type → its event type (sub-event types are unique across event types). */
  acledParent: ReadonlyMap<string, string>;
  categories: readonly EventCategory[];
  modalities: readonly Modality[];
}

/**
 * The label set of a lexicon: PLOVER types and categories from the schema, modes and ACLED pairs from
 * the lexicon's data, so a user's own trigger file widens the set the backend may answer in.
 * @example labelSetFromLexicon(loadEventLexicon()).acledParent.get('Suicide bomb') // 'Explosions/Remote violence'
 */
export function labelSetFromLexicon(lexicon: EventLexicon): LabelSet {
  const modes = new Map<string, string[]>(PLOVER_TYPES.map((t) => [t, []]));
  for (const g of lexicon.groups) {
    const list = modes.get(g.type);
    if (list && g.mode !== null && !list.includes(g.mode)) list.push(g.mode);
  }
  for (const list of modes.values()) list.sort();
  const acledParent = new Map<string, string>();
  for (const [eventType, subType] of lexicon.acled.values()) acledParent.set(subType, eventType);
  return {
    ploverTypes: [...PLOVER_TYPES],
    modes,
    acledEventTypes: [...new Set(acledParent.values())],
    acledParent,
    categories: [...CATEGORIES],
    modalities: [...MODALITIES],
  };
}

/** A backend's answer for one sentence, checked against the label set. */
export interface TypingAnswer {
  event_type: string | null;
  mode: string | null;
  acled_event_type: string | null;
  acled_sub_event_type: string | null;
  category: EventCategory | null;
  modality: Modality;
  /** Words of the sentence that report the event, when the backend names them. */
  trigger: string | null;
  /** The backend's score (a classifier's probability), or the configured constant for an LLM. */
  confidence: number;
}

/** The answer with every label null: "this sentence reports no event". */
export const NO_EVENT: Omit<TypingAnswer, 'confidence'> = {
  event_type: null, mode: null, acled_event_type: null, acled_sub_event_type: null, category: null, modality: 'asserted', trigger: null,
};

const nullableString = z.string().trim().nullable().optional().transform((v) => (v === undefined || v === '' ? null : v));

/** The raw shape backends answer in (the LLM's JSON, a label-map entry); labels checked afterwards. */
export const rawAnswerSchema = z.object({
  is_event: z.boolean().optional(),
  event_type: nullableString,
  mode: nullableString,
  acled_event_type: nullableString,
  acled_sub_event_type: nullableString,
  category: nullableString,
  modality: nullableString,
  trigger: nullableString,
});
export type RawAnswer = z.input<typeof rawAnswerSchema>;

/**
 * Checks a raw answer against the closed label set: every label must be one of ours, the mode one of
 * its type's, the sub-event type's parent the event type given. Returns the problem as a string.
 * @example checkAnswer({ event_type: 'ASSAULT', acled_sub_event_type: 'Air/drone strike' }, labels, 0.8)
 *   // { ok: true, answer: { event_type: 'ASSAULT', acled_event_type: 'Explosions/Remote violence', ... } }
 */
export function checkAnswer(raw: unknown, labels: LabelSet, confidence: number): { ok: true; answer: TypingAnswer } | { ok: false; problem: string } {
  const parsed = rawAnswerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: issue ? `${issue.path.join('.') || 'answer'}: ${issue.message}` : 'not an object' };
  }
  const a = parsed.data;
  if (a.is_event === false) return { ok: true, answer: { ...NO_EVENT, confidence } };
  if (a.event_type !== null && !labels.ploverTypes.includes(a.event_type)) return { ok: false, problem: `event_type "${a.event_type}" is not a PLOVER type` };
  if (a.mode !== null) {
    if (a.event_type === null) return { ok: false, problem: `mode "${a.mode}" given without an event_type` };
    if (!(labels.modes.get(a.event_type) ?? []).includes(a.mode)) return { ok: false, problem: `mode "${a.mode}" is not a mode of ${a.event_type}` };
  }
  let acledType = a.acled_event_type;
  if (a.acled_sub_event_type !== null) {
    const parent = labels.acledParent.get(a.acled_sub_event_type);
    if (parent === undefined) return { ok: false, problem: `acled_sub_event_type "${a.acled_sub_event_type}" is not an ACLED sub-event type` };
    if (acledType !== null && acledType !== parent) return { ok: false, problem: `"${a.acled_sub_event_type}" belongs to "${parent}", not "${acledType}"` };
    acledType = parent;
  } else if (acledType !== null) {
    return { ok: false, problem: `acled_event_type "${acledType}" given without an acled_sub_event_type` };
  }
  if (a.category !== null && !(labels.categories as readonly string[]).includes(a.category)) return { ok: false, problem: `category "${a.category}" is not one of ${labels.categories.join(', ')}` };
  const modality = a.modality ?? 'asserted';
  if (!(labels.modalities as readonly string[]).includes(modality)) return { ok: false, problem: `modality "${modality}" is not one of ${labels.modalities.join(', ')}` };
  if (a.is_event === true && a.event_type === null && a.category === null && a.acled_sub_event_type === null) {
    return { ok: false, problem: 'is_event is true but no event_type, ACLED type or category is given' };
  }
  return {
    ok: true,
    answer: {
      event_type: a.event_type,
      mode: a.mode,
      acled_event_type: acledType,
      acled_sub_event_type: a.acled_sub_event_type,
      category: a.category as EventCategory | null,
      modality: modality as Modality,
      trigger: a.trigger,
      confidence,
    },
  };
}

/** True when the answer says the sentence reports something (an event type, an ACLED type or a category). */
export function answerHasEvent(a: TypingAnswer): boolean {
  return a.event_type !== null || a.acled_sub_event_type !== null || a.category !== null;
}
