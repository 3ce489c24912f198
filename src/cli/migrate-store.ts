/**
 * `khabar migrate-store --from sqlite:khabar.db --to postgres://...` (or back): copy articles with
 * their entities and events, and the quarantine, without running the pipeline again. The target
 * links the events as it stores them (as any write does); re-running skips what is already there.
 */
import { openStore } from '../store/index.js';
import type { StoredArticleInput } from '../store/store.js';
import { helpText, numberFlag, parseCommand, requireFlag, type CommandSpec } from './args.js';

const spec = {
  name: 'migrate-store',
  summary: 'copy everything from one store to another (sqlite to postgres)',
  usage: 'khabar migrate-store --from STORE --to STORE [--batch N] [--json]',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    batch: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: [
    '--from STORE   the store to read: a file, sqlite:FILE or postgres://... (left unchanged)',
    '--to STORE     the store to write (created when missing); articles already there are skipped',
    '--batch N      articles per transaction (default 200)',
    '--json         print the summary as JSON',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>>;

export interface MigrateSummary {
  articles: number;
  inserted: number;
  duplicates: number;
  events: number;
  quarantined: number;
  ms: number;
}

/**
 * Copies one store into another.
 * @example await migrateStore('sqlite:khabar.db', 'postgres://postgres@127.0.0.1/khabar') // { articles: 1200, inserted: 1200, ... }
 */
export async function migrateStore(from: string, to: string, batchSize = 200): Promise<MigrateSummary> {
  const t0 = performance.now();
  const source = await openStore(from, { mustExist: true });
  try {
    const target = await openStore(to);
    try {
      const s: MigrateSummary = { articles: 0, inserted: 0, duplicates: 0, events: 0, quarantined: 0, ms: 0 };
      let batch: StoredArticleInput[] = [];
      const flush = async (): Promise<void> => {
        if (!batch.length) return;
        const w = await target.writeBatch({ articles: batch, quarantine: [] });
        s.inserted += w.inserted;
        s.duplicates += w.duplicates;
        s.events += w.events;
        batch = [];
      };
      for await (const a of source.iterateArticles({ batchSize })) {
        s.articles++;
        batch.push({ article: a.article, result: a.result, ...(a.extracted === false ? { extracted: false } : {}) });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      for (let offset = 0; ; offset += 10_000) {
        const items = await source.listQuarantine({ limit: 10_000, offset });
        if (!items.length) break;
        const w = await target.writeBatch({
          articles: [],
          quarantine: items.map((q) => ({ file: q.file, line: q.line, code: q.code, reason: q.reason, excerpt: q.excerpt, article_id: q.article_id })),
        });
        s.quarantined += w.quarantined;
      }
      s.ms = Math.round(performance.now() - t0);
      return s;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const from = requireFlag(values.from as string | undefined, '--from STORE', 'migrate-store');
  const to = requireFlag(values.to as string | undefined, '--to STORE', 'migrate-store');
  const batch = numberFlag(values.batch as string | undefined, '--batch', 'migrate-store') ?? 200;
  const s = await migrateStore(from, to, batch);
  process.stdout.write(
    values.json
      ? `${JSON.stringify(s)}\n`
      : `articles ${s.articles} (new ${s.inserted}, already there ${s.duplicates}), events ${s.events}, quarantine items ${s.quarantined}, time ${(s.ms / 1000).toFixed(2)}s\n`,
  );
  return 0;
}
