/**
 * `khabar geoparse --input FILE.jsonl [--given-spans]`: find and resolve the place names of each
 * record's text and print one JSON line per record; with --given-spans, resolve the spans the
 * record lists in "toponyms" instead (to measure resolution alone).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { KhabarError, UsageError } from '../errors.js';
import { geoparseText, loadGazetteer } from '../geo/index.js';
import { helpText, parseCommand, requireFlag, type CommandSpec } from './args.js';

const spec = {
  name: 'geoparse',
  summary: 'find and resolve place names in JSONL records',
  usage: 'khabar geoparse --input FILE.jsonl [--given-spans] [--offsets utf16|codepoint] [--places FILE]... [--skip-demonyms] [--name-spans] [--embedded-names] [--site-names]',
  options: {
    input: { type: 'string' },
    'given-spans': { type: 'boolean' },
    offsets: { type: 'string' },
    places: { type: 'string', multiple: true },
    'skip-demonyms': { type: 'boolean' },
    'name-spans': { type: 'boolean' },
    'embedded-names': { type: 'boolean' },
    'site-names': { type: 'boolean' },
  },
  help: [
    '--input FILE       JSON Lines, one record per line with "text" (and "id"); - for stdin',
    '--given-spans      resolve the spans in each record\'s "toponyms" ([{start, end}, ...]) instead of',
    '                   detecting; one result per span, in order, null coordinates when no place fits',
    '--offsets KIND     how start/end count: utf16 (JavaScript, default) or codepoint (Python)',
    '--places FILE      extra places, JSON or CSV (name,lat,lon[,country,admin1,fcode,population,names]);',
    '                   repeatable',
    '--skip-demonyms    leave nationality words ("Afghan") out of detected toponyms',
    '--name-spans       a place inside a facility name keeps its own span ("Colorado", not "Colorado',
    '                   State University", which is the default, as GeoWebNews marks it)',
    '--embedded-names   also detect countries, units and cities inside other names ("Malaysia Airlines")',
    '--site-names       also output street and building names ("Royal Street"), at the nearest named town',
    '',
    'Prints one JSON line per record: {id, toponyms: [{start, end, text, name, geonames_id, feature_code,',
    'country_code, admin1, admin2, lat, lon, geo_precision, score, demonym?, metonymy?}]}.',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const recordSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  text: z.string(),
  toponyms: z.array(z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).passthrough()).optional(),
});

/** Maps code-point offsets to UTF-16 offsets and back, for texts outside the BMP. */
function offsetMaps(text: string): { toUtf16: (cp: number) => number; toCp: (u: number) => number } {
  const cpToU: number[] = [];
  const uToCp = new Map<number, number>();
  let u = 0;
  let cp = 0;
  for (const ch of text) {
    cpToU.push(u);
    uToCp.set(u, cp);
    u += ch.length;
    cp++;
  }
  cpToU.push(u);
  uToCp.set(u, cp);
  return { toUtf16: (c) => cpToU[c] ?? u, toCp: (x) => uToCp.get(x) ?? cp };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const input = requireFlag(values.input as string | undefined, '--input', 'geoparse');
  const offsets = (values.offsets as string | undefined) ?? 'utf16';
  if (offsets !== 'utf16' && offsets !== 'codepoint') throw new UsageError('khabar geoparse: --offsets takes utf16 or codepoint');
  if (input !== '-' && !existsSync(input)) {
    throw new KhabarError('E_INPUT_NOT_FOUND', `khabar geoparse: ${input} does not exist; give a JSON Lines file with "text" on each line`, { file: input });
  }
  const gazetteer = loadGazetteer({ extraPlacesFiles: (values.places as string[] | undefined) ?? [] });
  const given = values['given-spans'] === true;
  const lines = createInterface({ input: input === '-' ? process.stdin : createReadStream(input, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  let done = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let record: z.infer<typeof recordSchema>;
    try {
      record = recordSchema.parse(JSON.parse(line));
    } catch (err) {
      bad++;
      const why = err instanceof z.ZodError ? 'each line needs a string "text" (and toponyms [{start, end}] with --given-spans)' : 'the line is not valid JSON';
      process.stderr.write(`skipped ${input}:${lineNo}: E_INGEST_JSON: ${why}\n`);
      continue;
    }
    const maps = offsets === 'codepoint' ? offsetMaps(record.text) : null;
    let spans: { start: number; end: number }[] | undefined;
    if (given) {
      spans = (record.toponyms ?? []).map((t) => (maps ? { start: maps.toUtf16(t.start), end: maps.toUtf16(t.end) } : { start: t.start, end: t.end }));
    }
    const found = geoparseText(
      gazetteer,
      record.text,
      spans
        ? { givenSpans: spans }
        : { demonyms: values['skip-demonyms'] !== true, facilitySpans: values['name-spans'] !== true, embeddedNames: values['embedded-names'] === true, siteNames: values['site-names'] === true },
    );
    const toponyms = maps ? found.map((p) => ({ ...p, start: maps.toCp(p.start), end: maps.toCp(p.end) })) : found;
    process.stdout.write(`${JSON.stringify({ id: record.id ?? String(lineNo), toponyms })}\n`);
    done++;
  }
  return done === 0 && bad > 0 ? 1 : 0;
}
