/**
 * Linking cost vs store size on the benchmark corpus (`node dist/src/link/measure-link.js [N]`): each
 * base text is extracted once with the real pipeline, then article i = base (i mod B) in round
 * k = floor(i / B) (sentences rotated, article and event dates moved by k days, as bench/corpus.ts
 * does) is written in batches of 500 into a fresh store. Prints writeBatch ms and the linker's share
 * per 1000 articles for each tenth of the run, so growth with store size shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBaseCorpus, shiftDate, varyText } from '../../bench/corpus.js';
import { defaultDataDir } from '../../eval/data.js';
import { createPipeline, extractArticle, loadKnowledge } from '../extract.js';
import { SqliteLinker } from '../store/sqlite/link.js';
import { openStore } from '../store/index.js';
import type { StoredArticleInput } from '../store/store.js';
import type { ArticleResult } from '../types.js';

const N = Number(process.argv[2] ?? 100000);
const base = loadBaseCorpus(process.env.KHABAR_DATA ?? defaultDataDir());
const pipeline = createPipeline(await loadKnowledge());
let t = performance.now();
const results: ArticleResult[] = base.texts.map((b, i) =>
  extractArticle(pipeline, { id: `b${i}`, date: b.date, title: b.title, rawText: b.text, url: null, source: 'bench', language: 'en', origin: { file: 'b', line: null } }),
);
const extractMs = performance.now() - t;
const evs = results.reduce((n, r) => n + r.events.length, 0);
console.log(`${base.texts.length} base texts extracted in ${(extractMs / 1000).toFixed(1)} s (${((extractMs / base.texts.length)).toFixed(2)} ms/article), ${evs} events`);
let linkMs = 0;
// CPU time as well as wall time: on a loaded machine the CPU time is the steadier figure.
let linkCpuUs = 0;
const orig = SqliteLinker.prototype.link;
SqliteLinker.prototype.link = function (inputs) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    return orig.call(this, inputs);
  } finally {
    linkMs += performance.now() - t0;
    const c = process.cpuUsage(c0);
    linkCpuUs += c.user + c.system;
  }
};
const dir = mkdtempSync(join(tmpdir(), 'khabar-linkbench-'));
const store = await openStore(join(dir, 'b.db'));
const B = base.texts.length;
function input(i: number): StoredArticleInput {
  const r = results[i % B]!;
  const k = Math.floor(i / B);
  const id = `bench-${i}`;
  const date = shiftDate(r.date, k);
  const text = varyText(r.text, k);
  return {
    article: { id, date, title: r.title, rawText: text, url: null, source: 'bench', language: 'en', origin: { file: 'b', line: null } },
    result: { ...r, article_id: id, date, text, events: r.events.map((e) => ({ ...e, event_id: `${id}:${e.event_id}`, article_id: id, date: e.date ? shiftDate(e.date, k) : null })) },
  };
}
const size = 500;
// A line per tenth of the run (in whole batches), each averaged over the articles it covers.
const slice = Math.max(size, Math.round(N / 10 / size) * size);
let writeMs = 0;
let sliceLink = 0;
let sliceCpu = 0;
let sliceN = 0;
t = performance.now();
for (let i = 0; i < N; i += size) {
  const batch = Array.from({ length: Math.min(size, N - i) }, (_, j) => input(i + j));
  const t0 = performance.now();
  const l0 = linkMs;
  const u0 = linkCpuUs;
  await store.writeBatch({ articles: batch, quarantine: [] });
  writeMs += performance.now() - t0;
  sliceLink += linkMs - l0;
  sliceCpu += linkCpuUs - u0;
  sliceN += batch.length;
  if (sliceN >= slice || i + size >= N) {
    const per = sliceN / 1000;
    console.log(
      `${String(i + batch.length).padStart(6)} articles: writeBatch ${(writeMs / per).toFixed(0)} ms per 1000, of which linking ${(sliceLink / per).toFixed(0)} ms (CPU ${(sliceCpu / 1000 / per).toFixed(0)} ms)`,
    );
    writeMs = 0;
    sliceLink = 0;
    sliceCpu = 0;
    sliceN = 0;
  }
}
const total = (performance.now() - t) / 1000;
console.log(
  `total ${total.toFixed(1)} s for ${N} articles (${(N / total).toFixed(0)} articles/s store+link only); linking ${((linkMs / N) * 1000).toFixed(0)} us/article (CPU ${(linkCpuUs / N).toFixed(0)} us/article)`,
);
console.log(`merged events ${await store.countEvents()}, reports ${await store.countEvents({ raw_reports: true })}`);
await store.close();
rmSync(dir, { recursive: true, force: true });
