/**
 * The linking stage's knowledge and thresholds (data/link/linking.json): event-type families, which
 * source kinds are outlets, the near-duplicate (MinHash/LSH) and clustering parameters. Loaded once.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KhabarError, errorMessage } from '../errors.js';
import { dataPath } from '../paths.js';

const weightsSchema = z
  .object({
    samePlace: z.number(),
    nearPlace: z.number(),
    sameDay: z.number(),
    sameType: z.number(),
    otherSubType: z.number(),
    actorId: z.number(),
    actorName: z.number(),
    actorConflict: z.number(),
    actorKindConflict: z.number(),
    sameCount: z.number(),
    farCount: z.number(),
    nearDuplicate: z.number(),
  })
  .strict();

export const linkConfigSchema = z
  .object({
    _comment: z.string().optional(),
    families: z.record(z.string().min(1), z.array(z.string().min(1))),
    outletKinds: z.array(z.string().min(1)),
    nearDuplicate: z
      .object({
        shingleWords: z.number().int().min(1).max(8),
        bands: z.number().int().min(1).max(256),
        rowsPerBand: z.number().int().min(1).max(16),
        threshold: z.number().gt(0).max(1),
        maxCandidates: z.number().int().min(1),
        /** Articles dated more than this many days apart are never near-duplicates (copies run within days). */
        windowDays: z.number().int().min(0).max(366),
      })
      .strict(),
    cluster: z
      .object({
        threshold: z.number(),
        dayTolerance: z.number().int().min(0).max(7),
        maxWindowDays: z.number().int().min(1).max(400),
        undatedWindowDays: z.number().int().min(0).max(60),
        maxCandidates: z.number().int().min(1),
        nearKm: z.number().positive(),
        farKm: z.number().positive(),
        weights: weightsSchema,
      })
      .strict(),
  })
  .strict();

export type LinkConfigFile = z.infer<typeof linkConfigSchema>;

/** The loaded configuration, with the family of each type resolved to a map. */
export interface LinkConfig extends LinkConfigFile {
  /** PLOVER event type (upper case) → family name. */
  familyOf: Map<string, string>;
  outletKindSet: Set<string>;
}

/** Builds a LinkConfig from parsed file contents (tests pass their own). */
export function makeLinkConfig(raw: unknown, file = '(given)'): LinkConfig {
  const parsed = linkConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new KhabarError('E_KNOWLEDGE', `the linking configuration ${file} is invalid (${detail}): fix it or restore the packaged file`, { file });
  }
  const familyOf = new Map<string, string>();
  for (const [family, types] of Object.entries(parsed.data.families)) for (const t of types) familyOf.set(t.toUpperCase(), family);
  return { ...parsed.data, familyOf, outletKindSet: new Set(parsed.data.outletKinds) };
}

let cached: LinkConfig | null = null;

/**
 * The packaged linking configuration, read once per process.
 * @example loadLinkConfig().nearDuplicate.threshold // 0.5
 */
export function loadLinkConfig(file = dataPath('link', 'linking.json')): LinkConfig {
  if (cached && file === dataPath('link', 'linking.json')) return cached;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KhabarError('E_KNOWLEDGE', `cannot read the linking configuration ${file}: ${errorMessage(err)}; restore it from the package`, { file }, { cause: err });
  }
  const config = makeLinkConfig(raw, file);
  if (file === dataPath('link', 'linking.json')) cached = config;
  return config;
}
