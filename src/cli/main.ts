/**
 * The `khabar` command: dispatches to one module per command (src/cli/<command>.ts), each exporting
 * `run(argv): Promise<number>` that returns the exit code.
 */
import { reportError } from './args.js';

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

/** Every command, with its one-line summary; its module (./<name>.js) is loaded only when it runs. */
const COMMANDS: Record<string, { summary: string }> = {
  demo: { summary: 'ingest the bundled sample articles into ./khabar.db, print what was found, start the app' },
  ingest: { summary: 'read articles (files, folders, globs, JSONL, HTML, stdin) into a store' },
  extract: { summary: 'run the pipeline on articles and print the results as JSON, storing nothing' },
  events: { summary: 'list stored events with filters, as json, jsonl, csv or geojson' },
  search: { summary: 'full-text search over stored articles, ranked, with snippets' },
  stats: { summary: 'counts of what a store holds' },
  quarantine: { summary: 'list input that could not be ingested, with the reason' },
  geoparse: { summary: 'find and resolve place names in JSONL records' },
  gazetteer: { summary: 'build the gazetteer, or import a GeoNames dump to extend it' },
  actors: { summary: 'list, search and show actor knowledge-base entries' },
  classify: { summary: 'detect and type the events in JSONL records (PLOVER and ACLED)' },
  relink: { summary: 'extract stored articles again with the current knowledge, then relink their events' },
  reports: { summary: 'list the reports (articles and evidence) of one event' },
  serve: { summary: 'start the HTTP API and the web app' },
  sources: { summary: 'add, list and remove the feeds and pages to watch' },
  watch: { summary: 'poll the watched sources on their schedules and ingest what is new' },
  alerts: { summary: 'saved watch rules: add, list, remove, and see what matched' },
  worker: { summary: 'process queued articles from a PostgreSQL store' },
  status: { summary: 'queue depth, throughput, failures and workers of a PostgreSQL store' },
  'migrate-store': { summary: 'copy everything from one store to another (sqlite to postgres)' },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `khabar — news into conflict-event data\n\nUsage: khabar <command> [flags]\n\nCommands:\n${lines.join('\n')}\n\nRun "khabar <command> --help" for a command's flags.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write('0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`error E_USAGE: unknown command "${name}". Run "khabar --help" for the list.\n`);
    return 2;
  }
  try {
    const mod = (await import(new URL(`./${name}.js`, import.meta.url).href)) as CommandModule;
    return await mod.run(rest);
  } catch (err) {
    return reportError(err);
  }
}
