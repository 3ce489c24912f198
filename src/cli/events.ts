/**
 * `khabar events --db FILE`: list stored events with filters, as JSON, JSON Lines, ACLED-style CSV or
 * GeoJSON, streamed page by page so a large store exports in constant memory.
 */
import countriesLib from 'i18n-iso-countries';
import { KhabarError, UsageError } from '../errors.js';
import { EXPORT_FORMATS, OutputClosedError, fileSink, stdoutSink, writeEvents, type ExportFormat, type Sink } from '../export/index.js';
import { EVENT_SORTS, eachEvent, normalizeFilter, openStore } from '../store/index.js';
import type { EventFilter, EventSort } from '../store/index.js';
import { helpText, parseCommand, reportError, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'events',
  summary: 'list stored events with filters, as json, jsonl, csv or geojson',
  usage: 'khabar events --db FILE [--format json|jsonl|csv|geojson] [filters] [--reports] [--limit N] [--out FILE]',
  options: {
    db: { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    country: { type: 'string', multiple: true },
    type: { type: 'string', multiple: true },
    actor: { type: 'string' },
    near: { type: 'string' },
    km: { type: 'string' },
    text: { type: 'string' },
    article: { type: 'string' },
    'min-confidence': { type: 'string' },
    reports: { type: 'boolean' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
  },
  help: [
    '--db FILE            the store to read (or set KHABAR_DB); make one with "khabar ingest PATH... --db FILE"',
    '--format F           json (default), jsonl, csv (ACLED-style columns) or geojson (placed events only)',
    '--from DATE          events on or after DATE (YYYY-MM-DD)',
    '--to DATE            events on or before DATE (YYYY-MM-DD)',
    '--country C          ISO code (PK, PAK) or English name (Pakistan); repeat or comma-separate for several',
    '--type T             PLOVER type (ASSAULT), ACLED event or sub-event type ("Armed clash") or category (DIPLO);',
    '                     repeat or comma-separate for several',
    '--actor A            any part of either actor\'s name, id or words in the article, any case',
    '--near LAT,LON       events within --km N kilometres of this point (both flags together;',
    '                     write --near=-16.8,179.9 when LAT is negative)',
    '--km N               the radius for --near, in kilometres',
    '--text Q             events whose article matches a full-text query (as in "khabar search")',
    '--article ID         the events of one article',
    '--min-confidence X   events with confidence at least X (0..1)',
    '--reports            every article\'s report instead of merged events (one per real-world event, with',
    '                     reports and independent_sources); list one event\'s reports with "khabar reports"',
    `--sort S             ${EVENT_SORTS.join(', ')} (default date_desc)`,
    '--limit N            at most N events (default: all)',
    '--out FILE           write to FILE instead of standard output',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const COMMAND = 'events';

/** Flag names for the filter's fields, so validation errors name what the user typed. */
const FLAG_OF: Record<string, string> = {
  'near.lat': '--near',
  'near.lon': '--near',
  'near.km': '--km',
  article_id: '--article',
  min_confidence: '--min-confidence',
};

/** Splits repeated and comma-separated values: ["PK,AF", "SO"] → ["PK", "AF", "SO"]. */
function listFlag(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * An ISO alpha-2 code for a country given as alpha-2, alpha-3 or English name; UsageError when unknown.
 * @example resolveCountry('Pakistan') // 'PK'; resolveCountry('som') // 'SO'
 */
export function resolveCountry(input: string): string {
  const upper = input.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && countriesLib.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper)) {
    const a2 = countriesLib.alpha3ToAlpha2(upper);
    if (a2) return a2;
  }
  const byName = countriesLib.getAlpha2Code(input, 'en');
  if (byName) return byName;
  throw new UsageError(`khabar ${COMMAND}: --country "${input}" is not a country code or English country name (e.g. PK, PAK or Pakistan).`);
}

function parseNear(near: string | undefined, km: string | undefined): EventFilter['near'] {
  if (near === undefined && km === undefined) return undefined;
  if (near === undefined) throw new UsageError(`khabar ${COMMAND}: --km needs --near LAT,LON.`);
  if (km === undefined) throw new UsageError(`khabar ${COMMAND}: --near needs --km N (the radius in kilometres).`);
  const parts = near.split(',').map((p) => p.trim());
  const [lat, lon] = parts.map(Number);
  if (parts.length !== 2 || lat === undefined || lon === undefined || parts.some((p) => p === '') || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    throw new UsageError(`khabar ${COMMAND}: --near takes LAT,LON in decimal degrees (e.g. --near 34.01,71.58), got "${near}".`);
  }
  const radius = Number(km);
  if (!Number.isFinite(radius)) throw new UsageError(`khabar ${COMMAND}: --km takes a number of kilometres, got "${km}".`);
  return { lat, lon, km: radius };
}

function parseCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`khabar ${COMMAND}: ${flag} takes a whole number of at least 1, got "${value}".`);
  return n;
}

type Values = ReturnType<typeof parseCommand<typeof spec.options>>['values'];

/** The filter the flags describe, validated (UsageError naming the flag). */
export function filterFromFlags(values: Values): EventFilter {
  const filter: EventFilter = {};
  if (values.from !== undefined) filter.from = values.from;
  if (values.to !== undefined) filter.to = values.to;
  const countries = listFlag(values.country).map(resolveCountry);
  if (countries.length) filter.country = countries;
  const types = listFlag(values.type);
  if (types.length) filter.type = types;
  if (values.actor !== undefined) filter.actor = values.actor;
  const near = parseNear(values.near, values.km);
  if (near) filter.near = near;
  if (values.text !== undefined) filter.text = values.text;
  if (values.article !== undefined) filter.article_id = values.article;
  if (values['min-confidence'] !== undefined) {
    const x = Number(values['min-confidence']);
    if (!Number.isFinite(x)) throw new UsageError(`khabar ${COMMAND}: --min-confidence takes a number from 0 to 1, got "${values['min-confidence']}".`);
    filter.min_confidence = x;
  }
  if (values.sort !== undefined) {
    if (!(EVENT_SORTS as readonly string[]).includes(values.sort)) {
      throw new UsageError(`khabar ${COMMAND}: --sort takes ${EVENT_SORTS.join(', ')}, got "${values.sort}".`);
    }
    filter.sort = values.sort as EventSort;
  }
  if (values.reports) filter.raw_reports = true;
  const limit = parseCount(values.limit, '--limit');
  if (limit !== undefined) filter.limit = limit;
  try {
    // Validate now, page size aside (the total --limit may exceed one page).
    normalizeFilter({ ...filter, limit: undefined });
  } catch (err) {
    if (err instanceof KhabarError && err.code === 'E_VALIDATION') {
      const message = err.message.replace(/^invalid event filter: /, '').replace(/(^|; )([a-z_.]+): /g, (_m, sep: string, field: string) => `${sep}${FLAG_OF[field] ?? `--${field}`}: `);
      throw new UsageError(`khabar ${COMMAND}: ${message}`);
    }
    throw err;
  }
  return filter;
}

/**
 * Runs the command; `out` replaces standard output (tests pass a memory sink).
 * @example await run(['--db', 'khabar.db', '--format', 'json'])
 */
export async function run(argv: string[], out?: Sink): Promise<number> {
  const stdout = out ?? stdoutSink();
  try {
    const { values, positionals } = parseCommand(spec, argv);
    if (values.help) {
      await stdout.write(helpText(spec));
      return 0;
    }
    if (positionals.length) throw new UsageError(`khabar ${COMMAND}: unexpected argument "${positionals[0]}"; filters are flags (see --help).`);
    const db = storeTarget(values.db as string | undefined, COMMAND);
    const format = (values.format ?? 'json') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`khabar ${COMMAND}: --format takes ${EXPORT_FORMATS.join(', ')}, got "${values.format}".`);
    const filter = filterFromFlags(values);
    const store = await openStore(db, { mustExist: true });
    let file: Sink | null = null;
    try {
      if (values.out !== undefined) file = await fileSink(values.out);
      const counts = await writeEvents(eachEvent(store, filter), format, file ?? stdout);
      await file?.close();
      file = null;
      if (values.out !== undefined || counts.omitted > 0) {
        const left = counts.omitted ? ` (${counts.omitted} without coordinates left out)` : '';
        process.stderr.write(`${counts.written} events${left}${values.out !== undefined ? ` written to ${values.out}` : ''}\n`);
      }
    } finally {
      await file?.close();
      await store.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof OutputClosedError) return 0;
    return reportError(err);
  } finally {
    if (!out) await stdout.close();
  }
}
