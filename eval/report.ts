/**
 * The scorecard's result file and its screen forms: one table of every section's metrics, and the
 * difference between two result files (`npm run eval -- --compare FILE`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KhabarError } from '../src/errors.js';

export type Metrics = Record<string, number | null>;

export interface SectionResult {
  /** Stable key, e.g. "geo.geowebnews.resolution". */
  name: string;
  status: 'ok' | 'not available' | 'error';
  /** Why the section did not run (module missing, data missing, failure). */
  reason?: string;
  /** Items scored. */
  n: number;
  /** What the numbers are measured on, e.g. "given gold spans" or "pipeline first event". */
  method?: string;
  /** Ratios in [0, 1] unless the key ends in _km / _ms / _s. */
  metrics: Metrics;
  details?: unknown;
  seconds: number;
}

export interface EvalResult {
  kind: 'khabar-eval';
  version: 1;
  created: string;
  commit: string | null;
  dataDir: string;
  sections: SectionResult[];
}

const resultSchema = z.object({
  kind: z.literal('khabar-eval'),
  version: z.literal(1),
  created: z.string(),
  commit: z.string().nullable(),
  sections: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      n: z.number(),
      metrics: z.record(z.string(), z.number().nullable()),
    }).passthrough(),
  ),
}).passthrough();

/** Reads an earlier result file; throws KhabarError when it is not one. */
export function readResult(file: string): EvalResult {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KhabarError('E_INPUT_NOT_FOUND', `cannot read the result file; give the path of a JSON file written by "npm run eval"`, { file }, { cause: err });
  }
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) throw new KhabarError('E_VALIDATION', 'not a scorecard result (expected kind "khabar-eval", version 1)', { file });
  return parsed.data as unknown as EvalResult;
}

/** Formats one metric for the screen: ratios as percentages, km / ms / s as plain numbers. */
export function formatMetric(key: string, value: number | null): string {
  if (value === null) return '-';
  if (/_(km|ms|s|n)$/.test(key) || key === 'n') return value.toFixed(value >= 100 ? 0 : 1);
  return (value * 100).toFixed(1);
}

function table(rows: string[][], rightFrom: number): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: string[]): string =>
    row.map((cell, i) => (i >= rightFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows.slice(1)) out.push(line(row));
  return out.join('\n');
}

/** The one screen table: section, metric, value (ratios in %), items scored. */
export function formatTable(result: EvalResult): string {
  const rows: string[][] = [['section', 'metric', 'value', 'n']];
  for (const s of result.sections) {
    if (s.status !== 'ok') {
      rows.push([s.name, `${s.status}: ${s.reason ?? ''}`, '', '']);
      continue;
    }
    const keys = Object.keys(s.metrics);
    keys.forEach((k, i) => rows.push([i === 0 ? s.name : '', k, formatMetric(k, s.metrics[k] ?? null), i === 0 ? String(s.n) : '']));
  }
  const out = [table(rows, 2)];
  for (const s of result.sections) {
    const worst = worstOf(s.details);
    if (s.status !== 'ok' || worst.length === 0) continue;
    out.push('', `${s.name}: worst labels (F1, gold count, most often predicted instead)`);
    for (const w of worst) out.push(`  ${w.label.padEnd(30)} F1 ${(w.f1 * 100).toFixed(1).padStart(5)}  n ${String(w.support).padStart(3)}  -> ${w.mostlyPredictedAs ?? '(none missed: its errors are false positives)'}`);
  }
  // Notes a section gives about how it is scored (e.g. a corpus's annotation convention).
  const notes = result.sections.filter((s) => s.status === 'ok' && typeof (s.details as { note?: unknown } | undefined)?.note === 'string');
  if (notes.length > 0) out.push('', 'notes:', ...notes.map((s) => `  ${s.name}: ${(s.details as { note: string }).note}`));
  return out.join('\n');
}

interface WorstLabel {
  label: string;
  f1: number;
  support: number;
  mostlyPredictedAs: string | null;
}

function worstOf(details: unknown): WorstLabel[] {
  if (typeof details !== 'object' || details === null || !('worst' in details)) return [];
  const worst = (details as { worst: unknown }).worst;
  return Array.isArray(worst) ? (worst as WorstLabel[]) : [];
}

/** Every metric of both results side by side with its change; missing on one side shows "-". */
export function formatComparison(before: EvalResult, after: EvalResult): string {
  const flat = (r: EvalResult): Map<string, number | null> => {
    const m = new Map<string, number | null>();
    for (const s of r.sections) for (const [k, v] of Object.entries(s.metrics)) m.set(`${s.name}.${k}`, v);
    return m;
  };
  const a = flat(before);
  const b = flat(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const rows: string[][] = [['metric', 'before', 'after', 'change']];
  for (const key of keys) {
    const x = a.get(key) ?? null;
    const y = b.get(key) ?? null;
    const metric = key.slice(key.lastIndexOf('.') + 1);
    let change = '';
    if (x !== null && y !== null) {
      const d = y - x;
      const shown = formatMetric(metric, Math.abs(d));
      change = d === 0 ? '=' : `${d > 0 ? '+' : '-'}${shown}`;
    }
    rows.push([key, formatMetric(metric, x), formatMetric(metric, y), change]);
  }
  return `before: ${before.created} (${before.commit ?? 'no commit'})\nafter:  ${after.created} (${after.commit ?? 'no commit'})\n${table(rows, 1)}`;
}
