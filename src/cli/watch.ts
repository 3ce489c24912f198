/**
 * `khabar watch --db FILE [--once]`: polls every followed source on its schedule, ingests what is new,
 * checks the watch rules against the new events, and prints each alert as a JSON line on stdout
 * (poll lines go to stderr). Ctrl-C stops after the polls in flight.
 */
import { checkAlerts, jsonLinesSink, webhookSink } from '../alerts/index.js';
import { errorMessage } from '../errors.js';
import { createPipeline, loadKnowledge } from '../extract.js';
import { inProcessExtractor } from '../ingest/process.js';
import { HostLimiter, Watcher, type PollOutcome } from '../sources/index.js';
import { openStore } from '../store/index.js';
import { helpText, numberFlag, parseCommand, storeTarget, type CommandSpec } from './args.js';

const COMMAND = 'watch';
const spec = {
  name: COMMAND,
  summary: 'poll the watched sources on their schedules and ingest what is new',
  usage: 'khabar watch --db FILE [--once] [--kb DIR] [--max-bytes N] [--timeout S] [--host-interval S] [--concurrency N] [--json] [--quiet]',
  options: {
    db: { type: 'string' },
    once: { type: 'boolean' },
    kb: { type: 'string', multiple: true },
    'max-bytes': { type: 'string' },
    timeout: { type: 'string' },
    'host-interval': { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  },
  help: [
    '--db FILE           the store holding the sources (khabar sources add ...) and the articles (or KHABAR_DB)',
    '--once              poll the sources that are due now, then exit',
    '--kb DIR            an extra actor knowledge-base folder (repeatable)',
    '--max-bytes N       largest feed or page accepted (default 5000000)',
    '--timeout S         seconds per request (default 20)',
    '--host-interval S   at least S seconds between requests to one host (default 1)',
    '--concurrency N     sources polled at once (default 4)',
    '--json              poll records as JSON lines on stderr',
    '--quiet             no poll lines',
    'Alerts (watch rules, see "khabar alerts") print as JSON lines on stdout and go to their webhooks.',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>;

function pollLine(o: PollOutcome): string {
  const p = o.poll;
  const head = `${p.started_at} ${o.source.name}: ${p.status}`;
  if (p.status === 'failed') return `${head} (${p.error_code}: ${p.error}); next try ${o.source.next_poll_at}\n`;
  const items = p.item_errors.map((e) => `\n  item ${e.item}: ${e.code}: ${e.message}`).join('');
  return `${head}, items ${p.items}, new ${p.new}, duplicate ${p.duplicates}, failed ${p.failed}${items}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const db = storeTarget(values.db as string | undefined, COMMAND);
  const maxBytes = numberFlag(values['max-bytes'], '--max-bytes', COMMAND);
  const timeoutS = numberFlag(values.timeout, '--timeout', COMMAND);
  const hostS = numberFlag(values['host-interval'], '--host-interval', COMMAND) ?? 1;
  const concurrency = Math.max(1, Math.trunc(numberFlag(values.concurrency, '--concurrency', COMMAND) ?? 4));
  const quiet = Boolean(values.quiet);
  const json = Boolean(values.json);

  const extractor = inProcessExtractor(createPipeline(await loadKnowledge({ kbDirs: values.kb ?? [] })));
  const store = await openStore(db);
  const sinks = [jsonLinesSink((line) => process.stdout.write(line)), webhookSink()];
  const watcher = new Watcher({
    store,
    extractor,
    limiter: new HostLimiter(hostS * 1000),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(timeoutS !== undefined ? { timeoutMs: timeoutS * 1000 } : {}),
    onArticles: async (ids) => {
      const { deliveries } = await checkAlerts(store, ids, sinks);
      for (const d of deliveries) if (!d.ok) process.stderr.write(`alert ${d.hit_id}: ${d.sink} failed after ${d.attempts} attempt(s): ${d.error}\n`);
    },
  });
  const report = (outcomes: PollOutcome[]): void => {
    if (quiet) return;
    for (const o of outcomes) process.stderr.write(json ? `${JSON.stringify({ source: o.source.name, ...o.poll })}\n` : pollLine(o));
  };

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failedPolls = 0;
  try {
    if ((await store.listSources()).length === 0) {
      process.stderr.write(`no sources to watch: add one with "khabar sources add URL --name NAME --db ${db}"\n`);
      return 1;
    }
    do {
      const outcomes = await watcher.pollDue(concurrency);
      failedPolls += outcomes.filter((o) => o.poll.status === 'failed').length;
      report(outcomes);
      if (values.once || stop.signal.aborted) break;
      // Re-read the sources each round: "khabar sources add" from another shell takes effect.
      const wait = Math.min((await watcher.msUntilNext()) ?? 60_000, 60_000);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(wait, 250));
        stop.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    } while (!stop.signal.aborted);
  } catch (err) {
    process.stderr.write(`watch stopped: ${errorMessage(err)}\n`);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
  // --once: non-zero when a poll failed, so a cron job notices; the failures are in "khabar sources polls".
  return values.once && failedPolls > 0 ? 1 : 0;
}
