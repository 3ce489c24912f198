/**
 * Readers for the evaluation corpora in ../shared/data (JSON Lines), validated with zod at the
 * boundary so a changed file fails with its name and line instead of a wrong score.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { KhabarError } from '../src/errors.js';
import { PACKAGE_ROOT } from '../src/paths.js';

/** Where the corpora are by default: the shared data folder beside the repository. */
export function defaultDataDir(): string {
  return resolve(PACKAGE_ROOT, '..', 'shared', 'data');
}

export const GEO_FILES = {
  geowebnews: 'geoparse_geowebnews.jsonl',
  geovirus: 'geoparse_geovirus.jsonl',
} as const;
export const CASE_FILE = 'events_case2021_dev.jsonl';
export const PLOVER_FILE = 'events_plover_dev.jsonl';

const toponymSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  phrase: z.string(),
  lat: z.number().nullable().optional(),
  lon: z.number().nullable().optional(),
  // GeoWebNews gives the GeoNames id as a string ("2643743").
  geonameid: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).nullable().optional(),
  type: z.string().nullable().optional(),
  /** "unresolved" marks a few spans whose offsets could not be recovered (negative start): skipped. */
  offset_status: z.string().optional(),
});

const geoDocSchema = z.object({
  id: z.string(),
  corpus: z.string(),
  text: z.string(),
  toponyms: z.array(toponymSchema),
});

const caseSchema = z.object({
  id: z.string(),
  text: z.string(),
  event_type: z.string(),
});

const ploverActorSchema = z.object({
  actorText: z.string(),
  code: z.string().nullable().optional(),
  sector: z.string().nullable().optional(),
});

const ploverSchema = z.object({
  id: z.string(),
  text: z.string(),
  event_type: z.string(),
  mode: z.string().nullable(),
  source_actors: z.array(ploverActorSchema),
  target_actors: z.array(ploverActorSchema),
  event_location: z
    .object({ name: z.string(), 'country code': z.string().optional() })
    .passthrough()
    .nullable(),
});

export type GeoDoc = z.infer<typeof geoDocSchema>;
export type Toponym = z.infer<typeof toponymSchema>;
export type CaseRecord = z.infer<typeof caseSchema>;
export type PloverRecord = z.infer<typeof ploverSchema>;
export type PloverActor = z.infer<typeof ploverActorSchema>;

/** Reads and validates a JSON Lines file; throws KhabarError naming the file and line. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new KhabarError('E_VALIDATION', `not valid JSON; check the file is an unmodified copy of the corpus`, { file, line: i + 1 }, { cause: err });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new KhabarError('E_VALIDATION', `record does not match the expected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { file, line: i + 1 });
    }
    out.push(parsed.data);
  });
  return out;
}

export function dataFile(dir: string, name: string): string | null {
  const path = join(dir, name);
  return existsSync(path) ? path : null;
}

/** Geoparsing documents; toponyms whose offsets the converter could not recover are left out. */
export function readGeoDocs(file: string): GeoDoc[] {
  return readJsonl(file, geoDocSchema).map((doc) => ({
    ...doc,
    toponyms: doc.toponyms.filter((t) => t.offset_status !== 'unresolved' && t.start >= 0 && t.end >= t.start),
  }));
}
export const readCase = (file: string): CaseRecord[] => readJsonl(file, caseSchema);
export const readPlover = (file: string): PloverRecord[] => readJsonl(file, ploverSchema);

/**
 * A toponym that is a place to resolve: it has coordinates. GeoWebNews also marks Non_Toponym,
 * Demonym, Language and Homonym spans, which have none and are not places.
 */
export function isPlaceToponym(t: Toponym): t is Toponym & { lat: number; lon: number } {
  return typeof t.lat === 'number' && typeof t.lon === 'number';
}

/** The 30 CASE 2021 task-2 labels and the ACLED sub-event type (or Khabar category) each stands for. */
export const CASE_LABELS: Readonly<Record<string, string>> = {
  ABDUCT_DISSAP: 'Abduction/forced disappearance',
  AGREEMENT: 'Agreement',
  AIR_STRIKE: 'Air/drone strike',
  ARMED_CLASH: 'Armed clash',
  ARREST: 'Arrests',
  ART_MISS_ATTACK: 'Shelling/artillery/missile attack',
  ATTACK: 'Attack',
  CHANGE_TO_GROUP_ACT: 'Change to group/activity',
  CHEM_WEAP: 'Chemical weapon',
  DISR_WEAP: 'Disrupted weapons use',
  FORCE_AGAINST_PROTEST: 'Excessive force against protesters',
  GOV_REGAINS_TERIT: 'Government regains territory',
  GRENADE: 'Grenade',
  HQ_ESTABLISHED: 'Headquarters or base established',
  MOB_VIOL: 'Mob violence',
  NON_STATE_ACTOR_OVERTAKES_TER: 'Non-state actor overtakes territory',
  NON_VIOL_TERRIT_TRANSFER: 'Non-violent transfer of territory',
  OTHER: 'Other',
  PEACE_PROTEST: 'Peaceful protest',
  PROPERTY_DISTRUCT: 'Looting/property destruction',
  PROTEST_WITH_INTER: 'Protest with intervention',
  REM_EXPLOS: 'Remote explosive/landmine/IED',
  SEX_VIOL: 'Sexual violence',
  SUIC_BOMB: 'Suicide bomb',
  VIOL_DEMONSTR: 'Violent demonstration',
  ORG_CRIME: 'ORG_CRIME',
  NATURAL_DISASTER: 'NATURAL_DISASTER',
  MAN_MADE_DISASTER: 'MAN_MADE_DISASTER',
  DIPLO: 'DIPLO',
  ATTRIB: 'ATTRIB',
};

const SUB_EVENT_TO_CASE = new Map<string, string>(Object.entries(CASE_LABELS).map(([label, sub]) => [sub.toLowerCase(), label]));

/**
 * The CASE label for a prediction: its category (a non-ACLED label) first, else its ACLED sub-event
 * type; null when it has neither or the name is not one of the 30.
 * @example toCaseLabel({ acled_sub_event_type: 'Air/drone strike', category: null }) // 'AIR_STRIKE'
 */
export function toCaseLabel(pred: { acled_sub_event_type: string | null; category: string | null }): string | null {
  if (pred.category) return SUB_EVENT_TO_CASE.get(pred.category.toLowerCase()) ?? null;
  if (pred.acled_sub_event_type) return SUB_EVENT_TO_CASE.get(pred.acled_sub_event_type.toLowerCase()) ?? null;
  return null;
}

/** Earlier PLOVER labels used by the gold records, mapped onto the current 16 types (PLOVER manual). */
const PLOVER_OLD_TO_NEW: Readonly<Record<string, string>> = {
  DEMAND: 'REQUEST',
  DISAPPROVE: 'ACCUSE',
  INVESTIGATE: 'ACCUSE',
  FIGHT: 'ASSAULT',
};

/** @example toPloverType('FIGHT') // 'ASSAULT' */
export function toPloverType(label: string): string {
  const up = label.toUpperCase();
  return PLOVER_OLD_TO_NEW[up] ?? up;
}

/** The current PLOVER event types (16). */
export const PLOVER_TYPES = [
  'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT',
] as const;
