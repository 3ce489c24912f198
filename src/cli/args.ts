/**
 * Shared command-line plumbing: flag parsing with node's parseArgs, help text, and the error
 * printing every command uses, so that each command file only states its flags and its work.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KhabarError, UsageError, errorMessage } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** One line per flag, shown by --help. */
  help: string;
}

export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true; strict: true }>
>;

/** Parses argv for a command; throws UsageError naming the command and the bad flag. */
export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: string[]): ParsedCommand<O> {
  try {
    const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } };
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`khabar ${spec.name}: ${errorMessage(err)}. Run "khabar ${spec.name} --help" for the flags.`);
  }
}

export function helpText<O extends Options>(spec: CommandSpec<O>): string {
  return `khabar ${spec.name} — ${spec.summary}\n\nUsage: ${spec.usage}\n\n${spec.help}\n`;
}

/** Prints an error for the user (code, place, message) and returns the exit code to use. */
export function reportError(err: unknown): number {
  if (err instanceof KhabarError) {
    const where = err.where();
    process.stderr.write(`error ${err.code}${where ? ` at ${where}` : ''}: ${err.message}\n`);
    return err.code === 'E_USAGE' ? 2 : 1;
  }
  process.stderr.write(`error: ${errorMessage(err)}\n`);
  if (err instanceof Error && err.stack && process.env.KHABAR_DEBUG) process.stderr.write(`${err.stack}\n`);
  return 1;
}

/** Reads a required string flag or throws a UsageError that says how to give it. */
export function requireFlag(value: string | undefined, flag: string, command: string): string {
  if (value === undefined || value === '') throw new UsageError(`khabar ${command}: ${flag} is required. Run "khabar ${command} --help".`);
  return value;
}

/** Parses a number flag; throws UsageError when it is not a finite number. */
export function numberFlag(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`khabar ${command}: ${flag} takes a number, got "${value}".`);
  return n;
}

/** Validates an optional YYYY-MM-DD flag value (a real calendar day). */
export function checkDate(value: string | undefined, command: string, flag = '--date'): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== value) throw new UsageError(`khabar ${command}: ${flag} takes a date as YYYY-MM-DD, got "${value}".`);
  return value;
}

/**
 * The store a command works on: `--db`, else the KHABAR_DB environment variable.
 * @example storeTarget(values.db, 'stats') // 'khabar.db'
 */
export function storeTarget(value: string | undefined, command: string): string {
  return requireFlag(value ?? process.env.KHABAR_DB, '--db FILE (or KHABAR_DB)', command);
}

/**
 * One of a closed set of values for a flag, or its default; a UsageError names the choices.
 * @example choiceFlag(values.format, ['text', 'json'] as const, 'text', '--format', 'stats') // 'json'
 */
export function choiceFlag<T extends string>(value: string | undefined, choices: readonly T[], fallback: T, flag: string, command: string): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`khabar ${command}: ${flag} takes ${choices.join(', ')}, got "${value}".`);
  return value as T;
}
