/**
 * `khabar extract FILE|-`: run the pipeline on articles and print their results (the output schema)
 * as JSON, storing nothing.
 */
import { createPipeline, extractArticle, loadKnowledge } from '../extract.js';
import { readInputs } from '../ingest/index.js';
import { quarantineForFailure } from '../ingest/process.js';
import type { ArticleResult, QuarantineItem } from '../types.js';
import { checkDate, helpText, parseCommand, type CommandSpec } from './args.js';


const spec = {
  name: 'extract',
  summary: 'run the pipeline on articles and print the results as JSON, storing nothing',
  usage: 'khabar extract PATH... [--format json|jsonl] [--kb DIR]',
  options: {
    format: { type: 'string' },
    kb: { type: 'string', multiple: true },
    date: { type: 'string' },
  },
  help: [
    'PATH             a file, folder, glob or - for stdin, in any format "khabar ingest" reads',
    '--format F       json (default: a pretty-printed array of article results) or jsonl (one per line)',
    '--kb DIR         an extra actor knowledge-base folder (repeatable)',
    '--date D         the date (YYYY-MM-DD) of inputs that carry none (HTML pages without a date)',
    '',
    'Input that cannot be read is reported on stderr with its reason; the rest is extracted.',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

function reportQuarantine(item: QuarantineItem): void {
  const where = item.line !== null ? `${item.file}:${item.line}` : item.file;
  process.stderr.write(`skipped ${where}: ${item.code}: ${item.reason}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'jsonl') {
    process.stderr.write(`error E_USAGE: khabar extract: --format takes json or jsonl, got "${format}".\n`);
    return 2;
  }
  if (positionals.length === 0) {
    process.stderr.write('error E_USAGE: khabar extract: give a FILE, folder, glob or - for stdin.\n');
    return 2;
  }
  const defaultDate = checkDate(values.date as string | undefined, 'extract');
  const pipeline = createPipeline(await loadKnowledge({ kbDirs: (values.kb as string[] | undefined) ?? [] }));
  const results: ArticleResult[] = [];
  let read = 0;
  for await (const item of readInputs(positionals, { stdin: process.stdin, ...(defaultDate ? { defaultDate } : {}) })) {
    if (item.kind === 'quarantine') {
      reportQuarantine(item.item);
      continue;
    }
    read++;
    let result: ArticleResult;
    try {
      result = extractArticle(pipeline, item.article);
    } catch (err) {
      reportQuarantine(quarantineForFailure(item.article, err));
      continue;
    }
    if (format === 'jsonl') process.stdout.write(`${JSON.stringify(result)}\n`);
    else results.push(result);
  }
  if (format === 'json') process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return read === 0 ? 1 : 0;
}
