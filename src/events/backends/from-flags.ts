/**
 * The command-line side of the optional backends: the flags any command can offer (`--backend`,
 * `--llm-url`, `--llm-model`, `--model-dir`...), validated, turned into a backend or null (rules only).
 */
import { UsageError } from '../../errors.js';
import type { EventLexicon } from '../typing/lexicon.js';
import type { TypingBackend } from './backend.js';
import { createLlmTyper } from './llm.js';
import { createOnnxTyper } from './onnx.js';
import type { BackendPolicy } from './policy.js';

/** parseArgs option specs for the backend flags, to spread into a command's `options`. */
export const BACKEND_FLAG_OPTIONS = {
  backend: { type: 'string' },
  'llm-url': { type: 'string' },
  'llm-model': { type: 'string' },
  'llm-timeout': { type: 'string' },
  'llm-concurrency': { type: 'string' },
  'model-dir': { type: 'string' },
  'backend-min-confidence': { type: 'string' },
  'backend-scope': { type: 'string' },
} as const;

/** --help lines for the backend flags. */
export const BACKEND_FLAG_HELP = [
  '--backend NAME   optional second opinion where the rules are unsure: llm or onnx (off by default;',
  '                 see docs/backends.md). Text is sent only to the --llm-url you give.',
  '--llm-url URL    an OpenAI-compatible server, e.g. http://127.0.0.1:8080 (or env KHABAR_LLM_URL)',
  '--llm-model M    the model name the server expects (or env KHABAR_LLM_MODEL); key: env KHABAR_LLM_API_KEY',
  '--llm-timeout MS per-request time-out (default 20000); --llm-concurrency N requests at once (default 4)',
  '--model-dir DIR  a local text-classification model exported to ONNX, with khabar-labels.json',
  '                 (needs "npm install @huggingface/transformers"; nothing is downloaded)',
  '--backend-min-confidence X  ask the backend when the rules\' confidence is below X (default 0.6)',
  '--backend-scope S  unsure (default) or all: every sentence with a candidate or a conflict cue',
].join('\n');

export type BackendFlagValues = Partial<Record<keyof typeof BACKEND_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

function str(v: BackendFlagValues[keyof BackendFlagValues]): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: string | undefined, flag: string, command: string, check: (n: number) => boolean, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`khabar ${command}: ${flag} takes ${what}, got "${v}".`);
  return n;
}

/**
 * The backend the flags ask for, or null when --backend is not given (the default: rules only).
 * Environment: KHABAR_LLM_URL, KHABAR_LLM_MODEL, KHABAR_LLM_API_KEY fill what the flags leave out,
 * but never turn a backend on by themselves.
 * @example await backendFromFlags({ backend: 'llm', 'llm-url': 'http://127.0.0.1:8080', 'llm-model': 'm' }, lexicon, 'classify')
 */
export async function backendFromFlags(
  values: BackendFlagValues,
  lexicon: EventLexicon,
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ backend: TypingBackend; policy: Partial<BackendPolicy> } | null> {
  const name = str(values.backend);
  const policy: Partial<BackendPolicy> = {};
  const minConf = num(str(values['backend-min-confidence']), '--backend-min-confidence', command, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  if (minConf !== undefined) policy.minConfidence = minConf;
  const scope = str(values['backend-scope']);
  if (scope !== undefined) {
    if (scope !== 'unsure' && scope !== 'all') throw new UsageError(`khabar ${command}: --backend-scope takes unsure or all, got "${scope}".`);
    policy.scope = scope;
  }
  if (name === undefined) {
    for (const flag of ['llm-url', 'llm-model', 'model-dir'] as const) {
      if (str(values[flag]) !== undefined) throw new UsageError(`khabar ${command}: --${flag} needs --backend ${flag === 'model-dir' ? 'onnx' : 'llm'}.`);
    }
    return null;
  }
  if (name === 'llm') {
    const url = str(values['llm-url']) ?? env.KHABAR_LLM_URL;
    const model = str(values['llm-model']) ?? env.KHABAR_LLM_MODEL;
    if (!url) throw new UsageError(`khabar ${command}: --backend llm needs --llm-url URL (or KHABAR_LLM_URL), the OpenAI-compatible server to ask.`);
    if (!model) throw new UsageError(`khabar ${command}: --backend llm needs --llm-model NAME (or KHABAR_LLM_MODEL).`);
    const timeoutMs = num(str(values['llm-timeout']), '--llm-timeout', command, (n) => Number.isInteger(n) && n > 0, 'a whole number of milliseconds');
    const maxConcurrency = num(str(values['llm-concurrency']), '--llm-concurrency', command, (n) => Number.isInteger(n) && n >= 1 && n <= 256, 'a whole number from 1 to 256');
    const backend = createLlmTyper({
      url, model,
      ...(env.KHABAR_LLM_API_KEY ? { apiKey: env.KHABAR_LLM_API_KEY } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    }, lexicon);
    return { backend, policy };
  }
  if (name === 'onnx') {
    const modelDir = str(values['model-dir']);
    if (!modelDir) throw new UsageError(`khabar ${command}: --backend onnx needs --model-dir DIR, a local folder with the ONNX model and khabar-labels.json.`);
    return { backend: await createOnnxTyper({ modelDir }, lexicon), policy };
  }
  throw new UsageError(`khabar ${command}: --backend takes llm or onnx, got "${name}".`);
}
