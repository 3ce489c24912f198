/**
 * The one place where errors become HTTP answers: `{ error: { code, message } }` with the status that
 * fits the code. Handlers throw; they never write error responses themselves.
 */
import { KhabarError, errorMessage, type ErrorCode, type ErrorContext } from '../errors.js';

/** A KhabarError that also fixes the HTTP status (405, 403, 413, 415 ...), for what only HTTP has. */
export class HttpError extends KhabarError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}, context: ErrorContext = {}) {
    super(code, message, context);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  E_VALIDATION: 400,
  E_USAGE: 400,
  E_INGEST_JSON: 400,
  E_INGEST_FIELD: 400,
  E_INGEST_DATE: 400,
  E_INGEST_EMPTY: 400,
  E_INGEST_ENCODING: 400,
  E_INGEST_BINARY: 400,
  E_INGEST_TOO_LARGE: 413,
  E_NOT_FOUND: 404,
  E_AUTH: 401,
};

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
}

/**
 * Maps any thrown value to a status and a body. Unknown errors are 500 with a generic message (the
 * details go to the log, not to the client).
 * @example toErrorReply(new KhabarError('E_NOT_FOUND', 'no event x')).status // 404
 */
export function toErrorReply(err: unknown, log: (message: string) => void = () => {}): ErrorReply {
  if (err instanceof HttpError) {
    return { status: err.status, headers: err.headers, body: { error: { code: err.code, message: err.message } } };
  }
  if (err instanceof KhabarError) {
    const status = STATUS_OF_CODE[err.code] ?? 500;
    if (status === 500) log(`${err.code}: ${err.message}`);
    return { status, headers: {}, body: { error: { code: err.code, message: err.message } } };
  }
  log(`internal error: ${errorMessage(err)}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
  return {
    status: 500,
    headers: {},
    body: { error: { code: 'E_INTERNAL', message: 'internal server error: the server log has the details; please report it' } },
  };
}
