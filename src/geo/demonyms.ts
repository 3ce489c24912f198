/**
 * Nationality words ("Afghan", "Pakistanis", "U.S.") and group words ("Kurdish", "Baloch") with the
 * countries they stand for, loaded from data/geo/demonyms.json and checked against a schema.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';

const CountryEntrySchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "AF"'),
  adjectives: z.array(z.string().min(1)),
  people: z.array(z.string().min(1)),
});

const GroupEntrySchema = z.object({
  name: z.string().min(1),
  forms: z.array(z.string().min(1)),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)),
  /** The region the group word stands for, by gazetteer name ("European" → "Europe"). */
  place: z.string().optional(),
});

export const DemonymFileSchema = z.object({
  $comment: z.string().optional(),
  countries: z.array(CountryEntrySchema),
  groups: z.array(GroupEntrySchema),
});

export type DemonymFile = z.infer<typeof DemonymFileSchema>;

/** What one demonym word means. */
export interface DemonymEntry {
  /** The form as written in the data file ("Afghans"). */
  form: string;
  /** The country it stands for, or null for a group spread over several countries or none. */
  country: string | null;
  /** Every country the word may point to (one for a nationality). */
  countries: string[];
  /** Group name for group words ("Kurdish"), null for a nationality. */
  group: string | null;
  /** 'adjective' ("Afghan"), 'people' ("Afghans") or 'group'. */
  kind: 'adjective' | 'people' | 'group';
  /** For a group standing for a region: the region's gazetteer name ("Europe"). */
  place?: string;
}

export interface Demonyms {
  /** Every entry keyed by its lower-cased form; the first country listed wins for shared words. */
  readonly byForm: ReadonlyMap<string, DemonymEntry>;
  /**
   * The country a word stands for, or null.
   * @example demonyms.countryOf('Pakistanis') // 'PK'
   * @example demonyms.countryOf('Kurdish') // null (a group over IQ, SY, TR, IR)
   */
  countryOf(word: string): string | null;
  /** The full entry of a word, or null. @example demonyms.lookup('Tigrayan')?.countries // ['ET'] */
  lookup(word: string): DemonymEntry | null;
}

/** Lower-cases and unifies apostrophes so that "Shi’ite" and "Shi'ite" meet. */
export function demonymKey(word: string): string {
  return word.trim().toLowerCase().replace(/’/g, "'");
}

/** Builds the lookup from parsed data (used by tests with small hand-made files). */
export function buildDemonyms(file: DemonymFile): Demonyms {
  const byForm = new Map<string, DemonymEntry>();
  const add = (entry: DemonymEntry): void => {
    const key = demonymKey(entry.form);
    if (!byForm.has(key)) byForm.set(key, entry);
  };
  for (const c of file.countries) {
    for (const form of c.adjectives) add({ form, country: c.country, countries: [c.country], group: null, kind: 'adjective' });
    for (const form of c.people) add({ form, country: c.country, countries: [c.country], group: null, kind: 'people' });
  }
  for (const g of file.groups) {
    // A group confined to one country stands for it ("Tigrayan" → ET); a spread one does not.
    const country = g.countries.length === 1 ? g.countries[0]! : null;
    for (const form of g.forms) add({ form, country, countries: g.countries, group: g.name, kind: 'group', ...(g.place ? { place: g.place } : {}) });
  }
  return {
    byForm,
    countryOf(word: string): string | null {
      return byForm.get(demonymKey(word))?.country ?? null;
    },
    lookup(word: string): DemonymEntry | null {
      return byForm.get(demonymKey(word)) ?? null;
    },
  };
}

let cached: Demonyms | null = null;

/**
 * Loads data/geo/demonyms.json once (or another file when a path is given).
 * @example loadDemonyms().countryOf('Nigerien') // 'NE'
 */
export function loadDemonyms(file?: string): Demonyms {
  if (!file && cached) return cached;
  const path = file ?? dataPath('geo', 'demonyms.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`cannot read the demonym file ${path}: ${errorMessage(err)}; restore it from the repository or fix its JSON`, { file: path });
  }
  const parsed = DemonymFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KnowledgeError(
      `the demonym file ${path} does not match its schema at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}; fix that entry`,
      { file: path },
    );
  }
  const demonyms = buildDemonyms(parsed.data);
  if (!file) cached = demonyms;
  return demonyms;
}
