/**
 * Optional typing backend: a local text-classification model exported to ONNX, run through
 * `@huggingface/transformers` (a user-installed package, loaded by dynamic import only when asked for)
 * from a folder the user names, never downloaded. The model's labels map to ours through
 * `khabar-labels.json` in that folder (format in docs/backends.md).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { KhabarError } from '../../errors.js';
import type { EventLexicon } from '../typing/lexicon.js';
import { createStats, defaultDebugLog, recordFallback, type DebugLog, type TypingBackend, type TypingRequest } from './backend.js';
import { checkAnswer, labelSetFromLexicon, rawAnswerSchema, type LabelSet, type TypingAnswer } from './labels.js';

/** The package the ONNX backend needs; not a dependency of khabar (about 470 MB with onnxruntime). */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
export const LABEL_MAP_FILE = 'khabar-labels.json';

/** A classifier's scored labels for one text, best first. */
export type TextClassifier = (text: string) => Promise<{ label: string; score: number }[]>;

const labelMapSchema = z.object({
  about: z.string().optional(),
  /** Below this top score the rules' result is kept. */
  min_score: z.number().min(0).max(1).default(0.5),
  /** Model label → our labels, or null for "no event". */
  labels: z.record(z.string(), rawAnswerSchema.omit({ trigger: true }).nullable()),
});

/** A model label → our answer (without confidence), null meaning "no event". */
export interface LabelMap {
  minScore: number;
  labels: ReadonlyMap<string, Omit<TypingAnswer, 'confidence'> | null>;
}

/**
 * Validates a label map (parsed JSON) against the closed label set; throws KhabarError E_BACKEND
 * naming the first bad entry.
 * @example parseLabelMap({ labels: { LABEL_3: { event_type: 'ASSAULT', mode: 'aerial', acled_sub_event_type: 'Air/drone strike' } } }, labels, 'x.json')
 */
export function parseLabelMap(json: unknown, labels: LabelSet, origin: string): LabelMap {
  const parsed = labelMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KhabarError('E_BACKEND', `${origin}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid label map'}; see docs/backends.md for the format`, { file: origin });
  }
  const out = new Map<string, Omit<TypingAnswer, 'confidence'> | null>();
  for (const [label, entry] of Object.entries(parsed.data.labels)) {
    if (entry === null) {
      out.set(label, null);
      continue;
    }
    const checked = checkAnswer({ ...entry, is_event: entry.is_event ?? true }, labels, 1);
    if (!checked.ok) throw new KhabarError('E_BACKEND', `${origin}: label "${label}": ${checked.problem}; use the labels listed in docs/backends.md`, { file: origin, field: label });
    const { confidence: _c, ...answer } = checked.answer;
    out.set(label, answer);
  }
  return { minScore: parsed.data.min_score, labels: out };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KhabarError('E_BACKEND', `cannot read ${path} as JSON (${err instanceof Error ? err.message : String(err)}); fix the file`, { file: path });
  }
}

/** The label names of a Hugging Face config.json (`id2label`), or null when there is none. */
function modelLabels(modelDir: string): string[] | null {
  const path = join(modelDir, 'config.json');
  if (!existsSync(path)) return null;
  const parsed = z.object({ id2label: z.record(z.string(), z.string()).optional() }).safeParse(readJson(path));
  return parsed.success && parsed.data.id2label ? Object.values(parsed.data.id2label) : null;
}

/** Loads and checks `khabar-labels.json` of a model folder; every label of config.json must be mapped. */
export function loadLabelMap(modelDir: string, labels: LabelSet): LabelMap {
  const path = join(modelDir, LABEL_MAP_FILE);
  if (!existsSync(path)) {
    throw new KhabarError('E_BACKEND', `${modelDir} has no ${LABEL_MAP_FILE}: write one that maps the model's labels to PLOVER/ACLED labels (format in docs/backends.md)`, { file: path });
  }
  const map = parseLabelMap(readJson(path), labels, path);
  const missing = (modelLabels(modelDir) ?? []).filter((l) => !map.labels.has(l));
  if (missing.length > 0) {
    throw new KhabarError('E_BACKEND', `${path} does not map the model labels ${missing.slice(0, 8).map((l) => `"${l}"`).join(', ')}${missing.length > 8 ? '...' : ''}; add them (null for "no event")`, { file: path });
  }
  return map;
}

/** Loads a module by name at run time; a parameter so tests can stand in for a missing package. */
export type ModuleImporter = (name: string) => Promise<unknown>;
const importModule: ModuleImporter = (name) => import(name);

const transformersSchema = z.object({
  pipeline: z.custom<(...args: unknown[]) => Promise<unknown>>((v) => typeof v === 'function'),
  env: z.record(z.string(), z.unknown()),
});
const scoredSchema = z.object({ label: z.string(), score: z.number() });
const classifierOutputSchema = z.union([z.array(scoredSchema), z.array(z.array(scoredSchema)).transform((a) => a[0] ?? []), scoredSchema.transform((s) => [s])]);

function isModuleMissing(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && err.message.includes(TRANSFORMERS_PACKAGE);
}

type Transformers = z.infer<typeof transformersSchema>;

/**
 * Imports `@huggingface/transformers`; throws KhabarError E_BACKEND telling how to install it when missing.
 * @example const lib = await importTransformers();
 */
export async function importTransformers(importer: ModuleImporter = importModule): Promise<Transformers> {
  let mod: unknown;
  try {
    mod = await importer(TRANSFORMERS_PACKAGE);
  } catch (err) {
    if (isModuleMissing(err)) {
      throw new KhabarError(
        'E_BACKEND',
        `the ONNX backend needs the optional package ${TRANSFORMERS_PACKAGE}, which is not installed. Install it with ` +
          `"npm install ${TRANSFORMERS_PACKAGE}" in the folder khabar runs from (about 470 MB with onnxruntime; khabar's .npmrc sets ` +
          'onnxruntime-node-install=skip so no GPU runtime is downloaded), or run without --backend onnx.',
        { package: TRANSFORMERS_PACKAGE },
        { cause: err },
      );
    }
    throw new KhabarError('E_BACKEND', `cannot load ${TRANSFORMERS_PACKAGE}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
  }
  const lib = transformersSchema.safeParse(mod);
  if (!lib.success) throw new KhabarError('E_BACKEND', `${TRANSFORMERS_PACKAGE} has no pipeline()/env: install version 3 or later`);
  return lib.data;
}

/**
 * Loads the model of a local folder through `@huggingface/transformers`, with remote loading off.
 * @example const classify = await loadOnnxClassifier('models/event-clf'); await classify('Troops shelled the town.')
 */
export async function loadOnnxClassifier(modelDir: string, importer: ModuleImporter = importModule, imported?: Transformers): Promise<TextClassifier> {
  const lib = imported ?? (await importTransformers(importer));
  const dir = resolve(modelDir);
  // Local files only: the folder's parent is the model root and its name the model id.
  lib.env.allowRemoteModels = false;
  lib.env.allowLocalModels = true;
  lib.env.localModelPath = `${dirname(dir)}/`;
  let pipe: unknown;
  try {
    pipe = await lib.pipeline('text-classification', basename(dir), { local_files_only: true });
  } catch (err) {
    throw new KhabarError('E_BACKEND', `cannot load the model in ${dir} (${err instanceof Error ? err.message : String(err)}): the folder needs config.json, the tokenizer files and onnx/model.onnx`, { file: dir }, { cause: err });
  }
  if (typeof pipe !== 'function') throw new KhabarError('E_BACKEND', `${TRANSFORMERS_PACKAGE} gave no classifier for ${dir}`);
  const run = pipe as (text: string, opts: { top_k: number }) => Promise<unknown>;
  return async (text) => {
    const out = classifierOutputSchema.safeParse(await run(text, { top_k: 1 }));
    if (!out.success) throw new Error('the classifier gave an output that is not [{label, score}]');
    return [...out.data].sort((a, b) => b.score - a.score);
  };
}

export interface OnnxTyperOptions {
  /** The model folder: config.json, tokenizer files, onnx/model.onnx and khabar-labels.json. */
  modelDir: string;
  /** Stands in for the model (tests, or another runtime): scored labels for a text, best first. */
  classifier?: TextClassifier;
  /** Stands in for `import()` (tests). */
  importer?: ModuleImporter;
  log?: DebugLog;
}

/**
 * Creates the ONNX backend: loads the label map, then the model (unless `classifier` is given).
 * The top label above `min_score` becomes the answer; below it, or on an unmapped label, null (rules).
 * @example const onnx = await createOnnxTyper({ modelDir: 'models/event-clf' }, lexicon); await onnx.type({ text, candidate: null })
 */
export async function createOnnxTyper(options: OnnxTyperOptions, lexicon: EventLexicon): Promise<TypingBackend> {
  const dir = resolve(options.modelDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new KhabarError('E_BACKEND', `--model-dir ${options.modelDir} is not a folder; give the folder of a text-classification model exported to ONNX`, { file: options.modelDir });
  }
  // The package first: without it nothing else matters, and the user learns that before writing a label map.
  const lib = options.classifier ? undefined : await importTransformers(options.importer);
  const map = loadLabelMap(dir, labelSetFromLexicon(lexicon));
  const classify = options.classifier ?? (await loadOnnxClassifier(dir, options.importer, lib));
  const log = options.log ?? defaultDebugLog;
  const stats = createStats();
  return {
    name: 'onnx',
    stats,
    async type(req: TypingRequest): Promise<TypingAnswer | null> {
      stats.asked++;
      let scored: { label: string; score: number }[];
      try {
        scored = await classify(req.text);
      } catch (err) {
        return recordFallback('onnx', stats, log, 'error', err instanceof Error ? err.message : String(err), req.text);
      }
      const top = scored[0];
      if (top === undefined) return recordFallback('onnx', stats, log, 'malformed', 'the classifier returned no label', req.text);
      if (!map.labels.has(top.label)) return recordFallback('onnx', stats, log, 'invalid', `model label "${top.label}" is not in ${LABEL_MAP_FILE}`, req.text);
      if (top.score < map.minScore) return recordFallback('onnx', stats, log, 'low_score', `top label "${top.label}" scored ${top.score.toFixed(3)} < min_score ${map.minScore}`, req.text);
      stats.used++;
      const mapped = map.labels.get(top.label) ?? null;
      const confidence = Math.round(top.score * 100) / 100;
      if (mapped === null) return { event_type: null, mode: null, acled_event_type: null, acled_sub_event_type: null, category: null, modality: 'asserted', trigger: null, confidence };
      return { ...mapped, confidence };
    },
  };
}
