/**
 * `khabar actors`: list, search and show entries of the actor knowledge base (the web app uses the
 * same functions through the API).
 *
 * @example khabar actors search "isis-k"   # iskp  Islamic State Khorasan Province  terrorist  AF  inter 2
 */
import { z } from 'zod';
import { UsageError, KhabarError } from '../errors.js';
import { getActor, loadActorBase, roleAt, searchActors, type Actor, type ActorBase } from '../actors/index.js';
import { ACTOR_KINDS } from '../actors/schema.js';
import { helpText, parseCommand, reportError, type CommandSpec } from './args.js';

const spec = {
  name: 'actors',
  summary: 'list, search and show actor knowledge-base entries',
  usage: 'khabar actors list [--kind K] [--country CC] | search QUERY | show ID  [--format table|json] [--kb DIR] [--date YYYY-MM-DD]',
  options: {
    kind: { type: 'string' },
    country: { type: 'string' },
    format: { type: 'string', default: 'table' },
    kb: { type: 'string', multiple: true },
    limit: { type: 'string' },
    date: { type: 'string' },
    generated: { type: 'boolean', default: false },
  },
  help: [
    '  list             every entry (named actors; add --generated for the per-country state entries)',
    '  search QUERY     entries whose id, name or an alias matches, best first',
    '  show ID          one entry in full, with its role at --date (default today)',
    '  --kind K         only this kind (state, military, rebel, terrorist, igo, media, ...)',
    '  --country CC     only this country (ISO 3166-1 alpha-2, e.g. PK)',
    '  --format F       table (default) or json',
    '  --kb DIR         also load the actor files in DIR (repeatable)',
    '  --limit N        at most N rows (search default 20)',
    '  --date D         the date roles are evaluated at (YYYY-MM-DD)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean }>>;

const FlagsSchema = z.object({
  kind: z.enum(ACTOR_KINDS).optional(),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as PK').optional(),
  format: z.enum(['table', 'json']),
  limit: z.coerce.number().int().positive().optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
});

function row(a: Actor, date: string): string {
  const at = roleAt(a, date);
  return [a.id.padEnd(34), a.name.slice(0, 48).padEnd(48), at.kind.padEnd(12), (at.country ?? '--').padEnd(3), at.inter === null ? '-' : String(at.inter)].join(' ');
}

function detail(base: ActorBase, a: Actor, date: string): Record<string, unknown> {
  const at = roleAt(a, date);
  return {
    id: a.id, name: a.name, aliases: a.aliases, kind: a.kind, country: a.country, parent: a.parent,
    affiliations: a.affiliations, roles: a.roles, inter: a.inter, designated: a.designated,
    at: { date, ...at }, file: a.file,
    children: base.actors.filter((c) => c.parent === a.id).map((c) => c.id),
  };
}

export async function run(argv: string[]): Promise<number> {
  try {
    const parsed = parseCommand(spec, argv);
    if (parsed.values.help) {
      process.stdout.write(helpText(spec));
      return 0;
    }
    const flags = FlagsSchema.safeParse(parsed.values);
    if (!flags.success) {
      const issue = flags.error.issues[0]!;
      throw new UsageError(`khabar actors: --${issue.path.join('.')}: ${issue.message}. Run "khabar actors --help".`);
    }
    const { kind, format, limit } = flags.data;
    const country = flags.data.country?.toUpperCase();
    const date = flags.data.date ?? new Date().toISOString().slice(0, 10);
    const [sub, ...rest] = parsed.positionals;
    const kb = parsed.values.kb;
    const base = loadActorBase({ extraDirs: Array.isArray(kb) ? kb.map(String) : [] });
    const out = (list: Actor[]): void => {
      if (format === 'json') process.stdout.write(`${JSON.stringify(list.map((a) => detail(base, a, date)), null, 2)}\n`);
      else process.stdout.write(list.length === 0 ? 'no entries\n' : `${list.map((a) => row(a, date)).join('\n')}\n`);
    };
    const filter = (a: Actor): boolean => (kind === undefined || roleAt(a, date).kind === kind) && (country === undefined || a.country === country);
    if (sub === 'list') {
      let list = base.actors.filter((a) => (parsed.values.generated || a.file !== 'generated' || country !== undefined) && filter(a));
      if (limit !== undefined) list = list.slice(0, limit);
      out(list);
      return 0;
    }
    if (sub === 'search') {
      const query = rest.join(' ');
      if (query.trim() === '') throw new UsageError('khabar actors search: give a QUERY, e.g. khabar actors search "isis-k"');
      out(searchActors(base, query, 1000).filter(filter).slice(0, limit ?? 20));
      return 0;
    }
    if (sub === 'show') {
      const id = rest[0];
      if (id === undefined) throw new UsageError('khabar actors show: give an ID, e.g. khabar actors show iskp');
      const a = getActor(base, id);
      if (a === null) {
        const near = searchActors(base, id, 3).map((x) => x.id);
        throw new KhabarError('E_NOT_FOUND', `no actor with id "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} Use "khabar actors search" to find ids.`);
      }
      const d = detail(base, a, date);
      if (format === 'json') process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
      else {
        for (const [k, v] of Object.entries(d)) {
          if (Array.isArray(v) && v.length === 0) continue;
          process.stdout.write(`${k.padEnd(13)} ${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
        }
      }
      return 0;
    }
    throw new UsageError(`khabar actors: unknown subcommand "${sub ?? ''}"; use list, search or show. Run "khabar actors --help".`);
  } catch (err) {
    return reportError(err);
  }
}
