/**
 * One error type with a stable code, a message that tells the user what to do, and the context
 * (file, line, article id, stage) that locates the problem.
 */

export type ErrorCode =
  | 'E_INGEST_DATE'
  | 'E_INGEST_EMPTY'
  | 'E_INGEST_ENCODING'
  | 'E_INGEST_BINARY'
  | 'E_INGEST_JSON'
  | 'E_INGEST_FIELD'
  | 'E_INGEST_TOO_LARGE'
  | 'E_INGEST_READ'
  | 'E_INGEST_HTML'
  | 'E_INPUT_NOT_FOUND'
  | 'E_USAGE'
  | 'E_STAGE'
  | 'E_PIPELINE'
  | 'E_KNOWLEDGE'
  | 'E_STORE'
  | 'E_NOT_FOUND'
  | 'E_VALIDATION'
  | 'E_AUTH'
  | 'E_FETCH'
  | 'E_FEED'
  | 'E_QUEUE'
  | 'E_BACKEND';

export interface ErrorContext {
  file?: string;
  line?: number;
  field?: string;
  articleId?: string;
  stage?: string;
  [key: string]: string | number | boolean | undefined;
}

export class KhabarError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KhabarError';
    this.code = code;
    this.context = context;
  }

  /** "file.txt:3: message" style, for the terminal. */
  where(): string {
    const { file, line } = this.context;
    if (file && line !== undefined) return `${file}:${line}`;
    return file ?? '';
  }

  toJSON(): { code: ErrorCode; message: string; context: ErrorContext } {
    return { code: this.code, message: this.message, context: this.context };
  }
}

/** Bad input to a reader: the article is quarantined with this reason, the batch goes on. */
export class IngestError extends KhabarError {
  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(code, message, context);
    this.name = 'IngestError';
  }
}

/** A pipeline stage failed on an article; names the stage and the article. */
export class StageError extends KhabarError {
  constructor(stage: string, articleId: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('E_STAGE', `stage "${stage}" failed on article ${articleId}: ${why}`, { stage, articleId }, { cause });
    this.name = 'StageError';
  }
}

/** Wrong command-line or API usage: the message says the right form. */
export class UsageError extends KhabarError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_USAGE', message, context);
    this.name = 'UsageError';
  }
}

/** A knowledge file (actors, triggers, gazetteer) is missing or does not match its schema. */
export class KnowledgeError extends KhabarError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_KNOWLEDGE', message, context);
    this.name = 'KnowledgeError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
