/**
 * The optional typing backends: the LLM backend against a fake OpenAI-compatible server on 127.0.0.1
 * (valid answers used; bad labels, malformed JSON, HTTP errors and time-outs fall back, counted),
 * the policy, the pipeline pre-pass refiner, and the ONNX backend's label mapping and missing-package error.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KhabarError } from '../src/errors.js';
import { classifyText, detectEvents, loadEventLexicon } from '../src/events/detect.js';
import {
  DEFAULT_POLICY, chatCompletionsUrl, classifyTextWithBackend, createEventRefiner, createLlmTyper, createOnnxTyper,
  decideBackend, labelSetFromLexicon, locateTrigger, prepareEventBackend, statsLine, type TextClassifier, type TypingAnswer,
} from '../src/events/backends/index.js';
import { backendFromFlags } from '../src/events/backends/from-flags.js';
import { cueBit } from '../src/events/typing/lexicon.js';
import { Pipeline } from '../src/pipeline.js';
import { normalizeStage } from '../src/text/normalize.js';
import { sentenceStage } from '../src/text/sentences.js';
import { tokenStage } from '../src/text/tokens.js';
import type { Article } from '../src/types.js';

const lexicon = loadEventLexicon();
const labels = labelSetFromLexicon(lexicon);

// ---- a fake OpenAI-compatible server -------------------------------------------------------------

interface Reply { status?: number; content?: string; rawBody?: string; delayMs?: number }
interface Seen { body: Record<string, unknown>; headers: IncomingMessage['headers']; url: string }

let server: Server;
let base = '';
let reply: (body: Record<string, unknown>) => Reply = () => ({ content: '{}' });
const seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;
// Requests of earlier tests (an aborted slow one) may still be open: only the current generation counts.
let generation = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

before(async () => {
  server = createServer((req, res) => {
    const gen = generation;
    if (gen === generation) inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void readBody(req).then((raw) => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      seen.push({ body, headers: req.headers, url: req.url ?? '' });
      const r = reply(body);
      const send = (): void => {
        if (gen === generation) inFlight--;
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(r.rawBody ?? JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: r.content ?? '' } }] }));
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function reset(r: (body: Record<string, unknown>) => Reply): void {
  reply = r;
  seen.length = 0;
  generation++;
  inFlight = 0;
  maxInFlight = 0;
}

const SHELLING = {
  is_event: true, event_type: 'ASSAULT', mode: 'heavy-weapons', acled_event_type: 'Explosions/Remote violence',
  acled_sub_event_type: 'Shelling/artillery/missile attack', category: null, modality: 'asserted', trigger: 'pounded',
};

function typer(opts: { timeoutMs?: number; maxConcurrency?: number; apiKey?: string } = {}, log: string[] = []) {
  return createLlmTyper({ url: base, model: 'fake-model', ...opts, log: (l) => log.push(l) }, lexicon);
}

// ---- LLM backend ---------------------------------------------------------------------------------

describe('llm backend', () => {
  test('llm backend uses a valid answer, with the labels it gave', async () => {
    reset(() => ({ content: JSON.stringify(SHELLING) }));
    const llm = typer();
    const a = await llm.type({ text: 'Rebels pounded the town overnight.', candidate: null });
    assert.ok(a);
    assert.equal(a.event_type, 'ASSAULT');
    assert.equal(a.mode, 'heavy-weapons');
    assert.equal(a.acled_event_type, 'Explosions/Remote violence');
    assert.equal(a.acled_sub_event_type, 'Shelling/artillery/missile attack');
    assert.equal(a.trigger, 'pounded');
    assert.deepEqual([llm.stats.asked, llm.stats.used], [1, 1]);
  });

  test('llm backend reads an answer wrapped in a Markdown fence and derives the ACLED event type', async () => {
    const { acled_event_type: _drop, ...noParent } = SHELLING;
    reset(() => ({ content: `Here you go:\n\`\`\`json\n${JSON.stringify(noParent)}\n\`\`\`` }));
    const a = await typer().type({ text: 'Rebels pounded the town.', candidate: null });
    assert.equal(a?.acled_event_type, 'Explosions/Remote violence');
  });

  test('llm backend request carries the model, our closed label set and the sentence', async () => {
    reset(() => ({ content: JSON.stringify(SHELLING) }));
    await typer({ apiKey: 'sk-test' }).type({ text: 'Rebels pounded the town.', candidate: null });
    assert.equal(seen.length, 1);
    const { body, headers, url } = seen[0]!;
    assert.equal(url, '/v1/chat/completions');
    assert.equal(headers.authorization, 'Bearer sk-test');
    assert.equal(body.model, 'fake-model');
    const schema = (body.response_format as { json_schema: { schema: { properties: Record<string, { enum?: unknown[] }> } } }).json_schema.schema;
    const subTypes = schema.properties.acled_sub_event_type!.enum!.filter((x) => x !== null).sort();
    assert.deepEqual(subTypes, [...labels.acledParent.keys()].sort());
    assert.equal(subTypes.length, 25);
    assert.deepEqual(schema.properties.event_type!.enum!.filter((x) => x !== null), [...labels.ploverTypes]);
    assert.deepEqual(schema.properties.modality!.enum, ['asserted', 'negated', 'future', 'threat', 'hypothetical', 'demand']);
    const messages = body.messages as { role: string; content: string }[];
    for (const t of labels.ploverTypes) assert.ok(messages[0]!.content.includes(t), `prompt names ${t}`);
    assert.ok(messages[0]!.content.includes('Remote explosive/landmine/IED'));
    assert.ok(messages[1]!.content.includes('Rebels pounded the town.'));
  });

  const failures: { name: string; reply: Reply; reason: 'invalid' | 'malformed' | 'http' | 'timeout' }[] = [
    { name: 'an event type outside PLOVER', reply: { content: JSON.stringify({ ...SHELLING, event_type: 'BOMBING' }) }, reason: 'invalid' },
    { name: 'a sub-event type outside ACLED', reply: { content: JSON.stringify({ ...SHELLING, acled_sub_event_type: 'Drive-by' }) }, reason: 'invalid' },
    { name: 'a sub-event type under the wrong event type', reply: { content: JSON.stringify({ ...SHELLING, acled_event_type: 'Battles' }) }, reason: 'invalid' },
    { name: 'a mode of another type', reply: { content: JSON.stringify({ ...SHELLING, mode: 'arrest' }) }, reason: 'invalid' },
    { name: 'an unknown modality', reply: { content: JSON.stringify({ ...SHELLING, modality: 'rumoured' }) }, reason: 'invalid' },
    { name: 'an event with no label', reply: { content: JSON.stringify({ is_event: true }) }, reason: 'invalid' },
    { name: 'content that is not JSON', reply: { content: 'ASSAULT, I think' }, reason: 'malformed' },
    { name: 'a truncated JSON object', reply: { content: '{"is_event": true, "event_type": "ASS' }, reason: 'malformed' },
    { name: 'a body that is not a chat completion', reply: { rawBody: '{"result":"ok"}' }, reason: 'malformed' },
    { name: 'a body that is not JSON', reply: { rawBody: '<html>bad gateway</html>' }, reason: 'malformed' },
    { name: 'HTTP 500', reply: { status: 500, rawBody: '{"error":"model crashed"}' }, reason: 'http' },
    { name: 'a time-out', reply: { content: JSON.stringify(SHELLING), delayMs: 1000 }, reason: 'timeout' },
  ];
  for (const f of failures) {
    test(`llm backend falls back on ${f.name}, counted as ${f.reason} and logged`, async () => {
      reset(() => f.reply);
      const log: string[] = [];
      // A short time-out only where it is the point: a busy machine must not turn an HTTP 500 into a time-out.
      const llm = typer({ timeoutMs: f.reason === 'timeout' ? 150 : 10_000 }, log);
      const a = await llm.type({ text: 'Rebels pounded the town.', candidate: null });
      assert.equal(a, null);
      assert.equal(llm.stats.fallbacks[f.reason], 1);
      assert.equal(llm.stats.used, 0);
      assert.equal(log.length, 1);
      assert.match(log[0]!, new RegExp(`\\(${f.reason}\\)`));
      assert.match(statsLine('llm', llm.stats), new RegExp(`1 fell back to the rules \\(${f.reason} 1\\)`));
    });
  }

  test('llm backend falls back when nothing listens at the URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const llm = createLlmTyper({ url: `http://127.0.0.1:${port}`, model: 'm', log: () => {} }, lexicon);
    assert.equal(await llm.type({ text: 'Rebels pounded the town.', candidate: null }), null);
    assert.equal(llm.stats.fallbacks.network, 1);
  });

  test('llm backend keeps at most maxConcurrency requests in flight', async () => {
    reset(() => ({ content: JSON.stringify(SHELLING), delayMs: 40 }));
    const llm = typer({ maxConcurrency: 2 });
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => llm.type({ text: `Rebels pounded town ${i}.`, candidate: null })));
    assert.equal(answers.filter((a) => a !== null).length, 7);
    assert.equal(seen.length, 7);
    assert.equal(maxInFlight, 2);
  });

  test('llm backend rejects options it cannot use with a usage error', () => {
    assert.throws(() => createLlmTyper({ url: 'ftp://host', model: 'm' }, lexicon), (e: unknown) => e instanceof KhabarError && e.code === 'E_USAGE');
    assert.throws(() => createLlmTyper({ url: base, model: ' ' }, lexicon), (e: unknown) => e instanceof KhabarError && e.code === 'E_USAGE');
    assert.throws(() => createLlmTyper({ url: base, model: 'm', maxConcurrency: 0 }, lexicon), (e: unknown) => e instanceof KhabarError && e.code === 'E_USAGE');
  });

  const urls: [string, string][] = [
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/v1/chat/completions'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/v1/chat/completions'],
    ['http://localhost:11434/v1', 'http://localhost:11434/v1/chat/completions'],
    ['https://h/x/v1/chat/completions', 'https://h/x/v1/chat/completions'],
  ];
  for (const [given, want] of urls) {
    test(`llm backend endpoint of ${given}`, () => assert.equal(chatCompletionsUrl(given), want));
  }
});

// ---- policy and classifyTextWithBackend ----------------------------------------------------------

describe('backend policy', () => {
  const cases: { name: string; cands: number[]; main: number | null; mask: number; ask: boolean; reason: string }[] = [
    { name: 'confident rules', cands: [0.72], main: 0.72, mask: 0, ask: false, reason: 'confident' },
    { name: 'unsure rules', cands: [0.52], main: 0.52, mask: 0, ask: true, reason: 'unsure' },
    { name: 'only a non-asserted candidate, unsure', cands: [0.39], main: null, mask: 0, ask: true, reason: 'unsure' },
    { name: 'nothing found, weapon cue', cands: [], main: null, mask: cueBit('weapon'), ask: true, reason: 'cue_only' },
    { name: 'nothing found, armed-group cue', cands: [], main: null, mask: cueBit('nonstate'), ask: true, reason: 'cue_only' },
    { name: 'nothing found, only a negation cue', cands: [], main: null, mask: cueBit('negation'), ask: false, reason: 'no_cue' },
    { name: 'nothing found, no cue', cands: [], main: null, mask: 0, ask: false, reason: 'no_cue' },
  ];
  for (const c of cases) {
    test(`backend policy: ${c.name}`, () => {
      assert.deepEqual(decideBackend(c.cands.map((confidence) => ({ confidence })), c.main, c.mask, DEFAULT_POLICY), { ask: c.ask, reason: c.reason });
    });
  }
  test('backend policy scope all asks about confident rules too', () => {
    assert.deepEqual(decideBackend([{ confidence: 0.9 }], 0.9, 0, { ...DEFAULT_POLICY, scope: 'all' }), { ask: true, reason: 'all' });
  });
});

describe('classifyTextWithBackend', () => {
  // Sentences chosen by what the rules do with them, asserted below so the test notices if that changes.
  const CONFIDENT = 'Police arrested 5 protesters in Lagos.';
  const CUE_ONLY = 'Militants are said to be active near the border.';
  const NOTHING = 'The weather was nice on Sunday.';

  test('classifyTextWithBackend does not send confident results or texts without a conflict cue', async () => {
    reset(() => ({ content: JSON.stringify(SHELLING) }));
    const llm = typer();
    assert.ok(classifyText(CONFIDENT, lexicon).confidence >= DEFAULT_POLICY.minConfidence);
    for (const text of [CONFIDENT, NOTHING]) {
      const r = await classifyTextWithBackend(text, lexicon, llm);
      const { backend, ...rest } = r;
      assert.equal(backend.asked, false);
      assert.deepEqual(rest, classifyText(text, lexicon));
    }
    assert.equal(seen.length, 0);
  });

  test('classifyTextWithBackend replaces the rules where they found nothing but a cue, with the trigger located', async () => {
    assert.equal(classifyText(CUE_ONLY, lexicon).events.length, 0);
    reset(() => ({ content: JSON.stringify({ ...SHELLING, event_type: 'MOBILIZE', mode: 'troops', acled_event_type: 'Strategic developments', acled_sub_event_type: 'Other', trigger: 'ACTIVE' }) }));
    const r = await classifyTextWithBackend(CUE_ONLY, lexicon, typer());
    assert.deepEqual(r.backend, { name: 'llm', asked: true, reason: 'cue_only', used: true });
    assert.equal(r.event_type, 'MOBILIZE');
    assert.equal(r.acled_sub_event_type, 'Other');
    assert.deepEqual(r.trigger, { start: CUE_ONLY.indexOf('active'), end: CUE_ONLY.indexOf('active') + 6, text: 'active' });
    assert.equal(r.events.length, 1);
    assert.equal(r.confidence, 0.7);
  });

  test('classifyTextWithBackend keeps the rules result exactly when the backend fails', async () => {
    reset(() => ({ status: 503, rawBody: 'busy' }));
    const llm = typer();
    const r = await classifyTextWithBackend(CUE_ONLY, lexicon, llm, { policy: { scope: 'all' } });
    const { backend, ...rest } = r;
    assert.deepEqual(backend, { name: 'llm', asked: true, reason: 'cue_only', used: false });
    assert.deepEqual(rest, classifyText(CUE_ONLY, lexicon));
    assert.equal(llm.stats.fallbacks.http, 1);
  });

  test('classifyTextWithBackend: a non-asserted answer leaves no main event but lists the mention', async () => {
    reset(() => ({ content: JSON.stringify({ ...SHELLING, modality: 'threat', trigger: null }) }));
    const r = await classifyTextWithBackend(CUE_ONLY, lexicon, typer());
    assert.equal(r.event_type, null);
    assert.equal(r.events[0]?.modality, 'threat');
  });

  const triggers: [string, string | null, { start: number; end: number; text: string } | null][] = [
    ['Troops shelled Idlib.', 'shelled', { start: 7, end: 14, text: 'shelled' }],
    ['Troops SHELLED Idlib.', 'shelled', { start: 7, end: 14, text: 'SHELLED' }],
    ['Troops shelled Idlib.', 'bombed', null],
    ['Troops shelled Idlib.', null, null],
  ];
  for (const [text, words, want] of triggers) {
    test(`locateTrigger finds ${String(words)} in "${text}"`, () => assert.deepEqual(locateTrigger(text, words), want));
  }
});

// ---- pre-pass and refiner ------------------------------------------------------------------------

function article(id: string, text: string): Article {
  return { id, date: '2024-05-01', title: null, rawText: text, url: null, source: null, language: 'en', origin: { file: '-', line: null } };
}

describe('backend pre-pass', () => {
  const textStages = new Pipeline([normalizeStage, sentenceStage, tokenStage], { knowledge: {} });

  test('createEventRefiner swaps only the answered sentence, keeping order', () => {
    const doc = textStages.run(article('a', 'Rebels ambushed a convoy. Militants are said to be active near the border. Police arrested 5 protesters.'));
    const rules = detectEvents(doc, lexicon);
    const second = doc.sentences[1]!;
    const answer: TypingAnswer = { ...SHELLING, trigger: 'active', category: null, modality: 'asserted', confidence: 0.7 } as TypingAnswer;
    const refined = createEventRefiner(new Map([[doc.text.slice(second.start, second.end), answer]]))(doc, rules);
    assert.deepEqual(refined.filter((c) => c.sentence !== 1), rules.filter((c) => c.sentence !== 1));
    const added = refined.filter((c) => c.sentence === 1);
    assert.equal(added.length, 1);
    assert.equal(added[0]!.event_type, 'ASSAULT');
    assert.equal(doc.text.slice(added[0]!.trigger.start, added[0]!.trigger.end), 'active');
    assert.deepEqual(refined.map((c) => c.sentence), [...refined.map((c) => c.sentence)].sort((x, y) => x - y));
  });

  test('createEventRefiner: a "no event" answer removes the sentence\'s rule candidates', () => {
    const doc = textStages.run(article('b', 'Police arrested 5 protesters.'));
    const rules = detectEvents(doc, lexicon);
    assert.ok(rules.length > 0);
    const s = doc.sentences[0]!;
    const none: TypingAnswer = { event_type: null, mode: null, acled_event_type: null, acled_sub_event_type: null, category: null, modality: 'asserted', trigger: null, confidence: 0.7 };
    assert.deepEqual(createEventRefiner(new Map([[doc.text.slice(s.start, s.end), none]]))(doc, rules), []);
  });

  test('prepareEventBackend asks once per distinct selected sentence and returns a working refiner', async () => {
    reset(() => ({ content: JSON.stringify({ ...SHELLING, trigger: 'active' }) }));
    const cue = 'Militants are said to be active near the border.';
    const articles = [article('1', `${cue} The weather was nice.`), article('2', `Police arrested 5 protesters in Lagos. ${cue}`)];
    const llm = typer();
    const { refiner, asked, answered } = await prepareEventBackend(articles, { eventLexicon: lexicon }, llm);
    assert.deepEqual([asked, answered, seen.length], [1, 1, 1]);
    const doc = textStages.run(articles[1]!);
    const out = refiner(doc, detectEvents(doc, lexicon));
    assert.ok(out.some((c) => c.event_type === 'ASSAULT' && doc.text.slice(c.trigger.start, c.trigger.end) === 'active'));
  });
});

// ---- ONNX backend --------------------------------------------------------------------------------

describe('onnx backend', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'khabar-onnx-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function writeModel(map: unknown, id2label?: Record<string, string>): string {
    const d = mkdtempSync(join(dir, 'model-'));
    writeFileSync(join(d, 'khabar-labels.json'), JSON.stringify(map));
    if (id2label) writeFileSync(join(d, 'config.json'), JSON.stringify({ id2label }));
    return d;
  }
  const MAP = {
    min_score: 0.5,
    labels: {
      AIR: { event_type: 'ASSAULT', mode: 'aerial', acled_sub_event_type: 'Air/drone strike' },
      PROTEST: { event_type: 'PROTEST', mode: 'demo', acled_event_type: 'Protests', acled_sub_event_type: 'Peaceful protest' },
      QUAKE: { category: 'NATURAL_DISASTER' },
      NONE: null,
    },
  };
  const fake = (label: string, score: number): TextClassifier => async () => [{ label, score }, { label: 'NONE', score: 1 - score }];

  const mapped: { label: string; want: Partial<TypingAnswer> | null }[] = [
    { label: 'AIR', want: { event_type: 'ASSAULT', mode: 'aerial', acled_event_type: 'Explosions/Remote violence', acled_sub_event_type: 'Air/drone strike', category: null, modality: 'asserted', confidence: 0.91 } },
    { label: 'PROTEST', want: { event_type: 'PROTEST', acled_event_type: 'Protests', acled_sub_event_type: 'Peaceful protest', confidence: 0.91 } },
    { label: 'QUAKE', want: { event_type: null, acled_sub_event_type: null, category: 'NATURAL_DISASTER', confidence: 0.91 } },
    { label: 'NONE', want: { event_type: null, acled_sub_event_type: null, category: null, confidence: 0.91 } },
  ];
  for (const m of mapped) {
    test(`onnx backend maps model label ${m.label} to our labels`, async () => {
      const onnx = await createOnnxTyper({ modelDir: writeModel(MAP), classifier: fake(m.label, 0.91) }, lexicon);
      const a = await onnx.type({ text: 'x', candidate: null });
      assert.ok(a);
      for (const [k, v] of Object.entries(m.want!)) assert.deepEqual(a[k as keyof TypingAnswer], v, k);
      assert.equal(onnx.stats.used, 1);
    });
  }

  test('onnx backend falls back below min_score and on a label the map lacks, counted', async () => {
    const log: string[] = [];
    const low = await createOnnxTyper({ modelDir: writeModel(MAP), classifier: fake('AIR', 0.3), log: (l) => log.push(l) }, lexicon);
    assert.equal(await low.type({ text: 'x', candidate: null }), null);
    assert.equal(low.stats.fallbacks.low_score, 1);
    const odd = await createOnnxTyper({ modelDir: writeModel(MAP), classifier: async () => [{ label: 'LABEL_9', score: 0.99 }], log: (l) => log.push(l) }, lexicon);
    assert.equal(await odd.type({ text: 'x', candidate: null }), null);
    assert.equal(odd.stats.fallbacks.invalid, 1);
    const broken = await createOnnxTyper({ modelDir: writeModel(MAP), classifier: async () => { throw new Error('session died'); }, log: (l) => log.push(l) }, lexicon);
    assert.equal(await broken.type({ text: 'x', candidate: null }), null);
    assert.equal(broken.stats.fallbacks.error, 1);
    assert.equal(log.length, 3);
  });

  const badMaps: { name: string; map: unknown; id2label?: Record<string, string>; says: RegExp }[] = [
    { name: 'a label outside ACLED', map: { labels: { X: { event_type: 'ASSAULT', acled_sub_event_type: 'Carpet bombing' } } }, says: /label "X".*not an ACLED sub-event type/ },
    { name: 'a mode of another type', map: { labels: { X: { event_type: 'PROTEST', mode: 'aerial' } } }, says: /not a mode of PROTEST/ },
    { name: 'no labels object', map: { min_score: 0.5 }, says: /labels/ },
    { name: 'a model label left unmapped', map: MAP, id2label: { 0: 'AIR', 1: 'SHELLING' }, says: /does not map the model labels "SHELLING"/ },
  ];
  for (const b of badMaps) {
    test(`onnx backend refuses a label map with ${b.name}`, async () => {
      await assert.rejects(
        createOnnxTyper({ modelDir: writeModel(b.map, b.id2label), classifier: fake('AIR', 0.9) }, lexicon),
        (e: unknown) => e instanceof KhabarError && e.code === 'E_BACKEND' && b.says.test(e.message),
      );
    });
  }

  test('onnx backend tells how to install @huggingface/transformers when an import finds it missing', async () => {
    const missing = async (name: string): Promise<unknown> => {
      throw Object.assign(new Error(`Cannot find package '${name}' imported from x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    await assert.rejects(createOnnxTyper({ modelDir: writeModel(MAP), importer: missing }, lexicon), (e: unknown) =>
      e instanceof KhabarError && e.code === 'E_BACKEND' && e.message.includes('npm install @huggingface/transformers') && e.message.includes('onnxruntime-node-install=skip'));
  });

  test('onnx backend without the package installed gives the install error', async (t) => {
    let installed = true;
    try {
      await import('@huggingface/transformers' as string);
    } catch {
      installed = false;
    }
    if (installed) {
      t.skip('@huggingface/transformers is installed here, so the missing-package error cannot show');
      return;
    }
    await assert.rejects(createOnnxTyper({ modelDir: writeModel(MAP) }, lexicon), (e: unknown) =>
      e instanceof KhabarError && e.code === 'E_BACKEND' && /npm install @huggingface\/transformers/.test(e.message));
  });

  test('onnx backend refuses a model folder that does not exist', async () => {
    await assert.rejects(createOnnxTyper({ modelDir: join(dir, 'nope'), classifier: fake('AIR', 0.9) }, lexicon), (e: unknown) => e instanceof KhabarError && e.code === 'E_BACKEND');
  });
});

// ---- flags ---------------------------------------------------------------------------------------

describe('backend flags', () => {
  test('backend flags: no --backend means rules only, even with KHABAR_LLM_URL set', async () => {
    assert.equal(await backendFromFlags({}, lexicon, 'classify', { KHABAR_LLM_URL: base, KHABAR_LLM_MODEL: 'm' }), null);
  });
  const usage: { name: string; values: Record<string, string>; env?: Record<string, string>; says: RegExp }[] = [
    { name: '--llm-url without --backend', values: { 'llm-url': 'http://x' }, says: /--llm-url needs --backend llm/ },
    { name: 'llm without a URL', values: { backend: 'llm', 'llm-model': 'm' }, says: /needs --llm-url/ },
    { name: 'llm without a model', values: { backend: 'llm', 'llm-url': 'http://x' }, says: /needs --llm-model/ },
    { name: 'onnx without a folder', values: { backend: 'onnx' }, says: /needs --model-dir/ },
    { name: 'an unknown backend', values: { backend: 'gpt' }, says: /takes llm or onnx/ },
    { name: 'a bad timeout', values: { backend: 'llm', 'llm-url': 'http://x', 'llm-model': 'm', 'llm-timeout': 'soon' }, says: /--llm-timeout takes/ },
    { name: 'a bad min confidence', values: { 'backend-min-confidence': '2' }, says: /from 0 to 1/ },
  ];
  for (const u of usage) {
    test(`backend flags refuse ${u.name}`, async () => {
      await assert.rejects(backendFromFlags(u.values, lexicon, 'classify', u.env ?? {}), (e: unknown) => e instanceof KhabarError && e.code === 'E_USAGE' && u.says.test(e.message));
    });
  }
  test('backend flags take URL and model from the environment once --backend llm is given', async () => {
    reset(() => ({ content: JSON.stringify(SHELLING) }));
    const chosen = await backendFromFlags({ backend: 'llm', 'backend-min-confidence': '0.8' }, lexicon, 'classify', { KHABAR_LLM_URL: base, KHABAR_LLM_MODEL: 'env-model' });
    assert.ok(chosen);
    assert.equal(chosen.policy.minConfidence, 0.8);
    await chosen.backend.type({ text: 'Rebels pounded the town.', candidate: null });
    assert.equal(seen[0]?.body.model, 'env-model');
  });
});
