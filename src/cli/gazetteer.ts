/**
 * `khabar gazetteer build|import|lookup`: rebuild the compiled gazetteer, extend it with a GeoNames
 * dump the user downloaded (allCountries.txt, cities1000.txt, XX.txt), or look a name up.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KhabarError, UsageError } from '../errors.js';
import { importsDir } from '../geo/build.js';
import { readDump } from '../geo/geonames-dump.js';
import { loadGazetteer } from '../geo/load.js';
import { helpText, parseCommand, type CommandSpec } from './args.js';

const spec = {
  name: 'gazetteer',
  summary: 'build the gazetteer, or import a GeoNames dump to extend it',
  usage: 'khabar gazetteer build | import FILE [--min-alt-population N] | lookup NAME',
  options: {
    'min-alt-population': { type: 'string' },
  },
  help: [
    'build          rebuild data/cache/gazetteer.bin from the installed packages, data/geo and imports',
    'import FILE    read a GeoNames dump in its tab-separated format (allCountries.txt, a country file',
    '               such as AF.txt, cities1000.txt) and add its admin units, places, water, terrain and',
    '               areas to the gazetteer; importing the same file name again replaces it',
    '  --min-alt-population N   keep alternate names of places at least this populous (default 1000;',
    '               admin units always keep theirs)',
    'lookup NAME    print the places a name may mean, most populous first',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const [sub, arg] = positionals;
  if (sub === 'build') {
    const t0 = performance.now();
    const g = loadGazetteer({ rebuild: true });
    process.stdout.write(`built the gazetteer: ${g.size} places, ${g.data.keys.length} names, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
  }
  if (sub === 'import') {
    if (!arg) throw new UsageError('khabar gazetteer import: give the dump file, e.g. "khabar gazetteer import allCountries.txt"');
    if (!existsSync(arg)) throw new KhabarError('E_INPUT_NOT_FOUND', `khabar gazetteer import: ${arg} does not exist; download a dump from https://download.geonames.org/export/dump/ and unzip it`, { file: arg });
    const min = Number((values['min-alt-population'] as string | undefined) ?? 1000);
    if (!Number.isFinite(min) || min < 0) throw new UsageError('khabar gazetteer import: --min-alt-population takes a number >= 0');
    const places = await readDump(arg, { altNamesMinPopulation: min });
    const dir = importsDir();
    mkdirSync(dir, { recursive: true });
    const out = join(dir, `${basename(arg).replace(/[^\w.-]+/g, '_')}.json`);
    writeFileSync(`${out}.tmp`, JSON.stringify(places));
    renameSync(`${out}.tmp`, out);
    const g = loadGazetteer({ rebuild: true });
    process.stdout.write(`imported ${places.length} places from ${arg}; the gazetteer now holds ${g.size} places\n`);
    return 0;
  }
  if (sub === 'lookup') {
    if (!arg) throw new UsageError('khabar gazetteer lookup: give a name, e.g. "khabar gazetteer lookup Jalalabad"');
    const g = loadGazetteer();
    const found = g.find(arg).sort((a, b) => g.population(b) - g.population(a));
    for (const p of found) process.stdout.write(`${JSON.stringify(g.record(p))}\n`);
    return found.length ? 0 : 1;
  }
  throw new UsageError(`khabar gazetteer: unknown subcommand "${sub ?? ''}"; use build, import FILE or lookup NAME`);
}
