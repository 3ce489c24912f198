/**
 * Optional event-typing backends (off by default; the rules in src/events/detect.ts stand alone):
 * an OpenAI-compatible endpoint the user names, or a local ONNX classifier. See docs/backends.md.
 */
export { createLlmTyper, chatCompletionsUrl, systemPrompt, answerJsonSchema, type LlmTyperOptions } from './llm.js';
export { createOnnxTyper, loadOnnxClassifier, importTransformers, loadLabelMap, parseLabelMap, LABEL_MAP_FILE, TRANSFORMERS_PACKAGE, type OnnxTyperOptions, type TextClassifier, type LabelMap, type ModuleImporter } from './onnx.js';
export { classifyTextWithBackend, locateTrigger, type BackendClassifyResult, type BackendClassifyOptions, type BackendTrace } from './classify-text.js';
export { prepareEventBackend, createEventRefiner, type EventRefiner, type PrepassOptions, type PrepassResult } from './prepass.js';
export { DEFAULT_POLICY, DEFAULT_CONFLICT_CUES, decideBackend, type BackendPolicy, type BackendDecision, type DecisionReason } from './policy.js';
export { labelSetFromLexicon, checkAnswer, MODALITIES, type LabelSet, type TypingAnswer } from './labels.js';
export { statsLine, fallbackCount, createLimiter, type TypingBackend, type TypingRequest, type BackendStats, type FallbackReason, type DebugLog } from './backend.js';
