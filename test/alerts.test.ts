/**
 * Watch rules end to end: a feed on a loopback fixture server is polled, its article goes through
 * the real pipeline, and each matching rule fires once: a JSON line, a stored hit, and a webhook POST
 * retried after a 500.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkAlerts, jsonLinesSink, postWebhook, webhookSink, type AlertMessage } from '../src/alerts/index.js';
import { createPipeline, loadKnowledge } from '../src/extract.js';
import { inProcessExtractor, type Extractor } from '../src/ingest/process.js';
import { HostLimiter, Watcher } from '../src/sources/index.js';
import { openStore } from '../src/store/index.js';
import { tempDir } from './helpers.js';
import { startFixtureServer, type FixtureServer } from './sources-server.js';

let server: FixtureServer;
let extractor: Extractor;
before(async () => {
  server = await startFixtureServer();
  extractor = inProcessExtractor(createPipeline(await loadKnowledge()));
});
after(() => server.close());

/** A webhook route answering the given statuses in turn (then 200), keeping each body received. */
function hook(path: string, statuses: number[]): { bodies: AlertMessage[]; answers: number[] } {
  const got = { bodies: [] as AlertMessage[], answers: [] as number[] };
  server.route(path, (req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => {
      got.bodies.push(JSON.parse(data) as AlertMessage);
      const status = statuses[got.answers.length] ?? 200;
      got.answers.push(status);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'try later');
    });
  });
  return got;
}

describe('alerts', () => {
  test('a matching event fires once per rule: JSON line, stored hit, webhook retried after a 500', async () => {
    const tmp = tempDir('khabar-alerts-');
    const store = await openStore(join(tmp.dir, 'k.db'));
    try {
      const received = hook('/hook', [500]);
      await store.addAlertRule({ name: 'ISKP near Jalalabad', filter: { near: { lat: 34.43, lon: 70.45, km: 40 }, type: 'ASSAULT' }, webhook: `${server.base}/hook` });
      await store.addAlertRule({ name: 'Nangarhar', filter: { admin1: 'Nangarhar' }, webhook: null });
      await store.addAlertRule({ name: 'Somalia', filter: { country: 'SO' }, webhook: `${server.base}/hook` });
      await store.addSource({ name: 'Frontier Wire', location: `${server.base}/rss.xml`, every_s: 900 });
      const lines: string[] = [];
      const sinks = [jsonLinesSink((l) => lines.push(l)), webhookSink({ baseDelayMs: 10 })];
      const deliveries: { ok: boolean; attempts: number }[] = [];
      const clock = { ms: Date.now() + 1000 };
      const watcher = new Watcher({
        store,
        extractor,
        limiter: new HostLimiter(0),
        now: () => clock.ms,
        onArticles: async (ids) => {
          deliveries.push(...(await checkAlerts(store, ids, sinks)).deliveries);
        },
      });
      const [out] = await watcher.pollDue();
      assert.equal(out?.poll.new, 2, out?.poll.error ?? JSON.stringify(out?.poll.item_errors));

      const messages = lines.map((l) => JSON.parse(l) as AlertMessage);
      const iskp = messages.filter((m) => m.rule === 'ISKP near Jalalabad');
      assert.equal(iskp.length, 1, JSON.stringify(iskp.map((m) => m.event.event_type)));
      const event = iskp[0]!.event;
      assert.equal(event.event_type, 'ASSAULT');
      assert.equal(event.location?.admin1, 'Nangarhar');
      assert.equal(event.fatalities, 3);
      // The region rule fires for that event too (and for any other event placed in Nangarhar), never twice.
      const region = messages.filter((m) => m.rule === 'Nangarhar');
      assert.ok(region.some((m) => m.event_id === event.event_id));
      assert.ok(region.every((m) => m.event.location?.admin1 === 'Nangarhar'));
      assert.equal(new Set(messages.map((m) => `${m.rule}|${m.event_id}`)).size, messages.length);
      assert.ok(messages.every((m) => m.rule !== 'Somalia'));

      // One webhook delivery (the Somalia rule did not match): a 500, then accepted on the retry.
      assert.deepEqual(received.answers, [500, 200]);
      assert.deepEqual(received.bodies.map((b) => [b.rule, b.event_id]), [['ISKP near Jalalabad', event.event_id], ['ISKP near Jalalabad', event.event_id]]);
      assert.deepEqual(deliveries.filter((d) => d.attempts > 1), [{ sink: 'webhook', hit_id: received.bodies[0]!.hit_id, ok: true, attempts: 2, error: null }]);

      const hits = await store.listAlertHits();
      assert.deepEqual(hits.map((h) => `${h.rule_name}|${h.event_id}`).sort(), messages.map((m) => `${m.rule}|${m.event_id}`).sort());

      // Checking the same articles again, and polling again (a 304), fires nothing new.
      const again = await checkAlerts(store, out!.articleIds, sinks);
      assert.deepEqual(again.hits, []);
      clock.ms += 16 * 60_000;
      const [second] = await watcher.pollDue();
      assert.equal(second?.poll.status, 'not_modified');
      assert.equal(lines.length, messages.length);
      assert.equal(received.bodies.length, 2);
      assert.equal((await store.listAlertHits()).length, messages.length);
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });

  test('postWebhook retries 5xx with back-off up to its attempts, and does not retry a 4xx', async () => {
    const down = hook('/hook-down', [503, 503, 503]);
    const delays: number[] = [];
    const sleep = async (ms: number): Promise<void> => void delays.push(ms);
    const message = { rule: 'r', rule_id: 1, hit_id: 1, event_id: 'e', cluster_id: null, article_id: 'a', at: 'now', event: {} } as unknown as AlertMessage;
    const r1 = await postWebhook(`${server.base}/hook-down`, message, { attempts: 3, baseDelayMs: 100, sleep });
    assert.deepEqual(r1, { ok: false, attempts: 3, error: 'HTTP 503' });
    assert.deepEqual(delays, [100, 200]);
    assert.equal(down.answers.length, 3);
    const bad = hook('/hook-bad', [400]);
    const r2 = await postWebhook(`${server.base}/hook-bad`, message, { attempts: 3, baseDelayMs: 1, sleep });
    assert.deepEqual(r2, { ok: false, attempts: 1, error: 'HTTP 400' });
    assert.equal(bad.answers.length, 1);
    const r3 = await postWebhook('http://127.0.0.1:1/nothing-listens', message, { attempts: 2, baseDelayMs: 1, sleep });
    assert.equal(r3.ok, false);
    assert.equal(r3.attempts, 2);
    assert.match(r3.error ?? '', /fetch failed/);
  });
});
