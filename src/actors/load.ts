/**
 * Loads the actor knowledge base: the shipped files of data/actors/, every country's state apparatus
 * generated from a template and the nationality words of data/geo/demonyms.json, and user folders
 * (`--kb DIR`); validates each file against its schema and builds the matcher once.
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import countriesLib from 'i18n-iso-countries';
import type { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';
import { DemonymFileSchema, type DemonymFile } from '../geo/demonyms.js';
import type { ActorKind } from '../types.js';
import {
  ActorFileSchema, RulesSchema, StateTemplateSchema, STATE_AGENTS,
  type ActorFile, type AliasInput, type Role, type Rules, type StateAgent, type StateTemplate,
} from './schema.js';
import { PayloadType, insertPattern, keyOf, newNode, patternPieces, type Contexts, type TrieNode } from './match.js';

/** One actor of the base, as the resolver and the CLI see it. */
export interface Actor {
  id: string;
  name: string;
  aliases: string[];
  kind: ActorKind;
  country: string | null;
  parent: string | null;
  affiliations: string[];
  roles: Role[];
  inter: number | null;
  designated: boolean;
  /** Generic agents that nationality words turn into a state entry ("soldiers" → military). */
  agent: StateAgent | null;
  /** A generic agent with no name ("militants"), not a named actor. */
  generic: boolean;
  /** A weapon or vehicle noun ("drones"): an actor only through its owner. */
  equipment: boolean;
  /** The file the entry came from ("generated" for the state template). */
  file: string;
}

/** A group word's group: its name and the countries it lives in. */
export interface GroupInfo {
  name: string;
  countries: string[];
}

export interface CountryInfo {
  iso2: string;
  iso3: string;
  name: string;
  adjective: string;
}

/** The loaded knowledge base with its compiled matcher. Build with loadActorBase(). */
export interface ActorBase {
  actors: Actor[];
  byId: ReadonlyMap<string, number>;
  countries: CountryInfo[];
  countryIndex: ReadonlyMap<string, number>;
  groups: GroupInfo[];
  trie: TrieNode;
  /**
   * The state entry of each country for each agent, as an actor index (-1 none), at
   * [country index * STATE_AGENTS.length + agent index]: the resolver's look-up of "Pakistani
   * troops" → pak.military without building the id.
   */
  stateActors: Int32Array;
  contexts: Contexts;
  rules: Rules;
  /** Folded single-word lists from rules.json. */
  modifiers: ReadonlySet<string>;
  titleFillers: ReadonlySet<string>;
  locatives: ReadonlySet<string>;
  memberNouns: ReadonlySet<string>;
  gapStopwords: ReadonlySet<string>;
  groupKeepsType: ReadonlySet<string>;
  nameParticles: ReadonlySet<string>;
  nameConnectors: ReadonlySet<string>;
  orgHeads: ReadonlyMap<string, { kind: ActorKind; inter: number | null }>;
  leadVerbs: ReadonlyMap<string, string>;
  /** Folded phrase lists (pieces joined by one space) from rules.json. */
  linkWords: ReadonlyMap<string, 'affiliate' | 'lead'>;
  linkNouns: ReadonlySet<string>;
  descriptionHeads: ReadonlySet<string>;
  coalitionNouns: ReadonlySet<string>;
  nonAgentNouns: ReadonlySet<string>;
  rebelNameWords: ReadonlySet<string>;
  adjectiveAgents: ReadonlySet<string>;
  modifierPrefixes: ReadonlySet<string>;
  descriptors: ReadonlyMap<string, { kind: ActorKind; inter: number | null }>;
  /** Every proper prefix of a multi-word phrase of the lists above ("splinter"), so a look-up stops early. */
  phrasePrefixes: ReadonlySet<string>;
  files: string[];
}

export interface LoadOptions {
  /** Extra folders of actor files (`--kb DIR`), loaded after the shipped ones. */
  extraDirs?: string[];
  /** Folder of the shipped files; tests point it at a fixture folder. Default data/actors. */
  baseDir?: string;
  /** The demonyms file. Default data/geo/demonyms.json. */
  demonymsFile?: string;
}

const SPECIAL_FILES = new Set(['rules.json', 'state.json']);

function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeError(`cannot read actor knowledge file ${file}: ${errorMessage(err)}. Check that it exists and is readable.`, { file });
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new KnowledgeError(`actor knowledge file ${file} is not valid JSON: ${errorMessage(err)}. Fix the syntax and retry.`, { file });
  }
}

/** Parses with a schema; on failure names the file, the entry (index and id) and the field. */
function parseFile<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const res = schema.safeParse(data);
  if (res.success) return res.data as z.infer<S>;
  const issue = res.error.issues[0]!;
  const path = issue.path;
  let where = path.join('.');
  if (path.length >= 2 && typeof path[1] === 'number') {
    const list = (data as Record<string, unknown[]>)[String(path[0])];
    const entry = Array.isArray(list) ? (list[path[1]] as { id?: unknown } | undefined) : undefined;
    const id = entry && typeof entry.id === 'string' ? ` (id "${entry.id}")` : '';
    where = `${String(path[0])}[${path[1]}]${id}${path.length > 2 ? ` field "${path.slice(2).join('.')}"` : ''}`;
  }
  throw new KnowledgeError(
    `actor knowledge file ${file}: entry ${where}: ${issue.message}. Fix that entry (see src/actors/schema.ts for the format).`,
    { file, field: where },
  );
}

function aliasText(a: AliasInput): string {
  return typeof a === 'string' ? a : a.text;
}

function countryTable(template: StateTemplate, dem: DemonymFile, allNames: Record<string, string[]>): CountryInfo[] {
  const out: CountryInfo[] = [];
  for (const c of dem.countries) {
    const iso3 = countriesLib.alpha2ToAlpha3(c.country);
    if (!iso3) continue;
    const names = allNames[c.country];
    const extra = template.countryNames[c.country];
    const name = extra?.[0] ?? names?.find((n) => !n.includes(',')) ?? c.country;
    out.push({ iso2: c.country, iso3, name, adjective: c.adjectives[0] ?? name });
  }
  return out;
}

/**
 * Loads and compiles the actor base (synchronous; well under 300 ms).
 * @example
 * const base = loadActorBase({ extraDirs: ['./my-actors'] });
 * base.actors[base.byId.get('iskp')!]!.name // 'Islamic State Khorasan Province'
 */
export function loadActorBase(options: LoadOptions = {}): ActorBase {
  const dir = options.baseDir ?? dataPath('actors');
  const demonymsFile = options.demonymsFile ?? dataPath('geo', 'demonyms.json');
  const rulesFile = join(dir, 'rules.json');
  const stateFile = join(dir, 'state.json');
  if (!existsSync(rulesFile) || !existsSync(stateFile)) {
    throw new KnowledgeError(`the actor knowledge folder ${dir} lacks rules.json or state.json; reinstall khabar or point baseDir at a complete folder`, { file: dir });
  }
  const rules = parseFile(RulesSchema, readJson(rulesFile), rulesFile);
  const template = parseFile(StateTemplateSchema, readJson(stateFile), stateFile);
  const dem = parseFile(DemonymFileSchema, readJson(demonymsFile), demonymsFile);
  const allNames = countriesLib.getNames('en', { select: 'all' });
  const countries = countryTable(template, dem, allNames);
  const countryIndex = new Map(countries.map((c, i) => [c.iso2, i]));

  const actors: Actor[] = [];
  const byId = new Map<string, number>();
  const files: string[] = [];
  const aliasOpts = new Map<number, AliasInput[]>();
  const add = (a: Actor, aliases: AliasInput[], file: string): void => {
    if (byId.has(a.id)) {
      const prev = actors[byId.get(a.id)!]!;
      throw new KnowledgeError(`actor knowledge file ${file}: entry id "${a.id}" is already defined in ${prev.file}. Use "extend" to add aliases to an existing actor, or pick another id.`, { file, field: a.id });
    }
    byId.set(a.id, actors.length);
    aliasOpts.set(actors.length, aliases);
    actors.push(a);
  };

  // 1. The generated state apparatus of every country.
  for (const c of countries) {
    for (const ag of template.agents) {
      const name = ag.name.replace('{adj}', c.adjective).replace('{country}', c.name);
      add({
        id: `${c.iso3.toLowerCase()}.${ag.agent}`, name, aliases: [], kind: ag.kind, country: c.iso2, parent: ag.agent === 'state' ? null : `${c.iso3.toLowerCase()}.state`,
        affiliations: [], roles: [], inter: ag.inter, designated: false, agent: ag.agent, generic: false, equipment: false, file: 'generated',
      }, [], 'generated');
    }
  }

  // 2. Shipped files, then user folders.
  const fileList: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && !SPECIAL_FILES.has(f)).sort()) fileList.push(join(dir, f));
  for (const extra of options.extraDirs ?? []) {
    if (!existsSync(extra) || !statSync(extra).isDirectory()) {
      throw new KnowledgeError(`actor knowledge folder ${extra} does not exist or is not a folder; check the --kb path`, { file: extra });
    }
    for (const f of readdirSync(extra).filter((f) => f.endsWith('.json')).sort()) fileList.push(join(extra, f));
  }
  const extensions: { file: string; ext: ActorFile['extend'][number] }[] = [];
  for (const file of fileList) {
    const parsed = parseFile(ActorFileSchema, readJson(file), file);
    files.push(file);
    for (const e of parsed.actors) {
      add({
        id: e.id, name: e.name, aliases: e.aliases.map(aliasText), kind: e.kind, country: e.country, parent: e.parent,
        affiliations: e.affiliations, roles: e.roles, inter: e.inter, designated: e.designated ?? false,
        agent: e.agent ?? null, generic: e.generic ?? false, equipment: e.equipment ?? false, file: basename(file),
      }, e.aliases, basename(file));
    }
    for (const ext of parsed.extend) extensions.push({ file, ext });
  }
  for (const { file, ext } of extensions) {
    const idx = byId.get(ext.id);
    if (idx === undefined) {
      throw new KnowledgeError(`actor knowledge file ${file}: "extend" names id "${ext.id}", which no file defines. Check the id (e.g. "pak.military").`, { file, field: ext.id });
    }
    const a = actors[idx]!;
    a.aliases.push(...ext.aliases.map(aliasText));
    a.affiliations.push(...ext.affiliations);
    a.roles.push(...ext.roles);
    aliasOpts.get(idx)!.push(...ext.aliases);
  }
  for (const a of actors) {
    for (const ref of [a.parent, ...a.affiliations]) {
      if (ref !== null && !byId.has(ref)) {
        throw new KnowledgeError(`actor knowledge file ${a.file}: entry id "${a.id}" names parent/affiliation "${ref}", which no file defines. Add that actor or fix the id.`, { file: a.file, field: a.id });
      }
    }
  }

  // 3. The matcher.
  const trie = newNode();
  for (let i = 0; i < actors.length; i++) {
    const a = actors[i]!;
    if (a.file !== 'generated') insertPattern(trie, a.name, PayloadType.Actor, i);
    for (const al of aliasOpts.get(i)!) {
      if (typeof al === 'string') insertPattern(trie, al, PayloadType.Actor, i);
      else insertPattern(trie, al.text, PayloadType.Actor, i, al.case, al.context);
    }
  }
  const skip = new Set(template.skipNames);
  for (const c of dem.countries) {
    const ci = countryIndex.get(c.country);
    if (ci === undefined) continue;
    for (const adj of c.adjectives) insertPattern(trie, adj, PayloadType.Adjective, ci);
    for (const p of c.people) insertPattern(trie, p, PayloadType.People, ci);
    for (const n of allNames[c.country] ?? []) if (!n.includes(',') && !skip.has(n)) insertPattern(trie, n, PayloadType.Country, ci);
    for (const n of template.countryNames[c.country] ?? []) insertPattern(trie, n, PayloadType.Country, ci);
    for (const cap of template.capitals[c.country] ?? []) insertPattern(trie, cap, PayloadType.Capital, ci);
  }
  for (const [iso2, adjs] of Object.entries(template.extraAdjectives)) {
    const ci = countryIndex.get(iso2);
    if (ci !== undefined) for (const adj of adjs) insertPattern(trie, adj, PayloadType.Adjective, ci);
  }
  const groups: GroupInfo[] = dem.groups.map((g) => ({ name: g.name.replace(/ \(.*\)$/, ''), countries: g.countries }));
  dem.groups.forEach((g, gi) => {
    for (const form of g.forms) insertPattern(trie, form, PayloadType.Group, gi);
  });
  // Titles match in any case ("prime minister X"), except acronyms ("PM", "MP").
  rules.titles.forEach((t, i) => insertPattern(trie, t.text, PayloadType.Title, i, /^[A-Z]{2,4}$/.test(t.text) ? 'exact' : 'any'));
  rules.anaphors.forEach((t, i) => insertPattern(trie, t.text, PayloadType.Anaphor, i, 'any'));

  const contexts = new Map<string, { window: number; words: ReadonlySet<string> }>();
  for (const [name, c] of Object.entries(rules.contexts)) contexts.set(name, { window: c.window, words: new Set(c.words.map(keyOf)) });
  const keySet = (words: string[]): Set<string> => new Set(words.map(keyOf));
  // Phrases keyed like article text: sub-token keys joined by one space ("splinter group", "build up").
  const phrasePrefixes = new Set<string>();
  const phraseKey = (p: string): string => {
    const keys = patternPieces(p).keys;
    for (let n = 1; n < keys.length; n++) phrasePrefixes.add(keys.slice(0, n).join(' '));
    return keys.join(' ');
  };
  const stateActors = new Int32Array(countries.length * STATE_AGENTS.length).fill(-1);
  countries.forEach((c, ci) => STATE_AGENTS.forEach((agent, ai) => {
    stateActors[ci * STATE_AGENTS.length + ai] = byId.get(`${c.iso3.toLowerCase()}.${agent}`) ?? -1;
  }));
  return {
    actors, byId, countries, countryIndex, groups, trie, stateActors, contexts, rules,
    modifiers: keySet(template.modifiers),
    titleFillers: keySet(rules.titleFillers),
    locatives: keySet(rules.locatives),
    memberNouns: keySet(rules.memberNouns),
    gapStopwords: keySet(rules.gapStopwords),
    groupKeepsType: new Set(rules.groupKeepsType),
    nameParticles: keySet(rules.nameParticles),
    nameConnectors: keySet(rules.nameConnectors),
    orgHeads: new Map(Object.entries(rules.orgHeads).map(([k, v]) => [keyOf(k), v])),
    leadVerbs: new Map(Object.entries(rules.leadVerbs).map(([k, v]) => [keyOf(k), v])),
    linkWords: new Map(Object.entries(rules.linkWords).map(([k, v]) => [keyOf(k), v])),
    linkNouns: new Set(rules.linkNouns.map(phraseKey)),
    descriptionHeads: new Set(rules.descriptionHeads.map(phraseKey)),
    coalitionNouns: new Set(rules.coalitionNouns.map(phraseKey)),
    nonAgentNouns: new Set(rules.nonAgentNouns.map(phraseKey)),
    rebelNameWords: keySet(rules.rebelNameWords),
    adjectiveAgents: keySet(rules.adjectiveAgents),
    modifierPrefixes: keySet(rules.modifierPrefixes),
    descriptors: new Map(Object.entries(rules.descriptors).map(([k, v]) => [phraseKey(k), v])),
    phrasePrefixes,
    files,
  };
}

/** The generated id of a country's state agent. @example stateId(base, 'PK', 'military') // 'pak.military' */
export function stateId(base: ActorBase, iso2: string, agent: StateAgent): string | null {
  const ci = base.countryIndex.get(iso2);
  return ci === undefined ? null : `${base.countries[ci]!.iso3.toLowerCase()}.${agent}`;
}

export { STATE_AGENTS };
