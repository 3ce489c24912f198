/**
 * `khabar alerts add|list|remove|hits|check`: saved watch rules (event filters) that `khabar watch`
 * checks as new events arrive, and the events they matched.
 */
import { alertMessage, checkAlerts, jsonLinesSink, webhookSink } from '../alerts/index.js';
import { KhabarError, UsageError } from '../errors.js';
import { openStore } from '../store/index.js';
import type { EventFilter } from '../store/filter.js';
import type { AlertHit, AlertRule, Store } from '../store/store.js';
import { helpText, numberFlag, parseCommand, requireFlag, storeTarget, type CommandSpec } from './args.js';

const COMMAND = 'alerts';
const spec = {
  name: COMMAND,
  summary: 'saved watch rules: add, list, remove, and see what matched',
  usage: [
    'khabar alerts add --name NAME [--actor A] [--near LAT,LON --km N] [--type T]... [--country CC]... [--webhook URL] --db FILE',
    '       khabar alerts list|hits [--rule NAME] [--limit N] [--json] --db FILE',
    '       khabar alerts remove NAME --db FILE',
    '       khabar alerts check --db FILE',
  ].join('\n'),
  options: {
    db: { type: 'string' },
    name: { type: 'string' },
    actor: { type: 'string' },
    near: { type: 'string' },
    km: { type: 'string' },
    type: { type: 'string', multiple: true },
    country: { type: 'string', multiple: true },
    admin1: { type: 'string' },
    text: { type: 'string' },
    'min-confidence': { type: 'string' },
    'min-sources': { type: 'string' },
    webhook: { type: 'string' },
    rule: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: [
    '--name NAME        the rule\'s unique name, e.g. "ISKP in Nangarhar"',
    '--actor A          either actor\'s name or id contains A (any case)',
    '--near LAT,LON     with --km N: events within N km of the point (default 50 km)',
    '--type T           PLOVER type, ACLED event or sub-event type (repeatable: any of)',
    '--country CC       ISO country code of the event (repeatable: any of)',
    '--admin1 NAME      first-level region of the event',
    '--text QUERY       full-text query over the event\'s article',
    '--min-confidence X, --min-sources N',
    '--webhook URL      POST each hit there as JSON (retried with back-off on failure)',
    'hits: --rule NAME  one rule\'s hits; --limit N (default 50), newest first',
    'check              match every stored event against the rules now (after "khabar ingest"); new hits print as JSON lines',
    '--db FILE          the store (or set KHABAR_DB)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

/** The rule's EventFilter from the flags (validated later by the store). */
function ruleFilterFromFlags(values: Record<string, string | boolean | string[] | undefined>): EventFilter {
  const f: EventFilter = {};
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const list = (k: string): string[] | undefined => (Array.isArray(values[k]) && (values[k] as string[]).length > 0 ? (values[k] as string[]) : undefined);
  if (str('actor')) f.actor = str('actor')!;
  const types = list('type');
  if (types) f.type = types.length === 1 ? types[0]! : types;
  const countries = list('country');
  if (countries) f.country = countries.length === 1 ? countries[0]! : countries;
  if (str('admin1')) f.admin1 = str('admin1')!;
  if (str('text')) f.text = str('text')!;
  const near = str('near');
  if (near !== undefined) {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(near);
    if (!m) throw new UsageError(`khabar ${COMMAND}: --near takes LAT,LON (e.g. 34.43,70.45), got "${near}".`);
    f.near = { lat: Number(m[1]), lon: Number(m[2]), km: numberFlag(str('km'), '--km', COMMAND) ?? 50 };
  } else if (str('km') !== undefined) throw new UsageError(`khabar ${COMMAND}: --km goes with --near LAT,LON.`);
  const minConf = numberFlag(str('min-confidence'), '--min-confidence', COMMAND);
  if (minConf !== undefined) f.min_confidence = minConf;
  const minSources = numberFlag(str('min-sources'), '--min-sources', COMMAND);
  if (minSources !== undefined) f.min_sources = minSources;
  if (Object.keys(f).length === 0) throw new UsageError(`khabar ${COMMAND} add: give at least one condition (--actor, --near, --type, --country, --admin1, --text).`);
  return f;
}

function checkWebhook(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
  throw new UsageError(`khabar ${COMMAND}: --webhook takes an http(s) URL, got "${url}".`);
}

function ruleLine(r: AlertRule): string {
  return `${r.name}  ${JSON.stringify(r.filter)}${r.webhook ? `  → ${r.webhook}` : ''}\n`;
}

function hitLine(h: AlertHit): string {
  const e = h.event;
  const actors = [e.actor1?.name, e.actor2?.name].filter(Boolean).join(' vs ');
  const place = e.location ? `${e.location.name}${e.location.country_code ? `, ${e.location.country_code}` : ''}` : 'unplaced';
  return `${h.at}  [${h.rule_name}]  ${e.date ?? 'undated'}  ${e.event_type}  ${actors || 'unknown actors'}  ${place}  ${h.event_id}\n`;
}

/** Every stored event's article, for `alerts check` (a rule added after ingest catches up this way). */
async function allArticleIds(store: Store): Promise<string[]> {
  const ids: string[] = [];
  for await (const a of store.iterateArticles()) if (a.result.events.length > 0) ids.push(a.article.id);
  return ids;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const [action, ...args] = positionals;
  if (!action) throw new UsageError(`khabar ${COMMAND}: give an action: add, list, remove, hits or check (see --help).`);
  const db = storeTarget(values.db as string | undefined, COMMAND);
  const json = Boolean(values.json);
  const store = await openStore(db);
  try {
    switch (action) {
      case 'add': {
        const name = requireFlag(values.name, '--name NAME', `${COMMAND} add`);
        const rule = await store.addAlertRule({ name, filter: ruleFilterFromFlags(values), webhook: checkWebhook(values.webhook) });
        process.stdout.write(json ? `${JSON.stringify(rule)}\n` : `added rule ${ruleLine(rule)}`);
        return 0;
      }
      case 'list': {
        const rules = await store.listAlertRules();
        if (rules.length === 0 && !json) process.stdout.write(`no watch rules yet: add one with "khabar alerts add --name NAME --country CC --db ${db}"\n`);
        for (const r of rules) process.stdout.write(json ? `${JSON.stringify(r)}\n` : ruleLine(r));
        return 0;
      }
      case 'remove': {
        if (args.length !== 1) throw new UsageError(`khabar ${COMMAND} remove: give the rule's name.`);
        if (!(await store.removeAlertRule(args[0]!))) throw new KhabarError('E_NOT_FOUND', `no watch rule named "${args[0]}"; see them with "khabar alerts list --db ${db}".`);
        process.stdout.write(`removed rule ${args[0]}\n`);
        return 0;
      }
      case 'hits': {
        const limit = numberFlag(values.limit, '--limit', COMMAND) ?? 50;
        const hits = await store.listAlertHits({ ...(values.rule ? { rule: values.rule } : {}), limit });
        for (const h of hits) process.stdout.write(json ? `${JSON.stringify(alertMessage(h))}\n` : hitLine(h));
        return 0;
      }
      case 'check': {
        const rules = await store.listAlertRules();
        if (rules.length === 0) {
          process.stderr.write('no watch rules: nothing to check\n');
          return 0;
        }
        const ids = await allArticleIds(store);
        const { hits, deliveries } = await checkAlerts(store, ids, [jsonLinesSink((l) => process.stdout.write(l)), webhookSink()]);
        for (const d of deliveries) if (!d.ok) process.stderr.write(`webhook for hit ${d.hit_id} failed after ${d.attempts} attempt(s): ${d.error}\n`);
        process.stderr.write(`${hits.length} new hit(s) over ${ids.length} article(s) with events\n`);
        return 0;
      }
      default:
        throw new UsageError(`khabar ${COMMAND}: unknown action "${action}"; use add, list, remove, hits or check.`);
    }
  } finally {
    await store.close();
  }
}
