/**
 * Optional typing backend: an OpenAI-compatible chat endpoint the user runs or names (llama.cpp server,
 * vLLM, Ollama...). Asks `/v1/chat/completions` for a JSON answer in our closed label set, validates it
 * with zod, and gives null (the caller keeps the rules' result) on any error, time-out or invalid answer.
 */
import { z } from 'zod';
import { KhabarError } from '../../errors.js';
import type { EventLexicon } from '../typing/lexicon.js';
import { createLimiter, createStats, defaultDebugLog, recordFallback, type DebugLog, type TypingBackend, type TypingRequest } from './backend.js';
import { checkAnswer, labelSetFromLexicon, type LabelSet, type TypingAnswer } from './labels.js';

export interface LlmTyperOptions {
  /** The server's base URL (`http://127.0.0.1:8080`, `.../v1`) or the full `.../chat/completions` URL. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer KEY` when given. */
  apiKey?: string;
  /** Per request, including reading the answer. Default 20000. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  maxConcurrency?: number;
  /** The confidence given to an LLM answer (it reports none we could trust). Default 0.7. */
  confidence?: number;
  /**
   * How the answer is constrained: `json_schema` (OpenAI structured output: llama.cpp, vLLM, recent
   * Ollama), `json_object` (JSON mode only), or `none` (prompt only). Default `json_schema`.
   */
  responseFormat?: 'json_schema' | 'json_object' | 'none';
  /** Where debug lines go (one per fallback). Default: stderr when KHABAR_DEBUG is set. */
  log?: DebugLog;
}

const optionsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'the LLM URL must be an http:// or https:// URL, e.g. http://127.0.0.1:8080' }),
  model: z.string().trim().min(1, 'name the model the server should use (--llm-model)'),
  apiKey: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().max(600_000).default(20_000),
  maxConcurrency: z.number().int().min(1).max(256).default(4),
  confidence: z.number().min(0).max(1).default(0.7),
  responseFormat: z.enum(['json_schema', 'json_object', 'none']).default('json_schema'),
});

/** `http://h:8080` → `http://h:8080/v1/chat/completions`; a `/v1` base or a full URL is kept. */
export function chatCompletionsUrl(base: string): string {
  const url = base.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(url)) return url;
  if (/\/v1$/.test(url)) return `${url}/chat/completions`;
  return `${url}/v1/chat/completions`;
}

/** The JSON schema of the answer, with our labels as enums (sent as `response_format`). */
export function answerJsonSchema(labels: LabelSet): Record<string, unknown> {
  const modes = [...new Set([...labels.modes.values()].flat())].sort();
  const nullableEnum = (values: readonly string[]): Record<string, unknown> => ({ type: ['string', 'null'], enum: [...values, null] });
  return {
    type: 'object',
    additionalProperties: false,
    required: ['is_event', 'event_type', 'mode', 'acled_event_type', 'acled_sub_event_type', 'category', 'modality', 'trigger'],
    properties: {
      is_event: { type: 'boolean' },
      event_type: nullableEnum(labels.ploverTypes),
      mode: nullableEnum(modes),
      acled_event_type: nullableEnum(labels.acledEventTypes),
      acled_sub_event_type: nullableEnum([...labels.acledParent.keys()]),
      category: nullableEnum(labels.categories),
      modality: { type: 'string', enum: [...labels.modalities] },
      trigger: { type: ['string', 'null'] },
    },
  };
}

/**
 * The system prompt: the task, the closed label set (modes per type, sub-event types per ACLED type),
 * and the coding conventions the rules follow (modality, categories), so both code alike.
 */
export function systemPrompt(labels: LabelSet): string {
  const modes = labels.ploverTypes.map((t) => `  ${t}: ${(labels.modes.get(t) ?? []).join(', ') || '(no mode)'}`).join('\n');
  const acled = labels.acledEventTypes
    .map((e) => `  ${e}: ${[...labels.acledParent].filter(([, p]) => p === e).map(([s]) => s).join('; ')}`)
    .join('\n');
  return [
    'You code news sentences into conflict-event labels. Read the sentence and answer with one JSON object, nothing else:',
    '{"is_event": boolean, "event_type": PLOVER type or null, "mode": mode or null, "acled_event_type": string or null,',
    ' "acled_sub_event_type": string or null, "category": string or null, "modality": string, "trigger": the words of the sentence that report the event, or null}',
    '',
    'PLOVER event types, each with the modes allowed for it:',
    modes,
    '',
    'ACLED event types and their sub-event types (use the exact spelling):',
    acled,
    '',
    `Categories for sentences that are not conflict events: ${labels.categories.join(', ')}`,
    '(NATURAL_DISASTER, MAN_MADE_DISASTER for accidents, DIPLO for diplomacy, ORG_CRIME for ordinary crime, ATTRIB for a claim of responsibility).',
    `Modality: ${labels.modalities.join(', ')}. "did not attack" is negated; "threatened to attack" is threat;`,
    '"plans to withdraw" is future (an announced future retreat is coded CONCEDE); "could face arrest" is hypothetical; "demanded the release" is demand.',
    'Only a reported past or ongoing act is asserted.',
    '',
    'Code the main event of the sentence. Use only the labels listed; use null where a label does not apply.',
    'If the sentence reports no event and fits no category, answer {"is_event": false} with every label null and modality "asserted".',
    'A rule-based guess may be given; it can be wrong. Copy the trigger words exactly from the sentence.',
  ].join('\n');
}

function userMessage(req: TypingRequest): string {
  const guess = req.candidate
    ? `\nRule-based guess: ${JSON.stringify({ event_type: req.candidate.event_type, mode: req.candidate.mode, acled_sub_event_type: req.candidate.acled_sub_event_type, category: req.candidate.category, modality: req.candidate.modality, trigger: req.candidate.trigger })}`
    : '\nRule-based guess: none (the rules found no event, but the sentence has conflict words).';
  return `Sentence: ${JSON.stringify(req.text)}${guess}`;
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** The JSON object inside an answer, with any Markdown code fence or surrounding prose removed. */
function extractJson(content: string): unknown {
  const s = content.trim();
  const open = s.indexOf('{');
  const close = s.lastIndexOf('}');
  if (open < 0 || close < open) throw new SyntaxError('no JSON object in the answer');
  return JSON.parse(s.slice(open, close + 1));
}

/**
 * Creates the OpenAI-compatible backend. Nothing is sent until `type` is called, and only to `url`.
 * @example
 * const llm = createLlmTyper({ url: 'http://127.0.0.1:8080', model: 'qwen2.5-7b-instruct' }, lexicon);
 * await llm.type({ text: 'Militants shelled the town overnight.', candidate: null });
 * // { event_type: 'ASSAULT', mode: 'heavy-weapons', acled_sub_event_type: 'Shelling/artillery/missile attack', ... } or null
 */
export function createLlmTyper(options: LlmTyperOptions, lexicon: EventLexicon): TypingBackend {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KhabarError('E_USAGE', `LLM backend: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid options'}`);
  }
  const opts = parsed.data;
  const log = options.log ?? defaultDebugLog;
  const labels = labelSetFromLexicon(lexicon);
  const endpoint = chatCompletionsUrl(opts.url);
  const system = systemPrompt(labels);
  const schema = answerJsonSchema(labels);
  const responseFormat =
    opts.responseFormat === 'json_schema' ? { type: 'json_schema', json_schema: { name: 'khabar_event', strict: true, schema } }
    : opts.responseFormat === 'json_object' ? { type: 'json_object' }
    : undefined;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  const stats = createStats();
  const limit = createLimiter(opts.maxConcurrency);

  async function ask(req: TypingRequest): Promise<TypingAnswer | null> {
    const body = JSON.stringify({
      model: opts.model,
      temperature: 0,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: userMessage(req) },
      ],
      ...(responseFormat ? { response_format: responseFormat } : {}),
    });
    const fall = (reason: Parameters<typeof recordFallback>[3], detail: string): null => recordFallback('llm', stats, log, reason, detail, req.text);
    let payload: unknown;
    try {
      const res = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs) });
      const raw = await res.text();
      if (!res.ok) return fall('http', `HTTP ${res.status} from ${endpoint}: ${raw.slice(0, 200)}`);
      payload = JSON.parse(raw);
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return fall('timeout', `no answer within ${opts.timeoutMs} ms`);
      if (err instanceof SyntaxError) return fall('malformed', `the response body is not JSON (${err.message})`);
      return fall('network', `cannot reach ${endpoint}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    const completion = completionSchema.safeParse(payload);
    if (!completion.success) return fall('malformed', 'the response is not a chat completion (no choices[0].message.content)');
    const content = completion.data.choices[0]!.message.content ?? '';
    let json: unknown;
    try {
      json = extractJson(content);
    } catch (err) {
      return fall('malformed', `the answer is not a JSON object (${err instanceof Error ? err.message : String(err)})`);
    }
    const checked = checkAnswer(json, labels, opts.confidence);
    if (!checked.ok) return fall('invalid', checked.problem);
    stats.used++;
    return checked.answer;
  }

  return {
    name: 'llm',
    stats,
    type(req: TypingRequest): Promise<TypingAnswer | null> {
      stats.asked++;
      return limit(() => ask(req)).catch((err: unknown) => recordFallback('llm', stats, log, 'error', err instanceof Error ? err.message : String(err), req.text));
    },
  };
}
