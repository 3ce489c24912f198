/**
 * `khabar classify --input FILE.jsonl`: detect and type the events of each record's text (PLOVER and
 * ACLED) and print one JSON line per record: its id, the main event and every event mention.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { KhabarError } from '../errors.js';
import { loadActorBase } from '../actors/index.js';
import { classifyText, loadEventLexicon } from '../events/detect.js';
import { statsLine } from '../events/backends/backend.js';
import { classifyTextWithBackend } from '../events/backends/classify-text.js';
import { BACKEND_FLAG_HELP, BACKEND_FLAG_OPTIONS, backendFromFlags } from '../events/backends/from-flags.js';
import type { Knowledge } from '../pipeline.js';
import { helpText, parseCommand, requireFlag, type CommandSpec } from './args.js';

const spec = {
  name: 'classify',
  summary: 'detect and type the events in JSONL records (PLOVER and ACLED)',
  usage: 'khabar classify --input FILE.jsonl [--actors] [--kb DIR] [--triggers FILE] [--backend llm|onnx ...]',
  options: {
    input: { type: 'string' },
    actors: { type: 'boolean' },
    kb: { type: 'string', multiple: true },
    triggers: { type: 'string' },
    ...BACKEND_FLAG_OPTIONS,
  },
  help: [
    '--input FILE     JSON Lines, one record per line with "id" and "text" (- for stdin)',
    '--actors         resolve actors first (kind and ACLED inter tell civilian targets from armed ones)',
    '--kb DIR         an extra actor knowledge-base folder (with --actors; repeatable)',
    '--triggers FILE  a trigger lexicon to use instead of data/events/triggers.json',
    BACKEND_FLAG_HELP,
    '',
    'Prints one JSON line per record: {id, event_type, mode, acled_event_type, acled_sub_event_type,',
    'category, confidence, trigger: {start, end, text}, events: [...]}; fields are null when the text',
    'reports no event. Trigger offsets index the record\'s text. With --backend, each line also has',
    '"backend": {name, asked, reason, used}, and a summary of the backend\'s answers goes to stderr.',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const recordSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), text: z.string() });

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const input = requireFlag(values.input as string | undefined, '--input', 'classify');
  if (input !== '-' && !existsSync(input)) {
    throw new KhabarError('E_INPUT_NOT_FOUND', `khabar classify: ${input} does not exist; give a JSON Lines file with "id" and "text" on each line`, { file: input });
  }
  const lexicon = loadEventLexicon(values.triggers as string | undefined);
  const knowledge: Knowledge = { eventLexicon: lexicon };
  if (values.actors) knowledge.actors = loadActorBase({ extraDirs: (values.kb as string[] | undefined) ?? [] });
  const chosen = await backendFromFlags(values, lexicon, 'classify');
  // With a backend, records are classified concurrently (the backend bounds requests in flight) and
  // printed in input order.
  const pending: Promise<string>[] = [];
  const window = chosen ? 64 : 0;

  const stream = input === '-' ? process.stdin : createReadStream(input, 'utf8');
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  let done = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let record: { id: string; text: string };
    try {
      record = recordSchema.parse(JSON.parse(line));
    } catch (err) {
      bad++;
      const why = err instanceof z.ZodError ? 'each line needs a string "id" and a string "text"' : 'the line is not valid JSON';
      process.stderr.write(`skipped ${input}:${lineNo}: E_INGEST_JSON: ${why}\n`);
      continue;
    }
    if (chosen) {
      const id = record.id;
      pending.push(classifyTextWithBackend(record.text, lexicon, chosen.backend, { knowledge, policy: chosen.policy }).then((r) => `${JSON.stringify({ id, ...r })}\n`));
      if (pending.length >= window) process.stdout.write(await pending.shift()!);
      done++;
      continue;
    }
    const result = classifyText(record.text, lexicon, knowledge);
    process.stdout.write(`${JSON.stringify({ id: record.id, ...result })}\n`);
    done++;
  }
  for (const line of pending) process.stdout.write(await line);
  if (chosen) process.stderr.write(`${statsLine(chosen.backend.name, chosen.backend.stats)}\n`);
  return done === 0 && bad > 0 ? 1 : 0;
}
