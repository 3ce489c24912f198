/**
 * The schemas of the actor knowledge files (data/actors/*.json and user `--kb` folders): actor
 * entries, the per-country state template, and the resolver's rules (titles, anaphors, contexts).
 */
import { z } from 'zod';
import type { ActorKind } from '../types.js';

export const ACTOR_KINDS = [
  'state', 'government', 'military', 'police', 'intelligence', 'security', 'rebel', 'insurgent', 'militia',
  'terrorist', 'party', 'igo', 'ngo', 'media', 'company', 'civilians', 'protesters', 'rioters', 'person',
  'organisation', 'unknown',
] as const satisfies readonly ActorKind[];

const KindSchema = z.enum(ACTOR_KINDS);
const Iso2 = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "AF"');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const Inter = z.number().int().min(1).max(8);
const ActorId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-", e.g. "pak.military"');

/** State-apparatus agents every country gets: `{iso3}.{agent}`. */
export const STATE_AGENTS = ['state', 'government', 'military', 'police', 'security_forces', 'intelligence'] as const;
export type StateAgent = (typeof STATE_AGENTS)[number];

/**
 * An alias: a plain string, or an object that restricts when it matches.
 * `case`: 'exact' (acronyms: "IS", "ADF"), 'cap' (capitalised words must be capitalised), 'any'.
 * `context`: the name of a word list in rules.json that must occur near the match ("jihadist", "source").
 */
export const AliasSchema = z.union([
  z.string().min(1),
  z.object({
    text: z.string().min(1),
    case: z.enum(['exact', 'cap', 'any']).optional(),
    context: z.string().min(1).optional(),
  }).strict(),
]);
export type AliasInput = z.infer<typeof AliasSchema>;

export const RoleSchema = z.object({
  role: z.string().min(1),
  kind: KindSchema.optional(),
  inter: Inter.optional(),
  country: Iso2.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
}).strict();
export type Role = z.infer<typeof RoleSchema>;

export const ActorEntrySchema = z.object({
  id: ActorId,
  name: z.string().min(1),
  aliases: z.array(AliasSchema).default([]),
  kind: KindSchema,
  country: Iso2.nullable().default(null),
  parent: ActorId.nullable().default(null),
  affiliations: z.array(ActorId).default([]),
  roles: z.array(RoleSchema).default([]),
  inter: Inter.nullable().default(null),
  designated: z.boolean().optional(),
  /** For generic agents ("soldiers"): the state agent a nationality word turns it into ("pak.military"). */
  agent: z.enum(STATE_AGENTS).optional(),
  /** For generic agents: plural nouns a definite article makes anaphoric ("the militants"). */
  generic: z.boolean().optional(),
  /**
   * For generic agents: weapons and vehicles ("drones", "warplanes"). They stand for an armed actor
   * only with an owner: a nationality ("Israeli tanks"), a possessive ("its aircraft", "the army's drones").
   */
  equipment: z.boolean().optional(),
}).strict();
export type ActorEntryInput = z.input<typeof ActorEntrySchema>;

/** Adds aliases (and optionally roles/affiliations) to an actor defined elsewhere (e.g. a generated `isr.military`). */
export const ExtendSchema = z.object({
  id: ActorId,
  aliases: z.array(AliasSchema).default([]),
  affiliations: z.array(ActorId).default([]),
  roles: z.array(RoleSchema).default([]),
}).strict();

export const ActorFileSchema = z.object({
  $comment: z.string().optional(),
  actors: z.array(ActorEntrySchema).default([]),
  extend: z.array(ExtendSchema).default([]),
}).strict();
export type ActorFile = z.infer<typeof ActorFileSchema>;

/** data/actors/state.json: how each country's state apparatus is generated. */
export const StateTemplateSchema = z.object({
  $comment: z.string().optional(),
  agents: z.array(z.object({
    agent: z.enum(STATE_AGENTS),
    kind: KindSchema,
    inter: Inter,
    /** "{adj} military", "{country}": filled with the country's first adjective or its name. */
    name: z.string().min(1),
  }).strict()),
  /** Extra names per country beyond i18n-iso-countries ("Britain", "DRC"). */
  countryNames: z.record(Iso2, z.array(z.string().min(1))),
  /** Names of i18n-iso-countries to leave out because they mislead in news text ("Congo" for CD). */
  skipNames: z.array(z.string()).default([]),
  /** Seats of government, for "the Kabul government", "the Damascus regime". */
  capitals: z.record(Iso2, z.array(z.string().min(1))),
  /** Words allowed between a nationality and an agent noun ("Pakistani paramilitary troops"). */
  modifiers: z.array(z.string().min(1)),
  /** Nationality adjectives news uses beyond data/geo/demonyms.json ("Serb forces", "Croat forces"). */
  extraAdjectives: z.record(Iso2, z.array(z.string().min(1))).default({}),
}).strict();
export type StateTemplate = z.infer<typeof StateTemplateSchema>;

const AnaphorTarget = z.enum(['armed', 'organisation', 'state', 'any']);

/** data/actors/rules.json: the resolver's word lists. */
export const RulesSchema = z.object({
  $comment: z.string().optional(),
  /** Named word lists for context-restricted aliases. */
  contexts: z.record(z.string(), z.object({ window: z.number().int().min(1).max(30), words: z.array(z.string().min(1)) }).strict()),
  /** Definite descriptions and pronouns that refer back to an earlier actor. */
  anaphors: z.array(z.object({ text: z.string().min(1), target: AnaphorTarget }).strict()),
  /** Titles before a person's name; `affiliation` says which part of a state they belong to. */
  titles: z.array(z.object({
    text: z.string().min(1),
    affiliation: z.enum(['government', 'military', 'police', 'intelligence', 'security_forces', 'opposition', 'organisation', 'none']),
  }).strict()),
  /** Words that may stand between a nationality and a title ("Lebanon's new President X"). */
  titleFillers: z.array(z.string().min(1)),
  /** Verbs of ", who leads the Y" appositions, with the role they give. */
  leadVerbs: z.record(z.string(), z.string()),
  /** Last words of organisation names not in the base, with the kind and inter they suggest. */
  orgHeads: z.record(z.string(), z.object({ kind: KindSchema, inter: Inter.nullable() }).strict()),
  /** Lower-case particles inside a person's name ("Bashar al-Assad", "Ursula von der Leyen"). */
  nameParticles: z.array(z.string().min(1)),
  /** Lower-case words allowed inside a capitalised organisation name ("Front for the Liberation of"). */
  nameConnectors: z.array(z.string().min(1)),
  /** Prepositions that make a following country name a place, not an actor ("in Syria"). */
  locatives: z.array(z.string().min(1)),
  /** Words that may not stand between a nationality and an agent noun ("Israeli changes to the ... negotiator"). */
  gapStopwords: z.array(z.string().min(1)),
  /** Generic armed agents that keep their type after a group word ("Kurdish rebels"); others become identity militias. */
  groupKeepsType: z.array(z.string().min(1)),
  /** Nouns after a named group that stay part of its mention ("Taliban fighters"). */
  memberNouns: z.array(z.string().min(1)),
  /**
   * Words joined by a hyphen to an actor's name that make it a modifier: 'affiliate' ("al-Qaeda-linked
   * group": a description of another group), 'lead' ("U.S.-led coalition": a coalition the actor leads).
   */
  linkWords: z.record(z.string(), z.enum(['affiliate', 'lead'])).default({}),
  /** Nouns after an actor's name that describe another group ("the al-Qaeda affiliate"). */
  linkNouns: z.array(z.string().min(1)).default([]),
  /** Heads of an "X-linked ..." description that refer back to a group ("group", "outfit", "militants"). */
  descriptionHeads: z.array(z.string().min(1)).default([]),
  /** Heads of an "X-led ..." phrase that make a coalition ("coalition", "forces"). */
  coalitionNouns: z.array(z.string().min(1)).default([]),
  /** Nouns that make an agent word before them an adjective ("military aid", "army base"). */
  nonAgentNouns: z.array(z.string().min(1)).default([]),
  /**
   * Singular agent nouns that are adjectives before a noun or a name ("terrorist activities", "rebel
   * positions", "the rebel Revolutionary United Front"): no mention of their own there.
   */
  adjectiveAgents: z.array(z.string().min(1)).default([]),
  /** Prefixes joined by a hyphen that make the name after them a modifier ("anti-Taliban fighters", "pro-Iranian militia"). */
  modifierPrefixes: z.array(z.string().min(1)).default([]),
  /** Words that make a capitalised name with a state-agent head a non-state group ("National Liberation Army"). */
  rebelNameWords: z.array(z.string().min(1)).default([]),
  /** Appositive descriptions that type a capitalised name the base lacks ("Emergency Lawyers, a rights group"). */
  descriptors: z.record(z.string(), z.object({ kind: KindSchema, inter: Inter.nullable() }).strict()).default({}),
}).strict();
export type Rules = z.infer<typeof RulesSchema>;
