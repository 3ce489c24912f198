/**
 * Start-up probe, run by the benchmark in a fresh process: how long until the knowledge is loaded
 * and the first article is extracted. Prints one JSON line; the article text comes as argv[2].
 */
const atStart = performance.now();
const { createPipeline, extractArticle, loadKnowledge } = await import('../src/extract.js');
const imported = performance.now();
const knowledge = await loadKnowledge();
const loaded = performance.now();
const pipeline = createPipeline(knowledge);
const text = process.argv[2] ?? 'Security forces killed 12 militants near Dera Ismail Khan on Thursday.';
const result = extractArticle(pipeline, {
  id: 'startup-probe',
  date: process.argv[3] ?? '2024-03-14',
  title: null,
  rawText: text,
  url: null,
  source: null,
  language: 'en',
  origin: { file: 'startup-probe', line: null },
});
const first = performance.now();

/** Milliseconds since the process started (node boot included), at each step. */
export interface StartupProbe {
  nodeBootMs: number;
  importMs: number;
  knowledgeMs: number;
  firstArticleMs: number;
  totalMs: number;
  events: number;
}

const probe: StartupProbe = {
  nodeBootMs: atStart,
  importMs: imported - atStart,
  knowledgeMs: loaded - imported,
  firstArticleMs: first - loaded,
  totalMs: first,
  events: result.events.length,
};
process.stdout.write(`${JSON.stringify(probe)}\n`);
