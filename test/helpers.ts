/**
 * Shared helpers for end-to-end tests: temp folders, running the built CLI, and a generator of
 * varied, realistic-looking articles written for the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../src/paths.js';

export const CLI = join(PACKAGE_ROOT, 'bin', 'khabar.js');

/** A fresh temporary folder, removed by the returned cleanup function. */
export function tempDir(prefix = 'khabar-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `khabar` binary synchronously (needs `npm run build`, which `npm test` does first). */
export function runCli(args: string[], options: { input?: string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: options.input ?? '',
    cwd: options.cwd ?? PACKAGE_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the built `khabar` binary without waiting (for kill tests and servers). */
export function startCli(args: string[], cwd = PACKAGE_ROOT) {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

const PLACES = ['Kandahar', 'Quetta', 'Mogadishu', 'Maiduguri', 'Goma', 'Aleppo', 'Mosul', 'Gao', 'Peshawar', 'Kabul'];
const AGENTS = ['Gunmen', 'Militants', 'Unidentified attackers', 'Insurgents', 'Armed men'];
const TARGETS = ['villagers', 'soldiers', 'policemen', 'worshippers', 'farmers'];
const VERBS = ['killed', 'wounded', 'abducted', 'attacked'];

/**
 * The i-th of a family of generated test articles: distinct texts (and so distinct ids), varied
 * wording, a date in 2024. Deterministic in i.
 */
export function generatedArticle(i: number): { date: string; text: string } {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
  const place = PLACES[i % PLACES.length]!;
  const agent = AGENTS[i % AGENTS.length]!;
  const target = TARGETS[(i >> 2) % TARGETS.length]!;
  const verb = VERBS[(i >> 3) % VERBS.length]!;
  const n = (i % 17) + 2;
  return {
    date: `2024-${month}-${day}`,
    text: `${agent} ${verb} ${n} ${target} near ${place} on Monday, local officials said in report number ${i}. Police said an investigation had been opened.`,
  };
}
