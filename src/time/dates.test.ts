import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateStage, findDates } from './dates.js';
import { Pipeline } from '../pipeline.js';
import { normalizeStage } from '../text/normalize.js';
import { sentenceStage } from '../text/sentences.js';
import { tokenStage } from '../text/tokens.js';
import { formatDay, parseIsoDay, weekdayOf } from './calendar.js';
import { compileDateLexicon, DateLexiconSchema, loadDateLexicon } from './lexicon.js';
import { dataPath } from '../paths.js';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Case {
  name: string;
  article: string;
  text: string;
  /** The expected mention: its text, first day, last day (when a range) and precision. */
  want: [string, string, string | null, string];
}

// Article dates chosen around year boundaries, leap days and same-weekday articles.
const CASES: Case[] = [
  { name: 'weekday: most recent Sunday before a Wednesday', article: '2024-12-04', text: 'Gunmen attacked the post on Sunday.', want: ['Sunday', '2024-12-01', null, 'day'] },
  { name: 'weekday: Thursday in a Thursday article is that day', article: '2024-12-05', text: 'Police said on Thursday that two men died.', want: ['Thursday', '2024-12-05', null, 'day'] },
  { name: 'weekday: across the year boundary', article: '2024-01-02', text: 'The blast on Sunday killed four.', want: ['Sunday', '2023-12-31', null, 'day'] },
  { name: 'weekday: possessive is a date', article: '2024-12-06', text: "Wednesday's attack was claimed by ISKP.", want: ['Wednesday', '2024-12-04', null, 'day'] },
  { name: 'weekday: with a day part', article: '2024-12-04', text: 'Fighting broke out on Saturday night near the border.', want: ['Saturday night', '2024-11-30', null, 'day'] },
  { name: 'weekday: early hours of', article: '2024-12-04', text: 'They struck in the early hours of Monday.', want: ['Monday', '2024-12-02', null, 'day'] },
  { name: 'weekday: last Sunday in a Sunday article is a week ago', article: '2024-12-08', text: 'It happened last Sunday.', want: ['Sunday', '2024-12-01', null, 'day'] },
  { name: 'weekday: next Sunday is future', article: '2024-12-04', text: 'Talks resume next Sunday.', want: ['Sunday', '2024-12-08', null, 'day'] },
  { name: 'weekday: "will" makes it future', article: '2024-12-03', text: 'Parliament will vote on Thursday.', want: ['Thursday', '2024-12-05', null, 'day'] },
  { name: 'weekday + date: the weekday picks the past year', article: '2022-10-20', text: 'Elections held on Sunday, 31 October were disputed.', want: ['Sunday, 31 October', '2021-10-31', null, 'day'] },
  { name: 'weekday + date: the weekday picks the coming date', article: '2022-10-20', text: 'Elections are set for Monday, 31 October.', want: ['Monday, 31 October', '2022-10-31', null, 'day'] },
  { name: 'day-month: 30 November in a December article', article: '2024-12-02', text: 'He arrived on 30 November.', want: ['30 November', '2024-11-30', null, 'day'] },
  { name: 'day-month: 30 December in a January article', article: '2025-01-03', text: 'The offensive began on 30 December.', want: ['30 December', '2024-12-30', null, 'day'] },
  { name: 'day-month: 5 January in a December article is past', article: '2024-12-10', text: 'The deal signed on 5 January collapsed.', want: ['5 January', '2024-01-05', null, 'day'] },
  { name: 'day-month: "will" makes it future', article: '2024-12-10', text: 'The court will rule on 5 January.', want: ['5 January', '2025-01-05', null, 'day'] },
  { name: 'day-month: ordinal and "of"', article: '2024-12-10', text: 'On the 3rd of December troops withdrew.', want: ['3rd of December', '2024-12-03', null, 'day'] },
  { name: 'month-day: abbreviation with a dot', article: '2024-12-10', text: 'The raid on Nov. 30 killed two.', want: ['Nov. 30', '2024-11-30', null, 'day'] },
  { name: 'month-day: full date with year', article: '2024-12-10', text: 'It was signed on November 30, 2023 in Doha.', want: ['November 30, 2023', '2023-11-30', null, 'day'] },
  { name: 'day-month-year', article: '2024-12-10', text: 'It was signed on 30 November 2023 in Doha.', want: ['30 November 2023', '2023-11-30', null, 'day'] },
  { name: 'ISO date', article: '2024-12-10', text: 'The report is dated 2024-03-14.', want: ['2024-03-14', '2024-03-14', null, 'day'] },
  { name: 'yesterday on 1 March of a leap year', article: '2024-03-01', text: 'Two were killed yesterday.', want: ['yesterday', '2024-02-29', null, 'day'] },
  { name: 'today', article: '2024-03-01', text: 'Protests continued today.', want: ['today', '2024-03-01', null, 'day'] },
  { name: 'overnight is the day before', article: '2024-01-01', text: 'Rockets hit the city overnight.', want: ['overnight', '2023-12-31', null, 'day'] },
  { name: 'last night', article: '2024-12-04', text: 'Shelling resumed last night.', want: ['last night', '2024-12-03', null, 'day'] },
  { name: 'this morning', article: '2024-12-04', text: 'A bomb exploded this morning.', want: ['this morning', '2024-12-04', null, 'day'] },
  { name: 'two days ago', article: '2024-03-01', text: 'He was abducted two days ago.', want: ['two days ago', '2024-02-28', null, 'day'] },
  { name: 'over the weekend in a Tuesday article is the Saturday and Sunday before', article: '2024-06-25', text: 'Rebels surrendered over the weekend.', want: ['over the weekend', '2024-06-22', '2024-06-23', 'week'] },
  { name: 'over the weekend across the year boundary', article: '2025-01-06', text: 'Raids took place over the weekend.', want: ['over the weekend', '2025-01-04', '2025-01-05', 'week'] },
  { name: 'at the weekend in a Sunday article ends on the article day', article: '2024-06-23', text: 'Protests were held at the weekend.', want: ['at the weekend', '2024-06-22', '2024-06-23', 'week'] },
  { name: 'last weekend in a Sunday article is the weekend before', article: '2024-06-23', text: 'It happened last weekend.', want: ['last weekend', '2024-06-15', '2024-06-16', 'week'] },
  { name: 'last week is the previous calendar week', article: '2024-12-04', text: 'Rallies were held last week.', want: ['last week', '2024-11-25', '2024-12-01', 'week'] },
  { name: 'last week across the year boundary', article: '2025-01-06', text: 'Rallies were held last week.', want: ['last week', '2024-12-30', '2025-01-05', 'week'] },
  { name: 'earlier this month', article: '2024-12-04', text: 'Earlier this month, six were killed.', want: ['Earlier this month', '2024-12-01', '2024-12-04', 'month'] },
  { name: 'last month in January', article: '2024-01-15', text: 'Clashes last month killed 30.', want: ['last month', '2023-12-01', '2023-12-31', 'month'] },
  { name: 'range: between 3 and 5 March', article: '2024-03-10', text: 'Fighting raged between 3 and 5 March.', want: ['between 3 and 5 March', '2024-03-03', '2024-03-05', 'day'] },
  { name: 'range: hyphenated days', article: '2024-03-10', text: 'Talks were held on 3-5 March in Doha.', want: ['3-5 March', '2024-03-03', '2024-03-05', 'day'] },
  { name: 'range: from Monday to Wednesday', article: '2024-12-06', text: 'Curfew was imposed from Monday to Wednesday.', want: ['from Monday to Wednesday', '2024-12-02', '2024-12-04', 'day'] },
  { name: 'range: Saturday and Sunday', article: '2024-02-19', text: 'Rebels shelled the town on Saturday and Sunday.', want: ['Saturday and Sunday', '2024-02-17', '2024-02-18', 'day'] },
  { name: 'year', article: '2024-12-10', text: 'The group was founded in 2019.', want: ['2019', '2019-01-01', '2019-12-31', 'year'] },
  { name: 'in March in a December article', article: '2024-12-10', text: 'In March, 21 were killed.', want: ['March', '2024-03-01', '2024-03-31', 'month'] },
  { name: 'in March in a January article is last year', article: '2024-01-10', text: 'In March, 21 were killed.', want: ['March', '2023-03-01', '2023-03-31', 'month'] },
  { name: 'month with "last year"', article: '2024-12-12', text: 'The junta seized power in July last year.', want: ['July last year', '2023-07-01', '2023-07-31', 'month'] },
  { name: 'month and year', article: '2024-12-10', text: 'The truce of February 2021 broke down.', want: ['February 2021', '2021-02-01', '2021-02-28', 'month'] },
  { name: 'mid-month', article: '2024-12-10', text: 'Attacks rose from mid-March.', want: ['mid-March', '2024-03-01', '2024-03-31', 'month'] },
];

for (const c of CASES) {
  test(`findDates ${c.name}`, () => {
    const found = findDates(c.text, c.article);
    assert.equal(found.length, 1, `expected one date in ${JSON.stringify(c.text)}, got ${JSON.stringify(found)}`);
    const d = found[0]!;
    const [text, value, endValue, precision] = c.want;
    assert.equal(d.text, text);
    assert.equal(c.text.slice(d.start, d.end), d.text);
    assert.equal(d.value, value);
    assert.equal(d.end_value ?? null, endValue);
    assert.equal(d.precision, precision);
  });
}

// Words that look like dates and are not.
const NOT_DATES: string[] = [
  'Residents now fear a new offensive.',
  'Since the fall of the regime, the town has been calm.',
  'The region faces hardship in the years ahead.',
  'The May 9 movement called a strike.',
  'Worshippers attended Sunday prayers at the mosque.',
  'Supporters plan to march on parliament.',
  'March organisers said the route was closed.',
  'Militants may attack again, officials warned.',
  'May God protect them, he said.',
  'Vendors sell bread every Friday.',
  'Black Friday sales were cancelled.',
  'Police seized an AK-47 and 30 rounds.',
  'The attack killed 12 people in 24 hours.',
  'The blast happened at 9:30 am.',
  'Violence peaked in the 1990s.',
  'A 2015 peace agreement collapsed.',
  'The death toll rose to 2,019.',
  'Two soldiers and a civilian were killed.',
];

for (const text of NOT_DATES) {
  test(`findDates finds no date in ${JSON.stringify(text)}`, () => {
    assert.deepEqual(findDates(text, '2024-12-10'), []);
  });
}

test('findDates finds several dates in order with exact offsets', () => {
  const text = 'A bomb exploded on Sunday. On 30 November police had arrested three. Last month 12 died.';
  const found = findDates(text, '2024-12-02');
  assert.deepEqual(
    found.map((d) => [d.text, d.value, text.slice(d.start, d.end)]),
    [
      ['Sunday', '2024-12-01', 'Sunday'],
      ['30 November', '2024-11-30', '30 November'],
      ['Last month', '2024-11-01', 'Last month'],
    ],
  );
});

test('findDates: "Sunday prayers" is no date but "on Sunday" in the same sentence is', () => {
  const found = findDates('The jet struck on Sunday while villagers were at Sunday prayers.', '2024-01-08');
  assert.deepEqual(found.map((d) => [d.text, d.value]), [['Sunday', '2024-01-07']]);
});

test('findDates rejects an invalid article date with E_VALIDATION', () => {
  assert.throws(() => findDates('on Sunday', '2024-13-01'), (err: unknown) => (err as { code?: string }).code === 'E_VALIDATION');
});

test('findDates skips impossible days', () => {
  assert.deepEqual(findDates('It happened on 31 November.', '2024-12-10'), []);
  assert.deepEqual(findDates('It happened on 29 February.', '2023-12-10'), []);
});

test('calendar weekdayOf and formatDay agree with Date', () => {
  for (const iso of ['1970-01-01', '2000-02-29', '2024-12-01', '2025-01-06']) {
    const day = parseIsoDay(iso)!;
    assert.equal(formatDay(day), iso);
    const js = new Date(`${iso}T00:00:00Z`).getUTCDay();
    assert.equal(weekdayOf(day), js === 0 ? 7 : js);
  }
});

test('dateStage fills doc.dates with spans into the normalized text', () => {
  const pipeline = new Pipeline([normalizeStage, sentenceStage, tokenStage, dateStage], { knowledge: {} });
  const doc = pipeline.run({
    id: 'a1',
    date: '2024-12-02',
    title: null,
    rawText: 'Blast kills 14 in Jalalabad\nA suicide bomber struck on Sunday, killing 14.\n\nThree suspects were detained on 30 November.',
    url: null,
    source: null,
    language: 'en',
    origin: { file: 'test', line: null },
  });
  assert.deepEqual(doc.dates.map((d) => [d.text, d.value]), [['Sunday', '2024-12-01'], ['30 November', '2024-11-30']]);
  for (const d of doc.dates) assert.equal(doc.text.slice(d.start, d.end), d.text);
});

test('loadDateLexicon validates the file and names the broken entry', () => {
  const good = JSON.parse(readFileSync(dataPath('time', 'lexicon.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(DateLexiconSchema.safeParse(good).success, true);
  assert.equal(compileDateLexicon(DateLexiconSchema.parse(good)).weekdays.get("sunday's"), 7);
  const dir = mkdtempSync(join(tmpdir(), 'khabar-time-'));
  const bad = join(dir, 'lexicon.json');
  writeFileSync(bad, JSON.stringify({ ...good, relative: [{ phrase: 'yesterday', unit: 'fortnight', offset: -1 }] }));
  assert.throws(() => loadDateLexicon(bad), (err: unknown) => (err as { code?: string }).code === 'E_KNOWLEDGE' && /relative/.test((err as Error).message));
});

test('calendar ymdOf and formatDay agree with Date over four centuries', () => {
  for (let day = -40_000; day < 120_000; day += 13) {
    const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
    assert.equal(formatDay(day), iso);
  }
});

test('findDates on random text: never throws, spans match, ranges are ordered', async () => {
  const fc = await import('fast-check');
  const words = ['on', 'Sunday', 'last', 'week', '30', 'November', 'Nov', '.', 'between', '3', 'and', '5', 'March', 'in', '2019',
    'yesterday', 'overnight', 'from', 'Monday', 'to', 'Friday', ',', 'May', 'the', 'two', 'days', 'ago', 'mid-March', '31', 'February', 'next', 'will'];
  const textArb = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.array(fc.constantFrom(...words), { maxLength: 14 }).map((ws) => ws.join(' ')),
  );
  const dateArb = fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  fc.assert(
    fc.property(textArb, dateArb, (text, article) => {
      for (const d of findDates(text, article)) {
        assert.equal(text.slice(d.start, d.end), d.text);
        assert.notEqual(parseIsoDay(d.value), null);
        if (d.end_value) assert.ok(d.end_value >= d.value, `${d.end_value} < ${d.value}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('findDates on the demo articles: day and week dates fall within a year of the article, spans match', () => {
  const dir = dataPath('demo');
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
  assert.ok(files.length >= 30);
  let total = 0;
  for (const f of files) {
    const raw = readFileSync(join(dir, f), 'utf8');
    const m = /^\s*date (\d{4}-\d{2}-\d{2}) /.exec(raw);
    assert.ok(m, `${f} starts with a date line`);
    const text = raw.slice(m[0].length);
    const article = parseIsoDay(m[1]!)!;
    for (const d of findDates(text, m[1]!)) {
      total++;
      assert.equal(text.slice(d.start, d.end), d.text);
      const gap = Math.abs(parseIsoDay(d.value)! - article);
      if (d.precision === 'day' || d.precision === 'week') assert.ok(gap <= 366, `${f}: ${d.text} -> ${d.value}`);
    }
  }
  assert.ok(total > files.length * 2, `only ${total} dates in ${files.length} articles`);
});

test('dateStage uses the date lexicon given in the knowledge', () => {
  const file = DateLexiconSchema.parse(JSON.parse(readFileSync(dataPath('time', 'lexicon.json'), 'utf8')));
  const lexicon = compileDateLexicon({ ...file, weekdays: { ...file.weekdays, domingo: 7 } });
  const article = { id: 'd', date: '2024-12-04', title: null, rawText: 'The raid happened on Domingo.', url: null, source: null, language: 'en', origin: { file: 't', line: null } };
  const withDefault = new Pipeline([normalizeStage, sentenceStage, tokenStage, dateStage], { knowledge: {} }).run(article);
  const withCustom = new Pipeline([normalizeStage, sentenceStage, tokenStage, dateStage], { knowledge: { dateLexicon: lexicon } }).run(article);
  assert.deepEqual(withDefault.dates, []);
  assert.deepEqual(withCustom.dates.map((d) => [d.text, d.value]), [['Domingo', '2024-12-01']]);
});
