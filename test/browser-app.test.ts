/**
 * The web app in a real browser (Debian's Chromium through playwright-core): the demo articles through
 * the real pipeline, markers on the map, the timeline brush filtering the list, an event with its
 * evidence highlighted, the actor view, keyboard use, and an article carrying script that stays inert.
 * Screenshots of the main views go to test-results/. Skips when /usr/bin/chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createPipeline, loadKnowledge } from '../src/extract.js';
import { parseDatedText, readInputs } from '../src/ingest/index.js';
import { inProcessExtractor, processItems, type IngestItem } from '../src/ingest/process.js';
import { PACKAGE_ROOT, dataPath } from '../src/paths.js';
import { startServer, type RunningServer } from '../src/server/app.js';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/store.js';
import { tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = join(PACKAGE_ROOT, 'test-results');
const MARKER_WORD = 'xylophonists';

/** An article whose title and text carry markup and script; a unique word finds it. */
const INJECTION = [
  'date 2024-11-20 Market attack <img src=x onerror="window.__pwned=3"> in Kandahar',
  `Gunmen killed five ${MARKER_WORD} in an attack on a market in Kandahar on Tuesday, police said. <script>window.__pwned=1</script>`,
  '<img src=x onerror="window.__pwned=2"> The attackers fled on motorcycles, the provincial police chief told reporters.',
].join('\n');

let dir: { dir: string; cleanup: () => void };
let store: Store;
let server: RunningServer;
let context: BrowserContext;
let page: Page;

async function loaded(p: Page, after = 0): Promise<number> {
  await p.waitForFunction((n) => Number(document.body.dataset.loaded ?? 0) > n, after);
  return Number(await p.evaluate(() => document.body.dataset.loaded));
}

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name) });
}

describe('web app in Chromium', { skip: HAVE_CHROMIUM ? false : `Chromium is not at ${CHROMIUM}: install it (apt-get install -y chromium) to run the browser tests` }, () => {
  before(async () => {
    dir = tempDir('khabar-browser-');
    store = await openStore(join(dir.dir, 'demo.db'));
    const extractor = inProcessExtractor(createPipeline(await loadKnowledge()));
    const injection = parseDatedText(INJECTION, 'injection.txt');
    assert.equal(injection.kind, 'article');
    async function* items(): AsyncGenerator<IngestItem> {
      for await (const item of readInputs([dataPath('demo')])) yield item;
      yield injection;
    }
    const summary = await processItems(items(), store, extractor);
    assert.equal(summary.inserted, readdirSync(dataPath('demo')).filter((f) => f.endsWith('.txt')).length + 1);
    server = await startServer({ store, port: 0, log: () => {} });
    context = await chromium.launchPersistentContext(join(dir.dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Nothing may leave the machine: any request not to our server fails the test.
    await page.route('**/*', (route) => (route.request().url().startsWith(server.url) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const offsite: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) offsite.push(r.url());
    });
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(server.url);
    await loaded(page);
    assert.deepEqual(offsite, []);
  });

  after(async () => {
    await context?.close();
    await server?.close();
    await store?.close();
    dir?.cleanup();
  });

  test('the map shows the events as markers and clusters, coloured by type', async () => {
    const total = (await store.countEvents({})) as number;
    const placed = (await store.queryEvents({ limit: 10_000 })).filter((e) => e.location?.lat != null).length;
    assert.ok(placed > 10);
    const markers = await page.$$eval('.marker', (els) =>
      els.map((el) => (el.classList.contains('cluster') ? Number(el.getAttribute('data-count')) : 1)),
    );
    assert.ok(markers.length > 3, `markers: ${markers.length}`);
    // Markers and clusters together stand for every placed event that is in view (the world at first).
    assert.equal(markers.reduce((a, b) => a + b, 0), placed);
    assert.ok(await page.$('.land'), 'the base map is drawn');
    assert.match((await page.textContent('#list-title')) ?? '', new RegExp(`^${total} events`));
    await shot('app-main.png');
  });

  test('zooming in on the biggest cluster splits it', async () => {
    const clusters = await page.$$eval('.marker.cluster', (els) => els.map((el) => ({ n: Number(el.getAttribute('data-count')), r: el.getBoundingClientRect() })));
    const biggest = clusters.sort((a, b) => b.n - a.n)[0]!;
    await page.mouse.move(biggest.r.x + biggest.r.width / 2, biggest.r.y + biggest.r.height / 2);
    for (let i = 0; i < 2; i++) await page.mouse.wheel(0, -300);
    await page.waitForTimeout(200);
    const after = await page.$$eval('.marker', (els) => els.map((el) => (el.classList.contains('cluster') ? Number(el.getAttribute('data-count')) : 1)));
    assert.ok(after.length > 0, 'markers still in view');
    assert.ok(Math.max(...after) < biggest.n, `the biggest cluster (${biggest.n}) is split: now at most ${Math.max(...after)}`);
    await shot('app-map-zoomed.png');
    await page.click('button[aria-label="Fit the map to the events"]');
  });

  test('brushing the timeline filters the list, and every listed event is in the range', async () => {
    const countOf = async (): Promise<number> => Number(/^(\d+)/.exec((await page.textContent('#list-title')) ?? '')?.[1]);
    const before = await countOf();
    const seq = Number(await page.evaluate(() => document.body.dataset.loaded));
    const box = (await page.locator('#timeline svg').boundingBox())!;
    const y = box.y + box.height * 0.5;
    await page.mouse.move(box.x + box.width * 0.55, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, y, { steps: 8 });
    await page.mouse.up();
    await loaded(page, seq);
    const after = await countOf();
    assert.ok(after > 0 && after < before, `list went from ${before} to ${after}`);
    const from = await page.inputValue('input[name=from]');
    const to = await page.inputValue('input[name=to]');
    assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(from < to);
    const dates = await page.$$eval('.event-item .ev-date', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(dates.length > 0);
    for (const d of dates) assert.ok(d >= from && d <= to, `${d} is within ${from}..${to}`);
    assert.match((await page.getAttribute('#export-csv', 'href')) ?? '', new RegExp(`from=${from}&to=${to}`));
    assert.match((await page.textContent('#brush-label')) ?? '', new RegExp(from));
    await shot('app-brushed.png');
    const seq2 = Number(await page.evaluate(() => document.body.dataset.loaded));
    await page.click('#brush-clear');
    await loaded(page, seq2);
    assert.equal(await countOf(), before);
  });

  test('opening an event shows its fields, reports and the article with its evidence and entities highlighted', async () => {
    const item = page.locator('.event-item').first();
    const id = await item.getAttribute('data-event-id');
    await item.click();
    await page.waitForSelector('.article-text mark.evidence');
    const event = (await store.getEvent(id!))!;
    const evidence = await page.$$eval('.article-text mark.evidence', (els) => els.map((e) => e.textContent ?? '').join(''));
    // Every evidence sentence of the event is highlighted (the marks may be split by entity marks).
    for (const ev of event.evidence_all ?? [event.evidence]) assert.ok(evidence.replace(/\s+/g, ' ').includes(ev.text.replace(/\s+/g, ' ').slice(0, 40)), ev.text);
    const kinds = await page.$$eval('.article-text mark.ent', (els) => [...new Set(els.flatMap((e) => [...e.classList].filter((c) => c.startsWith('ent-'))))]);
    assert.ok(kinds.length >= 2, `entity kinds highlighted: ${kinds.join(', ')}`);
    assert.match((await page.textContent('#panel .fields')) ?? '', new RegExp(event.event_type));
    assert.ok((await page.$$('#panel .reports li')).length >= 1);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'panel-title');
    await shot('app-event.png');
  });

  test('Esc closes the panel and gives focus back; Enter on a list item opens it', async () => {
    await page.keyboard.press('Escape');
    assert.equal(await page.isHidden('#panel'), true);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('event-item')), true);
    await page.focus('.event-item >> nth=1');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel:not([hidden]) .article-text');
    await page.keyboard.press('Escape');
    assert.equal(await page.isHidden('#panel'), true);
  });

  test('the actor view: profile, activity and counterparts', async () => {
    const seq = Number(await page.evaluate(() => document.body.dataset.loaded));
    await page.fill('input[name=actor]', 'taliban');
    await page.click('#filters button[type=submit]');
    await loaded(page, seq);
    await page.locator('.event-item').first().click();
    await page.waitForSelector('.actor-link');
    await page.locator('.actor-link').first().click();
    await page.waitForSelector('#panel[data-view=actor] .activity');
    const name = await page.textContent('#panel-title');
    assert.ok(name && name.length > 0);
    assert.match((await page.textContent('#panel .fields')) ?? '', /Events\s*\d+/);
    assert.ok((await page.$$('#panel .activity rect')).length >= 1);
    const counterparts = await page.$$eval('#panel .network .node[data-actor]', (els) => els.length);
    assert.ok(counterparts >= 1, 'the network shows counterparts');
    await page.locator('#panel .network').scrollIntoViewIfNeeded();
    await shot('app-actor.png');
    await page.keyboard.press('Escape');
    const seq2 = Number(await page.evaluate(() => document.body.dataset.loaded));
    await page.click('#filters button[type=reset]');
    await loaded(page, seq2);
  });

  test('an article with script and markup is shown as text and nothing runs', async () => {
    const seq = Number(await page.evaluate(() => document.body.dataset.loaded));
    await page.fill('input[name=q]', MARKER_WORD);
    await page.click('#filters button[type=submit]');
    await loaded(page, seq);
    assert.ok((await page.$$('.event-item')).length >= 1, 'the injection article has an event');
    await page.locator('.event-item').first().click();
    await page.waitForSelector('.article-text');
    const text = (await page.textContent('.article-text')) ?? '';
    assert.ok(text.includes('<script>window.__pwned=1</script>'), 'the script tag is shown literally');
    assert.ok(text.includes('<img src=x onerror="window.__pwned=2">'), 'the img tag is shown literally');
    assert.match((await page.textContent('#panel')) ?? '', /<img src=x onerror="window.__pwned=3">/);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.$$eval('#panel script, #panel img, #event-list img, #event-list script', (els) => els.length), 0);
    await shot('app-injection.png');
  });
});
