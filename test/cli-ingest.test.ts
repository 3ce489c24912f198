/**
 * End to end through the built CLI: every input format goes in, bad input is quarantined while the
 * batch goes on, re-ingest adds nothing, and `extract` prints results whose spans match their text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from './helpers.js';
import type { ArticleResult } from '../src/types.js';

const DATED = `date 2024-03-14 Gunmen kill three police officers in Bannu
Gunmen killed three police officers at a checkpoint in Bannu district on Wednesday night, a police spokesman said on Thursday.
Two other officers were wounded in the attack, he added.`;

const DATED_2 = `date 2024-05-02 Thousands of students marched through the centre of Dhaka on Thursday, demanding an end to job quotas, organisers said.`;

function jsonl(records: unknown[]): string {
  return `${records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
}

function count(db: string, table: string): number {
  const c = new Database(db, { readonly: true });
  const n = (c.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  c.close();
  return n;
}

test('cli ingest reads dated files, JSONL, folders and stdin; quarantines bad input; re-ingest adds nothing', () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'news', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'news', 'bannu.txt'), DATED);
    writeFileSync(join(dir, 'news', 'deep', 'dhaka.txt'), DATED_2);
    writeFileSync(join(dir, 'news', 'undated.txt'), 'Soldiers clashed with rebels near Goma on Monday.');
    writeFileSync(
      join(dir, 'batch.jsonl'),
      jsonl([
        { id: 'j1', date: '2024-06-01', text: 'Rebels attacked an army post near Beni, killing four soldiers, the army said.' },
        '{"date": "2024-06-02", "text": "broken',
        { id: 'j3', date: '2024-02-30', text: 'An impossible date.' },
        { id: 'j4', date: '2024-06-03', text: '   ' },
        { id: 'j5', date: '2024-06-04', title: 'Strike in Gaza', text: 'An air strike hit a house in Gaza City on Tuesday, killing six people, medics said.' },
      ]),
    );
    const db = join(dir, 'k.db');

    const first = runCli(['ingest', join(dir, 'news'), join(dir, 'batch.jsonl'), '--db', db, '--json', '--workers', '1']);
    assert.equal(first.code, 0, first.stderr);
    const s1 = JSON.parse(first.stdout.trim()) as { read: number; inserted: number; duplicates: number; quarantined: number };
    assert.equal(s1.inserted, 4, first.stdout);
    assert.equal(s1.quarantined, 4);
    assert.match(first.stderr, /batch\.jsonl:2/);
    assert.match(first.stderr, /batch\.jsonl:3.*E_INGEST_DATE/);
    assert.match(first.stderr, /undated\.txt/);
    assert.equal(count(db, 'articles'), 4);
    assert.equal(count(db, 'quarantine'), 4);

    const again = runCli(['ingest', join(dir, 'news'), join(dir, 'batch.jsonl'), '--db', db, '--json', '--workers', '1']);
    const s2 = JSON.parse(again.stdout.trim()) as { inserted: number; duplicates: number };
    assert.equal(s2.inserted, 0);
    assert.equal(s2.duplicates, 4);
    assert.equal(count(db, 'articles'), 4);

    const piped = runCli(['ingest', '-', '--db', db, '--json', '--workers', '1'], { input: DATED_2.replace('Thursday', 'Friday') });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal((JSON.parse(piped.stdout.trim()) as { inserted: number }).inserted, 1);
  } finally {
    cleanup();
  }
});

test('cli ingest exits non-zero only when nothing at all could be read', () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'bad.txt'), 'no date line here');
    const r = runCli(['ingest', join(dir, 'bad.txt'), join(dir, 'missing.txt'), '--db', join(dir, 'k.db'), '--workers', '1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /missing\.txt/);
    const usage = runCli(['ingest', join(dir, 'bad.txt')]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--db/);
  } finally {
    cleanup();
  }
});

test('cli extract prints article results whose every span equals the text at its offsets', () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'a.txt'), DATED);
    const r = runCli(['extract', join(dir, 'a.txt')]);
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(r.stdout) as ArticleResult[];
    assert.equal(results.length, 1);
    const result = results[0]!;
    assert.equal(result.date, '2024-03-14');
    assert.ok(result.text.startsWith('Gunmen kill three police officers in Bannu\nGunmen killed'));
    for (const e of result.entities) assert.equal(result.text.slice(e.start, e.end), e.text);
    for (const ev of result.events) {
      assert.equal(result.text.slice(ev.evidence.start, ev.evidence.end), ev.evidence.text);
      for (const x of ev.evidence_all ?? []) assert.equal(result.text.slice(x.start, x.end), x.text);
    }
    const lines = runCli(['extract', join(dir, 'a.txt'), '--format', 'jsonl']);
    assert.equal(lines.stdout.trim().split('\n').length, 1);
    assert.equal((JSON.parse(lines.stdout) as ArticleResult).article_id, result.article_id);
  } finally {
    cleanup();
  }
});

test('cli answers --help for every command and names an unknown one', () => {
  for (const command of ['ingest', 'extract', 'events', 'search', 'stats', 'quarantine']) {
    const r = runCli([command, '--help']);
    assert.equal(r.code, 0, `${command}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`khabar ${command}`));
  }
  const unknown = runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});
