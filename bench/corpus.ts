/**
 * The benchmark corpus: real news texts (the shared geoparsing corpora when present, read at run time
 * and never copied; else the demo articles), repeated and lightly varied to any size, made lazily so a
 * 100,000-article run never holds the whole corpus in memory.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KhabarError } from '../src/errors.js';
import { dataPath } from '../src/paths.js';
import type { Article } from '../src/types.js';

/** One source text with its date (`YYYY-MM-DD`). */
export interface BaseText {
  text: string;
  date: string;
  title: string | null;
}

export interface BaseCorpus {
  /** Where the texts came from, for the report. */
  source: string;
  texts: BaseText[];
}

const GEO_CORPORA = ['geoparse_geowebnews.jsonl', 'geoparse_geovirus.jsonl'];
const geoLine = z.object({ text: z.string().min(1), title: z.string().nullable().optional() });
const DATED_FIRST_LINE = /^date (\d{4}-\d{2}-\d{2})[ \t]+(.*)$/;
/** The shared corpora carry no dates: each text gets a day of 2024 so the date resolver has work. */
const GEO_BASE_DATE = Date.UTC(2024, 0, 1);

/**
 * The base texts: the shared geoparsing corpora in `dataDir` when present, else the demo articles.
 * @example loadBaseCorpus('../shared/data').texts.length // 429
 */
export function loadBaseCorpus(dataDir: string | null): BaseCorpus {
  if (dataDir !== null) {
    const files = GEO_CORPORA.map((f) => join(dataDir, f)).filter((f) => existsSync(f));
    if (files.length > 0) {
      const texts: BaseText[] = [];
      for (const file of files) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (line.trim() === '') return;
            const parsed = geoLine.safeParse(JSON.parse(line));
            if (!parsed.success) throw new KhabarError('E_VALIDATION', 'a corpus line has no "text"; use an unmodified copy of the corpus', { file, line: i + 1 });
            texts.push({ text: parsed.data.text, title: parsed.data.title ?? null, date: addDays(GEO_BASE_DATE, texts.length % 366) });
          });
      }
      return { source: files.join(', '), texts };
    }
  }
  const dir = dataPath('demo');
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.txt')).sort() : [];
  if (names.length === 0) {
    throw new KhabarError('E_INPUT_NOT_FOUND', `no benchmark texts: neither the shared corpora nor demo articles in ${dir}; give --data DIR`, { file: dir });
  }
  return { source: dir, texts: names.map((n) => parseDated(readFileSync(join(dir, n), 'utf8'), join(dir, n))) };
}

/**
 * Reads a demo article in the dated line format: first line `date YYYY-MM-DD headline`.
 * @example parseDated('date 2024-03-14 Raid kills 12\nSecurity forces ...', 'a.txt') // { date: '2024-03-14', title: 'Raid kills 12', ... }
 */
export function parseDated(content: string, file: string): BaseText {
  const nl = content.indexOf('\n');
  const first = nl < 0 ? content : content.slice(0, nl);
  const m = DATED_FIRST_LINE.exec(first);
  if (!m) throw new KhabarError('E_INGEST_DATE', 'the first line must read "date YYYY-MM-DD ..."', { file, line: 1 });
  const title = m[2]!.trim();
  const body = nl < 0 ? '' : content.slice(nl + 1);
  return { date: m[1]!, title: title === '' ? null : title, text: title === '' ? body : `${title}\n${body}` };
}

/** Sentence ends: a full stop, question or exclamation mark (maybe closed by a quote) then space. */
const SENTENCE_BREAK = /(?<=[.!?]["'\u201d\u2019)]?)\s+(?=["'\u201c\u2018(]?[A-Z0-9])/g;

/**
 * Variant `k` of a text: its sentences after the first rotated by k places (variant 0 is the text
 * itself), so repeated copies differ in content order and hash while reading like news.
 * @example varyText('A one. B two. C three.', 1) // 'A one. C three. B two.'
 */
export function varyText(text: string, k: number): string {
  if (k === 0) return text;
  const sentences = text.split(SENTENCE_BREAK);
  if (sentences.length <= 2) return text;
  const head = sentences[0]!;
  const rest = sentences.slice(1);
  const r = k % rest.length;
  return [head, ...rest.slice(r), ...rest.slice(0, r)].join(' ');
}

/** `YYYY-MM-DD` of a UTC day plus n days. */
function addDays(utcMs: number, n: number): string {
  return new Date(utcMs + n * 86_400_000).toISOString().slice(0, 10);
}

/** The date moved by n days. @example shiftDate('2024-12-30', 3) // '2025-01-02' */
export function shiftDate(date: string, n: number): string {
  return addDays(Date.parse(`${date}T00:00:00Z`), n);
}

/**
 * How the benchmark dates its articles:
 * - `stream` (the default): a news stream of STREAM_PER_DAY articles a day from 2024-01-01, in arrival
 *   order, as a desk that ingests a feed sees it. Each day holds as many articles at 1,000 articles as at
 *   100,000, so the cost per article against the store's size is measured at a constant news density.
 * - `rounds`: round k of the base texts moved k days from their own dates (the layout before session 4).
 *   Every round lands on the same year, so the articles per day grow with the corpus (about 1 a day at
 *   1,000 articles, 270 at 100,000): the cost per article then grows with the density too, which a linker
 *   must pay (more same-day candidates), whatever the store's size.
 */
export type DateLayout = 'stream' | 'rounds';
export const DATE_LAYOUTS: readonly DateLayout[] = ['stream', 'rounds'];

/** Articles a day in the stream layout: 100,000 articles span 400 days. */
export const STREAM_PER_DAY = 250;
const STREAM_START = Date.UTC(2024, 0, 1);

/** Where article i of a corpus sits: its base text, the round that varies its text, and its date. */
export interface BenchPlacement {
  base: BaseText;
  round: number;
  date: string;
  /** Days from the base text's date to the article's date (event dates move by as much). */
  shiftDays: number;
}

/**
 * Article i's base text (i mod B), round k = floor(i / B) and date in a layout.
 * @example benchPlacement(base, 0, 'stream').date // '2024-01-01'
 */
export function benchPlacement(corpus: BaseCorpus, i: number, layout: DateLayout = 'stream'): BenchPlacement {
  const b = corpus.texts.length;
  const src = corpus.texts[i % b]!;
  const round = Math.floor(i / b);
  const date = layout === 'stream' ? addDays(STREAM_START, Math.floor(i / STREAM_PER_DAY)) : shiftDate(src.date, round);
  const shiftDays = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${src.date}T00:00:00Z`)) / 86_400_000);
  return { base: src, round, date, shiftDays };
}

/**
 * Article i of a corpus of any size: base text i mod B, its sentences rotated by round k = floor(i / B),
 * dated by the layout. Deterministic, so every run measures the same articles.
 */
export function benchArticle(corpus: BaseCorpus, i: number, runTag: string, layout: DateLayout = 'stream'): Article {
  const { base, round, date } = benchPlacement(corpus, i, layout);
  return {
    id: `bench-${runTag}-${i}`,
    date,
    title: base.title,
    rawText: varyText(base.text, round),
    url: null,
    source: 'bench',
    language: 'en',
    origin: { file: corpus.source, line: null },
  };
}

/** The articles [from, to) of a corpus, as one batch. */
export function benchBatch(corpus: BaseCorpus, from: number, to: number, runTag: string, layout: DateLayout = 'stream'): Article[] {
  const out: Article[] = [];
  for (let i = from; i < to; i++) out.push(benchArticle(corpus, i, runTag, layout));
  return out;
}
